"""CORS for diffusion partners: their browsers may call the API and feeds only from the origins staff listed.

django-cors-headers asks :data:`check_request_enabled` receivers whether a request from an origin it does not know
(``CORS_ALLOWED_ORIGINS``: Tremplin's own front-ends) may be answered. A request with a partner key is allowed from
its partner's origins only; a preflight (``OPTIONS``, which carries no key) from the origins of any partner.
"""

from __future__ import annotations

from corsheaders.signals import check_request_enabled
from django.dispatch import receiver
from django.http import HttpRequest

from graphql_api.core.apikeys import presented_secret, request_api_key

#: The paths a partner's browser may call.
PARTNER_PATHS = ("/graphql/", "/v0/", "/syndication/")


def origin_allowed(request: HttpRequest) -> bool:
    from .models import DiffusionPartner

    origin = request.headers.get("Origin", "")
    if not origin or not request.path.startswith(PARTNER_PATHS):
        return False
    if request.method != "OPTIONS" and presented_secret(request):
        key = request_api_key(request)
        return bool(key and key.partner and origin in key.partner.allowed_origins)
    return DiffusionPartner.objects.filter(allowed_origins__contains=[origin]).exists()


@receiver(check_request_enabled)
def _partner_origins(sender, request: HttpRequest, **kwargs) -> bool:
    return origin_allowed(request)
