"""The database backend: PostgreSQL full-text, trigram and geographic search over the tables of ``search.models``.

Split by job, as Wagtail's own search backends are: :mod:`.writing` keeps the index (batches, bulk mode, rebuilds),
:mod:`.compiling` turns a query into conditions, :mod:`.facets` counts the facets, :mod:`.hits` reads the page, and
:mod:`.hints` holds the planner settings a search runs with. Table and column names come from the models
(:mod:`.tables`). Every query reads the denormalised document tables only.
"""

from __future__ import annotations

from django.db import connections, transaction
from django.db.models import FloatField, Q, Value
from django.utils import timezone

from ...base import (
    FacetPage,
    FacetPageQuery,
    Hit,
    Kind,
    SearchQuery,
    SearchResult,
    Sort,
    facet_page,
    facet_values,
    next_cursor,
)
from .compiling import Codes
from .facets import FacetCounter
from .hints import planner_hints
from .hits import HitReader
from .tables import DOCUMENTS
from .writing import IndexWriter

__all__ = ["DatabaseBackend"]


class DatabaseBackend(IndexWriter, FacetCounter, HitReader):
    """The search backend of ``SEARCH_BACKEND = "database"`` (see :class:`search.base.Backend`)."""

    def search(self, kind: Kind, query: SearchQuery) -> SearchResult:
        """One search in one transaction, so that its planner settings end with it."""
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            for statement in planner_hints(text=bool(query.search_text()), near=query.near is not None):
                cursor.execute(statement)
            return self._search(kind, query)

    def facet_page(self, kind: Kind, query: FacetPageQuery) -> FacetPage:
        """Every value of the facet counted exactly, as the search's facets are (the same text fallback, the same
        disjunctive counts), then paged by value in Python: a facet has at most a few thousand values."""
        name, search = query.checked_facet(kind), query.search
        # Bad input is refused before any reading.
        query.page_size()
        query.after_value()
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            for statement in planner_hints(text=bool(search.search_text()), near=search.near is not None):
                cursor.execute(statement)
            document, filters, visible, codes, conditions = self._scope(kind, search)
            base = self._base(document, visible, search)
            text = search.search_text()
            for text_q, _, pg_query in self._text_strategies(text) if text else [(Q(), None, None)]:
                if text and pg_query is None:
                    self._prepare_typos(text)
                narrowed = bool(search.near or text)
                total, counts = self._facets(kind, base.filter(text_q), conditions, filters, [name], narrowed, codes)
                if total:
                    break
        return facet_page(counts[name], filters.get(name, []), query)

    def _scope(self, kind: Kind, query: SearchQuery) -> tuple:
        """What a search reads: its document model, cleaned filters, the visible documents, the value codes and each
        filter's condition."""
        document = DOCUMENTS[kind.name]
        filters = kind.clean_filters(query.filters)
        visible = document.objects.using(self.using).filter(self._visible_on(timezone.localdate()))
        codes = Codes(kind)
        conditions = {name: self._condition(kind, document, name, value, codes) for name, value in filters.items()}
        return document, filters, visible, codes, conditions

    def _base(self, document, visible, query: SearchQuery):
        """The visible documents near the query's place (all of them without a place): what text and facets read.
        A page sorted by distance reads the places instead and never builds it."""
        return visible.filter(self._near(document, query.near, query.include_everywhere)) if query.near else visible

    def _search(self, kind: Kind, query: SearchQuery) -> SearchResult:
        facets = query.wanted_facets(kind)
        sort, size, offset = query.effective_sort(), query.page_size(), query.offset()
        document, filters, visible, codes, conditions = self._scope(kind, query)

        text = query.search_text()
        # One scan for every facet when text or a place narrows the documents; over every visible document two
        # serial index-only scans read in group order are cheaper (see hints.SERIAL_HINTS and _counts_in_one_pass).
        narrowed = bool(query.near or text)
        strategies = self._text_strategies(text) if text else [(Q(), Value(0.0, output_field=FloatField()), None)]
        one_read = self._reads_text_matches_once(kind, query, facets)
        if query.counts_nothing(kind):
            return self._page_only(kind, query, strategies, visible, conditions, document)
        base = self._base(document, visible, query)
        hits: list[Hit] | None = None
        for strategy in strategies:
            text_q, score, pg_query = strategy
            if text and pg_query is None:
                self._prepare_typos(text)
            matched = base.filter(text_q)
            if one_read:
                rows, hits = self._text_page_in_one_pass(kind, matched, conditions, facets, score, sort, offset, size)
                total, counts = self._facets(kind, matched, conditions, filters, facets, narrowed, codes, rows)
            else:
                total, counts = self._facets(kind, matched, conditions, filters, facets, narrowed, codes)
            if total:
                break
        if hits is None and query.near and sort == Sort.DISTANCE and not query.include_everywhere and not text:
            hits = self._hits_by_distance(visible, conditions, query.near, document, offset, size)
        elif hits is None:
            hits = self._hits(matched, conditions, score, sort, query.near, offset, size, document)
        if pg_query is not None and hits:
            self._highlight(document, hits, pg_query)
        return SearchResult(
            hits=hits,
            total=total,
            facets={name: facet_values(counts[name], filters.get(name, [])) for name in facets},
            next_cursor=next_cursor(offset, size, total),
        )

    def _page_only(self, kind: Kind, query: SearchQuery, strategies: list, visible, conditions, document):
        """The page of a search that wants no total and no facet: no counting statement, the page alone (a text
        search tries its looser matching when the page is empty)."""
        sort, size, offset = query.effective_sort(), query.page_size(), query.offset()
        if query.near and sort == Sort.DISTANCE and not query.include_everywhere and not query.search_text():
            hits = self._hits_by_distance(visible, conditions, query.near, document, offset, size)
        else:
            base = self._base(document, visible, query)
            for text_q, score, pg_query in strategies:
                hits = self._hits(base.filter(text_q), conditions, score, sort, query.near, offset, size, document)
                if hits:
                    if pg_query is not None:
                        self._highlight(document, hits, pg_query)
                    break
        return SearchResult(hits=hits, total=None, facets={}, next_cursor=next_cursor(offset, size, None, len(hits)))
