"""What a mission looks like to search: the record both backends index, its filters, facets and facet labels.

Records are built from ``Mission.objects.searchable()`` only: visibility is decided by ``cms``, never here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from cms.core.geo import DEPARTMENTS, department_from_postcode
from cms.missions.models import Mission, MissionAddress
from cms.taxonomy.models import Domain, Programme

from .base import Facet, Filter, FilterType, Kind, fold

CHUNK = 2000

#: Integer codes of the remote-work choices on the document (``remote_code``): fixed, never reused; 0 is no value.
REMOTE_CODES: dict[str, int] = {Mission.Remote.NO: 1, Mission.Remote.POSSIBLE: 2, Mission.Remote.FULL: 3}
#: Taxonomy codes are the terms' primary keys (stable when a slug or label is renamed, new terms get new ones); the
#: combination packs (domain, programme, remote) as ``(domain × 2³⁰ + programme) × 4 + remote`` in a bigint.
_PROGRAMME_SPAN = 2**30
COMBINED = ("domain", "programme", "remote")


def combination(domain: int | None, programme: int | None, remote: int | None) -> int:
    """The one integer facet counts group by on PostgreSQL; 0 stands for a missing value."""
    if not 0 <= (programme or 0) < _PROGRAMME_SPAN or not 0 <= (domain or 0) < 2**31:
        raise ValueError(f"Taxonomy key out of the combination's range: domain {domain}, programme {programme}.")
    return ((domain or 0) * _PROGRAMME_SPAN + (programme or 0)) * 4 + (remote or 0)


def split(value: int) -> dict[str, int | None]:
    """The codes a :func:`combination` was made of, None where the document has no value."""
    rest, remote = divmod(value, 4)
    domain, programme = divmod(rest, _PROGRAMME_SPAN)
    return {"domain": domain or None, "programme": programme or None, "remote": remote or None}


def codes(name: str) -> dict[str, int]:
    """Slug → code of a coded filter or facet, read from the taxonomy (terms may be added or renamed at any time)."""
    if name == "domain":
        return dict(Domain.objects.values_list("slug", "pk"))
    if name == "programme":
        return dict(Programme.objects.values_list("slug", "pk"))
    if name == "remote":
        return dict(REMOTE_CODES)
    return {}


def place_record(place: dict) -> dict:
    """The searchable part of an address or a store: point, department, region and city, folded."""
    department = DEPARTMENTS.get(place.get("department_code") or "") or department_from_postcode(place.get("postcode"))
    region = place.get("region") or (department.region if department else "")
    return {
        "latitude": place.get("latitude"),
        "longitude": place.get("longitude"),
        "department": department.code if department else "",
        "region": fold(region),
        "city": fold(place.get("city") or "").strip(),
    }


_FIELDS = (
    "pk",
    "title",
    "description_text",
    "organization_id",
    "organization__name",
    "programme_id",
    "programme__slug",
    "programme__label",
    "programme__min_age",
    "programme__max_age",
    "domain_id",
    "domain__slug",
    "domain__label",
    "remote",
    "source",
    "open_to_minors",
    "reduced_mobility_accessible",
    "start_date",
    "end_date",
    "posted_at",
)
_ADDRESS_FIELDS = ("mission_id", "postcode", "city", "department_code", "region", "latitude", "longitude")


def mission_record(row: dict, addresses: list[dict]) -> dict:
    organization = row["organization__name"] or ""
    # Programme and domain labels are searchable words ("service civique", "environnement") weighted with the
    # organisation; renaming a term re-indexes its missions (see ``search.indexing``).
    secondary = " · ".join(filter(None, (organization, row["programme__label"], row["domain__label"])))
    places = [place_record(address) for address in addresses]
    remote = REMOTE_CODES.get(row["remote"])
    departments = sorted({place["department"] for place in places if place["department"]})
    return {
        "pk": row["pk"],
        "title": row["title"],
        "title_folded": fold(row["title"]),
        "secondary": secondary,
        "description": row["description_text"],
        "search_text": fold(f"{row['title']} {secondary} {row['description_text']}"),
        "visible_from": None,
        "visible_until": row["end_date"],
        "start_date": row["start_date"],
        "published_at": row["posted_at"],
        "everywhere": row["remote"] == Mission.Remote.FULL,
        "programme": row["programme__slug"] or "",
        "domain": row["domain__slug"] or "",
        "remote": row["remote"],
        "domain_code": row["domain_id"],
        "programme_code": row["programme_id"],
        "remote_code": remote,
        "facets_combined": combination(row["domain_id"], row["programme_id"], remote),
        "source": row["source"],
        "organization": row["organization_id"],
        "open_to_minors": row["open_to_minors"],
        "accessible": row["reduced_mobility_accessible"],
        "min_age": row["programme__min_age"],
        "max_age": row["programme__max_age"],
        "places": places,
        "departments": departments,
        "department_key": ",".join(departments),
    }


def searchable():
    return Mission.objects.searchable()


def records(pks: Iterable[int] | None = None) -> Iterator[dict]:
    """Records of the searchable missions among ``pks`` (all of them when None), streamed in chunks by id.

    Plain rows rather than model instances: a full rebuild reads every mission, and instantiating 100,000 Wagtail
    models costs more than the rest of indexing together. Ids that are dense (an import's new missions, which take
    consecutive ids) are read as a range and the strays in it dropped: lists of thousands of ids cost more to send
    and plan than the few rows they leave out.
    """
    queryset = searchable()
    wanted: set[int] | None = None
    if pks is not None:
        wanted = set(pks)
        if not wanted:
            return
        low, high = min(wanted), max(wanted)
        if _dense(len(wanted), low, high):
            queryset = queryset.filter(pk__range=(low, high))
        else:
            queryset = queryset.filter(pk__in=sorted(wanted))
            wanted = None  # the database already left the others out
    last = 0
    while rows := list(queryset.filter(pk__gt=last).order_by("pk").values(*_FIELDS)[:CHUNK]):
        last = rows[-1]["pk"]
        if wanted is not None:
            rows = [row for row in rows if row["pk"] in wanted]
            if not rows:
                continue
        low, high = rows[0]["pk"], rows[-1]["pk"]
        addresses: dict[int, list[dict]] = defaultdict(list)
        for address in (
            (
                MissionAddress.objects.filter(mission_id__gte=low, mission_id__lte=high)
                if _dense(len(rows), low, high)
                else MissionAddress.objects.filter(mission_id__in=[r["pk"] for r in rows])
            )
            .order_by("mission_id", "sort_order", "pk")
            .values(*_ADDRESS_FIELDS)
        ):
            addresses[address["mission_id"]].append(address)
        for row in rows:
            yield mission_record(row, addresses[row["pk"]])


def _dense(count: int, low: int, high: int) -> bool:
    """Whether ``count`` distinct ids between ``low`` and ``high`` fill at least half of that range."""
    return high - low + 1 <= 2 * count


def labels(facet: str, values: list[str]) -> dict[str, str]:
    """Human labels of facet values, from the taxonomy (editors may rename terms without reindexing)."""
    if facet == "domain":
        return dict(Domain.objects.filter(slug__in=values).values_list("slug", "label"))
    if facet == "programme":
        return dict(Programme.objects.filter(slug__in=values).values_list("slug", "label"))
    if facet == "remote":
        return {value: str(label) for value, label in Mission.Remote.choices}
    if facet == "department":
        return {code: DEPARTMENTS[code].name for code in values if code in DEPARTMENTS}
    return {}


_PLACE_FILTERS = {
    "department": Filter(FilterType.TERMS, "places__department", "departments"),
    "region": Filter(FilterType.FOLDED_TERMS, "places__region", "regions"),
    "city": Filter(FilterType.FOLDED_TERMS, "places__city", "cities"),
}

MISSIONS = Kind(
    name="missions",
    model=Mission,
    filters={
        "programme": Filter(FilterType.TERMS, "programme", "programme", code="programme_code"),
        "domain": Filter(FilterType.TERMS, "domain", "domain", code="domain_code"),
        "remote": Filter(FilterType.TERMS, "remote", "remote", code="remote_code"),
        **_PLACE_FILTERS,
        "department": Filter(FilterType.TERMS, "places__department", "departments", array="departments"),
        "start_after": Filter(FilterType.DATE_FROM, "start_date", "start_date"),
        "start_before": Filter(FilterType.DATE_TO, "start_date", "start_date"),
        "open_to_minors": Filter(FilterType.BOOL, "open_to_minors", "open_to_minors"),
        "accessible": Filter(FilterType.BOOL, "accessible", "accessible"),
        "age": Filter(FilterType.AGE),
        "organization": Filter(FilterType.IDS, "organization", "organization"),
        "source": Filter(FilterType.TERMS, "source", "source"),
    },
    facets={
        "domain": Facet("domain", "domain"),
        "programme": Facet("programme", "programme"),
        "remote": Facet("remote", "remote"),
        "department": Facet("places__department", "departments", multi=True, array="departments", key="department_key"),
    },
    records=records,
    searchable=searchable,
    labels=labels,
    codes=codes,
    combination="facets_combined",
    combined=COMBINED,
    split=split,
)
