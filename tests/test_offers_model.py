import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.offers.models import OfferPage
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory
from tests.validation import validation_errors

pytestmark = pytest.mark.django_db


def test_an_offer_knows_its_partner_from_its_place_in_the_tree():
    partner = PartnerPageFactory()
    offer = OfferPageFactory(parent=partner)
    assert offer.partner_id == partner.pk


def test_public_offers_exclude_drafts_expired_future_and_unpublished_partners():
    visible = OfferPageFactory()
    OfferPageFactory(live=False)
    OfferPageFactory(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    OfferPageFactory(valid_from=timezone.localdate() + datetime.timedelta(days=3))
    hidden_partner = PartnerPageFactory(live=False)
    OfferPageFactory(parent=hidden_partner)
    assert list(OfferPage.objects.public()) == [visible]


def test_public_offers_from_the_manager_follow_the_day_of_each_call(monkeypatch):
    today = timezone.localdate()
    OfferPageFactory(title="Jusqu'à ce soir", valid_until=today)
    OfferPageFactory(title="Dès demain", valid_from=today + datetime.timedelta(days=1))

    on_the_day = [offer.title for offer in OfferPage.objects.public()]
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    the_day_after = [offer.title for offer in OfferPage.objects.public()]

    assert (on_the_day, the_day_after) == (["Jusqu'à ce soir"], ["Dès demain"])


def test_narrowing_public_offers_leaves_the_next_call_whole():
    OfferPageFactory(slug="velo")
    OfferPageFactory(slug="cine")

    narrowed = OfferPage.objects.public().filter(slug="velo").order_by("-pk")

    assert [offer.slug for offer in narrowed] == ["velo"]
    assert sorted(offer.slug for offer in OfferPage.objects.public()) == ["cine", "velo"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"discount_type": OfferPage.DiscountType.PERCENT, "discount_value": Decimal("120")}, "discount_value"),
        ({"discount_type": OfferPage.DiscountType.AMOUNT, "discount_value": None}, "discount_value"),
        ({"kind": OfferPage.Kind.LINK, "link_url": ""}, "link_url"),
        ({"kind": OfferPage.Kind.VOUCHER, "barcode_value": ""}, "barcode_value"),
        ({"usage_rule": OfferPage.UsageRule.EVERY_N_DAYS, "usage_interval_days": None}, "usage_interval_days"),
        ({"valid_from": datetime.date(2026, 6, 1), "valid_until": datetime.date(2026, 5, 1)}, "valid_until"),
    ],
)
def test_an_inconsistent_offer_is_refused_on_the_right_field(changes, field):
    offer = OfferPageFactory.build(**changes)
    with pytest.raises(ValidationError) as excinfo:
        offer.clean()
    assert field in excinfo.value.message_dict


def test_a_free_offer_needs_no_discount_value():
    offer = OfferPageFactory.build(discount_type=OfferPage.DiscountType.FREE, discount_value=None)
    assert validation_errors(offer.clean) == {}


def test_a_store_gets_its_department_from_its_postcode():
    assert OfferStoreFactory(postcode="20000", city="Ajaccio").department_code == "2A"


@pytest.mark.parametrize("restriction_type", ["password", "login", "groups"])
def test_public_offers_exclude_those_below_a_view_restriction_of_any_kind(restriction_type):
    from wagtail.models import PageViewRestriction

    visible = OfferPageFactory()
    restricted_partner = PartnerPageFactory()
    OfferPageFactory(parent=restricted_partner)
    PageViewRestriction.objects.create(page=restricted_partner, restriction_type=restriction_type, password="x")
    assert list(OfferPage.objects.public()) == [visible]


def test_public_offers_exclude_those_whose_partner_link_left_the_tree():
    visible = OfferPageFactory()
    moved = OfferPageFactory(parent=visible.get_parent())
    OfferPage.objects.filter(pk=moved.pk).update(partner=PartnerPageFactory())
    assert list(OfferPage.objects.public()) == [visible]
