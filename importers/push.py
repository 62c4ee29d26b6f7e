"""Missions pushed one at a time by a partner (the GraphQL mutations), through the very path feeds take.

A pushed mission is a raw dict with the feed's field names, normalised by :func:`~importers.records.normalise_mission`,
checked by :func:`~importers.validate.refusal_details` and written by :meth:`BaseImporter.upsert`, so a mission reads
the same whether it came by feed or by push. Two differences, both because a partner is waiting for the answer:

- a mission that fails validation is not stored (a feed stores it refused, for lack of anyone to tell): the caller
  gets the French reasons per field and nothing is written;
- an update may be partial: only the fields given change; the others are read back from the stored mission.

Each call is one transaction; the change is announced (``cms.core.changes.announce``) and reaches the search index
once it commits.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction

from cms.core.changes import announce
from cms.missions.models import Mission
from cms.organisations.models import Organization

from .base import _ORG_FIELDS, BaseImporter, _Item
from .models import FeedSource
from .records import _ORG_KEYS, MissionRecord
from .validate import client_id_refusal, refusal_details

#: Feed field → the Mission fields it decides; a partial update copies only these from the new values.
FIELD_TARGETS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "description": ("description_html", "description_text"),
    "type": ("programme_id",),
    "domain": ("domain_id",),
    "activities": ("activities",),
    "tags": ("tags",),
    "audience": ("audience",),
    "softSkills": ("soft_skills",),
    "requirements": ("requirements",),
    "remote": ("remote",),
    "schedule": ("schedule",),
    "startAt": ("start_date",),
    "endAt": ("end_date",),
    "postedAt": ("posted_at",),
    "places": ("places",),
    "openToMinors": ("open_to_minors",),
    "reducedMobilityAccessible": ("reduced_mobility_accessible",),
    "closeToTransport": ("close_to_transport",),
    "compensationAmount": ("compensation_amount",),
    "compensationAmountMax": ("compensation_amount_max",),
    "compensationUnit": ("compensation_unit",),
    "compensationType": ("compensation_type",),
    "applicationUrl": ("application_url",),
    "image": ("image_url",),
}
_RECORD_FIELDS = sorted({name for names in FIELD_TARGETS.values() for name in names})
_ADDRESS_FIELDS = (
    "street",
    "postcode",
    "city",
    "department_code",
    "department_name",
    "region",
    "country",
    "latitude",
    "longitude",
)


class PushError(Exception):
    """A push that wrote nothing; ``message`` is French, for the partner."""


class MissionNotFound(PushError):
    pass


class MissionAlreadyExists(PushError):
    pass


class NotYourMission(PushError):
    """The key is tied to an organisation and the mission belongs to another one."""


class MissionRefused(PushError):
    def __init__(self, reasons: list[tuple[str, str]]):
        super().__init__("Mission refusée : " + " ".join(reason for _, reason in reasons))
        self.reasons = reasons


@dataclasses.dataclass
class PushResult:
    mission: Mission
    created: bool
    warnings: list[str]


class MissionPusher(BaseImporter):
    """Creates, updates and archives missions of one ``source``, optionally all tied to one organisation."""

    format = "push"

    def __init__(self, source_slug: str, *, organization_id: int | None = None):
        # The source's defaults (programme, domain) apply when the partner also has a feed; else none.
        source = FeedSource.objects.filter(slug=source_slug).first() or FeedSource(name=source_slug, slug=source_slug)
        super().__init__(source)
        self.key_organization_id = organization_id
        self._load_context()

    # ------------------------------------------------------------------------------------------------ actions

    def create(self, client_id: str, raw: dict[str, Any]) -> PushResult:
        client_id = _usable(client_id)
        try:
            with transaction.atomic():
                if self._find(client_id) is not None:
                    raise MissionAlreadyExists(f"La mission « {client_id} » existe déjà : modifiez-la.")
                record = self.normalise({**raw, "clientId": client_id})
                return self._write(record, None, organization_given=True)
        except IntegrityError as exc:  # created by a concurrent request in between
            raise MissionAlreadyExists(f"La mission « {client_id} » existe déjà : modifiez-la.") from exc

    def update(self, client_id: str, raw: dict[str, Any]) -> PushResult:
        """Change the fields present in ``raw`` (``None`` clears one); the others keep their stored values."""
        with transaction.atomic():
            mission = self._get(client_id)
            given = self.normalise({**raw, "clientId": client_id})
            record = record_of(mission)
            for key in raw:
                for name in FIELD_TARGETS.get(key, ()):
                    record.fields[name] = given.fields[name]
            if "description" in raw:
                record.description_length = given.description_length
            if "addresses" in raw:
                record.addresses = given.addresses
            organization_given = any(key in raw for key in _ORG_KEYS)
            if organization_given:
                record.organization = given.organization
            record.errors, record.warnings, record.encoding_fields = (
                given.errors,
                given.warnings,
                given.encoding_fields,
            )
            return self._write(record, mission, organization_given=organization_given)

    def archive(self, client_id: str) -> Mission:
        """Archive (soft) a mission; archiving an archived mission changes nothing."""
        with transaction.atomic():
            mission = self._get(client_id)
            if mission.archived_at is None:
                mission.archive(when=self.now)
                announce(Mission, [mission.pk])
        return mission

    # ------------------------------------------------------------------------------------------------ internals

    def _find(self, client_id: str) -> Mission | None:
        mission = Mission.objects.select_for_update().filter(source=self.source.slug, client_id=client_id).first()
        if mission is not None and self.key_organization_id and mission.organization_id != self.key_organization_id:
            raise NotYourMission(f"La mission « {client_id} » appartient à une autre organisation que votre clé.")
        return mission

    def _get(self, client_id: str) -> Mission:
        mission = self._find(_usable(client_id))
        if mission is None:
            raise MissionNotFound(f"Aucune mission « {client_id} » pour la source « {self.source.slug} ».")
        return mission

    def _write(self, record: MissionRecord, mission: Mission | None, *, organization_given: bool) -> PushResult:
        reasons = refusal_details(record)
        if reasons:
            raise MissionRefused(reasons)
        if self.key_organization_id:
            record.organization = None
            self.fixed_organization_id = self.key_organization_id
        elif not organization_given and mission is not None:
            self.fixed_organization_id = mission.organization_id
        elif record.organization is not None:
            known = Organization.objects.filter(source=self.source.slug, client_id=record.organization.client_id)
            self._organizations = {
                row[0]: (row[1], tuple(row[2:])) for row in known.values_list("client_id", "pk", *_ORG_FIELDS)
            }
        existing = None
        if mission is not None:
            existing = (mission.pk, mission.content_hash, mission.archived_at is not None)
            if mission.moderated_by_staff and mission.moderation_status == Mission.Moderation.REFUSED:
                self._staff_refused = {mission.pk}
        self.upsert([_Item(record.client_id, _digest(record), record, [], existing)], [])
        announce(Mission, self.report.changed_pks)
        if self._changed_organizations:
            announce(Organization, self._changed_organizations)
        saved = Mission.objects.get(source=self.source.slug, client_id=record.client_id)
        return PushResult(mission=saved, created=mission is None, warnings=record.warnings)


def _usable(client_id: str) -> str:
    """``client_id`` stripped, or :class:`MissionRefused` when it is missing or too long to be stored whole."""
    client_id = client_id.strip()
    refusal = client_id_refusal(client_id)
    if refusal:
        raise MissionRefused([("clientId", refusal)])
    return client_id


def record_of(mission: Mission) -> MissionRecord:
    """A stored mission as a :class:`MissionRecord`, the base a partial update is laid on."""
    return MissionRecord(
        client_id=mission.client_id,
        fields={name: getattr(mission, name) for name in _RECORD_FIELDS},
        addresses=[
            {name: getattr(address, name) for name in _ADDRESS_FIELDS}
            for address in mission.addresses.order_by("sort_order", "pk")
        ],
        organization=None,
        description_length=len(mission.description_html),
    )


def _digest(record: MissionRecord) -> str:
    """Fingerprint of what was pushed (a later feed import of the same mission compares its own and rewrites it)."""
    organization = record.organization.fields if record.organization else None
    payload = json.dumps([record.fields, record.addresses, organization], sort_keys=True, default=str)
    return hashlib.sha256(b"push|" + payload.encode()).hexdigest()
