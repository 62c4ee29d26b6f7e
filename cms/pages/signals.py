"""Announcements (``cms.core.changes``) of what front-ends read beside pages: redirects and site settings.

Answers cached by listeners (the API's public answers) are invalidated by these announcements, so a redirect created
by an editor, or by Wagtail when a page moves or changes slug, reaches front-ends at once. Wagtail creates the latter
with ``bulk_create`` (no ``post_save``): they are announced from the page signals, once Wagtail's handlers ran.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.redirects.signal_handlers import (
    autocreate_redirects_on_page_move,
    autocreate_redirects_on_slug_change,
)
from wagtail.signals import page_slug_changed, post_page_move

from cms.core.changes import announce


def _redirect_changed(sender, instance, **kwargs) -> None:
    announce(Redirect, [instance.pk])


def _redirects_to_moved_pages(sender, instance, **kwargs) -> None:
    """The redirects now leading to the page (and its descendants) whose URL changed, Wagtail's new ones among them."""
    pks = Redirect.objects.filter(redirect_page__path__startswith=instance.path).values_list("pk", flat=True)
    announce(Redirect, list(pks))


def connect() -> None:
    """Called from ``PagesConfig.ready``; dispatch uids make it idempotent.

    Wagtail's redirect handlers are connected here first, as Wagtail itself connects them (same function, no sender:
    its own later ``connect`` is then a no-op), so that the announcement runs after them and sees their redirects.
    """
    for signal in (post_save, post_delete):
        signal.connect(_redirect_changed, sender=Redirect, dispatch_uid=f"pages-redirect-{signal is post_save}")
    post_page_move.connect(autocreate_redirects_on_page_move)
    page_slug_changed.connect(autocreate_redirects_on_slug_change)
    post_page_move.connect(_redirects_to_moved_pages, dispatch_uid="pages-redirects-page-moved")
    page_slug_changed.connect(_redirects_to_moved_pages, dispatch_uid="pages-redirects-slug-changed")
