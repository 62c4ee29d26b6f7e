"""The Elasticsearch backend: the same queries, answered by a cluster that scales out.

One versioned index per kind behind an alias (``<prefix>-missions`` → ``<prefix>-missions-20261123114500123456``):
``rebuild`` fills a fresh index and switches the alias atomically, so searches never see a half-built index.
Queries put non-facet filters in the bool ``filter``, facet selections in ``post_filter`` and, per facet, a ``filter``
aggregation with every *other* facet's selection around a ``terms`` aggregation: disjunctive counts in one request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from itertools import islice

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers

from ...base import Kind, SearchQuery, SearchResult
from .mapping import DOCUMENTS, alias_name, index_definition, rebuilding_alias, to_source
from .querying import build_search, filter_query, parse_response

__all__ = [
    "DOCUMENTS",
    "ElasticsearchBackend",
    "alias_name",
    "build_search",
    "filter_query",
    "index_definition",
    "parse_response",
    "rebuilding_alias",
    "to_source",
]

BATCH = 1000


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
