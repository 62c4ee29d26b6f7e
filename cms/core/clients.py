"""Who is asking: the one rule that names a client's address, shared by the API rate limit and the admin sign-in
throttle (django-axes), so that both count the same person the same way behind a proxy.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the last one of ``CLIENT_IP_HEADER`` when the site runs behind a trusted proxy that
    writes it, else ``REMOTE_ADDR``.

    Only the last address is trusted: it is the one the proxy itself saw, the ones before it are whatever the client
    chose to send. A value that is not an address (a misconfigured proxy) falls back to ``REMOTE_ADDR``.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = [part.strip() for part in request.headers.get(header, "").split(",") if part.strip()]
        if forwarded and _is_ip_address(forwarded[-1]):
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None
