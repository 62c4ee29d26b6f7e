"""Writing the database backend's index: documents and their side rows, one batch at a time or in bulk.

A batch replaces its documents in one transaction (old rows deleted, new ones ``COPY``-ed through a temporary
table, the weighted ``tsvector`` computed by the database). A kind that can build its records in SQL
(``Kind.sql_records``) is refreshed without its rows travelling to Python and back. Bulk mode (an import's update)
writes batches on two connections side by side, commits them without waiting for the disk and lets the GIN indexes
take new entries in their pending lists until it ends.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice

from django.db import OperationalError, connections, models, transaction

from cms.core.writebehind import WriteBehind

from ...base import Kind
from ...folding import fold, fold_sql
from .tables import DOCUMENTS, RELATIONS, DocumentTables, copied_from_document, weighted_vector

logger = logging.getLogger(__name__)

BATCH = 2000
#: Connections writing a bulk update's batches side by side.
WRITERS = 2
#: Letters whose folding tells whether the database folds as Python does (see ``_folds_like_python``).
_FOLD_PROBE = "ŒUVRE Æ À l’École d’ÉTÉ Ø ß İ Ⅻ ＡＢ ñ"
#: Indexes rebuilt (``REINDEX CONCURRENTLY``: readers and writers go on) after a full rebuild. The rebuild inserts
#: every entry while the old ones still exist, which leaves the covering facet indexes about three times their
#: compact size even once vacuumed, and the planner then prefers a sequential scan of the whole heap. The indexes are
#: small: rebuilding them is quick.
COMPACTED_AFTER_REBUILD: dict[str, tuple[str, ...]] = {
    "missions": ("search_mdoc_combined_idx", "search_mdoc_departments_idx")
}


def _is_json(field: models.Field) -> bool:
    return isinstance(field, models.JSONField)


def _copy_value(value, json_column: bool):
    """A value as ``COPY`` takes it: JSON as its text (the server parses it), the rest as psycopg adapts it."""
    if json_column and value is not None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


class IndexWriter(DocumentTables):
    """The writing half of :class:`~search.backends.database.DatabaseBackend` (see the module's docstring)."""

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._bulk = False
        self._writers: list[WriteBehind] = []
        self._turn = 0
        self._sql_folding: bool | None = None

    def upsert(self, kind: Kind, records: list[dict]) -> None:
        """Replace the documents of ``records`` (and their side rows) in one transaction (in bulk mode: queued)."""
        if records:
            self._write(self._upsert, kind, records)

    def _upsert(self, kind: Kind, records: list[dict]) -> None:
        with transaction.atomic(using=self.using):
            self._relax_durability()
            self._delete_rows(kind, [r["pk"] for r in records])
            self._copy(kind, records)

    def delete(self, kind: Kind, pks: Iterable[int]) -> None:
        pks = list(pks)
        if pks:
            self._write(self._delete, kind, pks)

    def _delete(self, kind: Kind, pks: list[int]) -> None:
        with transaction.atomic(using=self.using):
            self._relax_durability()
            self._delete_rows(kind, pks)

    def refresh_from_tables(self, kind: Kind, pks: list[int]) -> bool:
        """Replace the documents of ``pks`` by rows the database builds from the content tables
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
        search_vector = document._meta.get_field("search_vector")
        columns = [f for f in document._meta.concrete_fields if f is not search_vector]
        keys = ", ".join(f"records.{qn('pk' if f.attname == pk_name else f.attname)}" for f in columns)
        vector = weighted_vector(lambda column: f"records.{qn(column)}")
        text_columns = [f for f in text._meta.concrete_fields if not f.primary_key]
        params = sql.params
        statements = [
            f"INSERT INTO {qn(document._meta.db_table)} ({', '.join(qn(f.column) for f in columns)}, "  # noqa: S608
            f"{qn(search_vector.column)}) SELECT {keys}, {vector} FROM records",
            f"INSERT INTO {qn(text._meta.db_table)} ({qn(text._meta.pk.column)}, "  # noqa: S608 - model metadata
            f"{', '.join(qn(f.column) for f in text_columns)}) "
            f"SELECT records.{qn('pk')}, {', '.join(f'records.{qn(f.attname)}' for f in text_columns)} FROM records",
        ]
        for relation, source in sql.relations.items():
            model = self._related(document, relation)
            owner = model._meta.get_field("document")
            fields = [f for f in model._meta.concrete_fields if not f.primary_key and f is not owner]
            copied = copied_from_document(model)
            # Columns copied from the document are read from its record, the rest from the side rows.
            values = [f"{'records' if f.attname in copied else 'side'}.{qn(f.attname)}" for f in fields]
            join = f"JOIN records ON records.{qn('pk')} = side.{qn('pk')} " if copied else ""
            statements.append(
                f"INSERT INTO {qn(model._meta.db_table)} ({qn(owner.column)}, "  # noqa: S608 - model metadata
                f"{', '.join(qn(f.column) for f in fields)}) "
                f"SELECT side.{qn('pk')}, {', '.join(values)} FROM {qn(source)} side {join}"
                f"ORDER BY side.{qn('pk')}, side.{qn('position')}"
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
                self._copy(kind, chunk)
                done += len(chunk)
                if progress:
                    progress(len(chunk))
        # The old index is now dead rows as large as the new one: without a VACUUM (autovacuum may be off or late)
        # every facet scan reads both.
        self.analyze(kind, vacuum=True)
        if not connections[self.using].in_atomic_block:
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
        if connection.in_atomic_block:
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
        # One array parameter rather than an ``IN`` list of thousands: planned in a fraction of the time.
        qn = connections[self.using].ops.quote_name
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT {qn(document._meta.pk.column)} FROM {qn(document._meta.db_table)} "  # noqa: S608
                f"WHERE {qn(document._meta.pk.column)} = ANY(%s::bigint[])",
                [list(pks)],
            )
            return [row[0] for row in cursor.fetchall()]

    def _copy(self, kind: Kind, records: list[dict]) -> None:
        """``COPY`` the documents and their text into a temporary table, then move them into place.

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
        staging = f"search_staging_{kind.name}"
        definitions = [f"{qn(f.column)} {f.db_type(connection)}" for f in columns]
        definitions += [f"{qn('text_' + f.column)} {f.db_type(connection)}" for f in text_columns]
        pk_name = document._meta.pk.attname
        plan = [("pk" if f.attname == pk_name else f.attname, f.get_default(), _is_json(f)) for f in columns]
        plan += [(f.attname, f.get_default(), _is_json(f)) for f in text_columns]
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
        copied = copied_from_document(model)
        plan = [(f.attname, f.get_default(), _is_json(f), f.attname in copied) for f in columns]
        names = ", ".join(["document_id", *(qn(f.column) for f in columns)])
        with cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for record in records:
                pk = record["pk"]
                for value in record.get(relation, []):
                    fields = value if isinstance(value, dict) else {"slug": value}
                    copy.write_row(
                        [
                            pk,
                            *(
                                _copy_value((record if from_document else fields).get(name, default), is_json)
                                for name, default, is_json, from_document in plan
                            ),
                        ]
                    )
