"""An offer's terms and stores read in the offer's own statement answer exactly what their prefetches answered."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import graphql_api.core.inline
from cms.offers.models import OfferPage, OfferStore, PromoCode
from cms.taxonomy.models import Need, OfferCategory
from graphql_api.core.inline import inline, inline_relation
from graphql_api.core.optimizer import plans
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory, PromoCodeFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="relations are inlined on PostgreSQL only")

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
    """Runs an operation with every relation prefetched, as before inlining (no relation registered, no plan kept
    from an inlined run)."""

    def run(run_query, query: str, variables: dict | None = None):
        plans.clear()
        with monkeypatch.context() as patch:
            patch.setattr(graphql_api.core.inline, "_INLINED", {})
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

    assert statements == 2  # the sections hidden from the public (cms/core/visibility.py), the offer
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
    assert len(statements) == 2  # the hidden sections, the page of offers
    assert again.data == first.data == before.data


def test_a_list_of_offers_answers_as_with_prefetches_including_empty_relations(run_query, offers_index, prefetched):
    offers_with_terms_and_stores()

    data, _ = both_ways(run_query, prefetched, OFFERS_LIST)

    first = data["offers"]["edges"][0]["node"]
    assert (first["categories"], first["stores"]) == ([], [])


def test_offers_prefetched_under_their_partner_read_their_terms_in_that_prefetch(run_query, offers_index, prefetched):
    offers_with_terms_and_stores(partner=PartnerPageFactory(slug="velo-plus"))

    _, statements = both_ways(run_query, prefetched, PARTNER_OFFERS, {"slug": "velo-plus"})

    assert statements == 4  # the hidden sections and the partner, the hidden sections and its offers


def test_terms_asked_with_their_offer_count_keep_their_prefetch(run_query, offers_index, prefetched):
    offers_with_terms_and_stores()

    data, statements = both_ways(run_query, prefetched, OFFER_WITH_CATEGORY_COUNTS, {"slug": "offre-2"})

    assert statements == 4  # the hidden sections and the offer, the hidden sections and the categories' counts
    assert all(category["offerCount"] >= 1 for category in data["offer"]["categories"])


def test_inlined_rows_are_read_through_the_relations_managers_without_a_query(offers_index, django_assert_num_queries):
    offers_with_terms_and_stores()
    queryset = inline(
        OfferPage.objects.filter(slug="offre-2").prefetch_related(
            Prefetch("categories", queryset=OfferCategory.objects.only("slug")),
            Prefetch("stores", queryset=OfferStore.objects.only("name", "offer")),
        )
    )

    with django_assert_num_queries(1):
        offer = queryset.get()
        categories = [category.slug for category in offer.categories.all()]
        stores = list(offer.stores.all())
        parents = {store.offer for store in stores}

    assert len(categories) == 2
    assert [store.name for store in stores] == ["Magasin 2.0", "Magasin 2.1"]
    assert parents == {offer}


@pytest.mark.parametrize(
    "prefetch",
    [
        Prefetch("categories", queryset=OfferCategory.objects.filter(slug="sport")),
        Prefetch("categories", queryset=OfferCategory.objects.annotate(offers_count=Count("offers"))),
        Prefetch("categories", queryset=OfferCategory.objects.all(), to_attr="some_categories"),
        Prefetch("categories", queryset=OfferCategory.objects.order_by("?")),
        Prefetch("stores", queryset=OfferStore.objects.select_related("offer")),
        "categories",
    ],
    ids=["filtered", "annotated", "to_attr", "random order", "select_related", "plain lookup"],
)
def test_a_prefetch_that_inlining_would_change_is_kept(db, prefetch):
    queryset = OfferPage.objects.prefetch_related(prefetch)

    assert inline(queryset) is queryset


@pytest.mark.parametrize(
    "parent",
    [
        OfferPage.objects.distinct(),
        OfferPage.objects.annotate(stores_count=Count("stores")),
        OfferPage.objects.values(),
    ],
    ids=["distinct", "grouped", "values"],
)
def test_a_parent_whose_rows_could_not_carry_the_relation_keeps_its_prefetch(db, parent):
    queryset = parent.prefetch_related(Prefetch("categories", queryset=OfferCategory.objects.all()))

    assert inline(queryset) is queryset


def test_dates_and_times_come_back_exactly_as_a_prefetch_reads_them(offers_index, monkeypatch):
    monkeypatch.setattr(graphql_api.core.inline, "_INLINED", dict(graphql_api.core.inline._INLINED))
    inline_relation(OfferPage, "promo_codes")
    offer = OfferPageFactory(slug="codes")
    PromoCodeFactory(offer=offer, code="A", expires_on=datetime.date(2027, 1, 31))
    PromoCodeFactory(offer=offer, code="B", assigned_at=timezone.now().replace(microsecond=123456))
    lookup = Prefetch("promo_codes", queryset=PromoCode.objects.only("code", "expires_on", "assigned_at", "offer"))
    queryset = OfferPage.objects.filter(slug="codes").prefetch_related(lookup)

    inlined = inline(queryset).get().promo_codes.all()
    prefetched = queryset.get().promo_codes.all()

    def fields(codes):
        return sorted((c.pk, c.code, c.expires_on, c.assigned_at, c.offer_id) for c in codes)

    assert inline(queryset) is not queryset
    assert fields(inlined) == fields(prefetched)


def test_counting_an_inlined_queryset_reads_no_relation(offers_index):
    offers_with_terms_and_stores()
    queryset = inline(OfferPage.objects.prefetch_related(Prefetch("stores", queryset=OfferStore.objects.all())))

    with CaptureQueriesContext(connection) as statements:
        total = queryset.count()

    assert total == 4
    assert "json_agg" not in statements[0]["sql"]


def test_only_many_to_many_and_reverse_relations_can_be_inlined(db):
    with pytest.raises(TypeError, match="ni une relation plusieurs-à-plusieurs"):
        inline_relation(OfferPage, "partner")
