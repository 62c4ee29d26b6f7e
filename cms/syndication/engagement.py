"""``GET /v0/mission`` and ``/v0/mission/search``, answered as the French engagement API answers them.

A diffuser of the engagement API switches to Tremplin by changing its base URL: same parameters (one value, repeated
values or comma-separated values), same ``x-api-key`` header, same response shape (``MissionLegacy``), same error
codes. Results come from the search interface (:mod:`search.base`), narrowed by the key's partner rules
(:func:`cms.syndication.rules.search_filters`), and every mission is loaded through
:func:`cms.syndication.rules.restrict`. Links to apply go through the click redirect, counted under the key.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.http import require_GET

from cms.core.geo import DEPARTMENTS
from cms.missions.models import Mission
from cms.organisations.kinds import kind_of_status
from cms.organisations.models import Organization
from cms.partners_api.models import Scope
from search.base import MAX_OFFSET, MAX_PAGE_SIZE, InvalidSearch, Near, SearchQuery, encode_cursor, fold, search
from search.missions import MISSIONS

from .access import api_error, authorise
from .legacy import mission_legacy
from .links import source_of
from .rules import NOTHING, restrict, search_filters
from .usage import record_usage

DEFAULT_LIMIT = 25
DEFAULT_DISTANCE_KM = 50.0
#: The engagement API's ``type`` values and the Tremplin programmes they stand for.
TYPE_PROGRAMMES = {
    "benevolat": ["benevolat", "reserve-civique"],
    "volontariat_service_civique": ["service-civique"],
    "volontariat_sapeurs_pompiers": ["sapeurs-pompiers-volontaires"],
    "volontariat_reserve_operationnelle": ["reserve-operationnelle"],
}
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
_DISTANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km)?\s*$", re.IGNORECASE)
_DATE_BOUND = re.compile(r"^([<>])(\d{4}-\d{2}-\d{2})")
_DEPARTMENTS_BY_NAME = {fold(d.name): d.code for d in DEPARTMENTS.values()}
#: No organisation has this id: what the organisation filters become when no organisation matches them.
NO_ORGANISATION = 0


class BadParams(ValueError):
    """A parameter the caller got wrong; the message is French."""


def values(params: QueryDict, name: str) -> list[str]:
    """A parameter's values, given once, repeated or comma-separated, stripped, blanks dropped."""
    found = []
    for raw in params.getlist(name):
        found.extend(part.strip() for part in raw.split(","))
    return [value for value in found if value]


def _integer(params: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise BadParams(f"« {name} » doit être un entier positif.")
    return min(int(raw), maximum)


def _flag(params: QueryDict, name: str) -> bool | None:
    raw = params.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise BadParams(f"« {name} » vaut true, false, yes, no, 1 ou 0.")


def _near(params: QueryDict) -> Near | None:
    lat, lon = params.get("lat", "").strip(), params.get("lon", "").strip()
    if not lat and not lon:
        return None
    if not lat or not lon:
        raise BadParams("« lat » et « lon » vont ensemble.")
    match = _DISTANCE.match(params.get("distance", "") or str(DEFAULT_DISTANCE_KM))
    if match is None:
        raise BadParams("« distance » s'écrit en kilomètres, par ex. 25km.")
    try:
        return Near(float(lat), float(lon), float(match.group(1)))
    except ValueError:
        raise BadParams("« lat » et « lon » doivent être des nombres.") from None


def _organizations(params: QueryDict) -> list[int] | None:
    """The organisations ``organizationRNA`` and ``organizationStatusJuridique`` ask for; None when neither is given.

    A legal status stands for the organisation kind the importers derive from it
    (:func:`cms.organisations.kinds.kind_of_status`; a status of no known word is "other", as imported).
    """
    rnas = [value.upper().replace(" ", "") for value in values(params, "organizationRNA")]
    statuses = values(params, "organizationStatusJuridique")
    if not rnas and not statuses:
        return None
    organizations = Organization.objects.all()
    if rnas:
        organizations = organizations.filter(rna__in=rnas)
    if statuses:
        kinds = {kind_of_status(status) or Organization.Kind.OTHER for status in statuses}
        organizations = organizations.filter(kind__in=sorted(kinds))
    return list(organizations.order_by("pk").values_list("pk", flat=True))


def query_from(params: QueryDict) -> tuple[SearchQuery, int, int]:
    """The search query the engagement API's parameters ask for, with the limit and skip to answer with."""
    limit = _integer(params, "limit", DEFAULT_LIMIT, MAX_PAGE_SIZE)
    skip = _integer(params, "skip", 0, MAX_OFFSET)
    filters: dict = {}
    if domains := values(params, "domain"):
        filters["domain"] = domains
    if types := values(params, "type"):
        unknown = [t for t in types if t not in TYPE_PROGRAMMES]
        if unknown:
            raise BadParams(f"Type d'engagement inconnu : « {unknown[0]} ».")
        filters["programme"] = sorted({slug for t in types for slug in TYPE_PROGRAMMES[t]})
    if remote := values(params, "remote"):
        filters["remote"] = sorted({"no" if value == "local" else value for value in remote})
    if cities := values(params, "city"):
        filters["city"] = cities
    if names := values(params, "departmentName"):
        filters["department"] = [_DEPARTMENTS_BY_NAME.get(fold(name), NOTHING) for name in names]
    if publishers := values(params, "publisher"):
        filters["source"] = publishers
    if activities := values(params, "activity"):
        filters["activity"] = activities
    if (organizations := _organizations(params)) is not None:
        filters["organization"] = organizations or [NO_ORGANISATION]
    for name, flag in (("openToMinors", "open_to_minors"), ("reducedMobilityAccessible", "accessible")):
        if _flag(params, name):
            filters[flag] = True
    for bound in values(params, "startAt"):
        match = _DATE_BOUND.match(bound)
        if match is None:
            raise BadParams("« startAt » s'écrit >AAAA-MM-JJ ou <AAAA-MM-JJ.")
        filters["start_after" if match.group(1) == ">" else "start_before"] = match.group(2)
    query = SearchQuery(
        text=params.get("keywords", ""),
        filters=filters,
        near=_near(params),
        first=max(limit, 1),
        after=encode_cursor(skip) if skip else None,
    )
    return query, limit, skip


def _answer(request: HttpRequest, *, with_facets: bool) -> JsonResponse:
    key, refusal = authorise(request, Scope.READ_MISSIONS)
    if refusal is not None:
        return refusal
    partner = key.partner
    try:
        query, limit, skip = query_from(request.GET)
        query.filters = MISSIONS.clean_filters(search_filters(partner, MISSIONS.name, query.filters))
        query.facets = ("domain", "department") if with_facets else ()
        result = search(MISSIONS, query)
    except (BadParams, InvalidSearch) as exc:
        return api_error(400, "INVALID_QUERY", str(exc))
    hits = result.hits[:limit]
    loaded = (
        restrict(Mission.objects.all(), partner)
        .filter(pk__in=[hit.pk for hit in hits])
        .select_related("organization", "domain", "programme")
        .prefetch_related("addresses")
        .in_bulk()
    )
    source = source_of(key, partner)
    missions = [mission_legacy(loaded[hit.pk], source) for hit in hits if hit.pk in loaded]
    record_usage(key, items=len(missions))
    if not with_facets:
        return JsonResponse({"ok": True, "total": result.total, "limit": limit, "skip": skip, "data": missions})
    facets = {
        "domains": [{"key": v.value, "doc_count": v.count} for v in result.facets.get("domain", [])],
        "activities": [],
        "departmentName": [
            {"key": DEPARTMENTS[v.value].name if v.value in DEPARTMENTS else v.value, "doc_count": v.count}
            for v in result.facets.get("department", [])
        ],
    }
    return JsonResponse({"ok": True, "total": result.total, "hits": missions, "facets": facets})


@require_GET
def mission_list(request: HttpRequest) -> JsonResponse:
    return _answer(request, with_facets=False)


@require_GET
def mission_search(request: HttpRequest) -> JsonResponse:
    return _answer(request, with_facets=True)
