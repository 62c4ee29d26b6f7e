"""The card's daily aggregates: activations and savings per day, partner, offer and category; active cards per day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cms.cards.activations import activate_offer, mark_used
from cms.cards.aggregates import aggregate_activations_day, aggregate_cards
from cms.cards.models import Activation, ActivationDailyStat, CardDailyStat, CardStatus
from tests.factories.cards import CardFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.taxonomy import OfferCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(offers_index):
    offer = OfferPageFactory(estimated_saving=Decimal("8.50"))
    offer.categories.add(OfferCategoryFactory(slug="alimentation", label="Alimentation"))
    offer.save()
    return offer


def test_a_day_s_activations_are_summed_with_declared_savings_replacing_estimates(offer):
    first, second = CardFactory().young_person, CardFactory().young_person
    activate_offer(first, offer.pk)
    mark_used(second, activate_offer(second, offer.pk).pk, Decimal("20"))

    aggregate_activations_day(timezone.localdate())

    row = ActivationDailyStat.objects.get()
    assert (row.partner_id, row.offer_id, row.category_id) == (offer.partner_id, offer.pk, offer.categories.get().pk)
    assert (row.activations, row.used, row.saving) == (2, 1, Decimal("28.50"))


def test_recomputing_a_day_gives_the_same_rows(offer):
    activate_offer(CardFactory().young_person, offer.pk)
    today = timezone.localdate()

    aggregate_activations_day(today)
    aggregate_activations_day(today)

    assert ActivationDailyStat.objects.count() == 1


def test_a_saving_declared_later_updates_the_day_of_its_activation(offer):
    person = CardFactory().young_person
    activation = activate_offer(person, offer.pk)
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    Activation.objects.filter(pk=activation.pk).update(created_at=ten_days_ago, updated_at=ten_days_ago)
    aggregate_activations_day(timezone.localdate(ten_days_ago))

    mark_used(person, activation.pk, Decimal("3"))
    aggregate_cards(timezone.localdate())

    assert ActivationDailyStat.objects.get(day=timezone.localdate(ten_days_ago)).saving == Decimal("3.00")


def test_today_s_active_cards_are_counted(offers_index):
    CardFactory.create_batch(2)
    CardFactory(status=CardStatus.SUSPENDED)
    today = timezone.localdate()

    aggregate_cards(today)

    assert CardDailyStat.objects.get(day=today).active_cards == 2


def test_the_hourly_command_builds_the_card_s_aggregates_too(offer):
    from io import StringIO

    from django.core.management import call_command

    activate_offer(CardFactory().young_person, offer.pk)
    out = StringIO()

    call_command("tracking_aggregate", stdout=out)

    assert ActivationDailyStat.objects.get(day=timezone.localdate()).activations == 1
    assert CardDailyStat.objects.get(day=timezone.localdate()).active_cards == 1
    assert "1 lignes d'activations" in out.getvalue()
