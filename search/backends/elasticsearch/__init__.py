"""The Elasticsearch backend: the same queries, answered by a cluster that scales out.

One versioned index per kind behind an alias (``<prefix>-missions`` → ``<prefix>-missions-20261123114500123456``),
its write index: the first write creates it with its alias in one call, ``rebuild`` fills a fresh index and switches
the alias atomically, so searches never see a half-built index, then replays the changes made while it filled.
Queries put non-facet filters in the bool ``filter``, facet selections in ``post_filter`` and, per facet, a ``filter``
aggregation with every *other* facet's selection around a ``terms`` aggregation: disjunctive counts in one request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from itertools import islice

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from ...base import FacetPage, FacetPageQuery, Kind, SearchQuery, SearchResult
from .connection import client_from_settings
from .mapping import (
    DOCUMENTS,
    alias_name,
    changes_alias,
    changes_definition,
    index_definition,
    rebuilding_alias,
    to_source,
)
from .querying import build_facet_page, build_search, filter_query, parse_facet_page, parse_response
from .text import fuzzy_query

__all__ = [
    "DOCUMENTS",
    "ElasticsearchBackend",
    "alias_name",
    "build_facet_page",
    "build_search",
    "filter_query",
    "index_definition",
    "parse_facet_page",
    "parse_response",
    "rebuilding_alias",
    "to_source",
]

BATCH = 1000
#: The names of this backend's indices after the prefix: a kind's versioned index, or the change log of a rebuild.
_OWN_INDEX = r"-[a-z]+-\d{20}(-changes)?"


class ElasticsearchBackend:
    #: Bulk items a busy cluster refuses with 429 are sent again, up to this many times, after a growing pause
    #: (``initial_backoff`` seconds, doubled each time, at most ``max_backoff``); other item errors raise.
    max_retries = 5
    initial_backoff: float = 2.0
    max_backoff: float = 60.0

    def __init__(self, client: Elasticsearch | None = None) -> None:
        self.client = client or client_from_settings()

    @property
    def refresh(self) -> bool:
        """Tests and small installs want writes visible at once; production lets the refresh interval do it."""
        return getattr(settings, "ELASTICSEARCH_REFRESH", False)

    def search(self, kind: Kind, query: SearchQuery) -> SearchResult:
        """Words as prefixes first; typos tolerated only when that finds nothing (as on the database backend; without
        a count, when the page is empty)."""
        result = self._search(kind, query, fuzzy=False)
        found = bool(result.hits) if result.total is None else result.total > 0
        if not found and query.search_text() and fuzzy_query(query.search_text()) is not None:
            result = self._search(kind, query, fuzzy=True)
        return result

    def _search(self, kind: Kind, query: SearchQuery, *, fuzzy: bool) -> SearchResult:
        body = build_search(kind, query, fuzzy=fuzzy).to_dict()
        try:
            response = self.client.search(index=alias_name(kind), body=body)
        except NotFoundError:
            # Nothing was ever indexed on this cluster: an empty answer, not an error for the young person.
            return parse_response(kind, query, {"hits": {"total": {"value": 0}, "hits": []}})
        return parse_response(kind, query, response.body)

    def facet_page(self, kind: Kind, query: FacetPageQuery) -> FacetPage:
        """A composite aggregation paging by value; typos tolerated only when the words find nothing, as above."""
        total, page = self._facet_page(kind, query, fuzzy=False)
        text = query.search.search_text()
        if total == 0 and text and fuzzy_query(text) is not None:
            _, page = self._facet_page(kind, query, fuzzy=True)
        return page

    def _facet_page(self, kind: Kind, query: FacetPageQuery, *, fuzzy: bool) -> tuple[int, FacetPage]:
        """The number of matches (every selection applied) and the page."""
        body = build_facet_page(kind, query, fuzzy=fuzzy).to_dict()
        try:
            response = self.client.search(index=alias_name(kind), body=body).body
        except NotFoundError:
            # Nothing was ever indexed on this cluster: no values.
            response = {"hits": {"total": {"value": 0}, "hits": []}}
        return response["hits"]["total"]["value"], parse_facet_page(kind, query, response)

    def upsert(self, kind: Kind, records: list[dict]) -> None:
        """Index ``records`` behind the alias, and into the index being rebuilt if there is one."""
        if not records:
            return
        self.ensure_index(kind)
        rebuilding = self._rebuilding(kind)
        if rebuilding:
            self._log_changes(kind, [r["pk"] for r in records])
        targets = [alias_name(kind), *rebuilding]
        actions = (
            {"_index": target, "_id": r["pk"], "_source": source}
            for r in records
            for source in (to_source(r),)
            for target in targets
        )
        self._write(actions, refresh=self.refresh)

    def bulk(self, kind: Kind) -> AbstractContextManager[None]:
        """Nothing to set up: every write is already a bulk request."""
        return nullcontext()

    def analyze(self, kind: Kind) -> None:
        """Nothing to refresh: Elasticsearch keeps its own statistics."""

    def refresh_from_tables(self, kind: Kind, pks: list[int]) -> bool:
        """Documents are always sent from Python records."""
        return False

    def delete(self, kind: Kind, pks: Iterable[int]) -> None:
        pks = list(pks)
        if not pks:
            return
        rebuilding = self._rebuilding(kind)
        if rebuilding:
            self._log_changes(kind, pks)
        targets = [alias_name(kind), *rebuilding]
        actions = [{"_op_type": "delete", "_index": target, "_id": pk} for pk in pks for target in targets]
        self._write(actions, allowed={404}, refresh=self.refresh)

    def _write(self, actions: Iterable[dict], allowed: set[int] = frozenset(), **options) -> None:
        """Send ``actions`` in bulk requests, 429s retried with back-off; an item failing otherwise (unless its
        status is ``allowed``) raises once every item was sent."""
        _, errors = helpers.bulk(
            self.client,
            actions,
            chunk_size=BATCH,
            max_retries=self.max_retries,
            initial_backoff=self.initial_backoff,
            max_backoff=self.max_backoff,
            raise_on_error=False,
            **options,
        )
        unexpected = [e for e in errors if next(iter(e.values())).get("status") not in allowed]
        if unexpected:
            raise helpers.BulkIndexError(f"{len(unexpected)} document(s) failed", unexpected)

    def _rebuilding(self, kind: Kind) -> list[str]:
        """Indices a rebuild is filling right now (normally none)."""
        try:
            return sorted(self.client.indices.get_alias(name=rebuilding_alias(kind)).body)
        except NotFoundError:
            return []

    def _log_changes(self, kind: Kind, pks: list[int]) -> None:
        """Note ``pks`` in the running rebuild's change log, before writing them, for its replay after the swap."""
        actions = ({"_index": changes_alias(kind), "_id": pk, "_source": {"pk": pk}} for pk in pks)
        # require_alias: a rebuild that is over has dropped its log, and a late writer must not create it again.
        self._write(actions, allowed={404}, require_alias=True)

    def ensure_index(self, kind: Kind) -> None:
        """First write on an empty cluster: create a versioned index with the alias on it, as its write index.

        One call, so that two first writers cannot leave two indices under one alias (which then refuses writes:
        "no write index is defined"): the cluster creates one and refuses the other, whose writer uses the winner's.
        """
        alias = alias_name(kind)
        if self.client.indices.exists_alias(name=alias):
            return
        name = self._new_index_name(kind)
        definition = index_definition(kind, name)
        definition.aliases(**{alias: {"is_write_index": True}})
        try:
            definition.create(using=self.client)
        except ApiError:
            if not self.client.indices.exists_alias(name=alias):
                raise

    def rebuild(self, kind: Kind, records: Iterator[dict], progress: Callable[[int], None] | None = None) -> int:
        """Fill a new index, then move the alias to it in one atomic call and drop the old ones: no downtime.

        Changes indexed while the rebuild runs are not lost: the new index carries the ``…-rebuilding`` alias, so
        ``upsert``/``delete`` write to it as well as to the live alias; the fill only *creates* documents, so a
        fresher document written meanwhile is never overwritten by the fill's older copy (409s are expected). A
        document deleted after the fill read it would still come back: writers also log the ids they change, and
        once the alias has moved those ids are read again from the database and written (or deleted) anew.

        A rebuild that fails deletes its index (and so its alias): later writes no longer go there.
        """
        alias, name = alias_name(kind), self._new_index_name(kind)
        log = f"{name}-changes"
        changes = changes_definition(log)
        changes.aliases(**{changes_alias(kind): {}})
        changes.create(using=self.client)
        definition = index_definition(kind, name, refresh_interval="-1")
        definition.aliases(**{rebuilding_alias(kind): {}})
        try:
            definition.create(using=self.client)
            done = self._fill(name, records, progress)
            # null restores the default (1s, and no refresh at all on an index nobody searches for a while).
            self.client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
            self.client.indices.refresh(index=name)
            old = self._indices_behind(alias)
            actions = [
                {"add": {"index": name, "alias": alias, "is_write_index": True}},
                *({"remove": {"index": o, "alias": alias}} for o in old),
                {"remove": {"index": name, "alias": rebuilding_alias(kind)}},
            ]
            self.client.indices.update_aliases(actions=actions)
        except BaseException:
            # ignore_unavailable: the index itself may be what could not be created; its log must still go.
            self.client.indices.delete(index=f"{name},{log}", ignore_unavailable=True)
            raise
        for index in old:
            self.client.indices.delete(index=index)
        self._replay(kind, log)
        return done

    def _fill(self, name: str, records: Iterator[dict], progress: Callable[[int], None] | None) -> int:
        done = 0
        while chunk := list(islice(records, BATCH)):
            actions = ({"_op_type": "create", "_index": name, "_id": r["pk"], "_source": to_source(r)} for r in chunk)
            self._write(actions, allowed={409})
            done += len(chunk)
            if progress:
                progress(len(chunk))
        return done

    def _indices_behind(self, alias: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias).body)
        except NotFoundError:
            return []

    def _replay(self, kind: Kind, log: str) -> None:
        """Bring the ids changed during the fill in line with the database, then drop the log."""
        from search.indexing import update  # the index's own update path: records, upserts and deletions

        self.client.indices.refresh(index=log)
        pks: list[int] = []
        after = None
        while True:
            body = {"size": BATCH, "sort": [{"pk": "asc"}], "_source": False}
            if after:
                body["search_after"] = after
            hits = self.client.search(index=log, body=body).body["hits"]["hits"]
            pks += [int(hit["_id"]) for hit in hits]
            if len(hits) < BATCH:
                break
            after = hits[-1]["sort"]
        self.client.indices.delete(index=log)
        if pks:
            update(kind, pks, backend=self)

    def drop_indices(self) -> None:
        """Delete this prefix's indices, by name: a real cluster refuses to delete by wildcard
        (``action.destructive_requires_name``, true since 8.0). The live test suite cleans up with it."""
        prefix = settings.ELASTICSEARCH_INDEX_PREFIX
        own = re.compile(re.escape(prefix) + _OWN_INDEX)
        found = self.client.indices.get_alias(index=f"{prefix}-*").body
        names = sorted(name for name in found if own.fullmatch(name))
        if names:
            self.client.indices.delete(index=",".join(names))

    @staticmethod
    def _new_index_name(kind: Kind) -> str:
        return f"{alias_name(kind)}-{timezone.now():%Y%m%d%H%M%S%f}"
