"""The ``/graphql/`` endpoint: queries by GET or POST, persisted queries, cached public answers, ETags for HTTP caches,
both media types of GraphQL over HTTP, GraphiQL only in DEBUG.

Every request counts against its client's rate limit first (:mod:`graphql_api.core.ratelimit`); a partner key that does
not authenticate (unknown, revoked, expired) is then refused with 401, and one that does is counted in its usage. A
request that is not GraphQL over HTTP (a body that is not a UTF-8 JSON object, a wrong content type…) gets a 4xx with a
French GraphQL error (:mod:`graphql_api.core.body`). The request is read once; a persisted query's hash becomes its
text (:mod:`graphql_api.core.persisted`), and ``GRAPHQL_PERSISTED_ONLY`` refuses other texts from anonymous clients.

Public queries (no API key, no signed-in user, no preview token, not a mutation) are answered from the shared cache
when it holds their answer, else run and stored (:mod:`graphql_api.core.answers`); ``X-Cache`` says which.

HTTP caching: a successful public answer to a GET says ``Cache-Control: public, max-age, s-maxage`` and carries a
strong ETag computed from its body; a request whose ``If-None-Match`` matches gets ``304 Not Modified`` without a body.
Answers to a partner key (narrowed by its diffusion rules) are ``private`` with an ETag, for that partner only.
Everything else (errors, previews, signed-in users, personal data such as the card's operations
(``graphql_api.cards.auth``), POST) is ``private, no-store``, and never stored in the shared cache. Answers vary on
``Accept`` (their media type, :mod:`graphql_api.core.media`), ``Origin`` (CORS) and the API key headers.
GraphiQL is strawberry's page overridden by ``graphql/graphiql.html`` so that its assets come from this project's
static files, not a CDN.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from cross_web import HTTPException
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView as StrawberryGraphQLView

from cms.cards.signin import TOKEN_PREFIX as CARD_TOKEN_PREFIX
from cms.syndication.usage import record_usage
from graphql_api.cards.auth import PRIVATE_FLAG
from graphql_api.core import answers, persisted
from graphql_api.core.apikeys import API_KEY_HEADER, UNKNOWN_KEY, presented_secret, request_api_key
from graphql_api.core.body import TOO_BIG, check_body, parse_json_object, refused_request
from graphql_api.core.errors import ErrorCode, error_response
from graphql_api.core.media import GRAPHQL_RESPONSE, JSON, as_graphql_response, in_media_type, negotiate
from graphql_api.core.ratelimit import rate_limited_response, retry_after

_CACHEABLE_METHODS = ("GET", "HEAD")
_JSON_TYPES = (JSON, GRAPHQL_RESPONSE)


def _is_preview(request: HttpRequest) -> bool:
    return "previewToken" in request.get_full_path() or (request.method == "POST" and b"previewToken" in request.body)


def _is_anonymous(request: HttpRequest) -> bool:
    return not presented_secret(request) and not answers.is_signed_in(request)


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(StrawberryGraphQLView):
    """Read-only public API: no cookie authentication, hence no CSRF token to ask front-ends for."""

    _media = JSON
    _request_data: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.graphql_ide = "graphiql" if settings.DEBUG else None
        wait = retry_after(request)
        if wait is not None:
            return rate_limited_response(wait)
        key = request_api_key(request)
        secret = presented_secret(request)
        if key is None and secret and not secret.startswith(CARD_TOKEN_PREFIX):
            return error_response(401, UNKNOWN_KEY, ErrorCode.UNAUTHENTICATED)
        record_usage(key)
        self._media = negotiate(request)
        public = False
        try:
            check_body(request)
            preview = _is_preview(request)
            public = answers.is_public(request, preview=preview)
            response = self._answer(request, public=public)
        except persisted.Refusal as refusal:
            response = refusal.response
        except HTTPException as error:
            response = refused_request(error.status_code, error.reason)
        except RequestDataTooBig:
            response = refused_request(413, TOO_BIG)
        if response.get("Content-Type", "").startswith(_JSON_TYPES):
            response = in_media_type(response, self._media)
            return self._http_caching(request, response, public=public)
        return response

    def _answer(self, request: HttpRequest, *, public: bool) -> HttpResponseBase:
        """Run the request, or serve its public answer from the shared cache."""
        adapter = self.request_adapter_class(request)
        if not self.is_request_allowed(adapter) or self.should_render_graphql_ide(adapter):
            return self.run(request=request)
        data = self._request_data = self._read(adapter, anonymous=_is_anonymous(request))
        slot = None
        if public and answers.enabled():
            try:
                slot, cached = answers.lookup(request, data, self._media)
            except Exception as exc:  # noqa: BLE001 - a cache outage must not become an API outage
                answers.warn(exc)
                slot = cached = None
            if cached is not None:
                response = cached.response()
                response[answers.CACHE_STATUS_HEADER] = "hit"
                return response
        response = self.run(request=request)
        if slot is not None and not getattr(request, PRIVATE_FLAG, False):
            try:
                answers.store(slot, response)
            except Exception as exc:  # noqa: BLE001
                answers.warn(exc)
            response[answers.CACHE_STATUS_HEADER] = "miss"
        return response

    def _read(self, adapter: Any, *, anonymous: bool) -> Any:
        """The request's data as strawberry reads it, with a persisted query's text in place of its hash."""
        data = super().parse_http_body(adapter)
        if isinstance(data, list):  # batches are refused by strawberry later on
            return data
        query = persisted.resolve(data.query, data.extensions)
        if anonymous and settings.GRAPHQL_PERSISTED_ONLY:
            persisted.only_registered(query)
        return dataclasses.replace(data, query=query) if query != data.query else data

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET with only a persisted query's hash (no ``query``) is an operation, not a browser asking for GraphiQL.
        return super().should_render_graphql_ide(request) and request.query_params.get("extensions") is None

    def parse_http_body(self, request: Any) -> Any:
        return self._request_data if self._request_data is not None else super().parse_http_body(request)

    def parse_json(self, data: str | bytes) -> Any:
        return parse_json_object(data)

    def create_response(self, response_data: Any, sub_response: HttpResponse) -> HttpResponseBase:
        if self._media == GRAPHQL_RESPONSE and isinstance(response_data, dict):
            status, response_data = as_graphql_response(response_data)
            if status is not None:
                sub_response.status_code = status
        response = super().create_response(response_data, sub_response)
        if self._media == GRAPHQL_RESPONSE:
            response["Content-Type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        return response

    def _http_caching(self, request: HttpRequest, response: HttpResponseBase, *, public: bool) -> HttpResponseBase:
        patch_vary_headers(response, ("Accept", "Origin", "Authorization", API_KEY_HEADER))
        if response.status_code != 200:
            return response
        body = response.content
        response["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        has_errors = b'"errors":' in body
        personal = getattr(request, PRIVATE_FLAG, False)
        partner = not public and request_api_key(request) is not None and not _is_preview(request)
        if not (public or partner) or personal or has_errors or request.method not in _CACHEABLE_METHODS:
            patch_cache_control(response, private=True, no_store=True)
            return response
        if partner:  # narrowed by the key's partner rules: for that partner only
            patch_cache_control(response, private=True, max_age=settings.GRAPHQL_CACHE_MAX_AGE)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        patch_cache_control(
            response,
            public=True,
            max_age=settings.GRAPHQL_CACHE_MAX_AGE,
            s_maxage=settings.GRAPHQL_CACHE_SHARED_MAX_AGE,
        )
        return get_conditional_response(request, etag=response["ETag"], response=response)
