"""Contacts of young people and referents: one normal form for e-mail addresses and phone numbers.

Every lookup (sign-in, invitations, duplicates in a CSV) compares normalised contacts, so ``Jeanne@Exemple.fr`` and
``jeanne@exemple.fr``, ``06 12 34 56 78`` and ``+33612345678`` are the same person.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

#: Region assumed for phone numbers written without an international prefix.
DEFAULT_REGION = "FR"

EMAIL_MESSAGE = "Adresse e-mail invalide."
PHONE_MESSAGE = "Numéro de téléphone invalide (ex. 06 12 34 56 78 ou +33 6 12 34 56 78)."


def normalise_email(value: str) -> str:
    """The address lower-cased and stripped; raises ``ValidationError`` (French) when it is not an address."""
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(EMAIL_MESSAGE) from None
    return value


def normalise_phone(value: str) -> str:
    """The number in E.164 (``+33612345678``); raises ``ValidationError`` (French) when it is not a valid number."""
    try:
        number = phonenumbers.parse((value or "").strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_MESSAGE) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_MESSAGE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_contact(value: str) -> tuple[str, str]:
    """``("email", address)`` or ``("phone", number)`` for what a person typed in a single sign-in field."""
    value = (value or "").strip()
    if "@" in value:
        return "email", normalise_email(value)
    try:
        return "phone", normalise_phone(value)
    except ValidationError:
        raise ValidationError("Indiquez une adresse e-mail ou un numéro de téléphone valide.") from None
