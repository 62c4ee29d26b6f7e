"""The offers index follows what is above offers: view restrictions, unpublished parents, moves; and upcoming offers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.offers.models import OfferPage, OffersIndexPage
from tests.factories.offers import OfferPageFactory, PartnerPageFactory

from .conftest import pks


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens inside as if its transaction committed: announcements are delivered."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.mark.parametrize("how", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS])
def test_a_restriction_on_a_partner_takes_its_offers_out_and_its_removal_brings_them_back(
    backend, committed, search_offers, how
):
    with committed():
        offer = OfferPageFactory(title="Place de concert")
    with committed():
        restriction = PageViewRestriction.objects.create(page=offer.get_parent(), restriction_type=how, password="x")
    assert search_offers("concert").total == 0
    with committed():
        restriction.delete()
    assert pks(search_offers("concert")) == [offer.pk]


def test_unpublishing_the_offers_index_takes_every_offer_out_and_publishing_it_brings_them_back(
    backend, committed, search_offers
):
    with committed():
        offer = OfferPageFactory(title="Place de concert")
    index = OffersIndexPage.objects.get()
    with committed():
        index.unpublish()
    assert search_offers("concert").total == 0
    with committed():
        index.save_revision().publish()
    assert pks(search_offers("concert")) == [offer.pk]


def test_an_offer_moved_under_an_unpublished_partner_leaves_the_index_and_names_its_new_partner(
    backend, committed, search_offers
):
    with committed():
        offer = OfferPageFactory(title="Place de concert")
        hidden = PartnerPageFactory()
        hidden.unpublish()
    with committed():
        offer.move(hidden, pos="last-child")
    assert OfferPage.objects.get(pk=offer.pk).partner_id == hidden.pk
    assert search_offers("concert").total == 0


def test_an_upcoming_offer_is_indexed_and_found_from_its_first_day(backend, committed, search_offers, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with committed():
        offer = OfferPageFactory(title="Place de concert", valid_from=tomorrow)
    assert search_offers("concert").total == 0
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert pks(search_offers("concert")) == [offer.pk]
