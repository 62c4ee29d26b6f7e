"""Demo people of the Carte jeune engagé: a referent, young people in every card status, and their activations.

Everyone goes through the real lifecycle (``cms.cards.lifecycle``) and the real activation
(``cms.cards.activations``), so their history and savings read as in real life. They sign in with their contact
(``requestSignInCode``): in the demo the code is printed in the server's console (e-mails and SMS go there).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cms.cards import lifecycle
from cms.cards.activations import ActivationRefused, activate_offer, mark_used
from cms.cards.models import Referent, YoungPerson
from cms.offers.models import OfferPage
from cms.taxonomy.models import OfferCategory, Programme

REFERENT_EMAIL = "conseillere@mission-locale.example"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    status: str  # the card's status to reach, in the lifecycle's words
    label: str  # in French, as printed


PEOPLE = (
    DemoPerson("lea.active@tremplin.example", "Léa", "Moreau", "active", "carte active, avec des activations"),
    DemoPerson("tom.invite@tremplin.example", "Tom", "Petit", "invited", "carte invitée, profil à compléter"),
    DemoPerson("ines.suspendue@tremplin.example", "Inès", "Benali", "suspended", "carte suspendue"),
    DemoPerson("hugo.expire@tremplin.example", "Hugo", "Lefèvre", "expired", "carte expirée"),
    DemoPerson("sarah.reactivee@tremplin.example", "Sarah", "Diallo", "reactivated", "carte réactivée"),
)


def card_sign_ins() -> list[tuple[str, str]]:
    """(who, contact) of the demo's card accounts, for ``seed_demo`` to print; empty before they are seeded."""
    if not Referent.objects.filter(email=REFERENT_EMAIL).exists():
        return []
    return [("référente (Mission locale de Lyon)", REFERENT_EMAIL)] + [
        (f"jeune, {person.label}", person.email) for person in PEOPLE
    ]


def reset_cards() -> None:
    YoungPerson.objects.filter(email__in=[person.email for person in PEOPLE]).delete()
    Referent.objects.filter(email=REFERENT_EMAIL).delete()


def _birth_date(today: datetime.date, years: int) -> datetime.date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


def seed_cards(today: datetime.date) -> dict[str, int]:
    referent = Referent.objects.create(
        email=REFERENT_EMAIL,
        first_name="Claire",
        last_name="Bernard",
        structure_kind=Referent.StructureKind.MISSION_LOCALE,
        structure_name="Mission locale de Lyon",
        structure_department="69",
    )
    programme = Programme.objects.filter(slug="service-civique").first() or Programme.objects.order_by("pk").first()
    staff = lifecycle.by_referent(referent)
    categories = list(OfferCategory.objects.order_by("position", "pk")[:3])
    activations = 0
    for age, person_data in enumerate(PEOPLE, start=19):
        ended = person_data.status == "expired"
        person = YoungPerson.objects.create(
            email=person_data.email,
            first_name=person_data.first_name,
            last_name=person_data.last_name,
            birth_date=_birth_date(today, age),
            programme=programme,
            programme_end_date=today + datetime.timedelta(days=-60 if ended else 150),
            referent=referent,
            postcode="" if person_data.status == "invited" else "69003",
            city="" if person_data.status == "invited" else "Lyon",
            terms_accepted_at=None if person_data.status == "invited" else timezone.now(),
            expiry_reminders_consent_at=timezone.now(),
        )
        person.offer_categories.set(categories)
        card = lifecycle.invite(person, staff)
        if person_data.status == "invited":
            continue
        person.first_signed_in_at = timezone.now()
        person.save(update_fields=["first_signed_in_at"])
        card = lifecycle.activate(card)
        if person_data.status == "active":
            activations += _activate_some_offers(person)
        elif person_data.status in ("suspended", "reactivated"):
            card = lifecycle.suspend(card, staff, "Absences répétées aux rendez-vous")
            if person_data.status == "reactivated":
                lifecycle.reactivate(card, staff, "Reprise du suivi")
        elif person_data.status == "expired":
            lifecycle.expire(card)
    return {"young_people": len(PEOPLE), "activations": activations}


def _activate_some_offers(person: YoungPerson) -> int:
    """One offer of each kind, the first marked used with a declared saving."""
    count = 0
    for kind in OfferPage.Kind:
        offer = OfferPage.objects.public().filter(kind=kind).order_by("pk").first()
        if offer is None:
            continue
        try:
            activation = activate_offer(person, offer.pk)
        except ActivationRefused:
            continue
        if count == 0:
            mark_used(person, activation.pk, Decimal("12.50"))
        count += 1
    return count
