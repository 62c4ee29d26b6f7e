"""A mission in the engagement API's ``MissionLegacy`` shape (its ``v0`` read format)."""

from __future__ import annotations

import datetime as dt

from cms.core.geo import DEPARTMENTS
from cms.missions.models import Mission

from .links import tracked_mission_url

#: Tremplin programmes and the engagement API's ``type`` they are reported as; others are reported without a type.
PROGRAMME_TYPES = {
    "benevolat": "benevolat",
    "reserve-civique": "benevolat",
    "service-civique": "volontariat_service_civique",
    "sapeurs-pompiers-volontaires": "volontariat_sapeurs_pompiers",
    "reserve-operationnelle": "volontariat_reserve_operationnelle",
}
#: Compensation units the engagement API knows; the others are reported without a unit.
UNITS = {"hour", "day", "month", "year"}


def _datetime(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value.isoformat().replace("+00:00", "Z")


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _address(address) -> dict:
    department = DEPARTMENTS.get(address.department_code)
    return {
        "street": address.street or None,
        "postalCode": address.postcode or None,
        "city": address.city or None,
        "departmentCode": address.department_code or None,
        "departmentName": address.department_name or (department.name if department else None),
        "region": address.region or (department.region if department else None),
        "country": address.country or None,
    }


def mission_legacy(mission: Mission, source: str) -> dict:
    """``mission`` as a ``MissionLegacy`` object; the link to apply goes through the click redirect, counted under
    ``source`` (:func:`cms.syndication.links.source_of`).

    Expects ``organization``, ``domain`` and ``programme`` joined and ``addresses`` prefetched.
    """
    organization = mission.organization
    addresses = list(mission.addresses.all())
    located = next((a for a in addresses if a.latitude is not None and a.longitude is not None), None)
    return {
        "_id": str(mission.pk),
        "id": str(mission.pk),
        "clientId": mission.client_id,
        "publisherId": mission.source,
        "publisherName": mission.source,
        "statusCode": "ACCEPTED",
        "title": mission.title,
        "description": mission.description_html,
        "applicationUrl": tracked_mission_url(mission, source),
        "image": mission.image_url or None,
        "domain": mission.domain.slug if mission.domain else None,
        "domainLogo": None,
        "activities": list(mission.activities),
        "activity": ", ".join(mission.activities) or None,
        "tags": list(mission.tags),
        "audience": list(mission.audience),
        "requirements": list(mission.requirements),
        "softSkills": list(mission.soft_skills),
        "remote": mission.remote,
        "schedule": mission.schedule or None,
        "startAt": _datetime(mission.start_date),
        "endAt": _datetime(mission.end_date),
        "postedAt": _datetime(mission.posted_at),
        "duration": None,
        "places": mission.places or None,
        "compensationAmount": float(mission.compensation_amount) if mission.compensation_amount is not None else None,
        "compensationAmountMax": (
            float(mission.compensation_amount_max) if mission.compensation_amount_max is not None else None
        ),
        "compensationUnit": mission.compensation_unit if mission.compensation_unit in UNITS else None,
        "compensationType": mission.compensation_type or None,
        "openToMinors": _yes_no(mission.open_to_minors),
        "reducedMobilityAccessible": _yes_no(mission.reduced_mobility_accessible),
        "addresses": [_address(a) for a in addresses],
        "location": {"lat": located.latitude, "lon": located.longitude} if located else None,
        "type": PROGRAMME_TYPES.get(mission.programme.slug) if mission.programme else None,
        "organizationClientId": organization.client_id or None if organization else None,
        "organizationName": organization.name if organization else None,
        "organizationUrl": organization.url or None if organization else None,
        "organizationRNA": organization.rna or None if organization else None,
        "organizationSiren": organization.siren or None if organization else None,
        "organizationSiret": organization.siret or None if organization else None,
        "organizationCity": organization.city or None if organization else None,
        "organizationPostCode": organization.postcode or None if organization else None,
        "createdAt": _datetime(mission.created_at),
        "updatedAt": _datetime(mission.updated_at),
        "deletedAt": None,
    }
