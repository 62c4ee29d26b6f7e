"""Missions as front-ends show them: the public content, never moderation or sync bookkeeping."""

from __future__ import annotations

import datetime
import decimal

import strawberry
import strawberry_django
from strawberry import auto, relay
from strawberry.types import Info

from cms.missions.models import MISSION_ADDRESSES_MAX, Mission, MissionAddress
from cms.partners_api.models import Scope
from cms.syndication.links import tracked_mission_url
from graphql_api.core.apikeys import readable, served_link
from graphql_api.core.enums import RemoteWork
from graphql_api.core.execution import ModelField
from graphql_api.core.limits import max_items
from graphql_api.organisations.types import OrganisationType
from graphql_api.taxonomy.types import DomainType, ProgrammeType

from .filters import MissionFilter
from .ordering import MissionOrder


@strawberry_django.type(MissionAddress, name="MissionAddress", field_cls=ModelField)
class MissionAddressType:
    street: auto
    postcode: auto
    city: auto
    department_code: auto
    department_name: auto
    region: auto
    country: auto
    latitude: auto
    longitude: auto


@strawberry.type(description="Indemnisation versée pour la mission.")
class Compensation:
    amount: decimal.Decimal | None
    amount_max: decimal.Decimal | None
    unit: str
    type: str


@strawberry_django.type(Mission, name="Mission", filters=MissionFilter, ordering=MissionOrder, field_cls=ModelField)
class MissionType(relay.Node):
    pk: relay.NodeID[int]  # the global id encodes the primary key (private: not a schema field)
    title: auto
    description_html: str = strawberry_django.field(description="Description en HTML nettoyé.", field_cls=ModelField)
    description_text: auto
    organization: OrganisationType | None = strawberry_django.field(name="organisation", field_cls=ModelField)
    programme: ProgrammeType | None
    domain: DomainType | None
    activities: list[str]
    tags: list[str]
    tasks: list[str]
    audience: list[str]
    soft_skills: list[str]
    requirements: list[str]
    remote: RemoteWork
    schedule: auto
    hours_per_week: auto
    start_date: datetime.date | None
    end_date: datetime.date | None
    posted_at: datetime.datetime
    places: auto
    open_to_minors: auto
    reduced_mobility_accessible: auto
    close_to_transport: auto
    image_url: auto
    addresses: list[MissionAddressType] = strawberry_django.field(
        field_cls=ModelField,
        description=f"Les lieux de la mission, {MISSION_ADDRESSES_MAX} au plus.",
        metadata=max_items(MISSION_ADDRESSES_MAX),
    )

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        """Only public missions, wherever missions are listed (the rule lives in ``MissionQuerySet.public``), and
        with a partner key only those its diffusion rules allow."""
        return readable(queryset, info.context.request, Scope.READ_MISSIONS)

    database_id: int = strawberry_django.field(
        field_name="pk", field_cls=ModelField, description="Identifiant en base, stable, pour les URL des front-ends."
    )

    @strawberry_django.field(
        only=["application_url"],
        description="Lien pour candidater. Lu avec une clé d'API partenaire, il passe par la redirection de suivi, "
        "qui compte le clic et la candidature pour la clé.",
    )
    def application_url(self, root: Mission, info: Info) -> str:
        return served_link(info.context.request, root.application_url, tracked_mission_url, root.pk)

    @strawberry_django.field(
        only=["compensation_amount", "compensation_amount_max", "compensation_unit", "compensation_type"]
    )
    def compensation(self, root: Mission) -> Compensation | None:
        if root.compensation_amount is None:
            return None
        return Compensation(
            amount=root.compensation_amount,
            amount_max=root.compensation_amount_max,
            unit=root.compensation_unit,
            type=root.compensation_type,
        )
