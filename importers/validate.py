"""Per-mission checks: each failed rule is a French sentence shown to the publisher and to staff.

A refused mission is still stored (``moderation_status="refused"`` with these reasons joined), so publishers can see
what to fix in their feed; it simply never reaches the public API.
"""

from __future__ import annotations

from decimal import Decimal

from .records import MissionRecord

DESCRIPTION_MAX = 20_000
PLACES_MAX = 100_000
AMOUNT_MAX = Decimal("99999999")


#: The feed field a normalisation error is about, from the label it starts with (see ``records._Reader``).
_ERROR_FIELDS = {
    "Indemnisation maximale": "compensationAmountMax",
    "Indemnisation": "compensationAmount",
    "Date de début": "startAt",
    "Date de fin": "endAt",
    "Nombre de places": "places",
    "Lien de candidature": "applicationUrl",
    "Adresse": "addresses",
}
_ENCODING_FIELDS = {"titre": "title", "description": "description", "organisation": "organizationName"}


def refusal_reasons(record: MissionRecord) -> list[str]:
    """Every reason to refuse ``record`` (empty when it is acceptable), in a stable order."""
    return [reason for _, reason in refusal_details(record)]


def refusal_details(record: MissionRecord) -> list[tuple[str, str]]:
    """Every reason to refuse ``record`` as (feed field name, French reason) pairs, in a stable order."""
    reasons: list[tuple[str, str]] = []
    fields = record.fields
    title = fields["title"].strip()
    if not title:
        reasons.append(("title", "Titre manquant."))
    elif len(title.split()) < 2:
        reasons.append(("title", f"Titre trop court : « {title} » ne compte qu'un mot."))
    if not fields["description_text"].strip():
        reasons.append(("description", "Description manquante."))
    elif record.description_length > DESCRIPTION_MAX:
        length = f"{record.description_length:,}".replace(",", "\u202f")
        reasons.append(("description", f"Description trop longue : {length} caractères pour 20\u202f000 au maximum."))
    if not fields["application_url"] and not any("Lien de candidature" in e for e in record.errors):
        reasons.append(("applicationUrl", "Lien de candidature manquant."))
    places = fields["places"]
    if places is not None and places <= 0:
        reasons.append(("places", f"Nombre de places invalide ({places}) : il doit être supérieur à zéro."))
    elif places is not None and places > PLACES_MAX:
        reasons.append(("places", f"Nombre de places invraisemblable ({places})."))
    start, end = fields["start_date"], fields["end_date"]
    if start and end and end < start:
        reasons.append(("endAt", f"La date de fin ({end:%d/%m/%Y}) précède la date de début ({start:%d/%m/%Y})."))
    amount, amount_max = fields["compensation_amount"], fields["compensation_amount_max"]
    if (amount is not None and amount < 0) or (amount_max is not None and amount_max < 0):
        reasons.append(("compensationAmount", "Le montant d'indemnisation ne peut pas être négatif."))
    elif any(value is not None and value > AMOUNT_MAX for value in (amount, amount_max)):
        reasons.append(("compensationAmount", "Le montant d'indemnisation est invraisemblable."))
    elif amount is not None and amount_max is not None and amount_max < amount:
        reasons.append(("compensationAmountMax", "L'indemnisation maximale est inférieure à l'indemnisation minimale."))
    for label in record.encoding_fields:
        reasons.append(
            (
                _ENCODING_FIELDS.get(label, label),
                f"Erreur d'encodage dans le champ « {label} » (caractères illisibles).",
            )
        )
    for error in record.errors:
        field = next((name for prefix, name in _ERROR_FIELDS.items() if error.startswith(prefix)), "")
        reasons.append((field, error))
    return reasons


def make_storable(fields: dict) -> None:
    """Blank out values the database cannot hold, so that a refused mission can still be stored with its reasons."""
    places = fields["places"]
    if places is not None and not 0 < places <= PLACES_MAX:
        fields["places"] = None
    for key in ("compensation_amount", "compensation_amount_max"):
        value = fields[key]
        if value is not None:
            fields[key] = value.quantize(Decimal("0.01")) if 0 <= value <= AMOUNT_MAX else None
