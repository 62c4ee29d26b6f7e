"""Mission filters for lists and maps; each one returns a condition, so that any of them composes under AND/OR/NOT."""

from __future__ import annotations

import datetime

import strawberry_django
from django.db.models import Q
from strawberry import auto

from cms.core.ages import AGE_MESSAGE, is_valid_age
from cms.missions.models import Mission, MissionAddress, MissionQuerySet
from graphql_api.core.enums import RemoteWork
from graphql_api.core.errors import BadUserInput
from graphql_api.core.geo import NearInput, owners_near


@strawberry_django.filter_type(Mission)
class MissionFilter:
    remote: RemoteWork | None
    open_to_minors: auto
    reduced_mobility_accessible: auto
    close_to_transport: auto

    @strawberry_django.filter_field(description="Slug du dispositif (service-civique…).")
    def programme(self, value: list[str], prefix: str) -> Q:
        return Q(**{f"{prefix}programme__slug__in": value})

    @strawberry_django.filter_field(description="Slug du domaine d'engagement.")
    def domain(self, value: list[str], prefix: str) -> Q:
        return Q(**{f"{prefix}domain__slug__in": value})

    @strawberry_django.filter_field(description="Code du département (69, 2A, 974…) d'une des adresses.")
    def department(self, value: list[str], prefix: str) -> Q:
        ids = MissionAddress.objects.filter(department_code__in=value).values("mission_id")
        return Q(**{f"{prefix}pk__in": ids})

    @strawberry_django.filter_field(description="Ville d'une des adresses (sans tenir compte de la casse).")
    def city(self, value: str, prefix: str) -> Q:
        ids = MissionAddress.objects.filter(city__iexact=value.strip()).values("mission_id")
        return Q(**{f"{prefix}pk__in": ids})

    @strawberry_django.filter_field(description="Missions qui commencent à partir de cette date (ou sans date).")
    def starts_after(self, value: datetime.date, prefix: str) -> Q:
        return Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__gte": value})

    @strawberry_django.filter_field(description="Missions qui commencent au plus tard à cette date.")
    def starts_before(self, value: datetime.date, prefix: str) -> Q:
        return Q(**{f"{prefix}start_date__lte": value})

    @strawberry_django.filter_field(description="Missions auxquelles une personne de cet âge peut participer.")
    def eligible_at_age(self, value: int, prefix: str) -> Q:
        if not is_valid_age(value):
            raise BadUserInput(AGE_MESSAGE, argument="eligibleAtAge")
        return MissionQuerySet.eligible_at_q(value, prefix)

    @strawberry_django.filter_field(description="Missions dont une adresse est dans le rayon donné.")
    def near(self, value: NearInput, prefix: str) -> Q:
        return Q(**{f"{prefix}pk__in": owners_near(MissionAddress.objects.all(), "mission_id", value)})
