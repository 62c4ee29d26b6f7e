"""Who may call the REST and feed endpoints: the rate limit, then the key and its scope, with the API's error shape.

The REST endpoints answer errors as the engagement API documents them (``{"ok": false, "code", "message"}``); the
feeds do too. The key is read from the headers only (``x-api-key`` or ``Authorization: Bearer``), never from the URL,
so it cannot end up in access logs.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from cms.partners_api.models import ApiKey
from graphql_api.core.apikeys import UNKNOWN_KEY, out_of_scope, presented_secret, request_api_key
from graphql_api.core.ratelimit import client_rate, retry_after

MISSING_KEY = "Clé d'API manquante : envoyez-la dans l'en-tête « x-api-key »."


def api_error(status: int, code: str, message: str) -> JsonResponse:
    """An error shaped as the engagement API's ``Error``; never cached."""
    response = JsonResponse({"ok": False, "code": code, "message": message}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def authorise(request: HttpRequest, scope: str, *, required: bool = True) -> tuple[ApiKey | None, JsonResponse | None]:
    """The key the request may go on with, or the refusal to answer: 429, 401 or 403.

    ``required=False`` (public feeds) lets a request without a key through as anonymous; a key that is sent is still
    checked.
    """
    wait = retry_after(request)
    if wait is not None:
        response = api_error(429, "TOO_MANY_REQUESTS", f"Trop de requêtes : réessayez dans {wait} s.")
        response["Retry-After"] = str(wait)
        rate = client_rate(request)
        if rate is not None:
            response["X-RateLimit-Limit"] = str(rate.requests)
            response["X-RateLimit-Remaining"] = "0"
        return None, response
    if not presented_secret(request):
        if required:
            return None, api_error(401, "UNAUTHORIZED", MISSING_KEY)
        return None, None
    key = request_api_key(request)
    if key is None:
        return None, api_error(401, "UNAUTHORIZED", UNKNOWN_KEY)
    if not key.has_scope(scope):
        return None, api_error(403, "FORBIDDEN", out_of_scope(scope))
    return key, None
