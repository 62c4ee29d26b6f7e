"""The Elasticsearch backend: the same queries, answered by a cluster that scales out.

One versioned index per kind behind an alias (``<prefix>-missions`` → ``<prefix>-missions-20261123114500123456``):
``rebuild`` fills a fresh index and switches the alias atomically, so searches never see a half-built index.
Queries put non-facet filters in the bool ``filter``, facet selections in ``post_filter`` and, per facet, a ``filter``
aggregation with every *other* facet's selection around a ``terms`` aggregation: disjunctive counts in one request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from itertools import islice

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    A,
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from cms.core.ages import MAJORITY
from cms.core.geo import haversine_km

from ..base import (
    FACET_VALUES_MAX,
    HIGHLIGHTED_FIELDS,
    FilterType,
    Hit,
    Kind,
    SearchQuery,
    SearchResult,
    Sort,
    facet_values,
    next_cursor,
)

BATCH = 1000
FACET_SIZE = FACET_VALUES_MAX

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")
#: French, accent- and case-insensitive: elision, lower case, ASCII folding, stop words, light stemming.
french = analyzer(
    "french_folded",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", french_stop, french_stemmer],
)
folded = normalizer("folded", filter=["lowercase", "asciifolding"])


class _Common(Document):
    pk = Long()
    title = Text(analyzer=french)
    secondary = Text(analyzer=french)
    description = Text(analyzer=french)
    location = GeoPoint()  # one point per address or store
    departments = Keyword()
    regions = Keyword(normalizer=folded)
    cities = Keyword(normalizer=folded)
    visible_from = Date()
    visible_until = Date()
    start_date = Date()
    published_at = Date()
    everywhere = Boolean()


class MissionIndexDocument(_Common):
    programme = Keyword()
    domain = Keyword()
    remote = Keyword()
    source = Keyword()
    organization = Keyword()
    open_to_minors = Boolean()
    accessible = Boolean()
    min_age = Integer()
    max_age = Integer()


class OfferIndexDocument(_Common):
    partner = Keyword()
    kind = Keyword()
    channel = Keyword()
    categories = Keyword()
    needs = Keyword()


DOCUMENTS: dict[str, type[Document]] = {"missions": MissionIndexDocument, "offers": OfferIndexDocument}
#: Record fields that are not sent as is.
#: Record keys Elasticsearch does not store as they are: derived below, or the database backend's own integer codes.
_DERIVED = {
    "pk",
    "title_folded",
    "places",
    "domain_code",
    "programme_code",
    "remote_code",
    "facets_combined",
    "department_key",
}


def alias_name(kind: Kind) -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{kind.name}"


def rebuilding_alias(kind: Kind) -> str:
    """The alias on an index being rebuilt: writers that see it write there too, so the rebuild loses nothing."""
    return f"{alias_name(kind)}-rebuilding"


def index_definition(kind: Kind, name: str) -> Index:
    """The index ``name`` with the kind's mapping and the French analysis chain."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=1)
    index.document(DOCUMENTS[kind.name])
    return index


def to_source(record: dict) -> dict:
    """The Elasticsearch document of an indexer record (see ``search.missions``/``search.offers``)."""
    source = {k: v for k, v in record.items() if k not in _DERIVED}
    for key, value in source.items():
        if isinstance(value, datetime.date):
            source[key] = value.isoformat()
    for key in ("organization", "partner"):
        if key in source and source[key] is not None:
            source[key] = str(source[key])
    places = record.get("places", [])
    source["pk"] = record["pk"]
    source["location"] = [{"lat": p["latitude"], "lon": p["longitude"]} for p in places if p["latitude"] is not None]
    source["departments"] = sorted({p["department"] for p in places if p["department"]})
    source["regions"] = sorted({p["region"] for p in places if p["region"]})
    source["cities"] = sorted({p["city"] for p in places if p["city"]})
    return source


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


def build_search(kind: Kind, query: SearchQuery, *, today: datetime.date | None = None) -> Search:
    """The request for ``query``; its ``to_dict()`` is exactly the body sent to ``<alias>/_search``."""
    filters = kind.clean_filters(query.filters)
    facets = query.wanted_facets(kind)
    sort, size, offset = query.effective_sort(), query.page_size(), query.offset()
    text = query.search_text()

    selections = {name: filter_query(kind, name, value) for name, value in filters.items() if name in kind.facets}
    others = [filter_query(kind, name, value) for name, value in filters.items() if name not in kind.facets]
    others.insert(0, _visible_on(today or timezone.localdate()))
    if query.near:
        near = query.near
        inside = Q("geo_distance", distance=f"{near.radius_km}km", location={"lat": near.lat, "lon": near.lon})
        others.append(Q("bool", should=[inside, Q("term", everywhere=True)]) if query.include_everywhere else inside)

    search = Search(index=alias_name(kind)).extra(track_total_hits=True, from_=offset, size=size)
    search = search.source(["location"])
    if text:
        search = search.query(
            Q(
                "bool",
                must=[
                    Q(
                        "multi_match",
                        query=text,
                        fields=["title^3", "secondary^2", "description"],
                        fuzziness="AUTO",
                        operator="and",
                    )
                ],
                filter=others,
            )
        )
        search = search.highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html", number_of_fragments=1, fragment_size=160
        ).highlight(*HIGHLIGHTED_FIELDS)
    else:
        search = search.query(Q("bool", filter=others))
    if selections:
        search = search.post_filter(Q("bool", filter=list(selections.values())))
    for name in facets:
        around = [q for other, q in selections.items() if other != name]
        bucket = A("filter", Q("bool", filter=around) if around else Q("match_all"))
        bucket.bucket("values", "terms", field=kind.facets[name].es, size=FACET_SIZE)
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
        highlight = {field: fragments[0] for field, fragments in (raw.get("highlight") or {}).items() if fragments}
        hits.append(
            Hit(pk=int(raw["_id"]), score=float(raw.get("_score") or 0.0), distance_km=distance, highlight=highlight)
        )
    aggregations = response.get("aggregations", {})
    facets = {}
    for name in query.wanted_facets(kind):
        buckets = aggregations.get(f"facet_{name}", {}).get("values", {}).get("buckets", [])
        counts = {str(b.get("key_as_string", b["key"])): b["doc_count"] for b in buckets}
        facets[name] = facet_values(counts, filters.get(name, []))
    total = response["hits"]["total"]["value"]
    return SearchResult(
        hits=hits, total=total, facets=facets, next_cursor=next_cursor(query.offset(), query.page_size(), total)
    )


class ElasticsearchBackend:
    def __init__(self, client: Elasticsearch | None = None) -> None:
        if client is None:
            if not settings.ELASTICSEARCH_URL:
                raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch demande ELASTICSEARCH_URL.")
            client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=30)
        self.client = client

    @property
    def refresh(self) -> bool:
        """Tests and small installs want writes visible at once; production lets the refresh interval do it."""
        return getattr(settings, "ELASTICSEARCH_REFRESH", False)

    def search(self, kind: Kind, query: SearchQuery) -> SearchResult:
        body = build_search(kind, query).to_dict()
        try:
            response = self.client.search(index=alias_name(kind), body=body)
        except NotFoundError:
            # Nothing was ever indexed on this cluster: an empty answer, not an error for the young person.
            return parse_response(kind, query, {"hits": {"total": {"value": 0}, "hits": []}})
        return parse_response(kind, query, response.body)

    def upsert(self, kind: Kind, records: list[dict]) -> None:
        """Index ``records`` behind the alias, and into the index being rebuilt if there is one."""
        if not records:
            return
        self.ensure_index(kind)
        targets = [alias_name(kind), *self._rebuilding(kind)]
        actions = (
            {"_index": target, "_id": r["pk"], "_source": source}
            for r in records
            for source in (to_source(r),)
            for target in targets
        )
        helpers.bulk(self.client, actions, chunk_size=BATCH, refresh=self.refresh)

    def bulk(self, kind: Kind) -> AbstractContextManager[None]:
        """Nothing to set up: every write is already a bulk request."""
        return nullcontext()

    def analyze(self, kind: Kind) -> None:
        """Nothing to refresh: Elasticsearch keeps its own statistics."""

    def refresh_from_tables(self, kind: Kind, pks: list[int]) -> bool:
        """Documents are always sent from Python records."""
        return False

    def delete(self, kind: Kind, pks: Iterable[int]) -> None:
        targets = [alias_name(kind), *self._rebuilding(kind)]
        actions = [{"_op_type": "delete", "_index": target, "_id": pk} for pk in pks for target in targets]
        if not actions:
            return
        _, errors = helpers.bulk(self.client, actions, refresh=self.refresh, raise_on_error=False)
        unexpected = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if unexpected:
            raise helpers.BulkIndexError(f"{len(unexpected)} deletion(s) failed", unexpected)

    def _rebuilding(self, kind: Kind) -> list[str]:
        """Indices a rebuild is filling right now (normally none)."""
        try:
            return sorted(self.client.indices.get_alias(name=rebuilding_alias(kind)).body)
        except NotFoundError:
            return []

    def ensure_index(self, kind: Kind) -> None:
        """First write on an empty cluster: create a versioned index behind the alias."""
        alias = alias_name(kind)
        if not self.client.indices.exists_alias(name=alias):
            name = self._new_index_name(kind)
            index_definition(kind, name).create(using=self.client)
            self.client.indices.put_alias(index=name, name=alias)

    def rebuild(self, kind: Kind, records: Iterator[dict], progress: Callable[[int], None] | None = None) -> int:
        """Fill a new index, then move the alias to it in one atomic call and drop the old ones: no downtime.

        Changes indexed while the rebuild runs are not lost: the new index carries the ``…-rebuilding`` alias, so
        ``upsert``/``delete`` write to it as well as to the live alias; the fill only *creates* documents, so a
        fresher document written meanwhile is never overwritten by the fill's older copy (409s are expected).
        """
        alias, name = alias_name(kind), self._new_index_name(kind)
        index_definition(kind, name).create(using=self.client)
        self.client.indices.put_alias(index=name, name=rebuilding_alias(kind))
        self.client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
        done = 0
        while chunk := list(islice(records, BATCH)):
            actions = ({"_op_type": "create", "_index": name, "_id": r["pk"], "_source": to_source(r)} for r in chunk)
            _, errors = helpers.bulk(self.client, actions, raise_on_error=False)
            unexpected = [e for e in errors if e.get("create", {}).get("status") != 409]
            if unexpected:
                raise helpers.BulkIndexError(f"{len(unexpected)} document(s) failed", unexpected)
            done += len(chunk)
            if progress:
                progress(len(chunk))
        self.client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
        self.client.indices.refresh(index=name)
        try:
            old = sorted(self.client.indices.get_alias(name=alias).body)
        except NotFoundError:
            old = []
        actions = [
            {"add": {"index": name, "alias": alias}},
            *({"remove": {"index": o, "alias": alias}} for o in old),
            {"remove": {"index": name, "alias": rebuilding_alias(kind)}},
        ]
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index)
        return done

    def drop_indices(self) -> None:
        """Delete every index of this prefix (the live test suite cleans up with it)."""
        self.client.indices.delete(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", ignore_unavailable=True)

    @staticmethod
    def _new_index_name(kind: Kind) -> str:
        return f"{alias_name(kind)}-{timezone.now():%Y%m%d%H%M%S%f}"
