"""Per-mission checks: each failed rule is a French sentence shown to the publisher and to staff.

A refused mission is still stored (``moderation_status="refused"`` with these reasons joined), so publishers can see
what to fix in their feed; it simply never reaches the public API.
"""

from __future__ import annotations

from decimal import Decimal

from cms.missions.models import MISSION_ADDRESSES_MAX, MISSION_LIST_ITEMS_MAX, Mission

from .records import CLIENT_ID_MAX, ORGANIZATION_CLIENT_ID_MAX, MissionRecord

DESCRIPTION_MAX = 20_000
#: The word lists bounded by ``MISSION_LIST_ITEMS_MAX``: record field → feed field.
LIST_FIELDS = {
    "activities": "activities",
    "tags": "tags",
    "audience": "audience",
    "soft_skills": "softSkills",
    "requirements": "requirements",
}
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


def _number(value: int) -> str:
    """French digit grouping (narrow no-break spaces): 20 000."""
    return f"{value:,}".replace(",", "\u202f")


def client_id_refusal(client_id: str) -> str | None:
    """Why a mission's ``clientId`` cannot be used (missing, or too long to store whole); None when it can."""
    if not client_id:
        return "Identifiant (clientId) manquant."
    if len(client_id) > CLIENT_ID_MAX:
        return (
            f"Identifiant (clientId) trop long : {_number(len(client_id))} caractères "
            f"pour {_number(CLIENT_ID_MAX)} au maximum."
        )
    return None


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
        reasons.append(
            (
                "description",
                f"Description trop longue : {_number(record.description_length)} caractères "
                f"pour {_number(DESCRIPTION_MAX)} au maximum.",
            )
        )
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
    if len(record.addresses) > MISSION_ADDRESSES_MAX:
        reasons.append(
            (
                "addresses",
                f"Trop d'adresses : {_number(len(record.addresses))} pour {MISSION_ADDRESSES_MAX} au maximum.",
            )
        )
    for name, feed_name in LIST_FIELDS.items():
        if len(fields[name]) > MISSION_LIST_ITEMS_MAX:
            label = Mission._meta.get_field(name).verbose_name
            reasons.append(
                (
                    feed_name,
                    f"Trop d'éléments dans « {label} » : {_number(len(fields[name]))} "
                    f"pour {MISSION_LIST_ITEMS_MAX} au maximum.",
                )
            )
    organization = record.organization
    if organization is not None and len(organization.client_id) > ORGANIZATION_CLIENT_ID_MAX:
        reasons.append(
            (
                "organizationClientId",
                f"Identifiant de l'organisation (organizationClientId) trop long : "
                f"{_number(len(organization.client_id))} caractères pour {_number(ORGANIZATION_CLIENT_ID_MAX)} "
                "au maximum.",
            )
        )
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


def leave_out_what_is_over_bounds(record: MissionRecord) -> None:
    """A refused mission is stored to show its reasons, not its content: what is over a bound (too many addresses or
    list items, an organisation whose identifier is too long to store) is left out of what is written."""
    if len(record.addresses) > MISSION_ADDRESSES_MAX:
        record.addresses = []
    for name in LIST_FIELDS:
        if len(record.fields[name]) > MISSION_LIST_ITEMS_MAX:
            record.fields[name] = []
    if record.organization is not None and len(record.organization.client_id) > ORGANIZATION_CLIENT_ID_MAX:
        record.organization = None


def make_storable(fields: dict) -> None:
    """Blank out values the database cannot hold, so that a refused mission can still be stored with its reasons."""
    places = fields["places"]
    if places is not None and not 0 < places <= PLACES_MAX:
        fields["places"] = None
    for key in ("compensation_amount", "compensation_amount_max"):
        value = fields[key]
        if value is not None:
            fields[key] = value.quantize(Decimal("0.01")) if 0 <= value <= AMOUNT_MAX else None
