"""The people of the card and their cards: a referent, a young person, a card in any status."""

import datetime

import factory
from django.utils import timezone

from cms.cards import lifecycle
from cms.cards.models import Card, CardStatus, RecommendationProfile, Referent, YoungPerson
from tests.factories.taxonomy import ProgrammeFactory

from .base import ModelFactory


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


class ReferentFactory(ModelFactory):
    class Meta:
        model = Referent

    email = factory.Sequence(lambda n: f"referent{n}@mission-locale.example.fr")
    first_name = "Sophie"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    structure_kind = Referent.StructureKind.MISSION_LOCALE
    structure_name = "Mission locale de Lyon"
    structure_department = "69"


class YoungPersonFactory(ModelFactory):
    """A 20-year-old with a complete profile, in a programme ending in six months, followed by a referent."""

    class Meta:
        model = YoungPerson
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"jeune{n}@example.fr")
    first_name = "Léa"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    birth_date = factory.LazyFunction(lambda: years_ago(20))
    programme = factory.SubFactory(ProgrammeFactory)
    programme_end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    referent = factory.SubFactory(ReferentFactory)
    postcode = "69002"
    city = "Lyon"
    terms_accepted_at = factory.LazyFunction(timezone.now)


def card_for(person: YoungPerson, status: str = CardStatus.ACTIVE) -> Card:
    """The card of ``person`` brought to ``status`` through the lifecycle, as it would be in real life."""
    card = lifecycle.invite(person, lifecycle.SYSTEM)
    if status == CardStatus.INVITED:
        return card
    person.first_signed_in_at = timezone.now()
    person.save(update_fields=["first_signed_in_at"])
    card = lifecycle.activate(card)
    if status == CardStatus.SUSPENDED:
        card = lifecycle.suspend(card, lifecycle.SYSTEM, "Absences répétées")
    elif status == CardStatus.EXPIRED:
        card = lifecycle.expire(card)
    return card


class CardFactory(ModelFactory):
    """``CardFactory(status="suspended")``: a young person and their card in that status, with its history."""

    class Meta:
        model = Card

    young_person = factory.SubFactory(YoungPersonFactory)
    status = CardStatus.ACTIVE

    @classmethod
    def _create(cls, model_class, young_person, status=CardStatus.ACTIVE, **kwargs):
        return card_for(young_person, status)


class RecommendationProfileFactory(ModelFactory):
    """What a young person told the mission recommendation: 20 km around them, to find their way, remote accepted."""

    class Meta:
        model = RecommendationProfile

    young_person = factory.SubFactory(YoungPersonFactory)
    radius_km = 20
    intent = "find_my_way"
    remote_accepted = True
