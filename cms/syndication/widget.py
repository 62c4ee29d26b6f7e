"""``/widget/<partner public id>/``: a light page a partner embeds in an iframe, listing missions or offers.

Server-rendered (works without JavaScript), no framework, nothing from a CDN: a search box, the partner's domains
as a filter, pagination, and a "near me" button that appears only where the browser can locate the visitor. Its
location and radius default to the partner's. Only the partner's origins may frame it (``frame-ancestors``). Mission
and offer links go through the click redirect on channel ``widget``, counted under the partner.
"""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from cms.missions.models import Mission
from cms.offers.models import OfferPage
from cms.taxonomy.models import Domain
from cms.tracking.models import Channel
from search.base import InvalidSearch, Near, SearchQuery, encode_cursor, search
from search.missions import MISSIONS
from search.offers import OFFERS

from .links import source_of, tracked_mission_url, tracked_offer_url
from .models import DiffusionPartner
from .rules import restrict, search_filters

PAGE_SIZE = 10


def _float(request: HttpRequest, name: str) -> float | None:
    try:
        value = float(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, min(int(raw), 1000)) if raw.isdigit() else 1


def _near(request: HttpRequest, partner: DiffusionPartner) -> tuple[Near | None, bool]:
    """The point to search around: the visitor's ("near me"), else the partner's default; True if the visitor's."""
    lat, lon = _float(request, "lat"), _float(request, "lon")
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        return Near(lat, lon, float(partner.default_radius_km or 30)), True
    if partner.default_latitude is not None and partner.default_longitude is not None:
        return Near(partner.default_latitude, partner.default_longitude, float(partner.default_radius_km or 30)), False
    return None, False


@require_GET
@xframe_options_exempt
def widget(request: HttpRequest, public_id) -> HttpResponse:
    partner = DiffusionPartner.objects.filter(public_id=public_id).first()
    if partner is None:
        raise Http404("Widget introuvable.")
    missions = partner.widget_content == DiffusionPartner.Content.MISSIONS
    kind = MISSIONS if missions else OFFERS
    allowed_domains = list(partner.domains.order_by("position")) or list(Domain.objects.order_by("position"))
    domain = request.GET.get("domaine", "")
    if domain not in {d.slug for d in allowed_domains}:
        domain = ""
    text = request.GET.get("q", "")[:200]
    page = _page(request)
    near, near_me = _near(request, partner)
    filters = {"domain": [domain]} if domain and missions else {}
    error = ""
    items, total = [], 0
    try:
        query = SearchQuery(
            text=text,
            filters=kind.clean_filters(search_filters(partner, kind.name, filters)),
            near=near,
            first=PAGE_SIZE,
            after=encode_cursor((page - 1) * PAGE_SIZE) if page > 1 else None,
            facets=(),
        )
        result = search(kind, query)
        total = result.total
        model = Mission if missions else OfferPage
        loaded = restrict(model.objects.all(), partner).filter(pk__in=[h.pk for h in result.hits]).in_bulk()
        source = source_of(partner=partner)
        tracked = tracked_mission_url if missions else tracked_offer_url
        for hit in result.hits:
            item = loaded.get(hit.pk)
            if item is None:
                continue
            items.append(
                {
                    "title": item.title,
                    "url": tracked(item, source, Channel.WIDGET),
                    "summary": (item.description_text if missions else item.subtitle)[:180],
                    "distance": round(hit.distance_km, 1) if hit.distance_km is not None else None,
                }
            )
    except InvalidSearch as exc:
        error = str(exc)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    base = request.GET.copy()
    base.pop("page", None)
    response = render(
        request,
        "syndication/widget.html",
        {
            "partner": partner,
            "missions": missions,
            "items": items,
            "total": total,
            "text": text,
            "domains": allowed_domains if missions else [],
            "domain": domain,
            "near_me": near_me,
            "near": near,
            "page": page,
            "pages": pages,
            "previous_query": _with_page(base, page - 1) if page > 1 else "",
            "next_query": _with_page(base, page + 1) if page < pages else "",
            "error": error,
        },
    )
    ancestors = " ".join(["'self'", *partner.allowed_origins])
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    response["Cache-Control"] = "public, max-age=60"
    return response


def _with_page(params, page: int) -> str:
    params = params.copy()
    params["page"] = str(page)
    return params.urlencode()
