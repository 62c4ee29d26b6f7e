"""An offer's terms and stores read in the offer's own statement answer exactly what their prefetches answer."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.offers.models import OfferPage
from cms.taxonomy.models import Need, OfferCategory
from graphql_api.core.inline import InlinedRelation
from graphql_api.core.optimizer import plans
from graphql_api.offers.types import StoreType
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory

pytestmark = pytest.mark.skipif(not settings.GRAPHQL_FAST_PATH, reason="the fast path is off (GRAPHQL_FAST_PATH)")

OFFER_DETAIL = """
query OfferDetail($slug: String!) {
  offer(slug: $slug) {
    title
    categories { id slug label position icon }
    needs { slug label }
    stores { name street postcode city departmentCode latitude longitude }
  }
}
"""

OFFERS_LIST = """
query OffersList {
  offers(first: 10, ordering: [{title: ASC}]) {
    edges { node { title categories { slug } needs { slug } stores { name } } }
  }
}
"""

PARTNER_OFFERS = """
query PartnerOffers($slug: String!) {
  partner(slug: $slug) { offers { title categories { slug } stores { name } } }
}
"""

OFFER_WITH_CATEGORY_COUNTS = """
query OfferWithCounts($slug: String!) {
  offer(slug: $slug) { title categories { slug offerCount } }
}
"""


@pytest.fixture
def prefetched(monkeypatch):
    """Runs an operation with every inlinable relation prefetched instead (``Prefetch(to_attr=…)``), and no plan
    kept from an inlined run."""

    def run(run_query, query: str, variables: dict | None = None):
        plans.clear()
        with monkeypatch.context() as patch:
            patch.setattr(InlinedRelation, "reads_columns_only", lambda self, info: False)
            result = run_query(query, variables)
        plans.clear()
        return result

    return run


def both_ways(run_query, prefetched, query: str, variables: dict | None = None) -> tuple[dict, int]:
    """Runs ``query`` inlined, then prefetched: the inlined data (checked equal to the prefetched one) and the
    number of statements the inlined run took."""
    with CaptureQueriesContext(connection) as statements:
        inlined = run_query(query, variables)
    before = prefetched(run_query, query, variables)

    assert inlined.errors == []
    assert inlined.data == before.data
    return inlined.data, len(statements)


def offers_with_terms_and_stores(partner=None) -> None:
    """Offers with 0 to 3 terms and stores, added out of order so that only the models' ordering sorts them."""
    categories = list(OfferCategory.objects.order_by("-position")[:3])
    needs = list(Need.objects.order_by("-label")[:3])
    for index in range(4):
        offer = OfferPageFactory(
            slug=f"offre-{index}", title=f"Offre {index}", **({"parent": partner} if partner else {})
        )
        offer.categories.add(*categories[:index])
        offer.needs.add(*needs[: 3 - index])
        offer.save()
        for position in reversed(range(index)):
            OfferStoreFactory(offer=offer, name=f"Magasin {index}.{position}", sort_order=position)


def test_an_offer_detail_reads_its_terms_and_stores_in_one_statement(run_query, offers_index, prefetched):
    offers_with_terms_and_stores()

    data, statements = both_ways(run_query, prefetched, OFFER_DETAIL, {"slug": "offre-3"})

    assert statements == 1  # the offer, its terms, stores and the sections hidden from the public (subqueries)
    assert [s["name"] for s in data["offer"]["stores"]] == ["Magasin 3.0", "Magasin 3.1", "Magasin 3.2"]
    assert len(data["offer"]["categories"]) == 3


def test_a_kept_plan_reads_the_same_relations_inline_on_the_next_requests(run_query, offers_index, prefetched):
    offers_with_terms_and_stores()
    plans.clear()  # only this test's plan: earlier tests of the same process may have kept others
    first = run_query(OFFERS_LIST)

    with CaptureQueriesContext(connection) as statements:
        again = run_query(OFFERS_LIST)
    kept_plans = [store is not None for store in plans.stores()]
    before = prefetched(run_query, OFFERS_LIST)

    assert kept_plans == [True]
    assert len(statements) == 1  # the page of offers (the hidden sections are a subquery)
    assert again.data == first.data == before.data


def test_a_list_of_offers_answers_as_with_prefetches_including_empty_relations(run_query, offers_index, prefetched):
    offers_with_terms_and_stores()

    data, _ = both_ways(run_query, prefetched, OFFERS_LIST)

    first = data["offers"]["edges"][0]["node"]
    assert (first["categories"], first["stores"]) == ([], [])


def test_offers_prefetched_under_their_partner_read_their_terms_in_that_prefetch(run_query, offers_index, prefetched):
    offers_with_terms_and_stores(partner=PartnerPageFactory(slug="velo-plus"))

    _, statements = both_ways(run_query, prefetched, PARTNER_OFFERS, {"slug": "velo-plus"})

    assert statements == 2  # the partner, its offers (the hidden sections are a subquery of each)


def test_terms_asked_with_their_offer_count_keep_their_prefetch(run_query, offers_index, prefetched):
    offers_with_terms_and_stores()

    data, statements = both_ways(run_query, prefetched, OFFER_WITH_CATEGORY_COUNTS, {"slug": "offre-2"})

    assert statements == 2  # the offer, the categories' counts (the hidden sections are a subquery of each)
    assert all(category["offerCount"] >= 1 for category in data["offer"]["categories"])


def test_only_many_to_many_and_reverse_relations_can_be_inlined(db):
    with pytest.raises(TypeError, match="ni une relation plusieurs-à-plusieurs"):
        InlinedRelation(OfferPage, "partner")


def test_inlined_rows_go_through_the_related_type_s_get_queryset(run_query, offers_index, monkeypatch):
    offer = OfferPageFactory(slug="visible")
    OfferStoreFactory(offer=offer, name="Ouvert")
    OfferStoreFactory(offer=offer, name="Fermé")
    hidden = classmethod(lambda cls, queryset, info, **kwargs: queryset.exclude(name="Fermé"))
    monkeypatch.setattr(StoreType, "get_queryset", hidden, raising=False)
    plans.clear()

    result = run_query("query($slug: String!) { offer(slug: $slug) { stores { name } } }", {"slug": "visible"})
    plans.clear()

    assert result.data == {"offer": {"stores": [{"name": "Ouvert"}]}}
