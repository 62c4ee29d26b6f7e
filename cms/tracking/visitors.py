"""Who an anonymous visitor is, without keeping anything about them: a salted hash that changes every day.

The hash covers the client's address and user agent with ``TRACKING_SALT`` and the day, so a visitor is the same
within one day (duplicate clicks are recognised, distinct visitors counted) and cannot be followed across days; the
address itself is never stored. Known robots (``BOT_PATTERN``) are not visitors: their requests are not recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from cms.core.clients import client_ip

#: User agents of crawlers, link previewers, monitors and HTTP libraries (case-insensitive search). An empty user
#: agent counts as a robot too.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|facebookcatalog|embedly|preview|"
    r"headlesschrome|phantomjs|lighthouse|pingdom|uptime|monitor|statuscake|curl/|wget/|python-requests|"
    r"python-urllib|aiohttp|httpx|go-http-client|java/|okhttp|libwww|scrapy|feedfetcher|mediapartners|"
    r"whatsapp|telegram|discord|skype|bingpreview|yandex|baidu|duckduckgo|applebot|petalbot|semrush|ahrefs",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Whether a request with this user agent comes from a robot (never recorded)."""
    return not user_agent.strip() or BOT_PATTERN.search(user_agent) is not None


def visitor_id(request: HttpRequest) -> str:
    """The anonymous visitor's id for today: 32 hex characters, never the address."""
    day = timezone.localdate().isoformat()
    material = f"{day}|{client_ip(request) or ''}|{request.headers.get('User-Agent', '')}"
    key = hashlib.sha256(f"{settings.TRACKING_SALT}|{day}".encode()).digest()
    return hmac.new(key, material.encode(), hashlib.sha256).hexdigest()[:32]


def signed_in_user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None
