"""From one raw feed entry (a dict, whatever the format) to a :class:`MissionRecord` ready to be validated and written.

Raw entries keep the engagement feed's field names (``clientId``, ``startAt``, ``addresses``…); XML, JSON and CSV
parsers all produce that shape, so this mapping is written once. Values that cannot be read become refusal reasons
(``errors``) or, when the mission stays usable, ``warnings``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.utils import timezone

from cms.missions.models import Mission, MissionAddress
from cms.organisations.models import Organization

from . import normalise as n


def max_length(model: type[Model], field: str) -> int:
    """The column width of ``model.field``: free text longer than that is cut to fit, identifiers are refused."""
    return model._meta.get_field(field).max_length


TITLE_MAX = max_length(Mission, "title")
#: Identifiers are refused beyond their column's width, never cut: a cut one would name another mission.
CLIENT_ID_MAX = max_length(Mission, "client_id")
ORGANIZATION_CLIENT_ID_MAX = max_length(Organization, "client_id")
_ADDRESS_CITY_MAX = max_length(MissionAddress, "city")
_ADDRESS_DEPARTMENT_NAME_MAX = max_length(MissionAddress, "department_name")
_ADDRESS_REGION_MAX = max_length(MissionAddress, "region")
_ADDRESS_STREET_MAX = max_length(MissionAddress, "street")
_MISSION_APPLICATION_URL_MAX = max_length(Mission, "application_url")
_MISSION_IMAGE_URL_MAX = max_length(Mission, "image_url")
_MISSION_SCHEDULE_MAX = max_length(Mission, "schedule")
_ORG_CITY_MAX = max_length(Organization, "city")
_ORG_LOGO_URL_MAX = max_length(Organization, "logo_url")
_ORG_NAME_MAX = max_length(Organization, "name")
_ORG_STREET_MAX = max_length(Organization, "street")
_ORG_URL_MAX = max_length(Organization, "url")


@dataclasses.dataclass(slots=True)
class NormaliseContext:
    """What normalisation needs from the database, loaded once per run."""

    domain_ids: dict[str, int]
    programme_ids: dict[str, int]
    default_domain_id: int | None = None
    default_programme_id: int | None = None
    #: Organisations already read in this run (a feed repeats the same few hundred organisations many times).
    organizations: dict[tuple, tuple[OrganizationRecord | None, list[str]]] = dataclasses.field(default_factory=dict)

    @property
    def fallback_domain_id(self) -> int | None:
        return self.domain_ids.get("autre")


@dataclasses.dataclass(slots=True)
class OrganizationRecord:
    client_id: str
    fields: dict[str, Any]


@dataclasses.dataclass(slots=True)
class MissionRecord:
    client_id: str
    fields: dict[str, Any]
    addresses: list[dict[str, Any]]
    organization: OrganizationRecord | None
    description_length: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    encoding_fields: list[str] = dataclasses.field(default_factory=list)


def first(raw: dict, *keys: str) -> Any:
    """The first non-empty value among ``keys`` (feeds disagree on names: startAt, startDate, start_date…)."""
    for key in keys:
        value = raw.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def client_id_of(raw: dict) -> str:
    """The mission's identifier at its source, whole: one too long to store is refused, never cut."""
    return n.text(first(raw, "clientId", "client_id", "clientid", "id"))


class _Reader:
    """Collects errors and warnings while reading fields, so one bad value does not hide the others."""

    def __init__(self, record_errors: list[str], record_warnings: list[str]):
        self.errors = record_errors
        self.warnings = record_warnings

    def must(self, label: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except n.InvalidValue as exc:
            self.errors.append(f"{label} : {exc}.")
            return None

    def may(self, label: str, default: Any, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except n.InvalidValue as exc:
            self.warnings.append(f"{label} ignoré(e) : {exc}.")
            return default


def _raw_addresses(raw: dict) -> list[dict]:
    """The ``<addresses><address>…`` list (or JSON array), else the legacy flat address fields of the mission."""
    addresses = raw.get("addresses")
    if isinstance(addresses, dict):
        addresses = addresses.get("address", [])
    if isinstance(addresses, dict):
        addresses = [addresses]
    if isinstance(addresses, list) and addresses:
        return [a for a in addresses if isinstance(a, dict)]
    address = raw.get("address")
    if isinstance(address, dict):
        return [address]
    flat = {
        "street": address or raw.get("street"),
        "postalCode": first(raw, "postalCode", "postcode", "zip"),
        "city": raw.get("city"),
        "departmentCode": first(raw, "departmentCode", "department"),
        "departmentName": raw.get("departmentName"),
        "region": raw.get("region"),
        "country": raw.get("country"),
        "location": raw.get("location"),
        "lonLat": first(raw, "lonLat", "lonlat"),
        "lat": first(raw, "lat", "latitude"),
        "lon": first(raw, "lon", "lng", "longitude"),
    }
    return [flat] if any(v not in (None, "", {}) for v in flat.values()) else []


def _address(raw: dict, reader: _Reader, position: int) -> dict[str, Any] | None:
    label = f"Adresse {position}"
    postcode = n.postcode(first(raw, "postalCode", "postcode", "zip", "codePostal"))
    country = n.country(raw.get("country"))
    french = country in ("FR", "")
    coordinates = None
    location = raw.get("location")
    if isinstance(location, dict) and any(n.text(v) for v in location.values()):
        coordinates = reader.must(
            label, n.fix_coordinates, location.get("lat"), location.get("lon", location.get("lng")), french=french
        )
    elif first(raw, "lonLat", "lonlat") is not None:
        coordinates = reader.must(label, n.parse_lonlat, first(raw, "lonLat", "lonlat"), french=french)
    elif first(raw, "lat", "latitude") is not None or first(raw, "lon", "lng", "longitude") is not None:
        coordinates = reader.must(
            label,
            n.fix_coordinates,
            first(raw, "lat", "latitude"),
            first(raw, "lon", "lng", "longitude"),
            french=french,
        )
    code, name, region = n.department_and_region(n.text(first(raw, "departmentCode", "department")), postcode)
    fields = {
        "street": n.truncate(n.text(first(raw, "street", "address")), _ADDRESS_STREET_MAX),
        "postcode": postcode,
        "city": n.truncate(n.text(raw.get("city")), _ADDRESS_CITY_MAX),
        "department_code": code,
        "department_name": n.truncate(n.text(raw.get("departmentName")) or name, _ADDRESS_DEPARTMENT_NAME_MAX),
        "region": n.truncate(n.text(raw.get("region")) or region, _ADDRESS_REGION_MAX),
        "country": country,
        "latitude": coordinates[0] if coordinates else None,
        "longitude": coordinates[1] if coordinates else None,
    }
    if not any((fields["street"], fields["postcode"], fields["city"], coordinates)):
        return None
    return fields


_ORG_KEYS = (
    "organizationName",
    "organizationClientId",
    "organizationId",
    "organizationRNA",
    "organizationSiren",
    "organizationSiret",
    "organizationUrl",
    "organizationLogo",
    "organizationDescription",
    "organizationFullAddress",
    "organizationPostCode",
    "organizationCity",
    "organizationType",
    "organizationStatusJuridique",
)


def _cached_organization(raw: dict, ctx: NormaliseContext) -> tuple[OrganizationRecord | None, list[str]]:
    key: tuple = tuple(map(raw.get, _ORG_KEYS))
    try:
        cached = ctx.organizations.get(key)
    except TypeError:  # a nested value (a dict from an odd feed) is not hashable: key on its text instead
        key = tuple(str(value) for value in key)
        cached = ctx.organizations.get(key)
    if cached is None:
        warnings: list[str] = []
        cached = (_organization(raw, _Reader([], warnings)), warnings)
        if len(ctx.organizations) < 50_000:
            ctx.organizations[key] = cached
    return cached


def _organization(raw: dict, reader: _Reader) -> OrganizationRecord | None:
    name = n.truncate(n.text(raw.get("organizationName")), _ORG_NAME_MAX)
    if not name:
        return None
    # An identifier the feed gives is kept whole (validation refuses one too long); one derived here is ours to fit.
    client_id = (
        n.text(first(raw, "organizationClientId", "organizationId")) or n.slug_key(name)[:ORGANIZATION_CLIENT_ID_MAX]
    )
    fields = {
        "name": name,
        "rna": n.rna(raw.get("organizationRNA")),
        "siren": n.digits(raw.get("organizationSiren"), 9),
        "siret": n.digits(raw.get("organizationSiret"), 14),
        "url": reader.may("Site de l'organisation", "", n.url, raw.get("organizationUrl"), max_length=_ORG_URL_MAX),
        "logo_url": reader.may(
            "Logo de l'organisation",
            "",
            n.url,
            raw.get("organizationLogo"),
            max_length=_ORG_LOGO_URL_MAX,
        ),
        "description": n.text(raw.get("organizationDescription")),
        "street": n.truncate(n.text(raw.get("organizationFullAddress")), _ORG_STREET_MAX),
        "postcode": n.postcode(raw.get("organizationPostCode")),
        "city": n.truncate(n.text(raw.get("organizationCity")), _ORG_CITY_MAX),
        "kind": n.organization_kind(raw.get("organizationType"), raw.get("organizationStatusJuridique")),
    }
    fields["department_code"] = n.department_and_region("", fields["postcode"])[0] if fields["postcode"] else ""
    return OrganizationRecord(client_id=client_id, fields=fields)


def normalise_mission(raw: dict, ctx: NormaliseContext) -> MissionRecord:
    """Read every field of a raw feed entry; never raises on bad data (it lands in ``errors``/``warnings``)."""
    errors: list[str] = []
    warnings: list[str] = []
    reader = _Reader(errors, warnings)

    raw_title = n.text(raw.get("title"))
    raw_description = n.text(first(raw, "description", "descriptionHtml"))
    description_html, description_text = n.description(raw_description)

    domain_value = n.text(raw.get("domain"))
    domain_id = ctx.default_domain_id
    if domain_value:
        slug = n.domain_slug(domain_value, ctx.domain_ids)
        if slug is None:
            warnings.append(f"Domaine inconnu « {n.truncate(domain_value, 60)} » : mission classée dans « autre ».")
            domain_id = ctx.fallback_domain_id
        else:
            domain_id = ctx.domain_ids[slug]
    elif domain_id is None:
        domain_id = ctx.fallback_domain_id

    programme_id = ctx.default_programme_id
    mission_type = n.slug_key(n.text(raw.get("type")))
    if mission_type in n.PROGRAMME_BY_TYPE and n.PROGRAMME_BY_TYPE[mission_type] in ctx.programme_ids:
        programme_id = ctx.programme_ids[n.PROGRAMME_BY_TYPE[mission_type]]

    amount = reader.must("Indemnisation", n.parse_decimal, raw.get("compensationAmount"))
    amount_max = reader.must("Indemnisation maximale", n.parse_decimal, raw.get("compensationAmountMax"))
    posted_at = reader.may("Date de publication", None, n.parse_datetime, first(raw, "postedAt", "createdAt"))

    fields: dict[str, Any] = {
        "title": n.truncate(raw_title, TITLE_MAX),
        "description_html": description_html,
        "description_text": description_text,
        "programme_id": programme_id,
        "domain_id": domain_id,
        "activities": n.split_list(first(raw, "activities", "activity")),
        "tags": n.split_list(raw.get("tags")),
        "audience": n.split_list(raw.get("audience")),
        "soft_skills": n.split_list(raw.get("softSkills")),
        "requirements": n.split_list(raw.get("requirements")),
        "remote": reader.may("Télétravail", "no", n.parse_remote, raw.get("remote")),
        "schedule": n.truncate(n.text(raw.get("schedule")), _MISSION_SCHEDULE_MAX),
        "start_date": reader.must("Date de début", n.parse_date, first(raw, "startAt", "startDate")),
        "end_date": reader.must("Date de fin", n.parse_date, first(raw, "endAt", "endDate")),
        "posted_at": posted_at or timezone.now(),
        "places": reader.must("Nombre de places", n.parse_int, raw.get("places")),
        "open_to_minors": bool(reader.may("Ouverte aux mineurs", False, n.parse_bool, raw.get("openToMinors"))),
        "reduced_mobility_accessible": bool(
            reader.may("Accessibilité PMR", False, n.parse_bool, raw.get("reducedMobilityAccessible"))
        ),
        "close_to_transport": bool(
            reader.may("Proche des transports", False, n.parse_bool, raw.get("closeToTransport"))
        ),
        "compensation_amount": amount,
        "compensation_amount_max": amount_max,
        "compensation_unit": reader.may("Unité d'indemnisation", "", n.compensation_unit, raw.get("compensationUnit")),
        "compensation_type": reader.may("Type d'indemnisation", "", n.compensation_type, raw.get("compensationType")),
        "application_url": reader.must(
            "Lien de candidature",
            n.url,
            first(raw, "applicationUrl", "url"),
            max_length=_MISSION_APPLICATION_URL_MAX,
        )
        or "",
        "image_url": reader.may(
            "Image", "", n.url, first(raw, "image", "imageUrl", "logo"), max_length=_MISSION_IMAGE_URL_MAX
        ),
    }

    addresses = []
    for position, raw_address in enumerate(_raw_addresses(raw), start=1):
        address = _address(raw_address, reader, position)
        if address is not None:
            addresses.append(address)

    organization, organization_warnings = _cached_organization(raw, ctx)
    warnings.extend(organization_warnings)
    encoding_fields = [
        label
        for label, value in (
            ("titre", raw_title),
            ("description", raw_description),
            ("organisation", organization.fields["name"] if organization else ""),
        )
        if n.has_encoding_errors(value)
    ]
    for key, value in fields.items():
        if isinstance(value, str) and "\x00" in value:
            fields[key] = value.replace("\x00", "")
    return MissionRecord(
        client_id=client_id_of(raw).replace("\x00", ""),
        fields=fields,
        addresses=addresses,
        organization=organization,
        description_length=len(raw_description),
        errors=errors,
        warnings=warnings,
        encoding_fields=encoding_fields,
    )
