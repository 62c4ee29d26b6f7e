"""Throttling of sign-in code requests, per contact and per address, on the API's rate-limit counters.

Both budgets are counted on every request, whether the contact exists or not, so that the throttle itself reveals
nothing; a request over either budget is refused with ``RATE_LIMITED``.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest

from cms.core.clients import client_ip
from graphql_api.core.errors import RateLimited
from graphql_api.core.ratelimit import over_limit, parse_rate

SCOPE = "cards-signin"


def check_sign_in_request(request: HttpRequest, contact: str) -> None:
    """Count one code request; raises :class:`RateLimited` (French) when the contact or the address asked too often.

    The contact is hashed in the counter's key: cache keys are not a place for personal data.
    """
    per_contact = parse_rate(settings.CARDS_SIGNIN_RATE_PER_CONTACT, "CARDS_SIGNIN_RATE_PER_CONTACT")
    per_ip = parse_rate(settings.CARDS_SIGNIN_RATE_PER_IP, "CARDS_SIGNIN_RATE_PER_IP")
    digest = hashlib.sha256(contact.strip().lower().encode()).hexdigest()[:32]
    waits = [
        over_limit(f"{SCOPE}:contact", digest, per_contact),
        over_limit(f"{SCOPE}:ip", client_ip(request) or "unknown", per_ip),
    ]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise RateLimited(f"Trop de demandes de code : réessayez dans {wait} s.", retryAfter=wait)
