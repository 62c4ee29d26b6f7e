"""Referents invite young people, one at a time or from a CSV file; each gets a card and an invitation message.

Rows are checked one by one and every problem is reported in French with its line number: a malformed value, a
duplicate of an earlier line, a contact that already belongs to someone with a card (never imported twice). A
person the same referent already invited, whose card is still waiting, gets the invitation again: the new message
replaces the previous one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cms.taxonomy.models import Programme

from . import lifecycle
from .models import CardStatus, Referent, YoungPerson
from .sending import send_message

#: Column names accepted (lower-cased, accents and spaces as written here) → field.
COLUMNS = {
    "email": "email",
    "e-mail": "email",
    "telephone": "phone",
    "téléphone": "phone",
    "prenom": "first_name",
    "prénom": "first_name",
    "nom": "last_name",
    "date_de_naissance": "birth_date",
    "date de naissance": "birth_date",
    "dispositif": "programme",
    "fin_du_dispositif": "programme_end_date",
    "fin du dispositif": "programme_end_date",
}
REQUIRED = ("first_name", "last_name", "birth_date", "programme", "programme_end_date")
LABELS = {
    "first_name": "prénom",
    "last_name": "nom",
    "birth_date": "date de naissance",
    "programme": "dispositif",
    "programme_end_date": "fin du dispositif",
    "email": "e-mail",
    "phone": "téléphone",
}
MAX_ROWS = 2000


@dataclass
class InvitationReport:
    invited: list[YoungPerson] = field(default_factory=list)
    reinvited: list[YoungPerson] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_date(value: str) -> dt.date:
    value = (value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"date invalide « {value} » (jj/mm/aaaa attendu)")


def find_programme(value: str) -> Programme:
    value = (value or "").strip()
    programme = Programme.objects.filter(Q(slug__iexact=value) | Q(label__iexact=value)).first()
    if programme is None:
        raise ValidationError(f"dispositif inconnu « {value} »")
    return programme


def build_person(referent: Referent, row: dict[str, str]) -> YoungPerson:
    """An unsaved, validated young person from one row; raises ``ValidationError`` with French messages."""
    missing = [LABELS[name] for name in REQUIRED if not (row.get(name) or "").strip()]
    if missing:
        raise ValidationError(f"champ(s) manquant(s) : {', '.join(missing)}")
    person = YoungPerson(
        email=(row.get("email") or "").strip(),
        phone=(row.get("phone") or "").strip(),
        first_name=row["first_name"].strip(),
        last_name=row["last_name"].strip(),
        birth_date=parse_date(row["birth_date"]),
        programme=find_programme(row["programme"]),
        programme_end_date=parse_date(row["programme_end_date"]),
        referent=referent,
    )
    try:
        person.clean()
    except ValidationError as error:
        messages = [f"{LABELS.get(name, name)} : {' '.join(texts)}" for name, texts in error.message_dict.items()]
        raise ValidationError(" ; ".join(messages)) from None
    return person


def _existing(person: YoungPerson) -> YoungPerson | None:
    condition = Q(pk__in=[])
    if person.email:
        condition |= Q(email=person.email)
    if person.phone:
        condition |= Q(phone=person.phone)
    return YoungPerson.objects.filter(condition).select_related("card").first()


def invite_rows(referent: Referent, rows: list[dict[str, str]], *, first_line: int | None = 2) -> InvitationReport:
    """Invite each row (``first_line``: the number of the first row in the file, for messages; None for a single
    person, whose messages name no line)."""
    report = InvitationReport()

    def where(number: int) -> str:
        return "" if first_line is None else f"Ligne {number} : "

    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=first_line or 1):
        try:
            person = build_person(referent, row)
        except ValidationError as error:
            report.errors.append(f"{where(number)}{' '.join(error.messages)}")
            continue
        contacts = [c for c in (person.email, person.phone) if c]
        duplicate = next((seen[c] for c in contacts if c in seen), None)
        if duplicate is not None:
            report.errors.append(f"{where(number)}doublon de la ligne {duplicate}, ignorée.")
            continue
        seen.update(dict.fromkeys(contacts, number))
        existing = _existing(person)
        if existing is not None:
            card = getattr(existing, "card", None)
            if existing.referent_id == referent.pk and card is not None and card.status == CardStatus.INVITED:
                invite(existing)
                report.reinvited.append(existing)
            else:
                report.errors.append(f"{where(number)}cette personne est déjà inscrite, ignorée.")
            continue
        with transaction.atomic():
            person.save()
            invite(person)
        report.invited.append(person)
    return report


def invite_csv(referent: Referent, text: str) -> InvitationReport:
    """Invite the young people of a CSV file (comma or semicolon separated, with a header line)."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        return InvitationReport(errors=["Le fichier est vide."])
    names = [COLUMNS.get(name.strip().lower()) for name in header]
    if not any(names):
        return InvitationReport(errors=["Ligne 1 : en-tête non reconnu (email, telephone, prenom, nom…)."])
    rows = [
        {name: value for name, value in zip(names, values, strict=False) if name} for values in reader if any(values)
    ]
    if len(rows) > MAX_ROWS:
        return InvitationReport(errors=[f"Le fichier compte {len(rows)} lignes : {MAX_ROWS} au plus par envoi."])
    return invite_rows(referent, rows)


def invite(person: YoungPerson) -> None:
    """Give ``person`` their card (or the same one again) and send the invitation to each of their contacts."""
    lifecycle.invite(person, lifecycle.by_referent(person.referent) if person.referent else lifecycle.SYSTEM)
    site = settings.FRONTEND_URL or settings.WAGTAILADMIN_BASE_URL
    text = (
        f"Bonjour {person.first_name}, votre Carte jeune engagé vous attend ! Connectez-vous sur {site} avec "
        "cette adresse ou ce numéro : vous recevrez un code de connexion."
    )
    for kind, contact in (("email", person.email), ("phone", person.phone)):
        if contact:
            send_message(kind, contact, "Votre Carte jeune engagé vous attend", text)
