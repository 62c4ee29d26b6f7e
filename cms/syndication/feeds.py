"""JSON Feed 1.1 and RSS 2.0 of missions and offers, for embedding: the REST API's filters, HTTP caching, tracked links.

``/syndication/missions.json``, ``missions.rss``, ``offers.json``, ``offers.rss``. A partner is named by its key
(``x-api-key``, counted in its usage) or, for readers that cannot send headers, by ``?partenaire=<public id>``: the
feed is public content either way, narrowed by that partner's rules (:func:`cms.syndication.rules.restrict`), and its
mission and offer links go through the click redirect, counted under the key (:mod:`cms.syndication.links`).

A rendered feed is kept in the cache for ``SYNDICATION_FEED_MAX_AGE`` seconds with its ``ETag`` and
``Last-Modified``: a request whose ``If-None-Match``/``If-Modified-Since`` matches gets ``304`` without a search.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from cms.missions.models import Mission
from cms.offers.models import OfferPage
from cms.partners_api.models import Scope
from search.base import InvalidSearch, SearchQuery, search
from search.missions import MISSIONS
from search.offers import OFFERS

from .access import api_error, authorise
from .engagement import BadParams, query_from, values
from .links import source_of, tracked_mission_url, tracked_offer_url
from .models import DiffusionPartner
from .rules import restrict, search_filters
from .usage import record_usage

CACHE_PREFIX = "syndication-feed"
FEED_LIMIT = 50
FORMATS = {"json": "application/feed+json; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}


def _partner(request: HttpRequest, key) -> DiffusionPartner | None:
    if key is not None:
        return key.partner
    public_id = request.GET.get("partenaire", "").strip()
    if not public_id:
        return None
    try:
        return DiffusionPartner.objects.filter(public_id=uuid.UUID(public_id)).first()
    except ValueError:
        raise BadParams("« partenaire » n'est pas un identifiant de partenaire.") from None


def _mission_items(request: HttpRequest, partner, source: str) -> list[dict]:
    query, limit, _ = query_from(request.GET)
    query.first = min(max(limit, 1), FEED_LIMIT)
    query.filters = MISSIONS.clean_filters(search_filters(partner, MISSIONS.name, query.filters))
    query.facets = ()
    hits = search(MISSIONS, query).hits
    loaded = (
        restrict(Mission.objects.all(), partner)
        .filter(pk__in=[h.pk for h in hits])
        .select_related("organization")
        .only("pk", "title", "description_text", "posted_at", "updated_at", "organization__name")
        .in_bulk()
    )
    return [
        {
            "id": str(m.pk),
            "url": tracked_mission_url(m, source),
            "title": m.title,
            "text": m.description_text[:1000],
            "author": m.organization.name if m.organization else "",
            "published": m.posted_at,
            "modified": m.updated_at,
        }
        for m in (loaded[h.pk] for h in hits if h.pk in loaded)
    ]


def _offer_items(request: HttpRequest, partner, source: str) -> list[dict]:
    filters = {}
    if categories := values(request.GET, "category"):
        filters["category"] = categories
    if cities := values(request.GET, "city"):
        filters["city"] = cities
    query = SearchQuery(text=request.GET.get("keywords", ""), filters=OFFERS.clean_filters(filters), facets=())
    query.first = FEED_LIMIT
    hits = search(OFFERS, query).hits
    loaded = restrict(OfferPage.objects.all(), partner).filter(pk__in=[h.pk for h in hits]).in_bulk()
    return [
        {
            "id": str(o.pk),
            "url": tracked_offer_url(o, source),
            "title": o.title,
            "text": o.subtitle,
            "author": "",
            "published": o.first_published_at or o.latest_revision_created_at,
            "modified": o.last_published_at or o.latest_revision_created_at,
        }
        for o in (loaded[h.pk] for h in hits if h.pk in loaded)
    ]


def _render_json(kind: str, items: list[dict], request: HttpRequest) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Tremplin : {'missions' if kind == 'missions' else 'offres'}",
        "home_page_url": settings.WAGTAILADMIN_BASE_URL,
        "feed_url": request.build_absolute_uri(),
        "language": "fr",
        "items": [
            {
                "id": item["id"],
                "url": item["url"],
                "title": item["title"],
                "content_text": item["text"],
                **({"authors": [{"name": item["author"]}]} if item["author"] else {}),
                **({"date_published": item["published"].isoformat()} if item["published"] else {}),
                **({"date_modified": item["modified"].isoformat()} if item["modified"] else {}),
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False)


def _render_rss(kind: str, items: list[dict], request: HttpRequest) -> str:
    feed = Rss201rev2Feed(
        title=f"Tremplin : {'missions' if kind == 'missions' else 'offres'}",
        link=settings.WAGTAILADMIN_BASE_URL,
        description="Missions d'engagement et offres pour les jeunes, diffusées par Tremplin.",
        language="fr",
        feed_url=request.build_absolute_uri(),
    )
    for item in items:
        feed.add_item(
            title=item["title"],
            link=item["url"],
            description=item["text"],
            unique_id=f"tremplin-{kind}-{item['id']}",
            unique_id_is_permalink=False,
            pubdate=item["published"],
            updateddate=item["modified"],
            author_name=item["author"] or None,
        )
    return feed.writeString("utf-8")


def _cache_key(kind: str, fmt: str, partner, source: str, request: HttpRequest) -> str:
    params = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    identity = [kind, fmt, partner.pk if partner else None, source, params]
    digest = hashlib.sha256(json.dumps(identity).encode()).hexdigest()
    return f"{CACHE_PREFIX}:{digest}"


def _cached_feed(kind: str, fmt: str, partner, source: str, request: HttpRequest) -> dict:
    cache = caches[settings.GRAPHQL_RATE_LIMIT_CACHE]
    cache_key = _cache_key(kind, fmt, partner, source, request)
    entry = cache.get(cache_key)
    if entry is None:
        items = (_mission_items if kind == "missions" else _offer_items)(request, partner, source)
        body = (_render_json if fmt == "json" else _render_rss)(kind, items, request)
        modified = max((i["modified"] for i in items if i["modified"]), default=None)
        entry = {
            "body": body,
            "etag": '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"',
            "last_modified": modified.timestamp() if modified else None,
            "count": len(items),
        }
        cache.set(cache_key, entry, settings.SYNDICATION_FEED_MAX_AGE)
    return entry


@require_GET
def feed(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    scope = Scope.READ_MISSIONS if kind == "missions" else Scope.READ_OFFERS
    key, refusal = authorise(request, scope, required=False)
    if refusal is not None:
        return refusal
    try:
        partner = _partner(request, key)
        entry = _cached_feed(kind, fmt, partner, source_of(key, partner), request)
    except (BadParams, InvalidSearch) as exc:
        return api_error(400, "INVALID_QUERY", str(exc))
    record_usage(key, items=entry["count"])
    response = HttpResponse(entry["body"], content_type=FORMATS[fmt])
    response["ETag"] = entry["etag"]
    if entry["last_modified"] is not None:
        response["Last-Modified"] = http_date(entry["last_modified"])
    patch_cache_control(
        response, public=key is None, private=key is not None, max_age=settings.SYNDICATION_FEED_MAX_AGE
    )
    patch_vary_headers(response, ("x-api-key", "Authorization"))
    return get_conditional_response(
        request,
        etag=entry["etag"],
        last_modified=entry["last_modified"] and int(entry["last_modified"]),
        response=response,
    )
