"""Passwordless sign-in of young people and referents: a 6-digit code sent to their contact, then a bearer token.

- :func:`request_code` sends a code to a known contact and does nothing for an unknown one: its caller answers the
  same either way, so the answer never tells whether a contact exists. The code is stored as an HMAC (keyed by
  ``SECRET_KEY``) of the audience, the contact and the code; it expires after ``CARDS_SIGNIN_CODE_MINUTES`` and is
  burnt after ``CARDS_SIGNIN_MAX_ATTEMPTS`` wrong attempts. A new request replaces the previous code.
- :func:`verify_code` exchanges a right code for a token. A token is a random secret signed with a timestamp
  (``TimestampSigner``): a tampered or too old one is refused before any lookup; a well-formed one must match a stored
  HMAC of its secret that is neither expired nor revoked.
Throttling per contact and per address is the API's (``graphql_api.cards.throttle``).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from . import lifecycle
from .contacts import normalise_contact
from .models import AccessToken, Audience, Card, CardStatus, Referent, SignInCode, YoungPerson
from .sending import send_message

TOKEN_PREFIX = "tcj_"  # noqa: S105 - a prefix, not a secret
_CODE_SALT = "tremplin.cards.signin.code"
_TOKEN_SALT = "tremplin.cards.signin.token"  # noqa: S105 - a salt, not a secret

WRONG_CODE = "Code incorrect ou expiré : vérifiez-le ou demandez-en un nouveau."
BURNT_CODE = "Trop d'essais : ce code n'est plus valable, demandez-en un nouveau."


class SignInRefused(Exception):
    """A code that does not open a session; ``str()`` is the French message."""


def _hash(*parts: str) -> str:
    return salted_hmac(_CODE_SALT, "\x1f".join(parts), algorithm="sha256").hexdigest()


def find_holder(audience: str, kind: str, contact: str) -> YoungPerson | Referent | None:
    if audience == Audience.REFERENT:
        return Referent.objects.filter(email=contact, active=True).first() if kind == "email" else None
    return YoungPerson.objects.filter(**{kind: contact}).first()


def request_code(audience: str, contact_text: str) -> None:
    """Send a fresh code to the contact if someone of ``audience`` holds it; raises ``ValidationError`` only for
    input that is not an e-mail address or a phone number (which tells nothing about anyone)."""
    kind, contact = normalise_contact(contact_text)
    if find_holder(audience, kind, contact) is None:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    expires_at = timezone.now() + dt.timedelta(minutes=settings.CARDS_SIGNIN_CODE_MINUTES)
    with transaction.atomic():
        SignInCode.objects.update_or_create(
            audience=audience,
            contact=contact,
            defaults={"code_hash": _hash(audience, contact, code), "attempts": 0, "expires_at": expires_at},
        )
        text = (
            f"Votre code de connexion à la Carte jeune engagé : {code}. "
            f"Il est valable {settings.CARDS_SIGNIN_CODE_MINUTES} minutes. Ne le communiquez à personne."
        )
        send_message(kind, contact, "Votre code de connexion", text)


def verify_code(audience: str, contact_text: str, code: str) -> tuple[str, YoungPerson | Referent]:
    """A new bearer token and its holder for a right code; raises :class:`SignInRefused` otherwise.

    A wrong attempt is counted (and the code burnt at the limit) in a transaction that commits before the refusal.
    """
    try:
        kind, contact = normalise_contact(contact_text)
    except ValidationError:
        raise SignInRefused(WRONG_CODE) from None
    code = (code or "").strip()
    refusal = None
    with transaction.atomic():
        stored = SignInCode.objects.select_for_update().filter(audience=audience, contact=contact).first()
        if stored is None or stored.expires_at <= timezone.now():
            refusal = WRONG_CODE
        elif not constant_time_compare(stored.code_hash, _hash(audience, contact, code)):
            stored.attempts += 1
            if stored.attempts >= settings.CARDS_SIGNIN_MAX_ATTEMPTS:
                stored.delete()
                refusal = BURNT_CODE
            else:
                stored.save(update_fields=["attempts"])
                refusal = WRONG_CODE
        else:
            stored.delete()
            holder = find_holder(audience, kind, contact)
            if holder is None:
                refusal = WRONG_CODE
            else:
                if isinstance(holder, YoungPerson):
                    _first_sign_in(holder)
                return issue_token(holder), holder
    raise SignInRefused(refusal)


def _first_sign_in(person: YoungPerson) -> None:
    """Note the first sign-in, and activate an invited card whose holder's profile is already complete."""
    if person.first_signed_in_at is None:
        person.first_signed_in_at = timezone.now()
        person.save(update_fields=["first_signed_in_at"])
    card = Card.objects.filter(young_person=person).first()
    if card is not None and card.status == CardStatus.INVITED and person.profile_complete:
        lifecycle.activate(card)


def _token_hash(secret: str) -> str:
    return salted_hmac(_TOKEN_SALT, secret, algorithm="sha256").hexdigest()


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_TOKEN_SALT)


def issue_token(holder: YoungPerson | Referent) -> str:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    field = "referent" if isinstance(holder, Referent) else "young_person"
    AccessToken.objects.create(
        token_hash=_token_hash(secret),
        expires_at=timezone.now() + dt.timedelta(days=settings.CARDS_TOKEN_DAYS),
        **{field: holder},
    )
    return _signer().sign(secret)


def authenticate(token: str) -> AccessToken | None:
    """The live token ``token`` stands for (with its holder loaded), else None."""
    token = (token or "").strip()
    if not token.startswith(TOKEN_PREFIX) or not (token.isascii() and token.isprintable()):
        return None
    try:
        secret = _signer().unsign(token, max_age=dt.timedelta(days=settings.CARDS_TOKEN_DAYS))
    except signing.BadSignature:
        return None
    return (
        AccessToken.objects.filter(
            token_hash=_token_hash(secret), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("young_person__recommendation_profile", "referent")
        .first()
    )


def revoke(token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
