"""The optimizer's plan of an operation's field is kept only when nothing in its sub-selection reads the request."""

from __future__ import annotations

import datetime

import pytest
import strawberry_django.optimizer
from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.offers.models import PartnerPage
from cms.taxonomy.models import Need, OfferCategory
from graphql_api.core.optimizer import PlanCache, plans
from tests.factories.images import ImageFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory

pytestmark = pytest.mark.skipif(not settings.GRAPHQL_FAST_PATH, reason="the fast path is off (GRAPHQL_FAST_PATH)")

OFFER_DETAIL = """
query OfferDetail($slug: String!) {
  offer(slug: $slug) {
    title
    partner { title }
    categories { slug }
    needs { slug }
    stores { name }
  }
}
"""

OFFER_WITH_FRAGMENT = """
query OfferWithFragment($slug: String!) {
  offer(slug: $slug) { ...Detail }
}
fragment Detail on Offer { title stores { name } partner { logo { rendition(width: 160) { url } } } }
"""

OFFERS_MAYBE_WITH_STORES = """
query Offers($withStores: Boolean!) {
  offers(first: 5) { edges { node { title stores @include(if: $withStores) { name } } } }
}
"""

OFFER_WITH_CATEGORY_COUNTS = """
query OfferWithCounts($slug: String!) {
  offer(slug: $slug) { title categories { slug offerCount } }
}
"""

OFFER_WITH_RENDITION_WIDTH = """
query OfferWithRendition($slug: String!, $width: Int!) {
  offer(slug: $slug) { title partner { logo { rendition(width: $width) { url } } } }
}
"""

PARTNER_OFFERS = """
query PartnerOffers($slug: String!) {
  partner(slug: $slug) { title offers { title } }
}
"""


@pytest.fixture(autouse=True)
def no_kept_plans():
    """Each test starts from an empty plan cache (it is process-wide, shared with the other tests)."""
    plans.clear()
    yield
    plans.clear()


@pytest.fixture
def planning(monkeypatch) -> list[str]:
    """Records each model the optimizer walks a selection for (one call per type planned)."""
    walks: list[str] = []
    walk = strawberry_django.optimizer._get_model_hints

    def counting(model, *args, **kwargs):
        walks.append(model.__name__)
        return walk(model, *args, **kwargs)

    monkeypatch.setattr(strawberry_django.optimizer, "_get_model_hints", counting)
    return walks


def offer_with_relations(slug: str, store: str, category: OfferCategory, need: Need):
    offer = OfferPageFactory(slug=slug, parent=PartnerPageFactory(title=f"Partenaire de {slug}"))
    offer.categories.add(category)
    offer.needs.add(need)
    offer.save()
    OfferStoreFactory(offer=offer, name=store)
    return offer


def kept(run_query, query: str, variables: dict) -> list[bool]:
    """For each field planned while running ``query``: whether its plan was kept."""
    result = run_query(query, variables)
    assert result.errors == []
    return [store is not None for store in plans.stores()]


def test_an_operation_sent_again_is_not_planned_again(run_query, offers_index, planning):
    offer_with_relations("velo", "Vélo+ Bellecour", OfferCategory.objects.first(), Need.objects.first())

    first = run_query(OFFER_DETAIL, {"slug": "velo"})
    walks_of_the_first = len(planning)
    second = run_query(OFFER_DETAIL, {"slug": "velo"})

    assert walks_of_the_first > 0
    assert len(planning) == walks_of_the_first
    assert second.data == first.data


def test_a_kept_plan_answers_each_offer_with_its_own_relations(run_query, offers_index, django_assert_num_queries):
    categories = list(OfferCategory.objects.order_by("pk")[:2])
    needs = list(Need.objects.order_by("pk")[:2])
    offer_with_relations("velo", "Vélo+ Bellecour", categories[0], needs[0])
    offer_with_relations("cine", "Ciné Part-Dieu", categories[1], needs[1])

    run_query(OFFER_DETAIL, {"slug": "velo"})
    # graphql_api/core/inline.py; the sections hidden from the public are a subquery (cms/core/visibility.py)
    with django_assert_num_queries(1):
        cine = run_query(OFFER_DETAIL, {"slug": "cine"}).data["offer"]

    assert cine == {
        "title": cine["title"],
        "partner": {"title": "Partenaire de cine"},
        "categories": [{"slug": categories[1].slug}],
        "needs": [{"slug": needs[1].slug}],
        "stores": [{"name": "Ciné Part-Dieu"}],
    }


def test_a_kept_plan_is_left_untouched_by_the_requests_that_use_it(run_query, offers_index):
    offer = offer_with_relations("velo", "Vélo+ Bellecour", OfferCategory.objects.first(), Need.objects.first())
    PartnerPage.objects.filter(pk=offer.partner_id).update(logo=ImageFactory())
    run_query(OFFER_WITH_FRAGMENT, {"slug": "velo"})
    (store,) = plans.stores()
    prefetches = [lookup for lookup in store.prefetch_related if isinstance(lookup, Prefetch)]
    before = [(p.queryset.query.deferred_loading, dict(p.queryset._hints)) for p in prefetches]

    run_query(OFFER_WITH_FRAGMENT, {"slug": "velo"})
    run_query(OFFER_WITH_FRAGMENT, {"slug": "velo"})

    assert len(prefetches) == 1  # the logo's renditions
    assert [(p.queryset.query.deferred_loading, dict(p.queryset._hints)) for p in prefetches] == before
    assert all(p.queryset._result_cache is None and not p.queryset._hints for p in prefetches)


def test_a_kept_plan_prefetches_nothing_for_relations_read_inline(run_query, offers_index):
    offer_with_relations("velo", "Vélo+ Bellecour", OfferCategory.objects.first(), Need.objects.first())
    run_query(OFFER_DETAIL, {"slug": "velo"})

    (store,) = plans.stores()

    assert store.prefetch_related == []
    assert sorted(store.annotate) == ["inlined_categories", "inlined_needs", "inlined_stores"]


def test_a_selection_that_names_only_the_data_asked_for_is_kept(run_query, offers_index):
    offer_with_relations("velo", "Vélo+ Bellecour", OfferCategory.objects.first(), Need.objects.first())

    assert kept(run_query, OFFER_DETAIL, {"slug": "velo"}) == [True]


def test_fragments_and_literal_rendition_sizes_keep_the_plan(run_query, offers_index):
    offer_with_relations("velo", "Vélo+ Bellecour", OfferCategory.objects.first(), Need.objects.first())

    assert kept(run_query, OFFER_WITH_FRAGMENT, {"slug": "velo"}) == [True]


def test_a_rendition_size_given_by_a_variable_is_planned_on_every_request(run_query, offers_index):
    offer_with_relations("velo", "Vélo+ Bellecour", OfferCategory.objects.first(), Need.objects.first())

    assert kept(run_query, OFFER_WITH_RENDITION_WIDTH, {"slug": "velo", "width": 160}) == [False]


def test_counts_of_valid_offers_are_planned_on_every_request_since_they_carry_the_date(run_query, offers_index):
    offer_with_relations("velo", "Vélo+ Bellecour", OfferCategory.objects.first(), Need.objects.first())

    assert kept(run_query, OFFER_WITH_CATEGORY_COUNTS, {"slug": "velo"}) == [False]


def test_a_selection_under_include_follows_the_variables_of_each_request(run_query, offers_index):
    for index in range(5):
        offer_with_relations(f"offre-{index}", f"Magasin {index}", OfferCategory.objects.first(), Need.objects.first())
    with CaptureQueriesContext(connection) as planned_with_stores:
        run_query(OFFERS_MAYBE_WITH_STORES, {"withStores": True})
    plans.clear()

    without = run_query(OFFERS_MAYBE_WITH_STORES, {"withStores": False})
    with CaptureQueriesContext(connection) as after_a_request_without:
        with_stores = run_query(OFFERS_MAYBE_WITH_STORES, {"withStores": True})

    assert "stores" not in without.data["offers"]["edges"][0]["node"]
    assert {len(edge["node"]["stores"]) for edge in with_stores.data["offers"]["edges"]} == {1}
    assert len(after_a_request_without) == len(planned_with_stores)
    assert plans.stores() == [None]


def test_the_offers_of_a_partner_follow_the_date_of_each_request(run_query, offers_index, monkeypatch):
    partner = PartnerPageFactory(slug="velo-plus")
    today = timezone.localdate()
    OfferPageFactory(parent=partner, title="Jusqu'à ce soir", valid_until=today)
    OfferPageFactory(parent=partner, title="Tout l'hiver", valid_until=today + datetime.timedelta(days=90))

    on_the_day = run_query(PARTNER_OFFERS, {"slug": "velo-plus"})
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    the_day_after = run_query(PARTNER_OFFERS, {"slug": "velo-plus"})

    assert sorted(o["title"] for o in on_the_day.data["partner"]["offers"]) == ["Jusqu'à ce soir", "Tout l'hiver"]
    assert [o["title"] for o in the_day_after.data["partner"]["offers"]] == ["Tout l'hiver"]
    assert plans.stores() == [None]


def test_the_plan_cache_forgets_the_least_recently_used_plan_first():
    cache = PlanCache(maxsize=2)
    cache.put(("a",), "plan a")
    cache.put(("b",), "plan b")
    cache.get(("a",))
    cache.put(("c",), "plan c")

    assert cache.get(("b",)) is None
    assert (cache.get(("a",)), cache.get(("c",))) == ("plan a", "plan c")
    assert len(cache) == 2
