"""Announcements (``cms.core.changes``) of what front-ends read beside pages: redirects and site settings.

Answers cached by listeners (the API's public answers) are invalidated by these announcements, so a redirect created
by an editor, or by Wagtail when a page moves, reaches front-ends at once.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect

from cms.core.changes import announce


def _redirect_changed(sender, instance, **kwargs) -> None:
    announce(Redirect, [instance.pk])


def connect() -> None:
    """Called from ``PagesConfig.ready``; dispatch uids make it idempotent."""
    for signal in (post_save, post_delete):
        signal.connect(_redirect_changed, sender=Redirect, dispatch_uid=f"pages-redirect-{signal is post_save}")
