"""The offer catalogue: filters, one offer by slug, and what never appears (drafts, expired offers)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cms.offers.models import OfferPage
from cms.taxonomy.models import Need, OfferCategory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory

OFFER_TITLES = """
query Offers($filters: OfferFilter, $ordering: [OfferOrder!]) {
  offers(first: 100, filters: $filters, ordering: $ordering) { totalCount edges { node { title } } }
}
"""

OFFER_BY_SLUG = """
query Offer($slug: String!) {
  offer(slug: $slug) {
    title kind channel discountType
    partner { title }
    stores { name city }
    conditions { __typename ... on BulletBlock { text } ... on ParagraphBlock { html } }
    howToUse { title html }
  }
}
"""


def titles(result) -> list[str]:
    assert result.errors == []
    return sorted(edge["node"]["title"] for edge in result.data["offers"]["edges"])


def test_offers_lists_live_valid_offers(run_query, offers_index):
    OfferPageFactory(title="Valable")

    assert titles(run_query(OFFER_TITLES)) == ["Valable"]


def test_offers_never_lists_an_expired_offer(run_query, offers_index):
    OfferPageFactory(title="Expirée", valid_until=timezone.localdate() - datetime.timedelta(days=1))

    assert titles(run_query(OFFER_TITLES)) == []


def test_offers_never_lists_an_unpublished_offer(run_query, offers_index):
    offer = OfferPageFactory(title="Dépubliée")
    offer.unpublish()

    assert titles(run_query(OFFER_TITLES)) == []


def test_offers_never_lists_the_offers_of_an_unpublished_partner(run_query, offers_index):
    partner = PartnerPageFactory()
    OfferPageFactory(parent=partner, title="Partenaire dépublié")
    partner.unpublish()

    assert titles(run_query(OFFER_TITLES)) == []


def test_offers_filter_by_category_slug(run_query, offers_index):
    category = OfferCategory.objects.order_by("pk").first()
    chosen = OfferPageFactory(title="Dans la catégorie")
    chosen.categories.add(category)
    chosen.save()
    OfferPageFactory(title="Ailleurs")

    result = run_query(OFFER_TITLES, {"filters": {"category": [category.slug]}})

    assert titles(result) == ["Dans la catégorie"]


def test_offers_filter_by_need_slug(run_query, offers_index):
    need = Need.objects.order_by("pk").first()
    chosen = OfferPageFactory(title="Pour ce besoin")
    chosen.needs.add(need)
    chosen.save()
    OfferPageFactory(title="Autre besoin")

    assert titles(run_query(OFFER_TITLES, {"filters": {"need": [need.slug]}})) == ["Pour ce besoin"]


def test_offers_filter_by_partner_slug(run_query, offers_index):
    OfferPageFactory(title="Chez Vélo+", parent=PartnerPageFactory(slug="velo-plus"))
    OfferPageFactory(title="Chez un autre")

    assert titles(run_query(OFFER_TITLES, {"filters": {"partner": "velo-plus"}})) == ["Chez Vélo+"]


def test_offers_filter_by_kind_and_channel(run_query, offers_index):
    OfferPageFactory(
        title="Lien en ligne",
        kind=OfferPage.Kind.LINK,
        channel=OfferPage.Channel.ONLINE,
        link_url="https://www.example.fr/offre",
    )
    OfferPageFactory(title="Carte en magasin", kind=OfferPage.Kind.CARD, channel=OfferPage.Channel.IN_STORE)

    result = run_query(OFFER_TITLES, {"filters": {"kind": "LINK", "channel": "ONLINE"}})

    assert titles(result) == ["Lien en ligne"]


def test_offers_filter_nationwide(run_query, offers_index):
    OfferPageFactory(title="Partout", nationwide=True)
    OfferPageFactory(title="Local", nationwide=False)

    assert titles(run_query(OFFER_TITLES, {"filters": {"nationwide": False}})) == ["Local"]


def test_offers_filter_currently_valid_keeps_offers_valid_today(run_query, offers_index):
    OfferPageFactory(title="Valable")

    assert titles(run_query(OFFER_TITLES, {"filters": {"currentlyValid": True}})) == ["Valable"]


def test_offers_near_a_point_keep_offers_with_a_store_within_the_radius(run_query, offers_index):
    lyon = OfferPageFactory(title="Magasin à Lyon", nationwide=False)
    OfferStoreFactory(offer=lyon, latitude=45.7578, longitude=4.8320)
    marseille = OfferPageFactory(title="Magasin à Marseille", nationwide=False)
    OfferStoreFactory(offer=marseille, city="Marseille", latitude=43.2965, longitude=5.3698)

    near_lyon = {"near": {"latitude": 45.76, "longitude": 4.84, "radiusKm": 20}}

    assert titles(run_query(OFFER_TITLES, {"filters": near_lyon})) == ["Magasin à Lyon"]


def test_offers_near_me_or_nationwide_combines_both_with_or(run_query, offers_index):
    OfferPageFactory(title="Partout", nationwide=True)
    marseille = OfferPageFactory(title="Magasin à Marseille", nationwide=False)
    OfferStoreFactory(offer=marseille, city="Marseille", latitude=43.2965, longitude=5.3698)
    near_lyon = {"near": {"latitude": 45.76, "longitude": 4.84, "radiusKm": 20}}

    result = run_query(OFFER_TITLES, {"filters": {"nationwide": True, "OR": near_lyon}})

    assert titles(result) == ["Partout"]


def test_offers_near_with_a_radius_over_the_limit_is_refused(run_query, offers_index):
    near = {"near": {"latitude": 45.76, "longitude": 4.84, "radiusKm": 5000}}

    result = run_query(OFFER_TITLES, {"filters": near})

    assert result.codes == ["BAD_USER_INPUT"]
    assert "rayon" in result.errors[0].message


def test_offers_ordering_by_title_descending(run_query, offers_index):
    OfferPageFactory(title="A")
    OfferPageFactory(title="B")

    result = run_query(OFFER_TITLES, {"ordering": [{"title": "DESC"}]})

    assert [edge["node"]["title"] for edge in result.data["offers"]["edges"]] == ["B", "A"]


def test_offer_by_slug_returns_partner_stores_and_conditions(run_query, offers_index):
    offer = OfferPageFactory(
        slug="velo-moins-cher",
        parent=PartnerPageFactory(title="Vélo+"),
        conditions=[("bullet", "Sur présentation de la carte"), ("paragraph", "<p>Hors <b>promotions</b></p>")],
        how_to_use=[("step", {"title": "Montrez la carte", "text": "<p>En caisse</p>"})],
    )
    OfferStoreFactory(offer=offer, name="Vélo+ Bellecour")

    result = run_query(OFFER_BY_SLUG, {"slug": "velo-moins-cher"})

    assert result.errors == []
    data = result.data["offer"]
    assert data["partner"] == {"title": "Vélo+"}
    assert data["kind"] == "CARD"
    assert data["stores"] == [{"name": "Vélo+ Bellecour", "city": "Lyon"}]
    assert data["conditions"] == [
        {"__typename": "BulletBlock", "text": "Sur présentation de la carte"},
        {"__typename": "ParagraphBlock", "html": "<p>Hors <b>promotions</b></p>"},
    ]
    assert data["howToUse"] == [{"title": "Montrez la carte", "html": "<p>En caisse</p>"}]


def test_offer_that_expired_is_not_found(run_query, offers_index):
    OfferPageFactory(slug="perimee", valid_until=timezone.localdate() - datetime.timedelta(days=1))

    result = run_query(OFFER_BY_SLUG, {"slug": "perimee"})

    assert result.data is None
    assert result.codes == ["NOT_FOUND"]
