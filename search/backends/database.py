"""The database backend: PostgreSQL full-text and trigram search over ``search.models``, or plain matching on SQLite.

Every query reads the denormalised document tables only. Filters become ``Q`` objects; geography is a bounding box
on the indexed coordinates refined by an exact haversine distance computed in SQL; facets are grouped counts over
the filtered set. Single-valued facets are all counted in one grouped query over their combinations, from which
each facet's disjunctive counts (ignoring its own selection) are summed in Python: one scan instead of one per facet.
On PostgreSQL, filters and facets compare integer codes (``Kind.codes``: slugs → codes once per query, codes → slugs
for the facet rows) and the single-valued facets are grouped by the one column combining their codes; when text or a
place narrows the documents, the same scan also counts the department array facet (a second grouping set); over every
visible mission, the combinations and the department sets are each read in order from an index that covers them
(``search_mdoc_combined_idx``, ``search_mdoc_departments_idx``), serially, with no hash table. A text search whose
facets are all single-valued reads its matches once for the counts and the page (a materialised CTE); a geographic
one hashes the documents against the places of its radius, read from a covering index.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice

from django.contrib.postgres.search import SearchHeadline, SearchRank, TrigramWordSimilarity
from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.db import OperationalError, connections, models, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ASin, Collate, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone

from cms.core.ages import eligible_at_age_q
from cms.core.geo import EARTH_RADIUS_KM, bounding_box, inscribed_box
from cms.core.writebehind import WriteBehind

from ..base import (
    FilterType,
    Hit,
    Kind,
    Near,
    SearchQuery,
    SearchResult,
    Sort,
    facet_values,
    fold,
    fold_sql,
    next_cursor,
)
from ..models import MissionDocument, OfferDocument

#: The text search configuration created by migration 0002: French stemming after ``unaccent``.
TEXT_CONFIG = "french_unaccent"
BATCH = 2000
#: Connections writing a bulk update's batches side by side.
WRITERS = 2
#: Planner settings for the statements of one search, undone at its end (``SET LOCAL``). ``jsonb_array_elements_text``
#: is estimated at 100 rows per document: the department facet is costed 96,900 at 90,000 documents, just under the
#: default ``jit_above_cost`` (100,000). A little more data and every search would pay JIT compilation costing many
#: times the query it compiles.
SESSION_HINTS = "SET LOCAL jit = off"
#: For a text search without a place: ``random_page_cost`` at the value usual for SSDs and cached data (the index
#: tables are small and hot). At the default (4) the planner read every document row to test a common word (a third of
#: the documents matched) rather than take the GIN index, and evaluated the tsquery on each wide row. Not for
#: geographic searches: their row estimates are far too low (places cluster in cities, the planner assumes they do
#: not), and with cheap random reads the planner then probed the documents one by one instead of hashing them.
TEXT_HINTS = "SET LOCAL random_page_cost = 1.1"
#: For a search over every visible document (no text, no place): the facet counts are index-only scans read in group
#: order (``search_mdoc_combined_idx``, ``search_mdoc_departments_idx``), already cheap serially; starting workers
#: and merging their partial groups cost more than they save. Text and geographic searches keep their parallel
#: plans: their bitmap scans gain from the workers.
SERIAL_HINTS = "SET LOCAL max_parallel_workers_per_gather = 0"
#: For a geographic search: documents joined to the places in the radius by hashing, never probed one by one. The
#: planner takes the bounding box's latitude and longitude ranges as independent and a third of it as within the
#: radius, while places cluster in cities, so it underestimates a city's documents by an order of magnitude. It then
#: looked each document up by its primary key where hashing them reads the covering departments index once: what a
#: small radius may lose is bounded, what a city gains is not.
GEO_HINTS = "SET LOCAL enable_nestloop = off"
_HL_START, _HL_STOP = "\x02", "\x03"
#: The distance page's first window of nearest places per wanted hit (a mission has one to three addresses), how much
#: a window grows when it does not yet prove the page, and how many windows are tried before the grouped pass.
NEAREST_WINDOW_PER_HIT = 4
NEAREST_WINDOW_GROWTH = 8
NEAREST_WINDOWS = 3
#: The circles, as shares of the radius, in which the nearest places are looked for, smallest first; the last one is
#: the whole radius.
NEAREST_RADII = (1 / 16, 1 / 4, 1.0)
#: Letters whose folding tells whether the database folds as Python does (see ``_folds_like_python``).
_FOLD_PROBE = "ŒUVRE Æ À l’École d’ÉTÉ Ø ß İ Ⅻ ＡＢ ñ"

logger = logging.getLogger(__name__)

#: Indexes rebuilt (``REINDEX CONCURRENTLY``: readers and writers go on) after a full rebuild on PostgreSQL. The rebuild
#: inserts every entry while the old ones still exist, which leaves the covering facet indexes about three times their
#: compact size even once vacuumed, and the planner then prefers a sequential scan of the whole heap. The indexes are
#: small: rebuilding them is quick.
COMPACTED_AFTER_REBUILD: dict[str, tuple[str, ...]] = {
    "missions": ("search_mdoc_combined_idx", "search_mdoc_departments_idx")
}
DOCUMENTS: dict[str, type[models.Model]] = {"missions": MissionDocument, "offers": OfferDocument}
#: Relations of a document that hold several values each (rows of a side table).
RELATIONS: dict[str, tuple[str, ...]] = {"missions": ("places",), "offers": ("places", "categories", "needs")}
TEXT_FIELDS = ("title", "title_folded", "secondary", "description", "search_text")


def _is_json(field: models.Field) -> bool:
    return isinstance(field, models.JSONField)


def _copy_value(value, json_column: bool):
    """A value as ``COPY`` takes it: JSON as its text (the server parses it), the rest as psycopg adapts it."""
    if json_column and value is not None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


#: The weights of the document vector: title A, organisation or partner B, description C.
VECTOR_WEIGHTS = (("title", "A"), ("secondary", "B"), ("description", "C"))


def weighted_vector(column: Callable[[str], str]) -> str:
    """The weighted ``tsvector`` of a document as SQL, ``column`` naming where each text field is read from."""
    return " || ".join(
        f"setweight(to_tsvector('{TEXT_CONFIG}', coalesce({column(name)}, '')), '{weight}')"
        for name, weight in VECTOR_WEIGHTS
    )


def haversine(lat: float, lon: float) -> models.Expression:
    """Great-circle distance in km from (lat, lon) to a place row, as SQL (works on PostgreSQL and SQLite)."""
    half_dlat = Radians(F("latitude") - Value(lat)) / Value(2.0)
    half_dlon = Radians(F("longitude") - Value(lon)) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Cos(Radians(Value(lat))) * Cos(Radians(F("latitude"))) * Power(Sin(half_dlon), 2)
    return models.ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM) * ASin(Least(Value(1.0), Sqrt(a))), output_field=FloatField()
    )


class DatabaseBackend:
    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._bulk = False
        self._writers: list[WriteBehind] = []
        self._turn = 0
        self._sql_folding: bool | None = None

    @property
    def postgres(self) -> bool:
        return connections[self.using].vendor == "postgresql"

    # Writing ---------------------------------------------------------------------------------------------------

    def upsert(self, kind: Kind, records: list[dict]) -> None:
        """Replace the documents of ``records`` (and their side rows) in one transaction (in bulk mode: queued)."""
        if records:
            self._write(self._upsert, kind, records)

    def _upsert(self, kind: Kind, records: list[dict]) -> None:
        with transaction.atomic(using=self.using):
            self._relax_durability()
            self._delete_rows(kind, [r["pk"] for r in records])
            self._insert(kind, records)

    def delete(self, kind: Kind, pks: Iterable[int]) -> None:
        pks = list(pks)
        if pks:
            self._write(self._delete, kind, pks)

    def _delete(self, kind: Kind, pks: list[int]) -> None:
        with transaction.atomic(using=self.using):
            self._relax_durability()
            self._delete_rows(kind, pks)

    def refresh_from_tables(self, kind: Kind, pks: list[int]) -> bool:
        """PostgreSQL: replace the documents of ``pks`` by rows the database builds from the content tables
        (``kind.sql_records``) in one transaction: searchable ones rewritten, the others deleted (in bulk mode:
        queued). Records never travel to Python and back; False when the kind or the database cannot."""
        if not pks or kind.sql_records is None or not self._folds_like_python():
            return False
        self._write(self._refresh, kind, list(pks))
        return True

    def _folds_like_python(self) -> bool:
        """Whether the database's ``fold_sql`` gives what :func:`fold` gives (a UTF-8 database whose ``lower()``
        knows accented capitals: not under a plain "C" ctype); asked once per backend."""
        if self._sql_folding is None:
            self._sql_folding = False
            if self.postgres:
                with connections[self.using].cursor() as cursor:
                    cursor.execute(f"SELECT {fold_sql('%s')}", [_FOLD_PROBE])
                    self._sql_folding = cursor.fetchone()[0] == fold(_FOLD_PROBE)
        return self._sql_folding

    def _refresh(self, kind: Kind, pks: list[int]) -> None:
        document = DOCUMENTS[kind.name]
        text = self._related(document, "text")
        sql = kind.sql_records(pks)
        qn = connections[self.using].ops.quote_name
        pk_name = document._meta.pk.attname
        columns = [f for f in document._meta.concrete_fields if f.attname != "search_vector"]
        keys = ", ".join(f"records.{qn('pk' if f.attname == pk_name else f.attname)}" for f in columns)
        vector = weighted_vector(lambda column: f"records.{qn(column)}")
        text_columns = [f for f in text._meta.concrete_fields if not f.primary_key]
        # As in ``_copy``: the folded ``search_text`` (SQLite matching) is not stored on PostgreSQL, its default is.
        text_values = [
            (f"records.{qn(f.attname)}", []) if f.attname in TEXT_FIELDS[:4] else ("%s", [f.get_default()])
            for f in text_columns
        ]
        params = [*sql.params, *(p for _, values in text_values for p in values)]
        statements = [
            f"INSERT INTO {qn(document._meta.db_table)} ({', '.join(qn(f.column) for f in columns)}, "  # noqa: S608
            f"{qn('search_vector')}) SELECT {keys}, {vector} FROM records",
            f"INSERT INTO {qn(text._meta.db_table)} ({qn(text._meta.pk.column)}, "  # noqa: S608 - model metadata
            f"{', '.join(qn(f.column) for f in text_columns)}) "
            f"SELECT records.{qn('pk')}, {', '.join(value for value, _ in text_values)} FROM records",
        ]
        for relation, source in sql.relations.items():
            model = self._related(document, relation)
            fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname != "document_id"]
            statements.append(
                f"INSERT INTO {qn(model._meta.db_table)} (document_id, {', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
                f"SELECT {qn('pk')}, {', '.join(qn(f.attname) for f in fields)} FROM {qn(source)} "
                f"ORDER BY {qn('pk')}, {qn('position')}"
            )
        inserts = ", ".join(f"written_{n} AS ({statement})" for n, statement in enumerate(statements))
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            self._relax_durability()
            self._delete_rows(kind, pks)
            cursor.execute(f"WITH {sql.ctes}, {inserts} SELECT 1", params)

    def _write(self, func: Callable[..., None], *args) -> None:
        if self._writers:
            # Batches hold disjoint ids: each writer takes every other one, on a connection (a core) of its own.
            self._turn = (self._turn + 1) % len(self._writers)
            self._writers[self._turn].submit(func, *args)
        else:
            func(*args)

    def _relax_durability(self) -> None:
        """In bulk mode, commit batches without waiting for their WAL flush, as the importer's chunks do: a batch
        lost to a server crash is derived data that ``search_reindex`` (or the next update of those ids) restores."""
        if self._bulk:
            with connections[self.using].cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")

    def rebuild(self, kind: Kind, records: Iterator[dict], progress: Callable[[int], None] | None = None) -> int:
        """Empty and refill the kind's tables in one transaction: readers see the old index until it commits."""
        document = DOCUMENTS[kind.name]
        done = 0
        with transaction.atomic(using=self.using):
            for relation in (*RELATIONS[kind.name], "text"):
                self._related(document, relation).objects.using(self.using).all()._raw_delete(self.using)
            document.objects.using(self.using).all()._raw_delete(self.using)
            while chunk := list(islice(records, BATCH)):
                self._insert(kind, chunk)
                done += len(chunk)
                if progress:
                    progress(len(chunk))
        # The old index is now dead rows as large as the new one: without a VACUUM (autovacuum may be off or late)
        # every facet scan reads both.
        self.analyze(kind, vacuum=True)
        if self.postgres and not connections[self.using].in_atomic_block:
            with connections[self.using].cursor() as cursor:
                for index in COMPACTED_AFTER_REBUILD.get(kind.name, ()):
                    cursor.execute(f"REINDEX INDEX CONCURRENTLY {connections[self.using].ops.quote_name(index)}")
        return done

    @contextmanager
    def bulk(self, kind: Kind) -> Iterator[None]:
        """Around a large update run outside any transaction (PostgreSQL): GIN indexes filled in sorted bulk, batches
        written by a thread of their own while the caller reads the next ones, and committed without waiting for the
        disk (see :meth:`_relax_durability`). Writes are queued: their errors surface at a later call or at the end.

        The kind's GIN indexes (words, trigrams, departments) are built with ``fastupdate = off`` so that searches
        never scan a pending list; inserted one document at a time, they cost one tree descent per word of every
        document, most of an import's index update. Here they take their new entries in their pending list for the
        duration, then are switched back and the list merged into the index (``gin_clean_pending_list``): the
        indexes end as the read path wants them, and concurrent searches only ever scan a list of at most
        ``gin_pending_list_limit``. Switching takes a brief exclusive lock on each index: when a search holds one
        for more than a second, the update runs with plain inserts instead of waiting.
        """
        connection = connections[self.using]
        if not self.postgres or connection.in_atomic_block:
            yield
            return
        indexes = self._gin_indexes(kind)
        switched = self._set_fastupdate(indexes, on=True, lock_timeout="1s")
        if switched:
            logger.debug("Search index update: fast update on for %s", ", ".join(indexes))
        self._bulk = True
        try:
            # Two writers, one write pending on each: the database works on two batches at a time (on two cores)
            # while the caller reads the next one or, for a kind built in SQL, just queues it.
            with ExitStack() as stack:
                self._writers = [
                    stack.enter_context(WriteBehind(f"search-index-writer-{n}", self.using)) for n in range(WRITERS)
                ]
                yield
        finally:
            self._writers = []
            self._bulk = False
            if switched:
                # Off first, then merge: entries written by others in between would otherwise stay in the list.
                self._set_fastupdate(indexes, on=False)
                with connection.cursor() as cursor:
                    for index in indexes:
                        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])

    def _gin_indexes(self, kind: Kind) -> list[str]:
        """The kind's GIN indexes, all declared without a pending list (``fastupdate = off``): one that a process
        killed in bulk mode left on is switched back off when the next bulk update ends."""
        tables = [model._meta.db_table for model in self._tables(kind)]
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "SELECT idx.relname FROM pg_index i JOIN pg_class idx ON idx.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = idx.relam WHERE am.amname = 'gin' AND i.indrelid = ANY(%s::regclass[]) "
                "ORDER BY 1",
                [tables],
            )
            return [row[0] for row in cursor.fetchall()]

    def _set_fastupdate(self, indexes: list[str], *, on: bool, lock_timeout: str = "") -> bool:
        """Switch ``fastupdate`` on all ``indexes`` in one short transaction; False when a lock was not granted."""
        if not indexes:
            return False
        connection = connections[self.using]
        quote = connection.ops.quote_name
        try:
            with transaction.atomic(using=self.using), connection.cursor() as cursor:
                if lock_timeout:
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])
                for index in indexes:
                    cursor.execute(f"ALTER INDEX {quote(index)} SET (fastupdate = {'on' if on else 'off'})")
        except OperationalError:
            logger.info("Search index update: GIN indexes busy, inserting without fast update")
            return False
        return True

    def analyze(self, kind: Kind, *, vacuum: bool = False) -> None:
        """Refresh the planner statistics of the kind's tables (PostgreSQL), after a large update or a rebuild.

        With ``vacuum``, dead rows are reclaimed too, except inside a transaction (tests), where VACUUM cannot run.
        """
        if not self.postgres:
            return
        connection = connections[self.using]
        command = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
        statements = [f"{command} {connection.ops.quote_name(model._meta.db_table)}" for model in self._tables(kind)]
        if connection.in_atomic_block:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            return
        # The document table (its tsvector statistics) takes about as long as the others together: on a connection
        # of its own, side by side with them.
        with ExitStack() as stack:
            writers = [stack.enter_context(WriteBehind(f"search-analyze-{n}", self.using)) for n in range(WRITERS)]
            for n, statement in enumerate(statements):
                writers[min(n, WRITERS - 1)].submit(self._execute, statement)

    def _execute(self, statement: str) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute(statement)

    def _delete_rows(self, kind: Kind, pks: list[int]) -> None:
        """Delete the documents of ``pks`` that exist, side rows first (one query when none exists: a first import)."""
        document = DOCUMENTS[kind.name]
        existing = self._existing(document, pks)
        if not existing:
            return
        for relation in (*RELATIONS[kind.name], "text"):
            self._related(document, relation).objects.using(self.using).filter(document_id__in=existing)._raw_delete(
                self.using
            )
        document.objects.using(self.using).filter(pk__in=existing)._raw_delete(self.using)

    def _existing(self, document: type[models.Model], pks: list[int]) -> list[int]:
        if self.postgres:
            # One array parameter rather than an ``IN`` list of thousands: planned in a fraction of the time.
            qn = connections[self.using].ops.quote_name
            with connections[self.using].cursor() as cursor:
                cursor.execute(
                    f"SELECT {qn(document._meta.pk.column)} FROM {qn(document._meta.db_table)} "  # noqa: S608
                    f"WHERE {qn(document._meta.pk.column)} = ANY(%s::bigint[])",
                    [list(pks)],
                )
                return [row[0] for row in cursor.fetchall()]
        return list(document.objects.using(self.using).filter(pk__in=pks).values_list("pk", flat=True))

    def _insert(self, kind: Kind, records: list[dict]) -> None:
        if self.postgres:
            self._copy(kind, records)
            return
        document = DOCUMENTS[kind.name]
        pk_name = document._meta.pk.attname
        own = {f.attname for f in document._meta.concrete_fields} - {pk_name, "search_vector"}
        document.objects.using(self.using).bulk_create(
            [document(**{pk_name: r["pk"]}, **{k: v for k, v in r.items() if k in own}) for r in records],
            batch_size=BATCH,
        )
        text = self._related(document, "text")
        text.objects.using(self.using).bulk_create(
            [text(document_id=r["pk"], **{name: r[name] for name in TEXT_FIELDS}) for r in records], batch_size=BATCH
        )
        for relation in RELATIONS[kind.name]:
            model = self._related(document, relation)
            rows = []
            for record in records:
                for value in record.get(relation, []):
                    fields = value if isinstance(value, dict) else {"slug": value}
                    rows.append(model(document_id=record["pk"], **fields))
            model.objects.using(self.using).bulk_create(rows, batch_size=BATCH)

    def _copy(self, kind: Kind, records: list[dict]) -> None:
        """PostgreSQL: ``COPY`` the documents and their text into a temporary table, then move them into place.

        The weighted tsvector (title A, organisation/partner B, description C) is computed by the ``INSERT … SELECT``
        that moves the documents, so the text travels once and no vector comes back to Python; side rows (places,
        categories…) are copied straight into their tables. Columns come from the models, so a column added to a
        document model is written as soon as the kind's records carry it (its default otherwise).
        """
        document = DOCUMENTS[kind.name]
        text = self._related(document, "text")
        connection = connections[self.using]
        qn = connection.ops.quote_name
        columns = [f for f in document._meta.concrete_fields if f.attname != "search_vector"]
        text_columns = [f for f in text._meta.concrete_fields if not f.primary_key]
        # On PostgreSQL the folded ``search_text`` (SQLite matching) is not stored: its default is.
        text_values = set(TEXT_FIELDS[:4])
        staging = f"search_staging_{kind.name}"
        definitions = [f"{qn(f.column)} {f.db_type(connection)}" for f in columns]
        definitions += [f"{qn('text_' + f.column)} {f.db_type(connection)}" for f in text_columns]
        pk_name = document._meta.pk.attname
        plan = [("pk" if f.attname == pk_name else f.attname, f.get_default(), _is_json(f)) for f in columns]
        plan += [(f.attname if f.attname in text_values else None, f.get_default(), _is_json(f)) for f in text_columns]
        vector = weighted_vector(lambda column: qn("text_" + column))
        document_columns = ", ".join(qn(f.column) for f in columns)
        with transaction.atomic(using=self.using), connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({', '.join(definitions)}) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY {staging} FROM STDIN") as copy:
                for record in records:
                    copy.write_row(
                        [
                            _copy_value(record.get(key, default) if key else default, is_json)
                            for key, default, is_json in plan
                        ]
                    )
            cursor.execute(
                f"INSERT INTO {qn(document._meta.db_table)} ({document_columns}, {qn('search_vector')}) "  # noqa: S608
                f"SELECT {document_columns}, {vector} FROM {staging}"
            )
            cursor.execute(
                f"INSERT INTO {qn(text._meta.db_table)} ({qn(text._meta.pk.column)}, "  # noqa: S608 - model metadata
                f"{', '.join(qn(f.column) for f in text_columns)}) SELECT {qn(document._meta.pk.column)}, "
                f"{', '.join(qn('text_' + f.column) for f in text_columns)} FROM {staging}"
            )
            cursor.execute(f"DROP TABLE {staging}")
            for relation in RELATIONS[kind.name]:
                self._copy_related(cursor, self._related(document, relation), records, relation)

    @staticmethod
    def _copy_related(cursor, model: type[models.Model], records: list[dict], relation: str) -> None:
        """``COPY`` the side rows of ``relation`` (dicts of fields, or plain slugs) for ``records``."""
        qn = cursor.db.ops.quote_name
        columns = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname != "document_id"]
        plan = [(f.attname, f.get_default(), _is_json(f)) for f in columns]
        names = ", ".join(["document_id", *(qn(f.column) for f in columns)])
        with cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for record in records:
                pk = record["pk"]
                for value in record.get(relation, []):
                    fields = value if isinstance(value, dict) else {"slug": value}
                    copy.write_row(
                        [pk, *(_copy_value(fields.get(name, default), is_json) for name, default, is_json in plan)]
                    )

    @classmethod
    def _tables(cls, kind: Kind) -> list[type[models.Model]]:
        """The kind's document model, then its side and text models."""
        document = DOCUMENTS[kind.name]
        return [document, *(cls._related(document, r) for r in (*RELATIONS[kind.name], "text"))]

    @staticmethod
    def _related(document: type[models.Model], relation: str) -> type[models.Model]:
        return document._meta.get_field(relation).related_model

    # Reading ---------------------------------------------------------------------------------------------------

    def search(self, kind: Kind, query: SearchQuery) -> SearchResult:
        if not self.postgres:
            return self._search(kind, query)
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            cursor.execute(SESSION_HINTS)
            return self._search(kind, query)

    def _search(self, kind: Kind, query: SearchQuery) -> SearchResult:
        document = DOCUMENTS[kind.name]
        filters = kind.clean_filters(query.filters)
        facets = query.wanted_facets(kind)
        sort, size, offset = query.effective_sort(), query.page_size(), query.offset()

        visible = document.objects.using(self.using).filter(self._visible_on(timezone.localdate()))
        base = visible.filter(self._near(document, query.near, query.include_everywhere)) if query.near else visible
        codes = _Codes(kind) if self.postgres else None
        conditions = {name: self._condition(kind, document, name, value, codes) for name, value in filters.items()}

        text = query.text.strip()
        # One scan for every facet when text or a place narrows the documents; over every visible document two
        # serial index-only scans read in group order are cheaper (see SERIAL_HINTS and _counts_in_one_pass).
        narrowed = bool(query.near or text)
        if self.postgres and not narrowed:
            with connections[self.using].cursor() as cursor:
                cursor.execute(SERIAL_HINTS)
        elif self.postgres and text and not query.near:
            with connections[self.using].cursor() as cursor:
                cursor.execute(TEXT_HINTS)
        elif self.postgres:
            with connections[self.using].cursor() as cursor:
                cursor.execute(GEO_HINTS)
        strategies = self._text_strategies(text) if text else [(Q(), Value(0.0, output_field=FloatField()), None)]
        one_read = self._reads_text_matches_once(kind, query, facets)
        hits: list[Hit] | None = None
        for strategy in strategies:
            text_q, score, pg_query = strategy
            matched = base.filter(text_q)
            if one_read:
                rows, hits = self._text_page_in_one_pass(kind, matched, conditions, facets, score, sort, offset, size)
                total, counts = self._facets(kind, matched, conditions, filters, facets, narrowed, codes, rows)
            else:
                total, counts = self._facets(kind, matched, conditions, filters, facets, narrowed, codes)
            if total:
                break
        if hits is None and query.near and sort == Sort.DISTANCE and not query.include_everywhere and not text:
            hits = self._hits_by_distance(visible.filter(*conditions.values()), query.near, document, offset, size)
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

    @staticmethod
    def _visible_on(day) -> Q:
        return (Q(visible_from__isnull=True) | Q(visible_from__lte=day)) & (
            Q(visible_until__isnull=True) | Q(visible_until__gte=day)
        )

    def _places_in_box(self, document: type[models.Model], near: Near, radius_km: float) -> models.QuerySet:
        """The document's places inside the box around the circle of ``radius_km``: the index-friendly prefilter
        every geographic read starts from (the exact distance is the caller's)."""
        min_lat, max_lat, min_lon, max_lon = bounding_box(near.lat, near.lon, radius_km)
        return (
            self._related(document, "places")
            .objects.using(self.using)
            .filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        )

    def _near(self, document: type[models.Model], near: Near, include_everywhere: bool) -> Q:
        # The exact distance only for the places outside the box inscribed in the circle (a third of the bounding box
        # around a city): OR stops at its first true branch, so most places skip the trigonometry.
        in_min_lat, in_max_lat, in_min_lon, in_max_lon = inscribed_box(near.lat, near.lon, near.radius_km)
        surely_inside = Q(latitude__range=(in_min_lat, in_max_lat), longitude__range=(in_min_lon, in_max_lon))
        inside = (
            self._places_in_box(document, near, near.radius_km)
            .annotate(distance=haversine(near.lat, near.lon))
            .filter(surely_inside | Q(distance__lte=near.radius_km))
            .values("document_id")
        )
        condition = Q(pk__in=inside)
        return condition | Q(everywhere=True) if include_everywhere else condition

    def _condition(self, kind: Kind, document: type[models.Model], name: str, value, codes: _Codes | None = None) -> Q:
        spec = kind.filters[name]
        if spec.code and codes is not None:
            # -1 is no code: unknown values match nothing, as unknown slugs do.
            return Q(**{f"{spec.code}__in": [codes.of(name).get(v, -1) for v in value]})
        if spec.type in (FilterType.TERMS, FilterType.FOLDED_TERMS, FilterType.IDS):
            if spec.array and self.postgres:
                return Q(**{f"{spec.array}__has_any_keys": value})
            if "__" in spec.db:
                relation, column = spec.db.split("__", 1)
                rows = self._related(document, relation).objects.filter(**{f"{column}__in": value})
                return Q(pk__in=rows.values("document_id"))
            return Q(**{f"{spec.db}__in": value})
        if spec.type == FilterType.BOOL:
            return Q(**{spec.db: True})
        if spec.type == FilterType.DATE_FROM:
            return Q(**{f"{spec.db}__gte": value})
        if spec.type == FilterType.DATE_TO:
            return Q(**{f"{spec.db}__lte": value})
        if spec.type == FilterType.AGE:
            return eligible_at_age_q(value, min_age=spec.db, max_age=spec.upper, open_to_minors=spec.minors)
        if spec.type == FilterType.VALID_ON:
            return self._visible_on(value)
        raise AssertionError(spec.type)  # pragma: no cover

    def _text_strategies(self, text: str) -> list[tuple[Q, models.Expression, PgSearchQuery | None]]:
        """Full text first; when it finds nothing, trigram similarity on the title (typos). SQLite: substrings."""
        if not self.postgres:
            words = re.findall(r"\w+", fold(text))
            # A word in the title counts double, so that title matches come first as on PostgreSQL.
            in_title = [Case(When(text__title_folded__contains=w, then=Value(2.0)), default=Value(1.0)) for w in words]
            score = sum(in_title[1:], in_title[0]) if in_title else Value(1.0)
            return [(Q(*[Q(text__search_text__contains=w) for w in words]), score, None)]
        words = re.findall(r"[^\W_]+", text)
        # Prefix matching on stems lets "bénévoles" (stem "benevol") find "bénévolat"; short words stay exact.
        terms = [f"{w}:*" if len(w) >= 4 else w for w in words if len(w) >= 2]
        strategies = []
        if terms:
            pg_query = PgSearchQuery(" & ".join(terms), search_type="raw", config=TEXT_CONFIG)
            strategies.append((Q(search_vector=pg_query), SearchRank(F("search_vector"), pg_query), pg_query))
        folded = fold(text)
        similarity = TrigramWordSimilarity(folded, "text__title_folded")
        strategies.append((Q(text__title_folded__trigram_word_similar=folded), similarity, None))
        return strategies

    def _facets(
        self,
        kind: Kind,
        matched: models.QuerySet,
        conditions: dict[str, Q],
        filters: dict,
        facets: list[str],
        narrowed: bool = False,
        codes: _Codes | None = None,
        single_rows: list[dict] | None = None,
    ) -> tuple[int, dict[str, Counter]]:
        """Total and disjunctive counts of ``facets`` over ``matched``; ``single_rows``, when given, are the grouped
        combinations of the single-valued facets already read (:meth:`_text_page_in_one_pass`)."""
        counts: dict[str, Counter] = {name: Counter() for name in facets}
        single = [name for name in facets if not kind.facets[name].multi]
        arrays = [name for name in facets if kind.facets[name].multi and kind.facets[name].array]
        one_pass = arrays[0] if narrowed and self.postgres and single and len(arrays) == 1 else None
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
            if kind.facets[name].array and self.postgres:
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
        """The single-valued combinations and the array facet's counts from one scan (PostgreSQL), disjunctively.

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
        grouped = ", ".join(f"matched.{quote(column)}" for column in keys)
        if facet.key:
            value = f"matched.{quote(array)}"
            source = f"({sql}) AS matched"  # noqa: S608 - sql is compiled by the ORM
            in_combination = "count(*) FILTER (WHERE matched.single_ok)"
            in_element = f"count(*) FILTER (WHERE matched.array_ok AND {value} <> '')"
        else:
            value = "element.value"
            source = (
                f"({sql}) AS matched LEFT JOIN LATERAL jsonb_array_elements_text(matched.{quote(array)}) "  # noqa: S608
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
        place, on PostgreSQL, whose facets are all single-valued (:meth:`_text_page_in_one_pass`)."""
        return (
            self.postgres
            and bool(query.text.strip())
            and query.near is None
            and bool(facets)
            and not any(kind.facets[name].multi for name in facets)
        )

    @staticmethod
    def _single_keys(kind: Kind, facets: list[str], coded: bool) -> tuple[dict[str, str], list[str], bool]:
        """The single-valued facets' columns, the keys their combinations are grouped by, and whether that is the one
        column combining their codes (PostgreSQL, when it has them all)."""
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
        grouped = ", ".join(f"matched.{quote(column)}" for column in keys)
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

    def _hits(self, matched, conditions, score, sort, near, offset, size, document) -> list[Hit]:
        queryset = matched.filter(*conditions.values()).annotate(score=score)
        if near is not None:
            closest = (
                self._related(document, "places")
                .objects.filter(document_id=OuterRef("pk"), latitude__isnull=False, longitude__isnull=False)
                .annotate(distance=haversine(near.lat, near.lon))
                .order_by("distance")
                .values("distance")[:1]
            )
            queryset = queryset.annotate(distance=Subquery(closest, output_field=FloatField()))
        else:
            queryset = queryset.annotate(distance=Value(None, output_field=FloatField()))
        order = {
            # Plain DESC/ASC match the btree indexes (DESC puts nulls first; searchable items are all published).
            Sort.RELEVANCE: [F("score").desc(), F("published_at").desc()],
            Sort.DISTANCE: [F("distance").asc(nulls_last=True)],
            Sort.START_DATE: [F("start_date").asc()],
            Sort.NEWEST: [F("published_at").desc()],
        }[sort]
        rows = queryset.order_by(*order, "pk").values_list("pk", "score", "distance")[offset : offset + size]
        return [
            Hit(pk=pk, score=float(s or 0.0), distance_km=round(d, 3) if d is not None else None) for pk, s, d in rows
        ]

    def _hits_by_distance(self, candidates, near: Near, document, offset: int, size: int) -> list[Hit]:
        """A page sorted by distance, read from the places: those in the radius grouped by document, closest first.

        A document found through its places has its closest place inside the radius, so the minimum over the places
        in the radius is the distance ``_hits`` computes with one correlated subquery per matched document.
        ``candidates`` are the visible documents passing the filters (no text, no nationwide documents: those take
        ``_hits``). On PostgreSQL the nearest places are tried first (:meth:`_nearest_documents`); the grouped pass
        over every place in the radius is the fallback, and SQLite's way.
        """
        if self.postgres:
            hits = self._nearest_documents(candidates, near, document, offset, size)
            if hits is not None:
                return hits
        rows = (
            self._places_in_box(document, near, near.radius_km)
            .filter(document_id__in=candidates.values("pk"))
            .values("document_id")
            .annotate(distance=Min(haversine(near.lat, near.lon)))
            .filter(distance__lte=near.radius_km)
            .order_by("distance", "document_id")
            .values_list("document_id", "distance")[offset : offset + size]
        )
        return [Hit(pk=pk, score=0.0, distance_km=round(distance, 3)) for pk, distance in rows]

    def _nearest_documents(self, candidates, near: Near, document, offset: int, size: int) -> list[Hit] | None:
        """The page from a window of the nearest places in the radius, widened until it provably holds the page.

        Grouping every place in the radius by document to keep twenty costs as much as the facets (28,000 documents
        within 20 km of Paris in the bench data set). The nearest ``window`` places (a top-N sort), kept where their
        document is a candidate (one primary-key lookup), give the same page whenever the last document of the page
        is strictly closer than the farthest place of the window (every place closer than that one is in the window,
        so no document outside it can come first), or when the window holds every place of the radius. Otherwise the
        window grows; after ``NEAREST_WINDOWS`` tries (very selective filters) None sends the caller to the grouped
        pass.
        """
        wanted = offset + size
        window = NEAREST_WINDOW_PER_HIT * wanted
        for _ in range(NEAREST_WINDOWS):
            rows = self._nearest_places(document, near, window)
            allowed = set(candidates.filter(pk__in={pk for pk, _ in rows}).values_list("pk", flat=True))
            closest: dict[int, float] = {}
            for pk, distance in rows:  # sorted by distance: a document's first place is its closest
                if pk in allowed and pk not in closest:
                    closest[pk] = distance
            ranked = sorted(closest.items(), key=lambda item: (item[1], item[0]))
            if len(rows) < window or (len(ranked) >= wanted and ranked[wanted - 1][1] < rows[-1][1]):
                return [Hit(pk=pk, score=0.0, distance_km=round(d, 3)) for pk, d in ranked[offset : offset + size]]
            window *= NEAREST_WINDOW_GROWTH
        return None

    def _nearest_places(self, document, near: Near, window: int) -> list[tuple[int, float]]:
        """The ``window`` places of the radius nearest to its centre, as (document id, km), closest first.

        Read first in a small circle, then in wider ones (:data:`NEAREST_RADII`): a circle that holds ``window``
        places holds the nearest ``window`` of the whole radius (any place outside it is farther than every place in
        it), and costs the share of the radius it covers. Around a city centre the smallest circle is enough (20 km
        around Paris: 32,000 places sorted for 80; the 1.25 km circle holds them); in a sparse area the wider circles
        together add a few percent to the one full read.
        """
        rows: list[tuple[int, float]] = []
        for share in NEAREST_RADII:
            radius = near.radius_km * share
            rows = list(
                self._places_in_box(document, near, radius)
                .annotate(distance=haversine(near.lat, near.lon))
                .filter(distance__lte=radius)
                .order_by("distance", "document_id")
                .values_list("document_id", "distance")[:window]
            )
            if len(rows) >= window:
                break
        return rows

    def _highlight(self, document, hits: list[Hit], pg_query: PgSearchQuery) -> None:
        """Snippets with the matched words in ``<mark>``, escaped, for the returned page only."""
        options = {"config": TEXT_CONFIG, "start_sel": _HL_START, "stop_sel": _HL_STOP}
        rows = (
            self._related(document, "text")
            .objects.using(self.using)
            .filter(document_id__in=[h.pk for h in hits])
            .annotate(
                title_hl=SearchHeadline("title", pg_query, highlight_all=True, **options),
                description_hl=SearchHeadline("description", pg_query, max_words=30, min_words=12, **options),
            )
            .values_list("document_id", "title_hl", "description_hl")
        )
        by_pk = {pk: (title, description) for pk, title, description in rows}
        for hit in hits:
            for field, snippet in zip(("title", "description"), by_pk.get(hit.pk, ()), strict=False):
                if snippet and _HL_START in snippet:
                    hit.highlight[field] = (
                        html.escape(snippet).replace(_HL_START, "<mark>").replace(_HL_STOP, "</mark>")
                    )


class _Codes:
    """The integer codes of one query's coded filters and facets (PostgreSQL), each read once, both ways."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._by_value: dict[str, dict[str, int]] = {}

    def of(self, name: str) -> dict[str, int]:
        if name not in self._by_value:
            self._by_value[name] = self.kind.codes(name) if self.kind.codes else {}
        return self._by_value[name]

    def decode(self, rows: Iterable[dict], columns: dict[str, str]) -> list[dict]:
        """Rows grouped by the combination column, as rows of the facets' own values (``""`` where none)."""
        values = {name: {code: value for value, code in self.of(name).items()} for name in columns}
        decoded = []
        for row in rows:
            parts = self.kind.split(row[self.kind.combination])
            decoded.append({col: values[name].get(parts[name], "") for name, col in columns.items()} | {"n": row["n"]})
        return decoded
