"""E-mail reminders to card holders who asked for them, each with a one-click unsubscribe link.

- :func:`send_expiry_reminders`: the card ends in ``EXPIRY_REMINDER_DAYS`` days (once per validity date: a card
  extended later is reminded again before its new end).
- :func:`send_weekly_digests`: new offers matching the person's interests (offer categories or needs), at most once a
  week, only to those who opted in, and only when there is something new.
Both run from ``send_card_reminders`` (daily). Unsubscribe links carry a signed token naming the person and the
kind of message; following one withdraws that consent.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cms.offers.models import OfferPage

from .models import Card, CardStatus, YoungPerson

EXPIRY_REMINDER_DAYS = 30
DIGEST_EVERY = dt.timedelta(days=7)
DIGEST_MAX_OFFERS = 10
_SALT = "tremplin.cards.unsubscribe"
EXPIRY, DIGEST = "expiry", "digest"
CONSENT_FIELDS = {EXPIRY: "expiry_reminders_consent_at", DIGEST: "digest_consent_at"}


def unsubscribe_token(person: YoungPerson, kind: str) -> str:
    return signing.dumps({"p": person.pk, "k": kind}, salt=_SALT)


def unsubscribe(token: str) -> str | None:
    """Withdraw the consent ``token`` names; returns its kind, or None for a token that is not ours."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    kind = data.get("k")
    if kind not in CONSENT_FIELDS:
        return None
    YoungPerson.objects.filter(pk=data.get("p")).update(**{CONSENT_FIELDS[kind]: None})
    return kind


def unsubscribe_url(person: YoungPerson, kind: str) -> str:
    path = reverse("cards_unsubscribe", args=[unsubscribe_token(person, kind)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(person: YoungPerson, kind: str, subject: str, body: str) -> None:
    url = unsubscribe_url(person, kind)
    message = EmailMessage(
        subject,
        f"{body}\n\nPour ne plus recevoir ces messages : {url}",
        settings.DEFAULT_FROM_EMAIL,
        [person.email],
        headers={"List-Unsubscribe": f"<{url}>"},
    )
    message.send()


def send_expiry_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=EXPIRY_REMINDER_DAYS)
    cards = (
        Card.objects.filter(status=CardStatus.ACTIVE, valid_until__gte=today, valid_until__lte=until)
        .filter(young_person__expiry_reminders_consent_at__isnull=False)
        .exclude(young_person__email="")
        .filter(Q(expiry_reminded_for__isnull=True) | ~Q(expiry_reminded_for=F("valid_until")))
        .select_related("young_person")
    )
    sent = 0
    for card in cards:
        person = card.young_person
        _send(
            person,
            EXPIRY,
            "Votre Carte jeune engagé arrive à échéance",
            f"Bonjour {person.first_name}, votre Carte jeune engagé est valable jusqu'au {card.valid_until:%d/%m/%Y}. "
            "Si votre parcours est prolongé, votre référent peut la réactiver.",
        )
        Card.objects.filter(pk=card.pk).update(expiry_reminded_for=card.valid_until)
        sent += 1
    return sent


def matching_offers(person: YoungPerson, since: dt.datetime):
    interests = Q(categories__in=person.offer_categories.all()) | Q(needs__in=person.needs.all())
    return (
        OfferPage.objects.public()
        .filter(first_published_at__gt=since)
        .filter(pk__in=OfferPage.objects.filter(interests).values("pk"))
        .order_by("-first_published_at")[:DIGEST_MAX_OFFERS]
    )


def send_weekly_digests(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    people = (
        YoungPerson.objects.filter(digest_consent_at__isnull=False, card__status=CardStatus.ACTIVE)
        .exclude(email="")
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - DIGEST_EVERY))
    )
    sent = 0
    for person in people:
        since = person.digest_sent_at or now - DIGEST_EVERY
        offers = list(matching_offers(person, since))
        if not offers:
            continue
        lines = "\n".join(f"- {offer.title}" for offer in offers)
        _send(
            person,
            DIGEST,
            "Les nouvelles offres de la semaine",
            f"Bonjour {person.first_name}, voici les nouvelles offres qui correspondent à vos centres d'intérêt :\n"
            f"{lines}",
        )
        YoungPerson.objects.filter(pk=person.pk).update(digest_sent_at=now)
        sent += 1
    return sent
