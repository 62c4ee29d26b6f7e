"""What a young person gets when searching Carte jeune engagé offers, the same on every backend."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cms.offers.models import OfferPage
from cms.taxonomy.models import OfferCategory
from search.base import Near, Sort
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory

from .conftest import counts, pks

LYON = (45.7640, 4.8357)
VILLEURBANNE = (45.7719, 4.8902)
MARSEILLE = (43.2965, 5.3698)


def category(slug: str) -> OfferCategory:
    return OfferCategory.objects.get_or_create(slug=slug, defaults={"label": slug.capitalize()})[0]


def offer_in(categories: list[str], **kwargs) -> OfferPage:
    offer = OfferPageFactory(**kwargs)
    offer.categories.set([category(slug) for slug in categories])
    offer.save()
    return offer


def test_offers_are_found_by_their_subtitle_and_partner(reindex, search_offers):
    by_subtitle = OfferPageFactory(title="-10 %", subtitle="Abonnement de cinéma")
    by_partner = OfferPageFactory(
        title="-15 %", subtitle="Toute la boutique", parent=PartnerPageFactory(title="Cinémas Lumière")
    )
    OfferPageFactory(title="-5 %", subtitle="Courses")
    reindex()
    assert set(pks(search_offers("cinema"))) == {by_subtitle.pk, by_partner.pk}


@pytest.mark.parametrize(
    ("matching", "other", "filters"),
    [
        ({"kind": OfferPage.Kind.LINK, "link_url": "https://example.fr"}, {}, {"kind": ["link"]}),
        ({"channel": OfferPage.Channel.ONLINE}, {}, {"channel": ["online"]}),
        (
            {"valid_until": datetime.date(2099, 1, 1)},
            {"valid_until": datetime.date(2098, 1, 1)},
            {"valid_on": "2098-06-01"},
        ),
    ],
    ids=["kind", "channel", "valid-on"],
)
def test_an_offer_filter_keeps_only_the_offers_that_match_it(reindex, search_offers, matching, other, filters):
    wanted = OfferPageFactory(**matching)
    OfferPageFactory(**other)
    reindex()
    assert pks(search_offers(filters=filters)) == [wanted.pk]


def test_the_partner_filter_keeps_that_partner_offers(reindex, search_offers):
    partner = PartnerPageFactory()
    wanted = OfferPageFactory(parent=partner)
    OfferPageFactory()
    reindex()
    assert pks(search_offers(filters={"partner": [partner.pk]})) == [wanted.pk]


def test_category_and_need_filters_match_any_of_an_offer_values(reindex, search_offers):
    wanted = offer_in(["mobilite", "sport"])
    offer_in(["culture"])
    reindex()
    assert pks(search_offers(filters={"category": ["sport"]})) == [wanted.pk]


def test_the_category_facet_is_disjunctive(reindex, search_offers):
    offer_in(["mobilite", "sport"])
    offer_in(["sport"])
    offer_in(["culture"])
    reindex()
    result = search_offers(filters={"category": ["culture"]})
    assert result.total == 1
    assert counts(result, "category") == {"sport": 2, "culture": 1, "mobilite": 1}


def test_channel_and_partner_facets_count_all_matches(reindex, search_offers):
    partner = PartnerPageFactory()
    OfferPageFactory.create_batch(2, parent=partner, channel=OfferPage.Channel.ONLINE)
    OfferPageFactory(parent=partner)
    reindex()
    result = search_offers(first=1)
    assert counts(result, "channel") == {"online": 2, "in_store": 1}
    assert counts(result, "partner") == {str(partner.pk): 3}


def test_an_offer_is_near_when_any_store_is_inside_and_nationwide_ones_join_when_asked(reindex, search_offers):
    local = OfferStoreFactory(offer__nationwide=False, latitude=VILLEURBANNE[0], longitude=VILLEURBANNE[1]).offer
    OfferStoreFactory(offer=local, latitude=MARSEILLE[0], longitude=MARSEILLE[1])
    OfferStoreFactory(offer__nationwide=False, latitude=MARSEILLE[0], longitude=MARSEILLE[1])
    nationwide = OfferPageFactory(nationwide=True)
    reindex()
    near = Near(*LYON, radius_km=15)
    assert pks(search_offers(near=near, sort=Sort.DISTANCE)) == [local.pk]
    result = search_offers(near=near, include_everywhere=True, sort=Sort.DISTANCE)
    assert pks(result) == [local.pk, nationwide.pk]
    assert [round(h.distance_km) if h.distance_km is not None else None for h in result.hits] == [4, None]


@pytest.mark.parametrize(
    "hidden",
    [
        {"live": False},
        {"valid_until": datetime.date(2020, 1, 1), "valid_from": datetime.date(2019, 1, 1)},
        {"valid_from": datetime.date(2099, 1, 1), "valid_until": None},
    ],
    ids=["draft", "expired", "not-yet-valid"],
)
def test_only_live_currently_valid_offers_are_found(reindex, search_offers, hidden):
    visible = OfferPageFactory(title="Réduction vélo")
    OfferPageFactory(title="Réduction vélo", **hidden)
    reindex()
    assert pks(search_offers("velo")) == [visible.pk]


def test_offers_of_an_unpublished_partner_are_not_found(reindex, search_offers):
    partner = PartnerPageFactory()
    OfferPageFactory(parent=partner)
    partner.unpublish()
    reindex()
    assert search_offers().total == 0


def test_offers_sort_by_start_of_validity(reindex, search_offers):
    today = timezone.localdate()
    recent = OfferPageFactory(valid_from=today - datetime.timedelta(days=1))
    older = OfferPageFactory(valid_from=today - datetime.timedelta(days=30))
    reindex()
    assert pks(search_offers(sort=Sort.START_DATE)) == [older.pk, recent.pk]
