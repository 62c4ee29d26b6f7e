"""The ``/graphql/`` endpoint: queries by GET or POST, ETags for HTTP caches, GraphiQL only in DEBUG.

GET makes queries cacheable by CDNs and browsers: a successful public response says ``Cache-Control: public`` and
carries a strong ETag computed from its body, and a request whose ``If-None-Match`` matches gets ``304 Not
Modified`` without a body. Responses with errors, previews (``previewToken``) and anything sent by POST are not
publicly cacheable. Mutations are refused over GET by strawberry itself. Every request counts against its client's
rate limit first (:mod:`graphql_api.core.ratelimit`); a partner key that does not authenticate (unknown, revoked,
expired) is then refused with 401, and one that does is counted in its usage. A request that is not GraphQL over
HTTP (a body that is not a
UTF-8 JSON object, a wrong content type…) gets a 4xx with a French GraphQL error (:mod:`graphql_api.core.body`).
GraphiQL is strawberry's page overridden by
``graphql/graphiql.html`` so that its assets come from this project's static files, not a CDN.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cross_web import HTTPException
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView as StrawberryGraphQLView

from cms.syndication.usage import record_usage
from graphql_api.core.apikeys import UNKNOWN_KEY, presented_secret, request_api_key
from graphql_api.core.body import TOO_BIG, check_body, parse_json_object, refused_request
from graphql_api.core.errors import ErrorCode, error_response
from graphql_api.core.ratelimit import rate_limited_response, retry_after

_CACHEABLE_METHODS = ("GET", "HEAD")


def _is_preview(request: HttpRequest) -> bool:
    return "previewToken" in request.get_full_path() or (request.method == "POST" and b"previewToken" in request.body)


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(StrawberryGraphQLView):
    """Read-only public API: no cookie authentication, hence no CSRF token to ask front-ends for."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.graphql_ide = "graphiql" if settings.DEBUG else None
        wait = retry_after(request)
        if wait is not None:
            return rate_limited_response(wait)
        key = request_api_key(request)
        if key is None and presented_secret(request):
            return error_response(401, UNKNOWN_KEY, ErrorCode.UNAUTHENTICATED)
        record_usage(key)
        preview = False
        try:
            check_body(request)
            preview = _is_preview(request)
            response = self.run(request=request)
        except HTTPException as error:
            response = refused_request(error.status_code, error.reason)
        except RequestDataTooBig:
            response = refused_request(413, TOO_BIG)
        if response.get("Content-Type", "").startswith("application/json"):
            return self._http_caching(request, response, preview=preview)
        return response

    def parse_json(self, data: str | bytes) -> Any:
        return parse_json_object(data)

    def _http_caching(self, request: HttpRequest, response: HttpResponseBase, *, preview: bool) -> HttpResponseBase:
        patch_vary_headers(response, ("Origin", "Authorization", "X-Api-Key"))
        if response.status_code != 200:
            return response
        body = response.content
        response["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        has_errors = b'"errors":' in body
        if preview or has_errors or request.method not in _CACHEABLE_METHODS:
            patch_cache_control(response, private=True, no_store=True)
            return response
        if presented_secret(request):  # narrowed by the key's partner rules: for that partner only
            patch_cache_control(response, private=True, max_age=settings.GRAPHQL_CACHE_MAX_AGE)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        patch_cache_control(response, public=True, max_age=settings.GRAPHQL_CACHE_MAX_AGE)
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        return conditional
