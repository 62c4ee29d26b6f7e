"""A :class:`~search.base.SearchQuery` as the body of a ``_search`` request, and its reply as a result."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from elasticsearch.dsl import A, Q, Search

from cms.core.ages import MAJORITY
from cms.core.geo import haversine_km

from ...base import (
    FacetPage,
    FacetPageQuery,
    FilterType,
    Hit,
    InvalidSearch,
    Kind,
    SearchQuery,
    SearchResult,
    Sort,
    encode_cursor,
    facet_page,
    facet_values,
    highlighted,
)
from .mapping import alias_name
from .text import fuzzy_query, text_query, with_highlights

logger = logging.getLogger(__name__)

#: Every value of a facet (departments, domains, partners…), not the top 200: a facet lists all it can filter by.
FACET_SIZE = 10_000
#: ``precision_threshold`` of the count of a facet's distinct values, its maximum: below it the count is exact but for
#: hash collisions (HyperLogLog++'s linear counting), far beyond the few thousand values a facet has.
DISTINCT_PRECISION = 40_000
#: ``index.max_result_window``: from + size past it is refused with a 400, so deeper pages use ``search_after``.
MAX_RESULT_WINDOW = 10_000


def _visible_on(day: datetime.date) -> Q:
    iso = day.isoformat()
    return Q(
        "bool",
        filter=[
            Q("bool", should=[~Q("exists", field="visible_from"), Q("range", visible_from={"lte": iso})]),
            Q("bool", should=[~Q("exists", field="visible_until"), Q("range", visible_until={"gte": iso})]),
        ],
    )


def filter_query(kind: Kind, name: str, value) -> Q:
    spec = kind.filters[name]
    if spec.type in (FilterType.TERMS, FilterType.FOLDED_TERMS, FilterType.IDS):
        return Q("terms", **{spec.es: [str(v) for v in value]})
    if spec.type == FilterType.EXCLUDED_IDS:
        return ~Q("terms", **{spec.es: [str(v) for v in value]})
    if spec.type == FilterType.BOOL:
        return Q("term", **{spec.es: True})
    if spec.type == FilterType.DATE_FROM:
        return Q("range", **{spec.es: {"gte": value.isoformat()}})
    if spec.type == FilterType.DATE_TO:
        return Q("range", **{spec.es: {"lte": value.isoformat()}})
    if spec.type == FilterType.AGE:
        lower, upper = spec.es, spec.upper
        rule = [
            Q("bool", should=[~Q("exists", field=lower), Q("range", **{lower: {"lte": value}})]),
            Q("bool", should=[~Q("exists", field=upper), Q("range", **{upper: {"gte": value}})]),
        ]
        if value < MAJORITY:
            rule.append(Q("term", **{spec.minors: True}))
        return Q("bool", filter=rule)
    if spec.type == FilterType.VALID_ON:
        return _visible_on(value)
    raise AssertionError(spec.type)  # pragma: no cover


def _matching(kind: Kind, query: SearchQuery, today: datetime.date | None) -> tuple[Search, dict[str, Q], list[Q], str]:
    """The cleaned facet selections, the other conditions, the search text and an empty request on the alias."""
    filters = kind.clean_filters(query.filters)
    text = query.search_text()
    selections = {name: filter_query(kind, name, value) for name, value in filters.items() if name in kind.facets}
    others = [filter_query(kind, name, value) for name, value in filters.items() if name not in kind.facets]
    others.insert(0, _visible_on(today or timezone.localdate()))
    if query.near:
        near = query.near
        inside = Q("geo_distance", distance=f"{near.radius_km}km", location={"lat": near.lat, "lon": near.lon})
        others.append(Q("bool", should=[inside, Q("term", everywhere=True)]) if query.include_everywhere else inside)
    return Search(index=alias_name(kind)), selections, others, text


def _query(search: Search, others: list[Q], text: str, fuzzy: bool) -> Search:
    if text:
        # A text without a word to look for (one letter) finds nothing, as on the database backend.
        matching = (fuzzy_query(text) if fuzzy else text_query(text)) or Q("match_none")
        return search.query(Q("bool", must=[matching], filter=others))
    return search.query(Q("bool", filter=others))


def _disjunctive(name: str, selections: dict[str, Q]) -> A:
    """The ``filter`` aggregation a facet is counted under: every selection but its own."""
    around = [q for other, q in selections.items() if other != name]
    return A("filter", Q("bool", filter=around) if around else Q("match_all"))


def build_search(kind: Kind, query: SearchQuery, *, today: datetime.date | None = None, fuzzy: bool = False) -> Search:
    """The request for ``query``; its ``to_dict()`` is exactly the body sent to ``<alias>/_search``. ``fuzzy``: the
    second try of a text search that found nothing (see :mod:`.text`)."""
    filters = kind.clean_filters(query.filters)
    facets = query.wanted_facets(kind)
    sort, size = query.effective_sort(), query.page_size()
    offset, after = query.position()
    if after is None and offset + size > MAX_RESULT_WINDOW:
        raise InvalidSearch("Curseur de pagination invalide.")
    search, selections, others, text = _matching(kind, query, today)

    # No total wanted and no facet asked: Elasticsearch stops counting (``track_total_hits: false``).
    counting = not query.counts_nothing(kind)
    search = search.extra(track_total_hits=counting, from_=0 if after else offset, size=size)
    if after:
        # Deep pages follow the last hit's sort values: from + size may not pass index.max_result_window.
        search = search.extra(search_after=after)
    search = _query(search.source(["location"]), others, text, fuzzy)
    if text:
        search = with_highlights(search)
        if sort != Sort.RELEVANCE:
            # Sorted by date or distance, Elasticsearch computes no score unless asked; the API reports it.
            search = search.extra(track_scores=True)
    if selections:
        search = search.post_filter(Q("bool", filter=list(selections.values())))
    for name in facets:
        bucket = _disjunctive(name, selections)
        bucket.bucket("values", "terms", field=kind.facets[name].es, size=FACET_SIZE)
        if name in filters:
            # The selected values, counted whatever their rank: a facet always lists them with their count.
            chosen = [str(v) for v in filters[name]]
            bucket.bucket("selected", "terms", field=kind.facets[name].es, include=chosen, size=len(chosen))
        search.aggs.bucket(f"facet_{name}", bucket)

    order = {
        Sort.RELEVANCE: ["_score", {"published_at": {"order": "desc", "missing": "_last"}}],
        Sort.START_DATE: [{"start_date": {"order": "asc", "missing": "_last"}}],
        Sort.NEWEST: [{"published_at": {"order": "desc", "missing": "_last"}}],
    }
    nearest = (
        {
            "_geo_distance": {
                "location": {"lat": query.near.lat, "lon": query.near.lon},
                "order": "asc",
                "unit": "km",
                "mode": "min",
                "distance_type": "arc",
                "ignore_unmapped": True,
            }
        }
        if query.near
        else None
    )
    if sort == Sort.DISTANCE:
        keys = [nearest]
    elif sort == Sort.RELEVANCE and nearest:
        # Equal scores come nearest first, as on the database backend.
        keys = ["_score", nearest, *order[sort][1:]]
    else:
        keys = order[sort]
    return search.sort(*keys, {"pk": {"order": "asc"}})


def build_facet_page(
    kind: Kind, query: FacetPageQuery, *, today: datetime.date | None = None, fuzzy: bool = False
) -> Search:
    """The request for one page of a facet's values: no hits, the other facets' selections in the query and the
    facet's own in ``post_filter`` (aggregations ignore it: disjunctive counts; the hits total keeps it, to know when
    to retry with typos), a composite aggregation paging by value from the cursor's value (``after``), one value more
    than the page to know whether another follows, and a ``cardinality`` aggregation counting the distinct values.
    Both aggregations are top level: no parent aggregation for the composite, which any version accepts."""
    name, size, after = query.checked_facet(kind), query.page_size(), query.after_value()
    search, selections, others, text = _matching(kind, query.search, today)
    own = selections.pop(name, None)
    search = _query(search.extra(track_total_hits=True, size=0), [*others, *selections.values()], text, fuzzy)
    if own is not None:
        search = search.post_filter(own)
    field = kind.facets[name].es
    composite = {"size": size + 1, "sources": [{"value": {"terms": {"field": field}}}]}
    if after is not None:
        composite["after"] = {"value": after}
    search.aggs.bucket("values", "composite", **composite)
    search.aggs.bucket("distinct", "cardinality", field=field, precision_threshold=DISTINCT_PRECISION)
    return search


def parse_facet_page(kind: Kind, query: FacetPageQuery, response: dict) -> FacetPage:
    """The page of values of a facet-page response (see :func:`build_facet_page`)."""
    aggregations = response.get("aggregations", {})
    counts = {str(b["key"]["value"]): b["doc_count"] for b in aggregations.get("values", {}).get("buckets", [])}
    selected = kind.clean_filters(query.search.filters).get(query.facet, [])
    return facet_page(counts, selected, query, total=aggregations.get("distinct", {}).get("value", 0))


def parse_response(kind: Kind, query: SearchQuery, response: dict) -> SearchResult:
    """Hits (with the distance to the nearest point and highlights), total and facets of a ``_search`` response."""
    filters = kind.clean_filters(query.filters)
    hits = []
    for raw in response["hits"]["hits"]:
        distance = None
        if query.near:
            points = (raw.get("_source") or {}).get("location") or []
            distances = [haversine_km(query.near.lat, query.near.lon, p["lat"], p["lon"]) for p in points]
            distance = round(min(distances), 3) if distances else None
        highlight = {
            field: as_html
            for field, fragments in (raw.get("highlight") or {}).items()
            if fragments and (as_html := highlighted(field, fragments[0]))
        }
        hits.append(
            Hit(pk=int(raw["_id"]), score=float(raw.get("_score") or 0.0), distance_km=distance, highlight=highlight)
        )
    aggregations = response.get("aggregations", {})
    facets = {}
    for name in query.wanted_facets(kind):
        facet = aggregations.get(f"facet_{name}", {})
        if facet.get("values", {}).get("sum_other_doc_count"):
            logger.warning("Facet %s has more than %s values: the rarest are not listed", name, FACET_SIZE)
        buckets = [*facet.get("values", {}).get("buckets", []), *facet.get("selected", {}).get("buckets", [])]
        counts = {str(b.get("key_as_string", b["key"])): b["doc_count"] for b in buckets}
        facets[name] = facet_values(counts, filters.get(name, []))
    # Without ``track_total_hits`` the response has no total: a full page then means there may be more.
    total = response["hits"]["total"]["value"] if "total" in response["hits"] else None
    offset, _ = query.position()
    size = query.page_size()
    raw_hits = response["hits"]["hits"]
    more_left = len(raw_hits) >= size if total is None else offset + size < total
    more = more_left and raw_hits and "sort" in raw_hits[-1]
    cursor = encode_cursor(offset + len(raw_hits), raw_hits[-1]["sort"]) if more else None
    return SearchResult(hits=hits, total=total, facets=facets, next_cursor=cursor)
