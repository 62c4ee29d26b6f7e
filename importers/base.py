"""The sync engine all feed formats share: fetch → parse (streaming) → normalise → validate → upsert → archive → report.

A format is a small subclass that only says how to :meth:`BaseImporter.parse` a byte stream into raw dicts (the
engagement feed's field names). Everything that makes the sync safe lives here, once:

- missions are keyed by ``(source, client_id)``; the content hash of the *raw* entry is compared first, so an
  unchanged mission costs a dictionary lookup, not a normalisation nor a write;
- writes happen in chunks, each in its own transaction (bulk inserts and updates), so a crash loses at most the chunk
  in flight and never leaves a half-written mission;
- archiving happens only at the end and only when the feed was read completely: an empty, truncated or unreadable
  feed archives nothing, until it has failed for :data:`~importers.models.FAILURE_GRACE` in a row;
- two imports of one source never overlap (:func:`~importers.locking.source_lock`);
- the search index hears about every changed mission once, after the run (``cms.core.changes.announce``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import IO, Any, ClassVar

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from cms.core.changes import announce, announcing_in_steps
from cms.core.writebehind import WriteBehind
from cms.missions.models import Mission, MissionAddress
from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Programme

from .bulk import copy_insert
from .errors import FeedError, ImportAlreadyRunning
from .http import fetch_source
from .locking import mark_interrupted_runs, source_lock
from .models import FAILURE_GRACE, HIGH_REFUSAL_RATE, FeedSource, ImportRun, PendingGeocode
from .normalise import text as n_text
from .normalise import truncate
from .records import CLIENT_ID_MAX, MissionRecord, NormaliseContext, client_id_of, normalise_mission
from .validate import client_id_refusal, leave_out_what_is_over_bounds, make_storable, refusal_reasons

#: Bump when normalisation changes meaning, so the next run rewrites every mission instead of skipping them.
NORMALISATION_VERSION = "1"
#: How many per-mission entries an ImportRun keeps (the counts stay exact).
MAX_STORED_ERRORS = 1000

_MISSION_FIELDS = [
    "title",
    "description_html",
    "description_text",
    "programme",
    "domain",
    "organization",
    "activities",
    "tags",
    "audience",
    "soft_skills",
    "requirements",
    "remote",
    "schedule",
    "start_date",
    "end_date",
    "posted_at",
    "places",
    "open_to_minors",
    "reduced_mobility_accessible",
    "close_to_transport",
    "compensation_amount",
    "compensation_amount_max",
    "compensation_unit",
    "compensation_type",
    "application_url",
    "image_url",
    "moderation_status",
    "moderation_reason",
    "moderated_at",
    "moderated_by_staff",
    "content_hash",
    "last_synced_at",
    "archived_at",
    "updated_at",
]
#: Mission columns whose planner statistics a large run leaves to autovacuum (see ``_refresh_statistics``).
_WIDE_COLUMNS = frozenset(
    {
        "title",
        "description_html",
        "description_text",
        "activities",
        "tags",
        "tasks",
        "audience",
        "soft_skills",
        "requirements",
        "schedule",
        "application_url",
        "image_url",
        "moderation_reason",
        "content_hash",
    }
)
#: What an import leaves alone on a mission staff refused: their decision stands until they change it.
_STAFF_DECISION_FIELDS = frozenset({"moderation_status", "moderation_reason", "moderated_at", "moderated_by_staff"})
_MISSION_FIELDS_KEEPING_STAFF_DECISION = [name for name in _MISSION_FIELDS if name not in _STAFF_DECISION_FIELDS]
_ORG_FIELDS = [
    "name",
    "rna",
    "siren",
    "siret",
    "url",
    "logo_url",
    "description",
    "street",
    "postcode",
    "city",
    "kind",
    "department_code",
]


@dataclasses.dataclass
class ImportReport:
    """What a run did; saved as an :class:`~importers.models.ImportRun` unless it was a dry run."""

    source: str
    dry_run: bool = False
    started_at: dt.datetime = dataclasses.field(default_factory=timezone.now)
    finished_at: dt.datetime | None = None
    complete: bool = False
    skipped: bool = False
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    restored: int = 0
    refused: int = 0
    errors: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)
    fatal: str = ""
    run_id: int | None = None
    changed_pks: set[int] = dataclasses.field(default_factory=set, repr=False)

    @property
    def status(self) -> str:
        if self.skipped:
            return ImportRun.Status.SKIPPED
        if self.fatal or not self.complete:
            return ImportRun.Status.FAILED
        return ImportRun.Status.WARNING if self.warnings else ImportRun.Status.SUCCESS

    def add_entry(self, client_id: str, title: str, messages: list[str], *, refused: bool) -> None:
        """Remember what went wrong with one mission (refusal reasons, or warnings on an accepted one)."""
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"client_id": client_id, "title": title[:120], "refused": refused, "messages": messages})


@dataclasses.dataclass(slots=True)
class _Item:
    client_id: str
    digest: str
    record: MissionRecord | None
    reasons: list[str]
    existing: tuple[int, str, bool] | None


def batched(iterable: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class CountingReader:
    """Wraps the byte stream to tell progress bars how far the parser has read."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.position = 0
        try:
            here = stream.tell()
            self.total = stream.seek(0, 2) - here
            stream.seek(here)
        except (OSError, AttributeError, ValueError):
            self.total = None

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.position += len(data)
        return data

    read1 = read

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        pass

    @property
    def closed(self) -> bool:
        return False


#: Allocations between two young-generation collections during a run (CPython's default is 700).
GC_THRESHOLD = 50_000

#: Objects the interpreter froze before any code of ours ran (CPython 3.12 starts with some, 3.11 and 3.13 with none):
#: a freeze count above it means the process froze objects of its own.
_FROZEN_AT_START = gc.get_freeze_count()


@functools.cache
def process_froze_objects() -> bool:
    """Whether this process froze objects of its own (a server after start-up, the test session once collected).

    Read once, at a process's first run: a process freezes what it holds when it starts, before anything imports, and
    ``gc.get_freeze_count()`` walks every frozen object, which a process that froze much would pay on every run."""
    return gc.get_freeze_count() > _FROZEN_AT_START


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Around the reading of a feed: what was alive before it (Django, the run's loaded state) is left out of the
    cyclic garbage collector's scans (``gc.freeze``), and its young generation is collected every
    :data:`GC_THRESHOLD` allocations.

    A run allocates a dozen containers per field of every mission, almost all freed by reference counting; with the
    default thresholds the collector still runs thousands of times and its full scans walk every object of the
    process again and again, a large share of a run's reading phase. Restored on the way out. A process that froze
    its objects itself (:func:`process_froze_objects`) keeps them frozen: ``gc.unfreeze`` cannot tell whose objects it
    releases, so the run then only changes the thresholds.
    """
    thresholds = gc.get_threshold()
    freeze = not process_froze_objects()
    if freeze:
        gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()


class BaseImporter:
    """Imports one :class:`FeedSource`. Subclasses set :attr:`format` and implement :meth:`parse`.

    Hooks, in the order :meth:`run` calls them: :meth:`fetch` (bytes), :meth:`parse` (raw dicts, streamed),
    :meth:`content_hash`, :meth:`normalise` and :meth:`validate` (per mission), :meth:`upsert` (per chunk, one
    transaction), :meth:`archive_missing` (once, at the end, only after a complete and valid read).
    """

    format: ClassVar[str] = ""
    chunk_size: ClassVar[int] = 1000
    #: When set, every mission written is attached to this organisation instead of the feed's (partner API keys).
    fixed_organization_id: int | None = None
    #: A run that writes at least this many missions refreshes the planner statistics of the mission tables at its
    #: end (see :meth:`_refresh_statistics`).
    analyze_after: ClassVar[int] = 5000

    def __init__(
        self,
        source: FeedSource,
        *,
        dry_run: bool = False,
        progress: Callable[[BaseImporter], None] | None = None,
    ):
        self.source = source
        self.dry_run = dry_run
        self.progress = progress
        self.now = timezone.now()
        self.report = ImportReport(source=source.name, dry_run=dry_run, started_at=self.now)
        self.reader: CountingReader | None = None
        self._existing: dict[str, tuple[int, str, bool]] = {}
        self._organizations: dict[str, tuple[int, tuple]] = {}
        self._seen: set[str] = set()
        self._changed_organizations: set[int] = set()
        self._salt = b""
        self._staff_refused: set[int] = set()
        self._writer: WriteBehind | None = None
        #: ``committed(pks)`` of :func:`~cms.core.changes.announcing_in_steps` while chunks are written behind.
        self._step: Callable[[list[int]], None] | None = None
        self._streamed: set[int] = set()
        self._statistics_refreshed = False
        #: Missions refused without being stored (no usable identifier): the refusal rate counts them too.
        self._refused_unstored = 0

    # ------------------------------------------------------------------------------------------------ hooks

    def fetch(self) -> IO[bytes]:
        """The feed's bytes: downloaded with a timeout, a size cap and the source's authentication."""
        return fetch_source(self.source)

    def parse(self, stream: IO[bytes]) -> Iterator[dict[str, Any]]:
        """Yield one raw dict per mission, streaming; raise :class:`FeedError` when the feed is unreadable."""
        raise NotImplementedError

    def identify(self, entry: Any) -> tuple[str, str]:
        """(client id, content hash) of a parsed entry, read without normalising it.

        The default suits dict entries (JSON, CSV); the XML importer hashes the mission element's own bytes while
        parsing, so an unchanged mission is never turned into a dict at all.
        """
        payload = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return client_id_of(entry), self.content_hash(payload.encode("utf-8", "surrogatepass"))

    def needs_content(self, client_id: str, digest: str) -> bool:
        """Whether an entry must be read in full: new, changed, or without a client id."""
        existing = self._existing.get(client_id) if client_id else None
        return existing is None or existing[1] != digest

    def materialise(self, entry: Any) -> dict[str, Any]:
        """The raw dict of an entry (only called for new or changed missions)."""
        return entry

    def content_hash(self, canonical: bytes) -> str:
        """Fingerprint of the entry plus what else shapes the result: equal hash, nothing to write."""
        return hashlib.sha256(self._salt + canonical).hexdigest()

    def normalise(self, raw: dict[str, Any]) -> MissionRecord:
        return normalise_mission(raw, self.context)

    def validate(self, record: MissionRecord) -> list[str]:
        return refusal_reasons(record)

    # ------------------------------------------------------------------------------------------------ run

    def run(self, stream: IO[bytes] | None = None) -> ImportReport:
        """Import the feed (``stream`` if given, else :meth:`fetch`) and return what happened."""
        report = self.report
        try:
            with source_lock(self.source):
                # Opened and finished while the lock is held: a "running" run whose lock is free is a dead one.
                run = self._open_run(lock_held=True)
                try:
                    self._import(stream)
                except Exception as exc:
                    report.fatal = f"Import interrompu par une erreur inattendue ({exc.__class__.__name__} : {exc})."
                    raise
                finally:
                    self._finish(run)
        except ImportAlreadyRunning:
            report.skipped = True
            report.fatal = "Un import de ce flux est déjà en cours : celui-ci n'a pas été lancé."
            self._finish(self._open_run())
        except Exception:
            # The chunks committed before the error stay, with their content hashes: the next run finds them
            # unchanged and would never announce them, so the search index must hear about them now.
            self._announce()
            raise
        if not self._statistics_refreshed:
            self._refresh_statistics()
        self._announce()
        return report

    def _open_run(self, *, lock_held: bool = False) -> ImportRun | None:
        """The run's entry in the history (none for a dry run). Holding the lock, first mark "interrupted" the runs of
        this source that a killed process left "running"."""
        if self.dry_run:
            return None
        if lock_held:
            mark_interrupted_runs(self.source, lock_held=True)
        run = ImportRun.objects.create(source=self.source, started_at=self.now)
        self.report.run_id = run.pk
        return run

    def _announce(self) -> None:
        """Tell the search index what the committed chunks changed (called outside any chunk's transaction: a chunk
        rolled back must not leave a stale announcement behind)."""
        if self.dry_run:
            return
        if unannounced := self.report.changed_pks - self._streamed:
            announce(Mission, unannounced)
        if self._changed_organizations:
            announce(Organization, self._changed_organizations)

    def _import(self, stream: IO[bytes] | None) -> None:
        """Read, normalise and write the feed chunk by chunk, then archive what a complete feed no longer lists."""
        self._load_state()
        try:
            with ExitStack() as stack:
                if self._can_write_behind():
                    # One chunk written behind at most: the previous one is committed (or its error raised) first.
                    self._writer = stack.enter_context(WriteBehind("import-writer"))
                    # Closed before the writer: the last index batches overlap the statistics refresh below.
                    self._step = stack.enter_context(announcing_in_steps(Mission))
                stack.enter_context(fewer_collections())
                self._read_and_write(stream)
                if self._writer is not None:
                    self._writer.wait()  # every chunk committed, counted and handed over
                    self._writer.submit(self._refresh_statistics)
        finally:
            self._writer = self._step = None
        report = self.report
        if report.complete and report.seen == 0:
            report.complete = False
            report.fatal = "Flux vide : aucune mission lue, aucune mission archivée."
        if report.complete:
            report.archived += self.archive_missing()
            self._warn_on_refusals()
        else:
            self._on_failed_feed()

    def _can_write_behind(self) -> bool:
        """Whether chunks may be written by a thread of their own while the next one is read and normalised.

        Only outside any transaction (each chunk then commits on its own, and a second connection sees
        what the first committed); the database's work on a chunk then overlaps the Python work on the next.
        """
        return not self.dry_run and not connection.in_atomic_block

    def _read_and_write(self, stream: IO[bytes] | None) -> None:
        report = self.report
        batch: list[Any] = []
        fetched = None
        try:
            if stream is None:
                stream = fetched = self.fetch()
            self.reader = CountingReader(stream)
            for entry in self.parse(self.reader):
                batch.append(entry)
                if len(batch) >= self.chunk_size:
                    self._process(batch)
                    batch = []
                    if self.progress:
                        self.progress(self)
            report.complete = True
        except FeedError as exc:
            report.fatal = str(exc)
        finally:
            if fetched is not None:
                fetched.close()
        if batch:  # what was read before a parse error is still good data: keep it
            self._process(batch)
            if self.progress:
                self.progress(self)

    def _load_context(self) -> None:
        """What normalisation and hashing need: vocabularies and the source's defaults."""
        self.context = NormaliseContext(
            domain_ids=dict(Domain.objects.values_list("slug", "pk")),
            programme_ids=dict(Programme.objects.values_list("slug", "pk")),
            default_domain_id=self.source.default_domain_id,
            default_programme_id=self.source.default_programme_id,
        )
        self._salt = (
            f"{NORMALISATION_VERSION}|{self.source.default_programme_id}|{self.source.default_domain_id}|".encode()
        )

    def _load_state(self) -> None:
        """The context, plus what is known of the source's missions and organisations, loaded once per run."""
        self._load_context()
        rows = Mission.objects.filter(source=self.source.slug).values_list(
            "client_id", "pk", "content_hash", "archived_at"
        )
        self._existing = {cid: (pk, digest, archived is not None) for cid, pk, digest, archived in rows.iterator(5000)}
        self._staff_refused = set(
            Mission.objects.filter(
                source=self.source.slug, moderated_by_staff=True, moderation_status=Mission.Moderation.REFUSED
            ).values_list("pk", flat=True)
        )
        orgs = Organization.objects.filter(source=self.source.slug).exclude(client_id="")
        self._organizations = {
            row[0]: (row[1], tuple(row[2:])) for row in orgs.values_list("client_id", "pk", *_ORG_FIELDS)
        }

    # ------------------------------------------------------------------------------------------------ chunks

    def _process(self, raws: list[Any]) -> None:
        report = self.report
        items: list[_Item] = []
        restore: list[int] = []
        for entry in raws:
            report.seen += 1
            client_id, digest = self.identify(entry)
            raw = None
            if not client_id:
                raw = self.materialise(entry)
                client_id = client_id_of(raw)
            refusal = client_id_refusal(client_id)
            if refusal:
                report.refused += 1
                self._refused_unstored += 1
                raw = raw if raw is not None else self.materialise(entry)
                report.add_entry(truncate(client_id, CLIENT_ID_MAX), n_text(raw.get("title")), [refusal], refused=True)
                continue
            if client_id in self._seen:
                report.refused += 1
                report.add_entry(
                    client_id,
                    "",
                    ["Identifiant en double dans le flux : seule la première mission a été importée."],
                    refused=True,
                )
                continue
            self._seen.add(client_id)
            existing = self._existing.get(client_id)
            if existing is not None and existing[1] == digest:
                if existing[2]:
                    restore.append(existing[0])
                else:
                    report.unchanged += 1
                continue
            record = self.normalise(raw if raw is not None else self.materialise(entry))
            reasons = self.validate(record)
            if reasons:
                leave_out_what_is_over_bounds(record)
            if reasons or record.warnings:
                report.add_entry(client_id, record.fields["title"], reasons + record.warnings, refused=bool(reasons))
            items.append(_Item(client_id, digest, record, reasons, existing))
        if self.dry_run:
            self._count(items, restore)
            return
        if self._writer is None:
            self.upsert(items, restore)
            self._count(items, restore)
            return
        # Counted, and announced to the listeners that work while the run goes on, once committed.
        self._writer.submit(self.upsert, items, restore, then=lambda: self._committed(items, restore))

    def _committed(self, items: list[_Item], restore: list[int]) -> None:
        self._count(items, restore)
        if self._step is not None:
            pks = [self._existing[item.client_id][0] for item in items] + restore
            self._step(pks)
            self._streamed.update(pks)

    def _count(self, items: list[_Item], restore: list[int]) -> None:
        report = self.report
        report.restored += len(restore)
        for item in items:
            if item.reasons:
                report.refused += 1
            elif item.existing is None:
                report.created += 1
            elif item.existing[2]:
                report.restored += 1
            else:
                report.updated += 1

    def upsert(self, items: list[_Item], restore: list[int]) -> None:
        """Write one chunk in one transaction: organisations, new and changed missions, their addresses."""
        now = self.now
        slug = self.source.slug
        with transaction.atomic():
            self._relax_durability()
            organization_ids = self._upsert_organizations(items)
            new_rows: list[dict[str, Any]] = []
            new_items: list[_Item] = []
            changed: list[Mission] = []
            changed_items: list[_Item] = []
            for item in items:
                record = item.record
                fields = dict(record.fields)
                make_storable(fields)
                fields.update(
                    organization_id=organization_ids.get(record.organization.client_id)
                    if record.organization and self.fixed_organization_id is None
                    else self.fixed_organization_id,
                    moderation_status=Mission.Moderation.REFUSED if item.reasons else Mission.Moderation.ACCEPTED,
                    moderation_reason="\n".join(item.reasons),
                    moderated_at=now,
                    moderated_by_staff=False,
                    content_hash=item.digest,
                    last_synced_at=now,
                    archived_at=None,
                )
                if item.existing is None:
                    new_rows.append({"source": slug, "client_id": item.client_id, "live": True, **fields})
                    new_items.append(item)
                else:
                    mission = Mission(pk=item.existing[0], source=slug, client_id=item.client_id, **fields)
                    mission.updated_at = now
                    changed.append(mission)
                    changed_items.append(item)
            new_pks = copy_insert(Mission, new_rows, now=now)
            kept_refusals = [m for m in changed if m.pk in self._staff_refused]
            if len(kept_refusals) < len(changed):
                Mission.objects.bulk_update([m for m in changed if m.pk not in self._staff_refused], _MISSION_FIELDS)
            if kept_refusals:
                Mission.objects.bulk_update(kept_refusals, _MISSION_FIELDS_KEEPING_STAFF_DECISION)
            if changed:
                MissionAddress.objects.filter(mission_id__in=[m.pk for m in changed]).delete()
            if restore:
                Mission.objects.filter(pk__in=restore).update(archived_at=None, last_synced_at=now)
            address_rows = [
                {"mission_id": pk, "sort_order": position, **address}
                for pk, item in zip([*new_pks, *(m.pk for m in changed)], [*new_items, *changed_items], strict=True)
                for position, address in enumerate(item.record.addresses)
            ]
            address_pks = copy_insert(MissionAddress, address_rows, now=now)
            pending = [
                PendingGeocode(
                    address_id=address_pk,
                    source=slug,
                    query=" ".join(p for p in (row["street"], row["postcode"], row["city"]) if p)[:500],
                    postcode=row["postcode"],
                    next_attempt_at=now,
                )
                for address_pk, row in zip(address_pks, address_rows, strict=True)
                if row["latitude"] is None and (row["city"] or row["postcode"])
            ]
            if pending:
                PendingGeocode.objects.bulk_create(pending)
        for pk, item in zip(new_pks, new_items, strict=True):
            self._existing[item.client_id] = (pk, item.digest, False)
        self.report.changed_pks.update(new_pks)
        self.report.changed_pks.update(m.pk for m in changed)
        self.report.changed_pks.update(restore)

    def _refresh_statistics(self) -> None:
        """ANALYZE the mission tables after a large run (PostgreSQL): autovacuum may be off or minutes late, and plans
        made for a table a fraction of its new size (an index scan of every accepted mission to find a few thousand
        ids, a sequential scan of the addresses) read it far more than needed. Written behind, it runs on the writer's
        connection while the search index takes its last batches."""
        self._statistics_refreshed = True
        if self.dry_run or len(self.report.changed_pks) < self.analyze_after:
            return
        quote = connection.ops.quote_name
        # The mission table's wide text and JSON columns, which no query filters, sorts or joins on, keep their
        # statistics (autovacuum refreshes them): sampling them would be most of the ANALYZE's work.
        columns = ", ".join(quote(f.column) for f in Mission._meta.concrete_fields if f.name not in _WIDE_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {quote(Mission._meta.db_table)} ({columns})")
            cursor.execute(f"ANALYZE {quote(MissionAddress._meta.db_table)}")

    @staticmethod
    def _relax_durability() -> None:
        """Commit a chunk without waiting for its WAL flush (PostgreSQL): a chunk lost to a server crash is
        lost with its content hashes, so the next run rewrites it; imports stop queuing on disk syncs."""
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")

    def _upsert_organizations(self, items: list[_Item]) -> dict[str, int]:
        wanted: dict[str, dict] = {}
        for item in items:
            if item.record.organization is not None:
                wanted[item.record.organization.client_id] = item.record.organization.fields
        create: list[Organization] = []
        update: list[Organization] = []
        for client_id, fields in wanted.items():
            signature = tuple(fields[name] for name in _ORG_FIELDS)
            known = self._organizations.get(client_id)
            if known is None:
                digest = hashlib.sha1(f"{self.source.slug}|{client_id}".encode(), usedforsecurity=False).hexdigest()
                slug = f"{slugify(fields['name'])[:200] or 'organisation'}-{digest[:10]}"
                create.append(Organization(source=self.source.slug, client_id=client_id, slug=slug, **fields))
            elif known[1] != signature:
                update.append(Organization(pk=known[0], source=self.source.slug, client_id=client_id, **fields))
                self._organizations[client_id] = (known[0], signature)
        if create:
            self._free_slugs(create)
            Organization.objects.bulk_create(create)
            for organization in create:
                signature = tuple(getattr(organization, name) for name in _ORG_FIELDS)
                self._organizations[organization.client_id] = (organization.pk, signature)
        if update:
            Organization.objects.bulk_update(update, _ORG_FIELDS)
        self._changed_organizations.update(o.pk for o in create + update)
        return {client_id: self._organizations[client_id][0] for client_id in wanted}

    @staticmethod
    def _free_slugs(organizations: list[Organization]) -> None:
        """Give a new organisation a free slug when its derived one is taken.

        The slug is derived from (source, feed identifier), so only an organisation that staff took over from the
        feed (source and identifier cleared, slug kept) can hold it: the feed's next listing of that identifier then
        creates a new organisation, which gets ``-2``, ``-3``… instead of stopping the whole run on a unique violation.
        """
        taken = set(
            Organization.objects.filter(slug__in=[o.slug for o in organizations]).values_list("slug", flat=True)
        )
        for organization in organizations:
            if organization.slug not in taken:
                continue
            base = organization.slug
            used = set(Organization.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
            number = 2
            while f"{base}-{number}" in used or f"{base}-{number}" in taken:
                number += 1
            organization.slug = f"{base}-{number}"
            taken.add(organization.slug)

    # ------------------------------------------------------------------------------------------------ archive

    def archive_missing(self) -> int:
        """Archive (soft) the missions of this source that a complete feed no longer lists; returns how many."""
        missing = [pk for cid, (pk, _, archived) in self._existing.items() if not archived and cid not in self._seen]
        return self._archive(missing)

    def _archive(self, pks: list[int]) -> int:
        if self.dry_run:
            return len(pks)
        for batch in batched(pks, 5000):
            with transaction.atomic():
                Mission.objects.filter(pk__in=batch, archived_at__isnull=True).update(archived_at=self.now)
        self.report.changed_pks.update(pks)
        return len(pks)

    def _on_failed_feed(self) -> None:
        """A failed feed archives nothing, unless it has been failing for the whole grace period."""
        report = self.report
        report.warnings.append(f"Flux en échec : {report.fatal} Aucune mission n'a été archivée.")
        if self.dry_run:
            return
        failing_since = self.source.failing_since or self.now
        if self.now - failing_since >= FAILURE_GRACE:
            pks = list(
                Mission.objects.filter(source=self.source.slug, archived_at__isnull=True).values_list("pk", flat=True)
            )
            report.archived += self._archive(pks)
            report.warnings[-1] = (
                f"Flux en échec depuis le {timezone.localtime(failing_since):%d/%m/%Y} ({report.fatal}) : "
                f"ses {len(pks)} missions ont été archivées."
            )

    def _warn_on_refusals(self) -> None:
        report = self.report
        if report.seen < 5:
            return
        if self.dry_run:
            refused = report.refused
        else:
            refused = (
                Mission.objects.filter(
                    source=self.source.slug, archived_at__isnull=True, moderation_status=Mission.Moderation.REFUSED
                ).count()
                + self._refused_unstored
            )
        rate = refused / report.seen
        if rate > HIGH_REFUSAL_RATE:
            report.warnings.append(f"Taux de refus élevé : {round(rate * 100)} % des missions du flux sont refusées.")

    # ------------------------------------------------------------------------------------------------ bookkeeping

    def _finish(self, run: ImportRun | None) -> None:
        report = self.report
        report.finished_at = timezone.now()
        if run is None:
            return
        for name in ("complete", "seen", "created", "updated", "unchanged", "archived", "restored", "refused"):
            setattr(run, name, getattr(report, name))
        run.finished_at = report.finished_at
        run.status = report.status
        run.errors = report.errors
        run.warnings = report.warnings
        run.message = report.fatal
        run.save()
        if report.skipped:
            return
        source = self.source
        source.last_run_at = self.now
        if report.complete:
            source.last_success_at = self.now
            source.failing_since = None
        elif not report.fatal.startswith("Import interrompu"):
            source.failing_since = source.failing_since or self.now
        source.last_warnings = report.warnings
        source.save(update_fields=["last_run_at", "last_success_at", "failing_since", "last_warnings"])
