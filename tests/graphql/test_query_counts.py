"""No N+1: lists with nested relations and image renditions run the same number of SQL queries for 5 and 50 items."""

from __future__ import annotations

from django.conf import settings

from cms.taxonomy.models import Domain, Need, OfferCategory
from tests.factories.images import ImageFactory
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory
from tests.factories.organisations import OrganizationFactory

#: The SQL statements one list costs, whatever its length (pinned for 5 and for 50 items alike); totalCount is its
#: own COUNT(*) (graphql_api/core/pagination.py), so a page query can stop after N rows. With GRAPHQL_FAST_PATH on, an
#: offer's categories, needs and stores are read in the page's statement (graphql_api/core/inline.py), else prefetched.
#: The sections hidden from the public (cms/core/visibility.py) are a subquery of each statement, not one of their own.
OFFERS_LIST_QUERIES = 4 if settings.GRAPHQL_FAST_PATH else 7
MISSIONS_LIST_QUERIES = 4
#: Partners the offers are spread over (each with its own logo): enough for the list to cross several of them.
PARTNERS = 10

OFFERS_LIST = """
query OffersList($first: Int!) {
  offers(first: $first) {
    totalCount
    edges { node {
      id title urlPath subtitle kind channel discountType discountValue validUntil
      partner { title website logo { rendition(width: 160, height: 160, fill: true) { url } } }
      categories { slug label }
      needs { slug }
      stores { name city latitude longitude }
      image { rendition(width: 320) { url width height } }
    } }
  }
}
"""

MISSIONS_LIST = """
query MissionsList($first: Int!) {
  missions(first: $first) {
    totalCount
    edges { node {
      id title startDate endDate remote openToMinors
      organisation { name slug logo { rendition(width: 160) { url } } }
      programme { slug label }
      domain { slug label }
      addresses { city postcode departmentCode latitude longitude }
    } }
  }
}
"""


def _offers(count: int) -> None:
    category = OfferCategory.objects.order_by("pk").first()
    need = Need.objects.order_by("pk").first()
    partners = [PartnerPageFactory(logo=ImageFactory()) for _ in range(PARTNERS)]
    for index in range(count):
        offer = OfferPageFactory(parent=partners[index % PARTNERS], image=ImageFactory())
        offer.categories.add(category)
        offer.needs.add(need)
        offer.save()
        OfferStoreFactory(offer=offer)
        OfferStoreFactory(offer=offer)


def _missions(count: int) -> None:
    domain = Domain.objects.order_by("pk").first()
    for _ in range(count):
        organisation = OrganizationFactory(logo=ImageFactory())
        mission = MissionFactory(organization=organisation, domain=domain)
        MissionAddressFactory(mission=mission)
        MissionAddressFactory(mission=mission, city="Villeurbanne", postcode="69100")


def _queries_for(run_query, query: str, first: int, django_assert_num_queries, expected: int) -> dict:
    with django_assert_num_queries(expected):
        result = run_query(query, {"first": first})
    assert result.errors == []
    return result.data


def test_offers_list_runs_the_same_number_of_queries_for_5_and_50_offers(
    run_query, offers_index, django_assert_num_queries
):
    _offers(50)
    run_query(OFFERS_LIST, {"first": 50})  # renditions are written the first time they are asked for, then read

    five = _queries_for(run_query, OFFERS_LIST, 5, django_assert_num_queries, OFFERS_LIST_QUERIES)
    fifty = _queries_for(run_query, OFFERS_LIST, 50, django_assert_num_queries, OFFERS_LIST_QUERIES)

    assert len(five["offers"]["edges"]) == 5
    assert len(fifty["offers"]["edges"]) == 50
    assert all(edge["node"]["image"]["rendition"]["url"] for edge in fifty["offers"]["edges"])
    assert all(len(edge["node"]["stores"]) == 2 for edge in fifty["offers"]["edges"])


def test_missions_list_runs_the_same_number_of_queries_for_5_and_50_missions(run_query, django_assert_num_queries):
    _missions(50)
    run_query(MISSIONS_LIST, {"first": 50})

    five = _queries_for(run_query, MISSIONS_LIST, 5, django_assert_num_queries, MISSIONS_LIST_QUERIES)
    fifty = _queries_for(run_query, MISSIONS_LIST, 50, django_assert_num_queries, MISSIONS_LIST_QUERIES)

    assert len(five["missions"]["edges"]) == 5
    assert len(fifty["missions"]["edges"]) == 50
    assert all(len(edge["node"]["addresses"]) == 2 for edge in fifty["missions"]["edges"])
    assert all(edge["node"]["organisation"]["logo"]["rendition"]["url"] for edge in fifty["missions"]["edges"])
