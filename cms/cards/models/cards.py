"""The card itself: its number, its status and the history of every change of status (who, when, why)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models

#: Characters of card numbers: no 0/O, 1/I/L, so that a number read aloud or typed at a till is not mistaken.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_card_number() -> str:
    """``CJE-XXXX-XXXX``: random, so that numbers cannot be enumerated."""
    chars = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"CJE-{chars[:4]}-{chars[4:]}"


def valid_until_for(programme_end_date: dt.date) -> dt.date:
    """The last day a card is valid: the end of the programme plus the grace period (``CARDS_GRACE_DAYS``)."""
    return programme_end_date + dt.timedelta(days=settings.CARDS_GRACE_DAYS)


class CardStatus(models.TextChoices):
    INVITED = "invited", "Invitée"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspendue"
    EXPIRED = "expired", "Expirée"


class Card(models.Model):
    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    young_person = models.OneToOneField(
        "cards.YoungPerson", verbose_name="jeune", on_delete=models.CASCADE, related_name="card"
    )
    number = models.CharField("numéro", max_length=13, unique=True, default=new_card_number, editable=False)
    status = models.CharField(
        "statut", max_length=10, choices=CardStatus.choices, default=CardStatus.INVITED, editable=False
    )
    valid_until = models.DateField("valable jusqu'au", editable=False)
    invited_at = models.DateTimeField("invitation envoyée le", null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField("statut changé le", auto_now_add=True, editable=False)
    expiry_reminded_for = models.DateField("rappel d'expiration envoyé pour le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "carte"
        verbose_name_plural = "cartes"
        indexes = [models.Index(fields=["status", "valid_until"], name="card_status_validity_idx")]

    def __str__(self) -> str:
        return self.number


class CardEvent(models.Model):
    """One change of a card's status: what changed, who did it (a staff user, a referent, the holder or the system),
    when and why."""

    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        INVITED = "invited", "Invitation envoyée"
        ACTIVATED = "activated", "Carte activée"
        SUSPENDED = "suspended", "Carte suspendue"
        EXPIRED = "expired", "Carte expirée"
        REACTIVATED = "reactivated", "Carte réactivée"

    class ActorKind(models.TextChoices):
        SYSTEM = "system", "Automatique"
        STAFF = "staff", "Équipe"
        REFERENT = "referent", "Référent"
        HOLDER = "holder", "Titulaire"

    card = models.ForeignKey(Card, verbose_name="carte", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("action", max_length=12, choices=Action.choices)
    from_status = models.CharField("statut avant", max_length=10, choices=CardStatus.choices, blank=True)
    to_status = models.CharField("statut après", max_length=10, choices=CardStatus.choices)
    actor_kind = models.CharField("par", max_length=10, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="membre de l'équipe",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_referent = models.ForeignKey(
        "cards.Referent", verbose_name="référent", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("motif", blank=True)
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "événement de carte"
        verbose_name_plural = "historique des cartes"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"
