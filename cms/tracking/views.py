"""Public tracking endpoints: the click redirect, the thank-you tag and the tag's report.

``/r/<mission>/<channel>`` sends the visitor to the mission's own application URL, never anywhere else (and
``/r/o/<offer>/<channel>`` to the public offer's own link, else its page): the target is read from the public
item, only ``http``/``https`` with a host, and the request can only add query parameters (``utm_*`` and
``trmp_token``). Anything wrong (unknown or hidden mission, unknown channel, no application URL) is
the French 404 page.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cms.missions.models import Mission
from cms.offers.models import OfferPage

from .applications import ReportError, report_application
from .models import ApplicationStatus, Channel, Event, Kind
from .recorder import record, remembered
from .stats import public_stats
from .tokens import SOURCE_PATTERN, make_token, new_nonce
from .visitors import is_bot, signed_in_user_id, visitor_id

TRACKING_PARAMETER = "trmp_token"
#: How long a mission's application URL (or its absence from public missions) is kept in the process's cache: the
#: redirect then needs no query; a mission hidden or changed takes at most this long to be followed.
TARGET_CACHE_SECONDS = 60
_BIGINT_MAX = 2**63 - 1
_OURS = {"utm_source", "utm_medium", "utm_campaign", TRACKING_PARAMETER}


def not_found(request: HttpRequest, reason: str = "") -> HttpResponse:
    html = render_to_string("tracking/not_found.html", {"reason": reason}, request=request)
    return HttpResponse(html, status=404)


def unknown(request: HttpRequest, anything: str) -> HttpResponse:
    """Any other address under ``/r/``: the French 404 page too."""
    return not_found(request)


def _mission_id(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= _BIGINT_MAX else None


def _application_target(url: str) -> tuple | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c in url for c in "\r\n\t\\"):
        return None
    return parts


def _application_url(mission_id: int) -> str | None:
    """The public mission's application URL (empty when it has none), None when no public mission has this id."""
    key = f"tracking:target:{mission_id}"
    cached = caches["tracking"].get(key)
    if cached is None:
        url = Mission.objects.public().filter(pk=mission_id).values_list("application_url", flat=True).first()
        cached = ("found", url) if url is not None else ("missing", "")
        caches["tracking"].set(key, cached, TARGET_CACHE_SECONDS)
    return cached[1] if cached[0] == "found" else None


def with_tracking(parts, *, token: str, channel: str, campaign: str) -> str:
    """The application URL with our parameters added (a same-named parameter of the partner's is replaced)."""
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in _OURS]
    query += [("utm_source", "tremplin"), ("utm_medium", channel), ("utm_campaign", campaign)]
    if token:
        query.append((TRACKING_PARAMETER, token))
    return urlunsplit(parts._replace(query=urlencode(query)))


@never_cache
@require_GET
def click(request: HttpRequest, mission: str, channel: str) -> HttpResponse:
    """Record a click on a mission's application link and send the visitor there."""
    mission_id = _mission_id(mission)
    if mission_id is None or channel not in Channel.values:
        return not_found(request)
    source = request.GET.get("src", "")
    source = source if SOURCE_PATTERN.match(source) else ""
    url = _application_url(mission_id)
    parts = _application_target(url or "")
    if parts is None:
        reason = "" if url is None else "Cette mission ne propose pas de candidature en ligne."
        return not_found(request, reason)
    token = ""
    if not is_bot(request.headers.get("User-Agent", "")):
        now = timezone.now()
        nonce = new_nonce()
        token = make_token(nonce, mission_id, channel, source, now)
        event = Event(
            kind=Kind.CLICK,
            occurred_at=now,
            mission_id=mission_id,
            channel=channel,
            source=source,
            visitor=visitor_id(request),
            user_id=signed_in_user_id(request),
            token=nonce,
        )
        if not record(event, remember=token):
            token = remembered(event) or token
    response = HttpResponseRedirect(
        with_tracking(parts, token=token, channel=channel, campaign=source or f"mission-{mission_id}")
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _offer_url(offer_id: int) -> str | None:
    """The public offer's own link, else its page's URL; None when no public offer has this id (cached as missions')."""
    key = f"tracking:offer-target:{offer_id}"
    cached = caches["tracking"].get(key)
    if cached is None:
        offer = OfferPage.objects.public().filter(pk=offer_id).first()
        cached = ("found", offer.link_url or offer.get_full_url() or "") if offer is not None else ("missing", "")
        caches["tracking"].set(key, cached, TARGET_CACHE_SECONDS)
    return cached[1] if cached[0] == "found" else None


@never_cache
@require_GET
def offer_click(request: HttpRequest, offer: str, channel: str) -> HttpResponse:
    """Record a click on an offer's link (a partner's feed or widget) and send the visitor to the offer.

    The same rules as missions' clicks: robots are sent on without being counted, a repeat by the same visitor within
    the window is not counted twice. Offers take no application report, so the link carries no token.
    """
    offer_id = _mission_id(offer)
    if offer_id is None or channel not in Channel.values:
        return not_found(request)
    source = request.GET.get("src", "")
    source = source if SOURCE_PATTERN.match(source) else ""
    parts = _application_target(_offer_url(offer_id) or "")
    if parts is None:
        return not_found(request)
    if not is_bot(request.headers.get("User-Agent", "")):
        record(
            Event(
                kind=Kind.CLICK,
                occurred_at=timezone.now(),
                offer_id=offer_id,
                channel=channel,
                source=source,
                visitor=visitor_id(request),
                user_id=signed_in_user_id(request),
            )
        )
    response = HttpResponseRedirect(
        with_tracking(parts, token="", channel=channel, campaign=source or f"offre-{offer_id}")
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


TAG_JS = """(function () {
  "use strict";
  var KEY = "tremplin_token", script = document.currentScript;
  try {
    var token = new URLSearchParams(window.location.search).get("%(parameter)s");
    if (token) { window.localStorage.setItem(KEY, token); }
    if (script && script.getAttribute("data-tremplin") === "candidature") {
      var saved = token || window.localStorage.getItem(KEY);
      if (saved) {
        navigator.sendBeacon(new URL("%(report)s", script.src).href, saved);
        window.localStorage.removeItem(KEY);
      }
    }
  } catch (error) { /* never break the partner's page */ }
})();
"""


@require_GET
def tag(request: HttpRequest) -> HttpResponse:
    """The thank-you tag: keeps the token on arrival, reports the application on the page that says data-tremplin."""
    from django.urls import reverse

    body = TAG_JS % {"parameter": TRACKING_PARAMETER, "report": reverse("tracking:tag-report")}
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def tag_report(request: HttpRequest) -> HttpResponse:
    """The tag's report (a beacon's text body, or ``?t=``): an application, pending until the partner says more."""
    token = request.GET.get("t") or request.body[:400].decode("ascii", "replace")
    try:
        report_application(token.strip(), ApplicationStatus.PENDING)
    except ReportError as error:
        response = HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    """The public statistics page: monthly figures, small counts hidden, no external asset."""
    response = render(request, "tracking/stats.html", {"stats": public_stats()})
    response["Cache-Control"] = "public, max-age=600"
    return response
