"""Tracking mutations: impressions sent by front-ends, applications confirmed by partners' servers.

``reportApplication`` needs a partner API key (as the push API does) and only reaches applications to missions of
the key's source (and organisation). The key model has no scopes: any active key may report applications for its
own missions.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from cms.missions.models import Mission
from cms.partners_api.models import Scope
from cms.tracking.applications import ReportError, report_application
from cms.tracking.models import Event, Kind
from cms.tracking.recorder import record
from cms.tracking.tokens import SOURCE_PATTERN
from cms.tracking.visitors import is_bot, signed_in_user_id, visitor_id
from graphql_api.core.apikeys import required_api_key
from graphql_api.core.errors import BadUserInput
from graphql_api.core.ids import database_id

from .types import ApplicationReportPayload, ApplicationStatus, TrackImpressionsPayload, TrackingChannel

#: The most missions one ``trackImpressions`` call may name (a page of results).
IMPRESSIONS_MAX = 100


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "Signale une candidature (ou son nouveau statut) pour le jeton reçu dans le lien de candidature "
            "(paramètre trmp_token). Réservé aux partenaires : clé d'API requise."
        )
    )
    def report_application(self, info: Info, token: str, status: ApplicationStatus) -> ApplicationReportPayload:
        key = required_api_key(info, Scope.REPORT_APPLICATIONS)
        try:
            application, created = report_application(token, status.value, api_key=key)
        except ReportError as error:
            raise BadUserInput(str(error), argument="token") from error
        return ApplicationReportPayload(
            mission_id=application.mission_id, status=ApplicationStatus(application.status), created=created
        )

    @strawberry.mutation(description=f"Compte l'affichage de missions ({IMPRESSIONS_MAX} au plus par appel).")
    def track_impressions(
        self,
        info: Info,
        mission_ids: list[strawberry.ID],
        channel: TrackingChannel = TrackingChannel.SITE,
        source: str | None = None,
    ) -> TrackImpressionsPayload:
        if len(mission_ids) > IMPRESSIONS_MAX:
            raise BadUserInput(f"{IMPRESSIONS_MAX} missions au plus par appel.", argument="missionIds")
        if source and not SOURCE_PATTERN.match(source):
            raise BadUserInput("Source invalide : lettres, chiffres, « - » et « _ », 64 au plus.", argument="source")
        request = info.context.request
        if is_bot(request.headers.get("User-Agent", "")):
            return TrackImpressionsPayload(recorded=0)
        ids = {database_id(str(value), "Mission") for value in mission_ids}
        public = Mission.objects.public().filter(pk__in=ids).values_list("pk", flat=True)
        visitor, user_id = visitor_id(request), signed_in_user_id(request)
        recorded = 0
        for mission_id in sorted(public):
            event = Event(
                kind=Kind.IMPRESSION,
                mission_id=mission_id,
                channel=channel.value,
                source=source or "",
                visitor=visitor,
                user_id=user_id,
            )
            recorded += record(event)
        return TrackImpressionsPayload(recorded=recorded)
