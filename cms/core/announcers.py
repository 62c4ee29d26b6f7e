"""Announcements of the content that nothing else announces: editorial pages, taxonomy terms, organisations, images,
documents and sites.

Missions, their addresses, offers, stores and partners are announced by the search index's signal handlers
(``search/indexing.py``), importers announce what they write. What is announced here is every change the public can
see: a page published, unpublished, moved, deleted or given a view restriction, a term, an organisation, an image, a
document or a site saved or deleted. A draft saved (``save_revision`` without publishing) changes no live row and
announces nothing: pages are announced on publication, not on save. Each change is announced with the model that
changed, so listeners (the cached GraphQL answers) know which kind of content it was.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Need, OfferCategory, Programme

from .changes import announce, is_draft_bookkeeping

#: Models announced whenever a row is saved or deleted (their saves are live: none keeps drafts).
SAVED_MODELS: tuple[type, ...] = (Domain, Programme, OfferCategory, Need, Organization, Site)


def _row_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if not is_draft_bookkeeping(update_fields):
        announce(sender, [instance.pk])


def _page_changed(sender, instance, **kwargs) -> None:
    announce(type(instance), [instance.pk])


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        announce(type(instance), [instance.pk])


def _restriction_changed(sender, instance, **kwargs) -> None:
    if instance.page_id:
        announce(Page, [instance.page_id])


def connect() -> None:
    """Called from ``CoreConfig.ready``; dispatch uids make it idempotent."""
    media = (get_image_model(), get_document_model())
    for model in (*SAVED_MODELS, *media):
        uid = f"cms.announce.{model._meta.label_lower}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished"), (post_page_move, "moved")):
        signal.connect(_page_changed, dispatch_uid=f"cms.announce.page.{name}")
    post_delete.connect(_page_deleted, dispatch_uid="cms.announce.page.delete")
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"cms.announce.restriction.{name}"
        )
