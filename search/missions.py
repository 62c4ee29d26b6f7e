"""What a mission looks like to search: the record both backends index, its filters, facets and facet labels.

Records are built from ``Mission.objects.searchable()`` only: visibility is decided by ``cms``, never here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, models

from cms.core.geo import DEPARTMENTS
from cms.missions.models import Mission, MissionAddress
from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Programme

from .base import Facet, Filter, FilterType, Kind, SqlRecords
from .folding import fold, fold_sql, fold_words, fold_words_sql

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
    department = DEPARTMENTS.get(place.get("department_code") or "")
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
    "activities",
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
        "title_folded": fold_words(row["title"]),
        "secondary": secondary,
        "description": row["description_text"],
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
        "activities": row["activities"] if isinstance(row["activities"], list) else [],
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


#: What ``str.strip()`` removes (``btrim`` removes spaces only), for the SQL twin of a folded city's ``strip()``.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class _Columns:
    """A model's table and columns under an alias, quoted, for the raw SQL below, all read from ``Model._meta``:
    ``_Columns(Mission, "m").title`` is ``m."title"`` (or whatever column the field is stored in), ``.pk`` the primary
    key's, ``.table`` the table's name; a field that does not exist raises ``FieldDoesNotExist``."""

    def __init__(self, model: type[models.Model], alias: str) -> None:
        self._model = model
        self._alias = alias

    @property
    def table(self) -> str:
        return connection.ops.quote_name(self._model._meta.db_table)

    def __getattr__(self, name: str) -> str:
        meta = self._model._meta
        field = meta.pk if name == "pk" else meta.get_field(name)
        return f"{self._alias}.{connection.ops.quote_name(field.column)}"


def sql_records(pks: list[int]) -> SqlRecords:
    """:func:`records` of ``pks`` as SQL (PostgreSQL): the same rows, built by the database where the missions are.

    An import's index update otherwise reads every mission and its addresses into Python, folds and shapes them
    and copies them back: most of its time. Visibility is still decided by ``cms`` (the compiled ``searchable()``
    queryset); an address's department is the code stored with it (``cms.core.geo.address_department`` is applied
    when it is written), its region from :data:`~cms.core.geo.DEPARTMENTS` (a parameter). Tables and columns come
    from the models' ``_meta``, folding from the database function of :mod:`search.folding`. ``tests/search``
    compares both builds on tricky missions.
    """
    # The ids as a list (``id IN (…)``), not a range: the planner then expects as many rows as ids even while an import
    # writes ids beyond its statistics (a range there is estimated at one row, and the grouped departments below were
    # then joined by a nested loop re-run for every mission: seconds per batch).
    visible, visible_params = searchable().filter(pk__in=sorted(pks)).order_by().values("pk").query.sql_with_params()
    departments = {code: department.region for code, department in DEPARTMENTS.items()}
    m, a = _Columns(Mission, "m"), _Columns(MissionAddress, "a")
    o, p, d = _Columns(Organization, "o"), _Columns(Programme, "p"), _Columns(Domain, "d")
    ctes = f"""
        wanted (id) AS ({visible}),
        department (code, region) AS (SELECT key, value FROM jsonb_each_text(%s::jsonb)),
        addresses AS (
            SELECT a.* FROM {a.table} a JOIN wanted ON wanted.id = {a.mission}
        ),
        places AS MATERIALIZED (
            SELECT {a.mission} AS pk,
                   row_number() OVER (PARTITION BY {a.mission} ORDER BY {a.sort_order}, {a.pk}) AS position,
                   {a.latitude} AS latitude, {a.longitude} AS longitude,
                   coalesce(known.code, '') AS department,
                   {fold_sql(f"coalesce(nullif({a.region}, ''), known.region, '')")} AS region,
                   btrim({fold_sql(a.city)}, %s) AS city
            FROM addresses a
            LEFT JOIN department known ON known.code = {a.department_code}
        ),
        seen AS (
            SELECT one.pk, jsonb_agg(one.department ORDER BY one.department COLLATE "C") AS departments,
                   string_agg(one.department, ',' ORDER BY one.department COLLATE "C") AS key
            FROM (SELECT DISTINCT pk, department FROM places WHERE department <> '') one
            GROUP BY one.pk
        ),
        records AS MATERIALIZED (
            SELECT {m.pk} AS pk, {m.title} AS title, {fold_words_sql(m.title)} AS title_folded,
                   concat_ws(' · ', nullif({o.name}, ''), nullif({p.label}, ''), nullif({d.label}, '')) AS secondary,
                   {m.description_text} AS description, NULL::date AS visible_from, {m.end_date} AS visible_until,
                   {m.start_date} AS start_date, {m.posted_at} AS published_at, {m.remote} = %s AS everywhere,
                   coalesce({p.slug}, '') AS programme, coalesce({d.slug}, '') AS domain, {m.remote} AS remote,
                   {m.domain} AS domain_code, {m.programme} AS programme_code, remote.code AS remote_code,
                   ((coalesce({m.domain}, 0) * {_PROGRAMME_SPAN}::bigint + coalesce({m.programme}, 0)) * 4
                    + coalesce(remote.code, 0)) AS facets_combined,
                   {m.source} AS source,
                   CASE WHEN jsonb_typeof({m.activities}) = 'array' THEN {m.activities} ELSE '[]'::jsonb END
                       AS activities,
                   {m.organization} AS organization, {m.open_to_minors} AS open_to_minors,
                   {m.reduced_mobility_accessible} AS accessible, {p.min_age} AS min_age, {p.max_age} AS max_age,
                   coalesce(seen.departments, '[]'::jsonb) AS departments, coalesce(seen.key, '') AS department_key
            FROM {m.table} m
            JOIN wanted ON wanted.id = {m.pk}
            CROSS JOIN LATERAL (SELECT (%s::jsonb ->> {m.remote})::smallint AS code) remote
            LEFT JOIN {o.table} o ON {o.pk} = {m.organization}
            LEFT JOIN {p.table} p ON {p.pk} = {m.programme}
            LEFT JOIN {d.table} d ON {d.pk} = {m.domain}
            LEFT JOIN seen ON seen.pk = {m.pk}
        )"""  # noqa: S608 - the compiled queryset and names from model metadata; values are parameters
    params = [
        *visible_params,
        json.dumps(departments),
        _FOLDED_WHITESPACE,
        Mission.Remote.FULL,
        json.dumps(REMOTE_CODES),
    ]
    return SqlRecords(ctes=ctes, params=params, relations={"places": "places"})


#: What ``str.strip()`` removes from a folded (ASCII) string.
_FOLDED_WHITESPACE = "".join(c for c in _WHITESPACE if c.isascii())


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
        "eligible_at_age": Filter(FilterType.AGE, "min_age", "min_age", upper="max_age", minors="open_to_minors"),
        "organization": Filter(FilterType.IDS, "organization", "organization"),
        # Diffusion partners' excluded organisations (``cms.syndication.rules.search_filters``); not a public filter.
        "excluded_organization": Filter(FilterType.EXCLUDED_IDS, "organization", "organization"),
        "source": Filter(FilterType.TERMS, "source", "source"),
        "activity": Filter(FilterType.TERMS, "activities", "activities", array="activities"),
    },
    facets={
        "domain": Facet("domain", "domain"),
        "programme": Facet("programme", "programme"),
        "remote": Facet("remote", "remote"),
        "department": Facet("places__department", "departments", multi=True, array="departments", key="department_key"),
    },
    records=records,
    searchable=searchable,
    public=Mission.objects.public,
    labels=labels,
    codes=codes,
    combination="facets_combined",
    combined=COMBINED,
    split=split,
    sql_records=sql_records,
)
