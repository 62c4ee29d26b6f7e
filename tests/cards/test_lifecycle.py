import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from cms.cards import lifecycle
from cms.cards.models import CardEvent, CardStatus
from tests.factories.cards import CardFactory, ReferentFactory, YoungPersonFactory, years_ago
from tests.factories.users import EditorFactory

pytestmark = pytest.mark.django_db

today = timezone.localdate


def test_an_invited_person_gets_a_card_valid_until_the_end_of_the_programme_plus_the_grace_period(settings):
    settings.CARDS_GRACE_DAYS = 30
    person = YoungPersonFactory(programme_end_date=today() + datetime.timedelta(days=10))

    card = lifecycle.invite(person, lifecycle.SYSTEM)

    assert card.status == CardStatus.INVITED
    assert card.valid_until == today() + datetime.timedelta(days=40)
    assert card.number.startswith("CJE-")


def test_a_resent_invitation_keeps_the_same_card_and_records_it():
    person = YoungPersonFactory()
    first = lifecycle.invite(person, lifecycle.SYSTEM)

    again = lifecycle.invite(person, lifecycle.SYSTEM)

    assert again.pk == first.pk
    assert list(again.events.values_list("action", flat=True)) == ["invited", "invited"]


def test_a_card_cannot_be_activated_before_the_profile_is_complete():
    card = CardFactory(status=CardStatus.INVITED, young_person__terms_accepted_at=None)

    with pytest.raises(lifecycle.TransitionRefused, match="Complétez votre profil"):
        lifecycle.activate(card)


def test_suspending_records_who_when_and_why():
    referent = ReferentFactory()
    card = CardFactory(young_person__referent=referent)

    lifecycle.suspend(card, lifecycle.by_referent(referent), "Absences répétées")

    event = card.events.last()
    assert (card.status, event.action, event.actor_kind, event.actor_referent, event.reason) == (
        CardStatus.SUSPENDED,
        CardEvent.Action.SUSPENDED,
        CardEvent.ActorKind.REFERENT,
        referent,
        "Absences répétées",
    )
    assert event.from_status == CardStatus.ACTIVE


def test_suspending_without_a_reason_is_refused_in_french():
    card = CardFactory()

    with pytest.raises(lifecycle.TransitionRefused, match="Indiquez le motif"):
        lifecycle.suspend(card, lifecycle.SYSTEM, "  ")


def test_an_expired_card_cannot_be_suspended():
    card = CardFactory(status=CardStatus.EXPIRED)

    with pytest.raises(lifecycle.TransitionRefused, match="Seule une carte active ou invitée"):
        lifecycle.suspend(card, lifecycle.SYSTEM, "Motif")


def test_an_expired_card_comes_back_only_when_the_programme_is_extended():
    card = CardFactory(young_person__programme_end_date=today() - datetime.timedelta(days=60))
    lifecycle.expire(card)
    staff = lifecycle.staff(EditorFactory())

    with pytest.raises(lifecycle.TransitionRefused, match="prolongez"):
        lifecycle.reactivate(card, staff, "Prolongation")
    card = lifecycle.reactivate(card, staff, "Prolongation", programme_end_date=today() + datetime.timedelta(days=90))

    assert card.status == CardStatus.ACTIVE
    assert card.young_person.programme_end_date == today() + datetime.timedelta(days=90)
    assert card.events.last().action == CardEvent.Action.REACTIVATED


def test_the_daily_command_expires_only_cards_past_their_validity(settings):
    settings.CARDS_GRACE_DAYS = 5
    over = CardFactory(young_person__programme_end_date=today() - datetime.timedelta(days=6))
    in_grace = CardFactory(young_person__programme_end_date=today() - datetime.timedelta(days=5))
    suspended_over = CardFactory(
        status=CardStatus.SUSPENDED, young_person__programme_end_date=today() - datetime.timedelta(days=30)
    )

    call_command("expire_cards", stdout=open("/dev/null", "w"))

    for card in (over, in_grace, suspended_over):
        card.refresh_from_db()
    assert [over.status, in_grace.status, suspended_over.status] == ["expired", "active", "expired"]
    assert over.events.last().actor_kind == CardEvent.ActorKind.SYSTEM


@pytest.mark.parametrize("age", [17, 26])
def test_people_outside_the_age_limits_are_refused(age):
    person = YoungPersonFactory.build(birth_date=years_ago(age), programme=None, referent=None)

    with pytest.raises(ValidationError) as error:
        person.clean()

    assert error.value.message_dict["birth_date"] == ["La carte est réservée aux jeunes de 18 à 25 ans."]


def test_the_age_limits_are_settings(settings):
    settings.CARDS_MAX_AGE = 30
    person = YoungPersonFactory.build(birth_date=years_ago(28), programme=None, referent=None)

    person.clean()


def test_a_new_programme_end_date_moves_the_validity_of_a_card_that_has_not_expired(settings):
    settings.CARDS_GRACE_DAYS = 30
    card = CardFactory()
    person = card.young_person

    person.programme_end_date = today() + datetime.timedelta(days=400)
    person.save()

    card.refresh_from_db()
    assert card.valid_until == today() + datetime.timedelta(days=430)


def test_an_expired_card_keeps_its_validity_until_reactivated():
    card = CardFactory(status=CardStatus.EXPIRED)
    before = card.valid_until
    person = card.young_person

    person.programme_end_date = today() + datetime.timedelta(days=400)
    person.save()

    card.refresh_from_db()
    assert card.valid_until == before
