import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.cards.models import YoungPerson
from cms.cards.reminders import send_expiry_reminders, send_weekly_digests
from tests.factories.cards import CardFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.taxonomy import OfferCategoryFactory

pytestmark = pytest.mark.django_db

today = timezone.localdate


def expiring_card(days: int, *, consent: bool = True, **kwargs):
    card = CardFactory(young_person__expiry_reminders_consent_at=timezone.now() if consent else None, **kwargs)
    card.valid_until = today() + datetime.timedelta(days=days)
    card.save(update_fields=["valid_until"])
    return card


def unsubscribe_link(message) -> str:
    return message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")


def test_a_card_ending_within_thirty_days_is_reminded_once():
    card = expiring_card(20, young_person__email="lea@example.fr")
    expiring_card(45)

    first, again = send_expiry_reminders(), send_expiry_reminders()

    assert (first, again) == (1, 0)
    assert mail.outbox[0].to == ["lea@example.fr"]
    assert f"{card.valid_until:%d/%m/%Y}" in mail.outbox[0].body


def test_nobody_is_reminded_without_having_agreed():
    expiring_card(10, consent=False)

    assert send_expiry_reminders() == 0


def test_the_unsubscribe_link_withdraws_the_consent_in_one_click(client):
    card = expiring_card(10)
    send_expiry_reminders()

    response = client.get(unsubscribe_link(mail.outbox[0]))

    assert response.status_code == 200
    assert "Vous ne recevrez plus les rappels d&#x27;expiration" in response.content.decode()
    assert YoungPerson.objects.get(pk=card.young_person_id).expiry_reminders_consent_at is None


def test_a_forged_unsubscribe_link_is_refused_in_french(client):
    response = client.get("/carte/desabonnement/faux-jeton/")

    assert response.status_code == 400
    assert "Lien invalide" in response.content.decode()


def test_the_weekly_digest_lists_new_offers_matching_the_persons_interests_to_those_who_opted_in():
    culture = OfferCategoryFactory(label="Culture")
    reader = CardFactory(young_person__digest_consent_at=timezone.now()).young_person
    reader.offer_categories.set([culture])
    silent = CardFactory().young_person
    silent.offer_categories.set([culture])
    OfferPageFactory(title="Théâtre à 5 €", categories=[culture], first_published_at=timezone.now())
    OfferPageFactory(title="Pneus d'hiver", first_published_at=timezone.now())

    sent = send_weekly_digests()
    again = send_weekly_digests()

    assert (sent, again) == (1, 0)
    assert mail.outbox[0].to == [reader.email]
    assert "Théâtre à 5 €" in mail.outbox[0].body
    assert "Pneus d'hiver" not in mail.outbox[0].body
    assert "/carte/desabonnement/" in mail.outbox[0].body


def test_the_daily_command_sends_both(capsys):
    expiring_card(5)

    call_command("send_card_reminders")

    assert "1 rappel(s) d'expiration, 0 lettre(s)" in capsys.readouterr().out
