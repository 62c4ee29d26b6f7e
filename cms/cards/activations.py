"""Using an offer with the card: the checks, the code handed out, the saving counted.

:func:`activate_offer` is the one way to use an offer. It refuses (with :class:`ActivationRefused`, a code and a French
message) unless the card is active, the offer publicly visible (``OfferPage.objects.public()``, the one definition)
and the offer's usage rule allows another use. A ``code`` offer hands out one code of its pool, taken with
``SELECT … FOR UPDATE SKIP LOCKED``: concurrent activations each lock a different free code instead of waiting for
the same one, and a caller who finds none left is told so. A person's own activations are serialised by a lock on
their row, so two simultaneous taps cannot beat a "once" rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.offers.models import OfferPage, PromoCode

from .models import Activation, CardStatus, YoungPerson


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


CARD_NOT_ACTIVE = Refusal("CARD_NOT_ACTIVE", "Votre carte n'est pas active : vous ne pouvez pas utiliser d'offre.")
OFFER_NOT_VALID = Refusal("OFFER_NOT_VALID", "Cette offre n'est pas disponible ou n'est plus valable.")
ALREADY_USED = Refusal("ALREADY_USED", "Vous avez déjà utilisé cette offre.")
OUT_OF_CODES = Refusal("OUT_OF_CODES", "Il n'y a plus de codes pour cette offre : revenez plus tard.")

INSTRUCTIONS = {
    OfferPage.Kind.CODE: "Saisissez ce code lors de votre commande.",
    OfferPage.Kind.VOUCHER: "Présentez ce code-barres en caisse.",
    OfferPage.Kind.CARD: "Présentez votre carte (son QR code) en caisse.",
    OfferPage.Kind.LINK: "Suivez ce lien pour profiter de l'offre.",
}


class ActivationRefused(Exception):
    def __init__(self, refusal: Refusal, message: str | None = None) -> None:
        super().__init__(message or refusal.message)
        self.code = refusal.code


def card_is_usable(card, today: dt.date) -> bool:
    """Whether ``card`` (or None) may use offers on ``today``: active and within its validity."""
    return card is not None and card.status == CardStatus.ACTIVE and card.valid_until >= today


def next_use(usage_rule: str, interval_days: int | None, last_used: dt.datetime) -> dt.datetime | None:
    """When an offer last activated at ``last_used`` may be used again under its usage rule; None: never again."""
    if usage_rule == OfferPage.UsageRule.UNLIMITED:
        return last_used
    if usage_rule == OfferPage.UsageRule.ONCE:
        return None
    return last_used + dt.timedelta(days=interval_days or 1)


def _check_usage_rule(person: YoungPerson, offer: OfferPage, now: dt.datetime) -> None:
    if offer.usage_rule == OfferPage.UsageRule.UNLIMITED:
        return
    previous = Activation.objects.filter(young_person=person, offer=offer).order_by("-created_at").first()
    if previous is None:
        return
    next_day = next_use(offer.usage_rule, offer.usage_interval_days, previous.created_at)
    if next_day is None:
        raise ActivationRefused(ALREADY_USED)
    if next_day > now:
        raise ActivationRefused(
            ALREADY_USED,
            f"Vous avez déjà utilisé cette offre : elle sera de nouveau disponible le "
            f"{timezone.localtime(next_day):%d/%m/%Y}.",
        )


def take_code(offer: OfferPage, now: dt.datetime) -> PromoCode | None:
    """Lock and assign one free, unexpired code of ``offer``; None when every one is taken (or locked by others)."""
    today = timezone.localdate(now)
    code = (
        PromoCode.objects.select_for_update(skip_locked=True)
        .filter(offer=offer, assigned_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .order_by("pk")
        .first()
    )
    if code is not None:
        code.assigned_at = now
        code.save(update_fields=["assigned_at"])
    return code


def offers_with_free_codes(offer_ids: list[int]) -> set[int]:
    """Which of ``offer_ids`` still have a free, unexpired code to hand out (one query)."""
    today = timezone.localdate()
    free = PromoCode.objects.filter(offer_id__in=offer_ids, assigned_at__isnull=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    return set(free.values_list("offer_id", flat=True).distinct())


def codes_left(offer: OfferPage) -> int:
    today = timezone.localdate()
    return (
        PromoCode.objects.filter(offer=offer, assigned_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .count()
    )


@transaction.atomic
def activate_offer(person: YoungPerson, offer_id: int) -> Activation:
    """Use offer ``offer_id`` with ``person``'s card; raises :class:`ActivationRefused`."""
    now = timezone.now()
    person = YoungPerson.objects.select_for_update(of=("self",)).select_related("card").get(pk=person.pk)
    if not card_is_usable(getattr(person, "card", None), timezone.localdate(now)):
        raise ActivationRefused(CARD_NOT_ACTIVE)
    offer = OfferPage.objects.public().filter(pk=offer_id).first()
    if offer is None:
        raise ActivationRefused(OFFER_NOT_VALID)
    _check_usage_rule(person, offer, now)
    promo_code = None
    value = ""
    if offer.kind == OfferPage.Kind.CODE:
        promo_code = take_code(offer, now)
        if promo_code is None:
            raise ActivationRefused(OUT_OF_CODES)
        value = promo_code.code
        warn_if_low_stock(offer)
    elif offer.kind == OfferPage.Kind.VOUCHER:
        value = offer.barcode_value
    elif offer.kind == OfferPage.Kind.LINK:
        value = offer.link_url
    return Activation.objects.create(
        young_person=person,
        offer=offer,
        partner_id=offer.partner_id,
        category=offer.categories.order_by("label").first(),
        kind=offer.kind,
        promo_code=promo_code,
        value=value,
        estimated_saving=offer.estimated_saving,
    )


def warn_if_low_stock(offer: OfferPage) -> None:
    """E-mail the partner's people once (a day) when the offer's free codes fall to ``CARDS_LOW_STOCK_THRESHOLD``."""
    left = codes_left(offer)
    if left > settings.CARDS_LOW_STOCK_THRESHOLD:
        return
    if not cache.add(f"cards-low-stock:{offer.pk}", 1, timeout=24 * 3600):
        return
    recipients = partner_emails(offer.partner_id)
    if not recipients:
        return
    subject = f"Stock de codes bas : {offer.title}"
    text = (
        f"Il reste {left} code(s) disponible(s) pour votre offre « {offer.title} ». "
        "Importez de nouveaux codes pour que les jeunes puissent continuer à l'utiliser."
    )
    transaction.on_commit(lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients))


def partner_emails(partner_id: int | None) -> list[str]:
    """Addresses of the active people of a partner's group (``cms.offers.onboarding``)."""
    from django.contrib.auth import get_user_model

    from cms.offers.models import PartnerPage
    from cms.offers.onboarding import partner_group_name

    partner = PartnerPage.objects.filter(pk=partner_id).first()
    if partner is None:
        return []
    users = get_user_model().objects.filter(groups__name=partner_group_name(partner.title), is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def declared_amount(value: str | Decimal | float) -> Decimal:
    """A declared saving in euros, within 0–``CARDS_MAX_DECLARED_SAVING``; raises ``ValueError`` (French)."""
    message = f"Le montant économisé doit être compris entre 0 et {settings.CARDS_MAX_DECLARED_SAVING} €."
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValueError(message) from None
    if not amount.is_finite() or not 0 <= amount <= settings.CARDS_MAX_DECLARED_SAVING:
        raise ValueError(message)
    return amount


def mark_used(person: YoungPerson, activation_id: int, amount: Decimal | None = None) -> Activation | None:
    """Mark one of ``person``'s activations used, with the saving they declare; None if it is not theirs."""
    activation = Activation.objects.filter(pk=activation_id, young_person=person).first()
    if activation is None:
        return None
    activation.used_at = activation.used_at or timezone.now()
    if amount is not None:
        activation.declared_saving = declared_amount(amount)
    activation.save(update_fields=["used_at", "declared_saving", "updated_at"])
    return activation
