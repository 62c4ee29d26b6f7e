"""What a mission looks like to search: the record both backends index, its filters, facets and facet labels.

Records are built from ``Mission.objects.searchable()`` only: visibility is decided by ``cms``, never here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cms.core.geo import DEPARTMENTS, department_from_postcode
from cms.missions.models import Mission, MissionAddress
from cms.taxonomy.models import Domain, Programme

from .base import Facet, Filter, FilterType, Kind, fold

CHUNK = 2000


def place_record(address: MissionAddress | object) -> dict:
    """The searchable part of an address or a store: point, department, region and city, folded."""
    department = DEPARTMENTS.get(address.department_code or "") or department_from_postcode(address.postcode)
    region = getattr(address, "region", "") or (department.region if department else "")
    return {
        "latitude": address.latitude,
        "longitude": address.longitude,
        "department": department.code if department else "",
        "region": fold(region),
        "city": fold(address.city).strip(),
    }


def mission_record(mission: Mission) -> dict:
    organization = mission.organization.name if mission.organization else ""
    programme = mission.programme
    places = [place_record(address) for address in mission.addresses.all()]
    return {
        "pk": mission.pk,
        "title": mission.title,
        "title_folded": fold(mission.title),
        "secondary": organization,
        "description": mission.description_text,
        "search_text": fold(f"{mission.title} {organization} {mission.description_text}"),
        "visible_from": None,
        "visible_until": mission.end_date,
        "start_date": mission.start_date,
        "published_at": mission.posted_at,
        "everywhere": mission.remote == Mission.Remote.FULL,
        "programme": programme.slug if programme else "",
        "domain": mission.domain.slug if mission.domain else "",
        "remote": mission.remote,
        "source": mission.source,
        "organization": mission.organization_id,
        "open_to_minors": mission.open_to_minors,
        "accessible": mission.reduced_mobility_accessible,
        "min_age": programme.min_age if programme else None,
        "max_age": programme.max_age if programme else None,
        "places": places,
        "departments": sorted({place["department"] for place in places if place["department"]}),
    }


def searchable():
    return Mission.objects.searchable()


def records(pks: Iterable[int] | None = None) -> Iterator[dict]:
    """Records of the searchable missions among ``pks`` (all of them when None), streamed in chunks."""
    queryset = searchable().select_related("organization", "programme", "domain").prefetch_related("addresses")
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    for mission in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield mission_record(mission)


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
        "programme": Filter(FilterType.TERMS, "programme", "programme"),
        "domain": Filter(FilterType.TERMS, "domain", "domain"),
        "remote": Filter(FilterType.TERMS, "remote", "remote"),
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
        "department": Facet("places__department", "departments", multi=True, array="departments"),
    },
    records=records,
    searchable=searchable,
    labels=labels,
)
