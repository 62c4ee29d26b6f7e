"""Keeping the index true: cms changes are announced, then re-read and written to the backend after commit, in batches.

``cms`` announces changes through ``cms.core.changes.announce`` (importers call it directly after bulk writes); the
model and Wagtail signals connected here announce the rest (saves, deletions, publication, moderation, archiving,
and edits of the programmes and domains whose slugs, labels and ages the mission documents carry).
The listener never trusts the announcement's content: it re-reads the announced ids through ``searchable()`` and
upserts what is still searchable, deleting the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import nullcontext
from itertools import islice

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.signals import page_published, page_unpublished

from cms.core.changes import announce, contents_changed
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
            if backend.refresh_from_tables(kind, batch):
                continue
            records = list(kind.records(batch))
            backend.upsert(kind, records)
            backend.delete(kind, set(batch) - {record["pk"] for record in records})
    if large:
        backend.analyze(kind)


def on_contents_changed(sender, pks, **kwargs) -> None:
    kind = _BY_MODEL.get(sender)
    if kind is None:
        return
    try:
        update(kind, pks)
    except Exception:
        # Content is already committed; a failing index must not fail the editor's request. search_reindex repairs.
        logger.exception("Search index update failed for %s %s; run manage.py search_reindex", kind.name, sorted(pks))


def _mission_changed(sender, instance, **kwargs) -> None:
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


def _offer_changed(sender, instance, **kwargs) -> None:
    announce(OfferPage, [instance.pk])


def _store_changed(sender, instance, **kwargs) -> None:
    if instance.offer_id:
        announce(OfferPage, [instance.offer_id])


def _partner_changed(sender, instance, **kwargs) -> None:
    announce(OfferPage, OfferPage.objects.filter(partner_id=instance.pk).values_list("pk", flat=True))


def connect() -> None:
    """Called from ``SearchConfig.ready``; dispatch uids make it idempotent."""
    contents_changed.connect(on_contents_changed, dispatch_uid="search.contents_changed")
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
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(_offer_changed, sender=OfferPage, dispatch_uid=f"search.offer.{name}")
        signal.connect(_partner_changed, sender=PartnerPage, dispatch_uid=f"search.partner.{name}")
