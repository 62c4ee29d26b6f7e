"""The card's lifecycle, in one place: invited → active → suspended → expired → reactivated.

Every change goes through :func:`transition`, which checks the move is allowed from the card's current status (read
under a row lock, so two changes never cross), applies it and records a :class:`CardEvent` saying who, when and why.
A refused move raises :class:`TransitionRefused` with the French message people see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from cms.tracking.models import Channel, Event, Kind
from cms.tracking.recorder import record

from .models import Card, CardEvent, CardStatus, Referent, YoungPerson
from .models.cards import valid_until_for

Action = CardEvent.Action
ActorKind = CardEvent.ActorKind

#: Allowed moves: action → (statuses it starts from, status it leads to; None: decided by the action).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.INVITED: (frozenset({CardStatus.INVITED}), CardStatus.INVITED),
    Action.ACTIVATED: (frozenset({CardStatus.INVITED}), CardStatus.ACTIVE),
    Action.SUSPENDED: (frozenset({CardStatus.ACTIVE, CardStatus.INVITED}), CardStatus.SUSPENDED),
    Action.EXPIRED: (frozenset({CardStatus.INVITED, CardStatus.ACTIVE, CardStatus.SUSPENDED}), CardStatus.EXPIRED),
    Action.REACTIVATED: (frozenset({CardStatus.SUSPENDED, CardStatus.EXPIRED}), None),
}

REFUSALS = {
    Action.INVITED: "Cette carte a déjà été activée : l'invitation ne peut plus être renvoyée.",
    Action.ACTIVATED: "Seule une carte invitée peut être activée.",
    Action.SUSPENDED: "Seule une carte active ou invitée peut être suspendue.",
    Action.EXPIRED: "Cette carte est déjà expirée.",
    Action.REACTIVATED: "Seule une carte suspendue ou expirée peut être réactivée.",
}
REASON_REQUIRED = "Indiquez le motif."
PROFILE_INCOMPLETE = (
    "Complétez votre profil (nom, prénom, date de naissance, code postal) et acceptez les conditions d'utilisation "
    "pour activer votre carte."
)
PROGRAMME_OVER = "Le dispositif est terminé : prolongez sa date de fin pour réactiver la carte."


class TransitionRefused(Exception):
    """A change of status that is not allowed; ``str()`` is the French message."""


@dataclass(frozen=True)
class Actor:
    kind: str
    user: object | None = None
    referent: Referent | None = None


SYSTEM = Actor(ActorKind.SYSTEM)
HOLDER = Actor(ActorKind.HOLDER)


def staff(user) -> Actor:
    return Actor(ActorKind.STAFF, user=user)


def by_referent(referent: Referent) -> Actor:
    return Actor(ActorKind.REFERENT, referent=referent)


@transaction.atomic
def transition(card: Card, action: str, actor: Actor, *, reason: str = "", to_status: str | None = None) -> Card:
    """Apply ``action`` to ``card`` (reloaded under a lock) and record it; raises :class:`TransitionRefused`."""
    locked = Card.objects.select_for_update().get(pk=card.pk)
    sources, target = TRANSITIONS[action]
    if locked.status not in sources:
        raise TransitionRefused(REFUSALS[action])
    target = to_status or target
    now = timezone.now()
    CardEvent.objects.create(
        card=locked,
        action=action,
        from_status=locked.status,
        to_status=target,
        actor_kind=actor.kind,
        actor_user=actor.user,
        actor_referent=actor.referent,
        reason=reason.strip(),
    )
    fields = ["status", "valid_until"]
    if locked.status != target:
        locked.status_changed_at = now
        fields.append("status_changed_at")
    if action == Action.INVITED:
        locked.invited_at = now
        fields.append("invited_at")
    locked.status = target
    locked.valid_until = card.valid_until
    locked.save(update_fields=fields)
    card.refresh_from_db()
    return card


def record_account_created(young_person_id: int, actor_kind: str) -> None:
    """The ``account_created`` tracking event: the person's id and who opened the account (``source``: referent,
    staff or system), nothing else about them."""
    event = Event(kind=Kind.ACCOUNT_CREATED, channel=Channel.SITE, source=actor_kind, user_id=young_person_id)
    record(event, deduplicate=False)


@transaction.atomic
def invite(young_person: YoungPerson, actor: Actor) -> Card:
    """Give ``young_person`` an invited card, or send the invitation again (the new one replaces the previous one).

    The first card opens the person's account: that is counted (``account_created``) once the transaction commits,
    whoever invited them (a referent, one by one or by CSV, staff, the demo)."""
    card = Card.objects.filter(young_person=young_person).first()
    if card is None:
        card = Card.objects.create(
            young_person=young_person, valid_until=valid_until_for(young_person.programme_end_date)
        )
        transaction.on_commit(partial(record_account_created, young_person.pk, actor.kind))
    return transition(card, Action.INVITED, actor)


def activate(card: Card, actor: Actor = HOLDER) -> Card:
    """Invited → active, once the holder signed in and completed their profile."""
    if card.status == CardStatus.INVITED and not card.young_person.profile_complete:
        raise TransitionRefused(PROFILE_INCOMPLETE)
    return transition(card, Action.ACTIVATED, actor)


def suspend(card: Card, actor: Actor, reason: str) -> Card:
    if not reason.strip():
        raise TransitionRefused(REASON_REQUIRED)
    return transition(card, Action.SUSPENDED, actor, reason=reason)


def expire(card: Card, actor: Actor = SYSTEM, reason: str = "Fin du dispositif et du délai de grâce.") -> Card:
    return transition(card, Action.EXPIRED, actor, reason=reason)


@transaction.atomic
def reactivate(card: Card, actor: Actor, reason: str, *, programme_end_date: dt.date | None = None) -> Card:
    """Suspended or expired → active (invited again if the holder never completed their profile).

    ``programme_end_date`` extends the programme (and the card's validity with it); a card whose validity is over
    cannot come back without it.
    """
    if not reason.strip():
        raise TransitionRefused(REASON_REQUIRED)
    person = card.young_person
    if programme_end_date is not None:
        person.programme_end_date = programme_end_date
        person.save(update_fields=["programme_end_date"])
        card.valid_until = valid_until_for(programme_end_date)
    if card.valid_until < timezone.localdate():
        raise TransitionRefused(PROGRAMME_OVER)
    target = CardStatus.ACTIVE if person.first_signed_in_at and person.profile_complete else CardStatus.INVITED
    return transition(card, Action.REACTIVATED, actor, reason=reason, to_status=target)


def expire_due_cards(today: dt.date | None = None) -> int:
    """Expire every card whose validity ended before ``today``; returns how many. Run daily (``expire_cards``)."""
    today = today or timezone.localdate()
    due = Card.objects.exclude(status=CardStatus.EXPIRED).filter(valid_until__lt=today)
    count = 0
    for card in due.iterator():
        try:
            expire(card)
        except TransitionRefused:  # changed meanwhile by someone else
            continue
        count += 1
    return count
