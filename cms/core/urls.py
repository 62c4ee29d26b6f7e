"""Absolute URLs for what this server serves (media, documents), built from the one ``WAGTAILADMIN_BASE_URL`` setting.

Front-ends and e-mails read these URLs away from the request that produced them, so the host and port come from
configuration (``BASE_URL``), never from a hard-coded address. URLs that are already absolute (media on S3 or a CDN)
are returned unchanged.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def base_url() -> str:
    """Where this server is reached from outside, without a trailing slash."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(url: str) -> str:
    """``url`` (a path such as ``/media/…``) prefixed with :func:`base_url`; absolute or empty URLs pass through."""
    if not url or urlsplit(url).netloc:
        return url
    return f"{base_url()}/{url.lstrip('/')}"
