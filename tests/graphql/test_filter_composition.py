"""Every filter of every list composes under AND, OR and NOT, and a new filter cannot arrive without proving it.

Each case creates one item the filter keeps ("Gardée") and one it drops ("Écartée"): alone the filter keeps the first,
``NOT`` keeps the second, ``OR`` with its own negation keeps both, and ``AND`` nested keeps the first. A filter that
narrows the queryset instead of returning a condition fails ``NOT`` and ``OR``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from graphql import GraphQLInputObjectType

from cms.missions.models import Mission
from cms.offers.models import OfferPage
from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Need, OfferCategory, Programme
from graphql_api.schema import schema
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory
from tests.factories.organisations import OrganizationFactory

KEPT, DROPPED = "Gardée", "Écartée"

#: Per list: its filter input type and an operation returning the names of what it lists.
LISTS = {
    "MissionFilter": """
        query ($filters: MissionFilter) {
          items: missions(first: 100, filters: $filters) { edges { node { name: title } } }
        }
    """,
    "OfferFilter": """
        query ($filters: OfferFilter) {
          items: offers(first: 100, filters: $filters) { edges { node { name: title } } }
        }
    """,
    "OrganisationFilter": """
        query ($filters: OrganisationFilter) {
          items: organisations(first: 100, filters: $filters) { edges { node { name } } }
        }
    """,
}

LYON = {"latitude": 45.76, "longitude": 4.84, "radiusKm": 20}
GRENOBLE = {"city": "Grenoble", "department_code": "38", "latitude": 45.1885, "longitude": 5.7245}


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _mission(name: str, **fields) -> Mission:
    return MissionFactory(title=name, **fields)


def _mission_at(name: str, **address) -> None:
    MissionAddressFactory(mission=MissionFactory(title=name), **address)


def _offer_with(name: str, relation: str, model) -> None:
    offer = OfferPageFactory(title=name)
    getattr(offer, relation).add(model.objects.order_by("pk").first())
    offer.save()  # parental many-to-many relations are written with the page


def _offer_in(name: str, **store) -> None:
    OfferStoreFactory(offer__title=name, offer__nationwide=False, **store)


@dataclasses.dataclass(frozen=True)
class Case:
    input_type: str
    field: str
    value: object
    create: Callable[[str], object]  # an item (named by its argument) the filter keeps
    create_other: Callable[[str], object] | None  # one it drops; None when every listed item passes the filter

    def __str__(self) -> str:
        return f"{self.input_type}.{self.field}"


CASES = [
    Case(
        "MissionFilter",
        "remote",
        "FULL",
        lambda n: _mission(n, remote=Mission.Remote.FULL),
        lambda n: _mission(n, remote=Mission.Remote.NO),
    ),
    *(
        Case("MissionFilter", field, True, lambda n, a=attr: _mission(n, **{a: True}), lambda n, a=attr: _mission(n))
        for field, attr in (
            ("openToMinors", "open_to_minors"),
            ("reducedMobilityAccessible", "reduced_mobility_accessible"),
            ("closeToTransport", "close_to_transport"),
        )
    ),
    Case(
        "MissionFilter",
        "programme",
        ["service-civique"],
        lambda n: _mission(n, programme=Programme.objects.get(slug="service-civique")),
        lambda n: _mission(n, programme=Programme.objects.get(slug="benevolat")),
    ),
    Case(
        "MissionFilter",
        "domain",
        ["education"],
        lambda n: _mission(n, domain=Domain.objects.get(slug="education")),
        lambda n: _mission(n, domain=Domain.objects.exclude(slug="education").first()),
    ),
    Case(
        "MissionFilter",
        "department",
        ["38"],
        lambda n: _mission_at(n, **GRENOBLE),
        lambda n: _mission_at(n),
    ),
    Case("MissionFilter", "city", "grenoble", lambda n: _mission_at(n, **GRENOBLE), lambda n: _mission_at(n)),
    Case(
        "MissionFilter",
        "startsAfter",
        _days(30).isoformat(),
        lambda n: _mission(n, start_date=_days(60)),
        lambda n: _mission(n, start_date=_days(3)),
    ),
    Case(
        "MissionFilter",
        "startsBefore",
        _days(30).isoformat(),
        lambda n: _mission(n, start_date=_days(3)),
        lambda n: _mission(n, start_date=_days(60)),
    ),
    Case(
        "MissionFilter",
        "eligibleAtAge",
        16,
        lambda n: _mission(n, open_to_minors=True),
        lambda n: _mission(n, open_to_minors=False),
    ),
    Case("MissionFilter", "near", LYON, lambda n: _mission_at(n), lambda n: _mission_at(n, **GRENOBLE)),
    Case(
        "OfferFilter",
        "kind",
        "CARD",
        lambda n: OfferPageFactory(title=n, kind=OfferPage.Kind.CARD),
        lambda n: OfferPageFactory(title=n, kind=OfferPage.Kind.LINK, link_url="https://www.example.fr/offre"),
    ),
    Case(
        "OfferFilter",
        "channel",
        "ONLINE",
        lambda n: OfferPageFactory(title=n, channel=OfferPage.Channel.ONLINE),
        lambda n: OfferPageFactory(title=n, channel=OfferPage.Channel.IN_STORE),
    ),
    Case(
        "OfferFilter",
        "nationwide",
        True,
        lambda n: OfferPageFactory(title=n, nationwide=True),
        lambda n: OfferPageFactory(title=n, nationwide=False),
    ),
    Case(
        "OfferFilter",
        "category",
        [OfferCategory.objects.order_by("pk").values_list("slug", flat=True).first],
        lambda n: _offer_with(n, "categories", OfferCategory),
        lambda n: OfferPageFactory(title=n),
    ),
    Case(
        "OfferFilter",
        "need",
        [Need.objects.order_by("pk").values_list("slug", flat=True).first],
        lambda n: _offer_with(n, "needs", Need),
        lambda n: OfferPageFactory(title=n),
    ),
    Case(
        "OfferFilter",
        "partner",
        "velo-plus",
        lambda n: OfferPageFactory(title=n, parent=PartnerPageFactory(slug="velo-plus")),
        lambda n: OfferPageFactory(title=n),
    ),
    # Lists only show valid offers, so there is no listed offer for this filter to drop.
    Case("OfferFilter", "currentlyValid", True, lambda n: OfferPageFactory(title=n), None),
    Case("OfferFilter", "near", LYON, lambda n: _offer_in(n), lambda n: _offer_in(n, **GRENOBLE)),
    Case(
        "OrganisationFilter",
        "slug",
        "gardee",
        lambda n: OrganizationFactory(name=n, slug="gardee"),
        lambda n: OrganizationFactory(name=n),
    ),
    Case(
        "OrganisationFilter",
        "kind",
        "LOCAL_AUTHORITY",
        lambda n: OrganizationFactory(name=n, kind=Organization.Kind.LOCAL_AUTHORITY),
        lambda n: OrganizationFactory(name=n, kind=Organization.Kind.ASSOCIATION),
    ),
    Case(
        "OrganisationFilter",
        "departmentCode",
        "38",
        lambda n: OrganizationFactory(name=n, department_code="38"),
        lambda n: OrganizationFactory(name=n, department_code="69"),
    ),
    Case(
        "OrganisationFilter",
        "city",
        "Grenoble",
        lambda n: OrganizationFactory(name=n, city="Grenoble"),
        lambda n: OrganizationFactory(name=n, city="Lyon"),
    ),
]

COMBINATORS = ("AND", "OR", "NOT", "DISTINCT")


def _value(case: Case) -> object:
    """The case's value, with slugs read from the seeded vocabulary resolved now that the database exists."""
    if isinstance(case.value, list):
        return [v() if callable(v) else v for v in case.value]
    return case.value


@pytest.fixture
def listed(run_query, offers_index):
    def run(case: Case, filters: dict) -> list[str]:
        result = run_query(LISTS[case.input_type], {"filters": filters})
        assert result.errors == []
        return sorted(edge["node"]["name"] for edge in result.data["items"]["edges"])

    return run


@pytest.fixture(params=CASES, ids=str)
def case(request, db, offers_index) -> Case:
    case = request.param
    case.create(KEPT)
    if case.create_other:
        case.create_other(DROPPED)
    return case


def _all(case: Case) -> list[str]:
    return sorted([KEPT, DROPPED] if case.create_other else [KEPT])


def test_a_filter_alone_keeps_the_matching_item(case, listed):
    assert listed(case, {case.field: _value(case)}) == [KEPT]


def test_a_filter_nested_in_and_keeps_the_matching_item(case, listed):
    assert listed(case, {"AND": {case.field: _value(case)}}) == [KEPT]


def test_a_filter_under_not_keeps_every_other_item(case, listed):
    assert listed(case, {"NOT": {case.field: _value(case)}}) == ([DROPPED] if case.create_other else [])


def test_a_filter_or_its_negation_keeps_every_item(case, listed):
    value = _value(case)

    assert listed(case, {case.field: value, "OR": {"NOT": {case.field: value}}}) == _all(case)


def test_missions_eligible_at_an_age_or_of_a_programme_include_that_programme(run_query):
    """The example of the issue: the OR branch used to find nothing because the age filter narrowed the queryset."""
    service_civique = Programme.objects.get(slug="service-civique")
    service_civique.min_age, service_civique.max_age = 16, 25
    service_civique.save()
    MissionFactory(title="Service civique", open_to_minors=True)
    MissionFactory(title="SNU", programme=Programme.objects.get(slug="snu"), open_to_minors=True)

    result = run_query(LISTS["MissionFilter"], {"filters": {"eligibleAtAge": 30, "OR": {"programme": ["snu"]}}})

    assert [edge["node"]["name"] for edge in result.data["items"]["edges"]] == ["SNU"]


def test_every_filter_of_every_list_has_a_composition_case():
    graphql_schema = schema._schema
    filter_types = {
        name: type_
        for name, type_ in graphql_schema.type_map.items()
        if isinstance(type_, GraphQLInputObjectType) and "OR" in type_.fields
    }
    declared = {f"{name}.{field}" for name, type_ in filter_types.items() for field in type_.fields}
    declared -= {f"{name}.{combinator}" for name in filter_types for combinator in COMBINATORS}

    assert set(filter_types) == set(LISTS)
    assert sorted(declared - {str(case) for case in CASES}) == []
