"""The card's QR code: a signed payload that lives ``CARDS_QR_SECONDS``, checked by partners' cashier apps.

The payload names the card number only, signed with a timestamp (``django.core.signing``): a screenshot stops working
after a couple of minutes, and a forged or altered payload is refused. A check answers the card's state and the
holder's first name, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Card, CardStatus

_SALT = "tremplin.cards.qr"


def qr_payload(card: Card) -> str:
    return signing.dumps({"n": card.number}, salt=_SALT)


@dataclass(frozen=True)
class CardCheck:
    status: str  # "valid", "expired", "suspended" or "invalid"
    first_name: str | None = None


def check_payload(payload: str) -> CardCheck:
    try:
        data = signing.loads(payload or "", salt=_SALT, max_age=dt.timedelta(seconds=settings.CARDS_QR_SECONDS))
    except signing.BadSignature:
        return CardCheck("invalid")
    card = Card.objects.filter(number=data.get("n")).select_related("young_person").first()
    if card is None:
        return CardCheck("invalid")
    first_name = card.young_person.first_name
    if card.status == CardStatus.SUSPENDED:
        return CardCheck("suspended", first_name)
    if card.status == CardStatus.EXPIRED or card.valid_until < timezone.localdate():
        return CardCheck("expired", first_name)
    if card.status != CardStatus.ACTIVE:
        return CardCheck("invalid")
    return CardCheck("valid", first_name)
