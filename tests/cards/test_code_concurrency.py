"""Codes handed out under concurrency, on PostgreSQL with committed data: many activations at once against a pool
smaller than the demand."""

import threading

import pytest
from django.db import connection

from cms.cards.activations import OUT_OF_CODES, ActivationRefused, activate_offer
from cms.cards.models import Activation
from cms.offers.models import OfferPage, PromoCode
from tests.factories.cards import CardFactory
from tests.factories.offers import OfferPageFactory

CALLERS = 30
CODES = 12


@pytest.mark.usefixtures("committed_db")
def test_every_code_is_handed_out_once_and_every_other_caller_is_told_there_are_none_left():
    offer = OfferPageFactory(kind=OfferPage.Kind.CODE, usage_rule=OfferPage.UsageRule.ONCE)
    PromoCode.objects.bulk_create(PromoCode(offer=offer, code=f"CJE-{n:04d}") for n in range(CODES))
    people = [CardFactory().young_person for _ in range(CALLERS)]
    start = threading.Barrier(CALLERS)
    results: list[str] = []
    lock = threading.Lock()

    def activate(person):
        try:
            start.wait()
            try:
                outcome = activate_offer(person, offer.pk).value
            except ActivationRefused as refused:
                outcome = refused.code
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=activate, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = [result for result in results if result.startswith("CJE-")]
    assert len(results) == CALLERS
    assert sorted(codes) == [f"CJE-{n:04d}" for n in range(CODES)]
    assert results.count(OUT_OF_CODES.code) == CALLERS - CODES
    assert Activation.objects.filter(promo_code__isnull=False).count() == CODES
    assert PromoCode.objects.filter(assigned_at__isnull=True).count() == 0
