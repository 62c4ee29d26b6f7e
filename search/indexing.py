"""Keeping the index true: cms changes are announced, then re-read and written to the backend after commit, in batches.

``cms`` announces changes through ``cms.core.changes.announce`` (importers call it directly after bulk writes); the
model and Wagtail signals connected here announce the rest (saves, deletions, publication, moderation, archiving,
edits of the programmes and domains whose slugs, labels and ages the mission documents carry, and the publication,
moves and view restrictions of the pages above offers).
The listener never trusts the announcement's content: it queues a task (search/tasks.py) that re-reads the announced
ids through ``searchable()`` and upserts what is still searchable, deleting the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import ExitStack, nullcontext
from itertools import islice

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.changes import announce, contents_changed, contents_streaming, is_draft_bookkeeping
from cms.missions.models import Mission, MissionAddress
from cms.offers.models import OfferPage, OfferStore, PartnerPage
from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Programme

from .base import Backend, Kind, get_backend
from .missions import MISSIONS
from .offers import OFFERS

logger = logging.getLogger(__name__)

BATCH = 2000
KINDS: dict[str, Kind] = {"missions": MISSIONS, "offers": OFFERS}
_BY_MODEL: dict[type, Kind] = {Mission: MISSIONS, OfferPage: OFFERS}
_MODEL_OF: dict[str, type] = {kind.name: model for model, kind in _BY_MODEL.items()}

#: Sent when :func:`update` has written documents, with ``sender`` = the kind's model and ``pks``. The update runs
#: after the change's announcement (on the task worker in production): what caches search answers listens here too.
index_updated = Signal()


def update(kind: Kind, pks: Iterable[int], backend: Backend | None = None) -> None:
    """Bring the documents of ``pks`` in line with the database: upsert the searchable ones, delete the others.

    A backend that can build the documents from the content tables itself (the database backend on PostgreSQL, for
    missions: ``Backend.refresh_from_tables``) is asked to, batch by batch; the others are sent the kind's records.

    An update of at least ``SEARCH_LARGE_UPDATE`` items (an import's) runs in the backend's bulk mode and ends with
    fresh planner statistics on the index tables, as a rebuild does: autovacuum may be off or late, and plans made for
    tables a fraction of their new size are slow.
    """
    backend = backend or get_backend()
    pks = sorted(set(pks))
    large = len(pks) >= settings.SEARCH_LARGE_UPDATE
    pending = iter(pks)
    with backend.bulk(kind) if large else nullcontext():
        while batch := list(islice(pending, BATCH)):
            write_batch(kind, batch, backend)
    if large:
        backend.analyze(kind)
    index_updated.send(sender=_MODEL_OF[kind.name], pks=frozenset(pks))


def write_batch(kind: Kind, batch: list[int], backend: Backend) -> None:
    """One batch of :func:`update` (sorted ids): built by the database when the backend can, else from records."""
    if backend.refresh_from_tables(kind, batch):
        return
    records = list(kind.records(batch))
    backend.upsert(kind, records)
    backend.delete(kind, set(batch) - {record["pk"] for record in records})


def on_contents_changed(sender, pks, streamed: bool = False, **kwargs) -> None:
    """After commit: the index update becomes a task (search/tasks.py), run by the worker in production."""
    kind = _BY_MODEL.get(sender)
    if kind is None or streamed:  # a StreamingUpdate (below) already had them
        return
    from .tasks import update_search_index

    try:
        update_search_index.enqueue(kind.name, sorted(pks))
    except Exception:
        # Content is already committed; a queue that cannot take the task must not fail the editor's request.
        logger.exception("Search index update of %d %s not queued; run manage.py search_reindex", len(pks), kind.name)


class StreamingUpdate:
    """:func:`update` fed step by step by a run that is still going (an import's committed chunks).

    Ids are kept until the run has changed ``SEARCH_LARGE_UPDATE`` of them; from then on the backend is in bulk mode
    and takes them a batch at a time, its writers working on one batch while the run reads and writes the next: the
    index update then overlaps the import instead of following it. A smaller run is updated once, at ``close``, as
    an announcement would be. Nothing raises: a failure is logged, and ``close`` then updates every id it was given
    again (an update re-reads the database, so ids already done are only checked twice).
    """

    def __init__(self, kind: Kind, backend: Backend | None = None) -> None:
        self.kind = kind
        self.backend = backend or get_backend()
        self._given: set[int] = set()
        self._queued: list[int] = []
        self._bulk: ExitStack | None = None
        self._failed = False

    def add(self, pks: Iterable[int]) -> None:
        new = [pk for pk in pks if pk not in self._given]
        self._given.update(new)
        self._queued += new
        if self._failed or (self._bulk is None and len(self._given) < settings.SEARCH_LARGE_UPDATE):
            return
        try:
            if self._bulk is None:
                self._bulk = ExitStack()
                self._bulk.enter_context(self.backend.bulk(self.kind))
            while len(self._queued) >= BATCH:
                self._write(self._queued[:BATCH])
                del self._queued[:BATCH]
        except Exception:
            self._fail()

    def close(self) -> None:
        if not self._failed:
            try:
                if self._bulk is None:
                    update(self.kind, self._given, self.backend)
                    return
                if self._queued:
                    self._write(self._queued)
                self._end_bulk()  # waits for the writers: their errors surface here
                self.backend.analyze(self.kind)
                return
            except Exception:
                self._fail()
        # Something failed on the way: everything again, in one ordinary update.
        try:
            update(self.kind, self._given, self.backend)
        except Exception:
            logger.exception(
                "Search index update failed for %d %s; run manage.py search_reindex", len(self._given), self.kind.name
            )

    def _write(self, batch: list[int]) -> None:
        write_batch(self.kind, sorted(batch), self.backend)

    def _end_bulk(self) -> None:
        bulk, self._bulk = self._bulk, None
        if bulk is not None:
            bulk.close()

    def _fail(self) -> None:
        logger.exception("Search index update of a run in progress failed for %s; retried at its end", self.kind.name)
        self._failed = True
        try:
            self._end_bulk()
        except Exception:
            logger.exception("Search index bulk mode ended with an error for %s", self.kind.name)


def on_contents_streaming(sender, **kwargs) -> StreamingUpdate | None:
    kind = _BY_MODEL.get(sender)
    if kind is None:
        return None
    try:
        return StreamingUpdate(kind)
    except Exception:
        # No stream: the run's closing announcement (not marked streamed) then updates the index as usual.
        logger.exception("Search index unavailable for a streamed update of %s; updated at the run's end", kind.name)
        return None


def _mission_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if not is_draft_bookkeeping(update_fields):  # a draft saved: the live row the index reads did not change
        announce(Mission, [instance.pk])


def _address_changed(sender, instance, **kwargs) -> None:
    if instance.mission_id:
        announce(Mission, [instance.mission_id])


def _organization_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:
        announce(Mission, Mission.objects.filter(organization=instance).values_list("pk", flat=True))


#: Fields of a taxonomy term that its missions' documents carry (slugs and labels; a programme's age bounds).
_TERM_FIELDS: dict[type, tuple[str, ...]] = {
    Domain: ("slug", "label"),
    Programme: ("slug", "label", "min_age", "max_age"),
}


def _term_saving(sender, instance, raw=False, **kwargs) -> None:
    """Remember whether an edit touches what the documents carry, so that a reordering re-indexes nothing."""
    fields = _TERM_FIELDS[sender]
    before = sender.objects.filter(pk=instance.pk).values(*fields).first() if instance.pk else None
    instance._search_reindex = before is not None and any(before[f] != getattr(instance, f) for f in fields)


def _term_changed(sender, instance, created=False, **kwargs) -> None:
    if getattr(instance, "_search_reindex", False):
        field = "domain" if sender is Domain else "programme"
        announce(Mission, Mission.objects.filter(**{field: instance}).values_list("pk", flat=True))


def _term_deleting(sender, instance, **kwargs) -> None:
    """Before the term goes (and its missions lose it), announce them: they are re-read after commit."""
    field = "domain" if sender is Domain else "programme"
    announce(Mission, Mission.objects.filter(**{field: instance}).values_list("pk", flat=True))


def _offer_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if not is_draft_bookkeeping(update_fields):
        announce(OfferPage, [instance.pk])


def _store_changed(sender, instance, **kwargs) -> None:
    if instance.offer_id:
        announce(OfferPage, [instance.offer_id])


def _partner_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if is_draft_bookkeeping(update_fields):
        return
    announce(OfferPage, OfferPage.objects.filter(partner_id=instance.pk).values_list("pk", flat=True))


def _offers_at_or_below(page_id: int | None) -> None:
    """Offers whose visibility follows this page's: publishing, unpublishing, moving or restricting a section
    (a partner, the offers index, the home page) shows or hides every offer below it."""
    page = Page.objects.filter(pk=page_id).only("path", "depth").first() if page_id else None
    if page is not None:
        announce(OfferPage, OfferPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def _section_changed(sender, instance, **kwargs) -> None:
    _offers_at_or_below(instance.pk)


def _restriction_changed(sender, instance, **kwargs) -> None:
    _offers_at_or_below(instance.page_id)


def connect() -> None:
    """Called from ``SearchConfig.ready``; dispatch uids make it idempotent."""
    contents_changed.connect(on_contents_changed, dispatch_uid="search.contents_changed")
    contents_streaming.connect(on_contents_streaming, dispatch_uid="search.contents_streaming")
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_mission_changed, sender=Mission, dispatch_uid=f"search.mission.{name}")
        signal.connect(_address_changed, sender=MissionAddress, dispatch_uid=f"search.address.{name}")
        signal.connect(_offer_changed, sender=OfferPage, dispatch_uid=f"search.offer.{name}")
        signal.connect(_store_changed, sender=OfferStore, dispatch_uid=f"search.store.{name}")
        signal.connect(_partner_changed, sender=PartnerPage, dispatch_uid=f"search.partner.{name}")
    post_save.connect(_organization_changed, sender=Organization, dispatch_uid="search.organization.save")
    for term in _TERM_FIELDS:
        uid = f"search.{term._meta.model_name}"
        pre_save.connect(_term_saving, sender=term, dispatch_uid=f"{uid}.saving")
        post_save.connect(_term_changed, sender=term, dispatch_uid=f"{uid}.save")
        pre_delete.connect(_term_deleting, sender=term, dispatch_uid=f"{uid}.delete")
    # Any page: the senders are the specific page classes, and a section of any type decides for the offers below.
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished"), (post_page_move, "moved")):
        signal.connect(_section_changed, dispatch_uid=f"search.page.{name}")
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"search.restriction.{name}")
