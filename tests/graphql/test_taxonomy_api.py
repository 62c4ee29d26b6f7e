"""Vocabularies for filter menus, with counts of what is public today."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cms.missions.models import Mission
from cms.taxonomy.models import Domain, OfferCategory
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory

TAXONOMY = """
{
  domains { slug missionCount }
  programmes { slug missionCount minAge maxAge }
  offerCategories { slug offerCount }
  needs { slug offerCount }
}
"""


def _by_slug(items: list[dict], slug: str) -> dict:
    return next(item for item in items if item["slug"] == slug)


def test_domain_mission_count_only_counts_public_missions(run_query):
    MissionFactory()
    MissionFactory(moderation_status=Mission.Moderation.REFUSED, moderation_reason="Doublon")
    MissionFactory().archive()

    data = run_query(TAXONOMY).data

    assert _by_slug(data["domains"], "education")["missionCount"] == 1
    assert _by_slug(data["programmes"], "service-civique")["missionCount"] == 1


def test_offer_category_count_only_counts_valid_offers(run_query, offers_index):
    category = OfferCategory.objects.order_by("pk").first()
    valid = OfferPageFactory()
    expired = OfferPageFactory(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    for offer in (valid, expired):
        offer.categories.add(category)
        offer.save()

    data = run_query(TAXONOMY).data

    assert _by_slug(data["offerCategories"], category.slug)["offerCount"] == 1


def test_vocabularies_are_listed_in_their_editorial_order(run_query):
    data = run_query(TAXONOMY).data

    assert [d["slug"] for d in data["domains"]] == list(Domain.objects.values_list("slug", flat=True))
    assert len(data["domains"]) > 1
