"""Counting the facets of a search: disjunctive counts (each facet ignores its own selection) over the matches.

Single-valued facets are all counted in one grouped query over their combinations (the one column combining their
integer codes, when the kind has it), from which each facet's counts are summed in Python: one scan instead of one
per facet. When text or a place narrows the documents, the same scan also counts the department array facet (a
second grouping set); over every visible mission, the combinations and the department sets are each read in order
from an index that covers them. A text search whose facets are all single-valued reads its matches once for the
counts and the page (a materialised CTE).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Collate

from ...base import Hit, Kind, SearchQuery, Sort
from .compiling import Codes
from .tables import DocumentTables


def selected_column(model: type[models.Model], name: str) -> str:
    """The name ``values(name)`` comes out of a queryset's SQL under: a field's column (``_meta``; the ORM does not
    alias plain columns), else the annotation's own name."""
    try:
        return model._meta.get_field(name).column
    except FieldDoesNotExist:
        return name


class FacetCounter(DocumentTables):
    """Facet counts, and the page of a text search read together with them (see the module's docstring)."""

    def _facets(
        self,
        kind: Kind,
        matched: models.QuerySet,
        conditions: dict[str, Q],
        filters: dict,
        facets: list[str],
        narrowed: bool = False,
        codes: Codes | None = None,
        single_rows: list[dict] | None = None,
    ) -> tuple[int, dict[str, Counter]]:
        """Total and disjunctive counts of ``facets`` over ``matched``; ``single_rows``, when given, are the grouped
        combinations of the single-valued facets already read (:meth:`_text_page_in_one_pass`)."""
        counts: dict[str, Counter] = {name: Counter() for name in facets}
        single = [name for name in facets if not kind.facets[name].multi]
        arrays = [name for name in facets if kind.facets[name].multi and kind.facets[name].array]
        one_pass = arrays[0] if narrowed and single and len(arrays) == 1 else None
        if single:
            columns, keys, combined = self._single_keys(kind, facets, codes is not None)
            selected = {name: {str(v) for v in filters[name]} for name in single if name in filters}
            if single_rows is not None:
                rows = single_rows
            elif one_pass:
                rows, array_counts = self._counts_in_one_pass(kind, matched, conditions, columns, keys, one_pass)
                counts[one_pass].update(array_counts)
            else:
                rows = (
                    matched.filter(*[q for name, q in conditions.items() if name not in columns])
                    .values(*keys)
                    # count(*) rather than count(pk): the grouping key alone is then read, from a covering index.
                    .annotate(n=Count("*"))
                    .order_by(*keys)
                )
            if combined:
                rows = codes.decode(rows, columns)
            total = 0
            for row in rows:
                ok = {name: name not in selected or str(row[col]) in selected[name] for name, col in columns.items()}
                for name, col in columns.items():
                    if all(passes for other, passes in ok.items() if other != name):
                        counts[name][str(row[col]) if row[col] is not None else None] += row["n"]
                if all(ok.values()):
                    total += row["n"]
        else:
            total = matched.filter(*conditions.values()).count()
        for name in facets:
            if name in single or name == one_pass:
                continue
            within = matched.filter(*[q for other, q in conditions.items() if other != name])
            if kind.facets[name].array:
                counts[name].update(self._array_counts(within, kind.facets[name].array, kind.facets[name].key))
                continue
            relation, column = kind.facets[name].db.split("__", 1)
            within = within.values("pk")
            related = self._related(matched.model, relation)
            rows = (
                related.objects.using(self.using)
                .filter(document_id__in=within)
                .exclude(**{column: ""})
                .values(column)
                .annotate(n=Count("document_id", distinct=True))
                .order_by()
            )
            counts[name].update({row[column]: row["n"] for row in rows})
        return total, counts

    def _counts_in_one_pass(
        self,
        kind: Kind,
        matched: models.QuerySet,
        conditions: dict[str, Q],
        columns: dict[str, str],
        keys: list[str],
        array_name: str,
    ) -> tuple[list[dict], dict[str, int]]:
        """The single-valued combinations and the array facet's counts from one scan, disjunctively.

        Two grouping sets over the matched documents: the combinations of the single-valued columns (``keys``: theirs,
        or the one combining their codes), counted where the array facet's own selection holds, and the array's values,
        counted where the single-valued selections hold (each facet ignores its own selection). Conditions of the other
        filters restrict the scan itself. With the facet's comma-joined ``key`` column the second set groups the keys
        themselves (a few thousand distinct sets of departments around a big city), split here, each set's count going
        to each of its elements (the indexer stores sets: no element twice); without one, each document is joined to
        the elements of its jsonb array, documents without elements kept once.

        Used when text or a place narrows the documents: the matches are read once instead of twice, and grouping the
        keys (a few thousand distinct sets around a big city) makes far fewer rows than one row per element. Not over
        every visible mission: PostgreSQL does not aggregate grouping sets in parallel, and there the two index-only
        scans read in group order are cheaper still.
        """
        facet = kind.facets[array_name]
        array = facet.key or facet.array
        own = conditions.get(array_name)
        others = [conditions[name] for name in columns if name in conditions]
        always = Value(True, output_field=BooleanField())
        inner = (
            matched.filter(*[q for name, q in conditions.items() if name not in columns and name != array_name])
            .annotate(
                single_ok=ExpressionWrapper(own, output_field=BooleanField()) if own is not None else always,
                array_ok=ExpressionWrapper(Q(*others), output_field=BooleanField()) if others else always,
            )
            .values(*keys, array, "single_ok", "array_ok")
        )
        sql, params = inner.query.sql_with_params()
        quote = connections[self.using].ops.quote_name
        grouped = ", ".join(f"matched.{quote(selected_column(inner.model, key))}" for key in keys)
        array_column = quote(selected_column(inner.model, array))
        if facet.key:
            value = f"matched.{array_column}"
            source = f"({sql}) AS matched"  # noqa: S608 - sql is compiled by the ORM
            in_combination = "count(*) FILTER (WHERE matched.single_ok)"
            in_element = f"count(*) FILTER (WHERE matched.array_ok AND {value} <> '')"
        else:
            value = "element.value"
            source = (
                f"({sql}) AS matched LEFT JOIN LATERAL jsonb_array_elements_text(matched.{array_column}) "  # noqa: S608
                "WITH ORDINALITY AS element(value, n) ON true"
            )
            in_combination = "count(*) FILTER (WHERE (element.n IS NULL OR element.n = 1) AND matched.single_ok)"
            in_element = "count(element.value) FILTER (WHERE matched.array_ok)"
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT GROUPING({grouped}), {grouped}, {value}, {in_combination}, {in_element} "  # noqa: S608
                f"FROM {source} GROUP BY GROUPING SETS (({grouped}), ({value}))",
                params,
            )
            rows, elements = [], defaultdict(int)
            for grouping, *values, element, combination_count, element_count in cursor.fetchall():
                if grouping == 0 and combination_count:
                    rows.append({**dict(zip(keys, values, strict=True)), "n": combination_count})
                elif grouping != 0 and element and element_count:
                    if facet.key:
                        for part in element.split(","):
                            elements[part] += element_count
                    else:
                        elements[element] = element_count
        return rows, elements

    def _reads_text_matches_once(self, kind: Kind, query: SearchQuery, facets: list[str]) -> bool:
        """Whether the facet counts and the page come from one read of the text matches: a text search without a
        place whose facets are all single-valued (:meth:`_text_page_in_one_pass`)."""
        return (
            bool(query.text.strip())
            and query.near is None
            and bool(facets)
            and not any(kind.facets[name].multi for name in facets)
        )

    @staticmethod
    def _single_keys(kind: Kind, facets: list[str], coded: bool) -> tuple[dict[str, str], list[str], bool]:
        """The single-valued facets' columns, the keys their combinations are grouped by, and whether that is the one
        column combining their codes (when it has them all)."""
        columns = {name: kind.facets[name].db for name in facets if not kind.facets[name].multi}
        combined = coded and bool(kind.combination) and set(columns) <= set(kind.combined)
        return columns, [kind.combination] if combined else list(columns.values()), combined

    def _text_page_in_one_pass(
        self,
        kind: Kind,
        matched: models.QuerySet,
        conditions: dict[str, Q],
        facets: list[str],
        score: models.Expression,
        sort: Sort,
        offset: int,
        size: int,
    ) -> tuple[list[dict], list[Hit]]:
        """The grouped combinations of the single-valued ``facets`` and the page of hits, from one read of the matches.

        A common word matches a third of the documents: each read of them is a GIN bitmap scan visiting thousands of
        wide document rows (the search vector lives on them). Read once into a materialised CTE (the few columns both
        parts need), then grouped for the facets (their own selections are left to :meth:`_facets`, which counts them
        disjunctively and decodes the combinations) and sorted for the page (every selection applied: ``hit_ok``).
        """
        columns, keys, _ = self._single_keys(kind, facets, coded=True)
        own = [conditions[name] for name in columns if name in conditions]
        always = Value(True, output_field=BooleanField())
        order_columns = {
            Sort.RELEVANCE: [("hit_score", "DESC"), ("hit_published", "DESC")],
            Sort.NEWEST: [("hit_published", "DESC")],
            Sort.START_DATE: [("hit_start", "ASC")],
        }[sort]
        inner = (
            matched.filter(*[q for name, q in conditions.items() if name not in columns])
            .annotate(
                hit_pk=F("pk"),
                hit_score=score,
                hit_published=F("published_at"),
                hit_start=F("start_date"),
                hit_ok=ExpressionWrapper(Q(*own), output_field=BooleanField()) if own else always,
            )
            .values(
                *keys,
                "hit_pk",
                "hit_score",
                "hit_ok",
                *[column for column, _ in order_columns if column != "hit_score"],
            )
        )
        sql, params = inner.query.sql_with_params()
        quote = connections[self.using].ops.quote_name
        grouped = ", ".join(f"matched.{quote(selected_column(inner.model, key))}" for key in keys)
        nulls = ", ".join("NULL" for _ in keys)
        order = ", ".join(f"matched.{column} {direction}" for column, direction in order_columns)
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"WITH matched AS MATERIALIZED ({sql}) "  # noqa: S608 - sql is compiled by the ORM
                f"(SELECT 0, {grouped}, count(*), NULL, NULL FROM matched GROUP BY {grouped}) "
                f"UNION ALL (SELECT 1, {nulls}, NULL, matched.hit_pk, matched.hit_score FROM matched "
                f"WHERE matched.hit_ok ORDER BY {order}, matched.hit_pk ASC LIMIT %s OFFSET %s)",
                (*params, size, offset),
            )
            rows, hits = [], []
            for part, *values, n, pk, hit_score in cursor.fetchall():
                if part == 0:
                    rows.append({**dict(zip(keys, values, strict=True)), "n": n})
                else:
                    hits.append(Hit(pk=pk, score=float(hit_score or 0.0), distance_km=None))
        return rows, hits

    def _array_counts(self, within: models.QuerySet, column: str, key: str = "") -> Counter:
        """Counts per element of a JSON array column over ``within``: one scan of the narrow table, no join.

        Grouped by the whole set of values (a few dozen distinct sets of departments), in order, and each set's count
        then goes to each of its elements (the indexer stores sets: no element twice). With a ``key`` column (the same
        values comma-joined) the groups are read in byte order from ``search_mdoc_departments_idx``: over every
        visible document an index-only scan with a streaming aggregate, no hash table.
        """
        counts: Counter = Counter()
        if key:
            groups = within.annotate(group=Collate(key, "C")).values("group").annotate(n=Count("*")).order_by("group")
            sql, params = groups.query.sql_with_params()
            # Read through a plain cursor: with addresses all over France there are thousands of distinct sets, and
            # the ORM's per-row work on them cost more than the scan (splitting them in SQL instead, an unnest and a
            # regrouping, makes the statement itself much slower).
            # A defaultdict, not the Counter itself: the Counter's missing-key path is slow in this hot loop.
            by_element: defaultdict[str, int] = defaultdict(int)
            with connections[self.using].cursor() as cursor:
                cursor.execute(sql, params)
                for group, n in cursor.fetchall():
                    if group:
                        for element in group.split(","):
                            by_element[element] += n
            counts.update(by_element)
            return counts
        for row in within.values(column).annotate(n=Count("*")).order_by(column):
            for element in row[column]:
                counts[element] += row["n"]
        return counts
