"""Mission lists (filters, ordering, Relay pagination) and one mission, public or previewed with a token."""

from __future__ import annotations

import strawberry
import strawberry_django

from cms.missions.models import Mission
from cms.partners_api.models import Scope
from graphql_api.core.apikeys import readable
from graphql_api.core.errors import BadUserInput, NotFound
from graphql_api.core.ids import database_id
from graphql_api.core.optimizer import optimize
from graphql_api.core.pagination import CountedListConnection
from graphql_api.core.preview import previewed_object

from .types import MissionType


@strawberry.type
class Query:
    missions: CountedListConnection[MissionType] = strawberry_django.connection(
        description="Missions publiées, 100 par page au plus."
    )

    @strawberry_django.field(
        description="Une mission publiée par identifiant, ou le dernier brouillon avec un jeton d'aperçu."
    )
    def mission(
        self,
        info: strawberry.Info,
        id: strawberry.ID | None = None,
        preview_token: str | None = None,
    ) -> MissionType:
        if preview_token:
            return previewed_object(preview_token, Mission)
        if id is None:
            raise BadUserInput("Indiquez id ou previewToken.")
        queryset = readable(Mission.objects.all(), info.context.request, Scope.READ_MISSIONS)
        queryset = queryset.filter(pk=database_id(id, "Mission"))
        mission = optimize(queryset, info).first()
        if mission is None:
            raise NotFound("Mission introuvable ou plus disponible.")
        return mission
