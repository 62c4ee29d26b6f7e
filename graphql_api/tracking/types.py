"""GraphQL types of tracking: channels, application statuses and the mutations' answers."""

from __future__ import annotations

import strawberry

from cms.tracking.models import ApplicationStatus as ApplicationStatusChoices
from cms.tracking.models import Channel

TrackingChannel = strawberry.enum(
    Channel, name="TrackingChannel", description="D'où vient la personne : site, widget, API partenaire, campagne."
)
ApplicationStatus = strawberry.enum(
    ApplicationStatusChoices, name="ApplicationStatus", description="Où en est une candidature."
)


@strawberry.type(description="La candidature telle qu'enregistrée.")
class ApplicationReportPayload:
    mission_id: int = strawberry.field(description="La mission de la candidature.")
    status: ApplicationStatus
    created: bool = strawberry.field(description="Vrai si ce signalement est le premier pour ce jeton.")


@strawberry.type(description="Affichages enregistrés.")
class TrackImpressionsPayload:
    recorded: int = strawberry.field(
        description="Affichages comptés (les doublons de moins de 5 minutes ne le sont pas)."
    )
