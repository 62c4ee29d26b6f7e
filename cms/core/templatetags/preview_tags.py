"""Filters of the built-in preview (``cms/templates/preview/``): HTML as the API serves it."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from cms.core.html import sanitize_html

register = template.Library()


@register.filter
def sanitized(value: str | None) -> SafeString:
    """Free HTML (a mission's description) reduced to the safe subset the API serves, unsaved edits included."""
    return mark_safe(sanitize_html(value or ""))  # noqa: S308 - sanitize_html keeps an allow-list of tags
