"""The one place feed, REST, widget and GraphQL links are built: through the click redirect, counted per partner key.

A link served with a key goes through ``/r/<mission>/api?src=<key prefix>`` (offers: ``/r/o/<offer>/api?src=…``):
the click, and the application reported with its token, are counted under that key's prefix, which
:func:`cms.syndication.usage.count_clicks_and_applications` adds to the key's usage from the daily aggregates. Links
served without a key (the widget, a feed named by ``?partenaire=``) carry the partner (``src=p<partner id>``), on
channel ``widget`` or ``api``. The prefix is what the admin shows in clear: it cannot authenticate anything.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings

from cms.tracking.models import Channel


def source_of(key=None, partner=None) -> str:
    """What a partner's clicks are counted under: its key's prefix, else the partner, else nothing."""
    if key is not None:
        return key.prefix
    return f"p{partner.pk}" if partner is not None else ""


def _tracked(path: str, channel: str, source: str) -> str:
    query = f"?{urlencode({'src': source})}" if source else ""
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/r/{path}/{channel}{query}"


def tracked_mission_url(mission, source: str, channel: str = Channel.API) -> str:
    """The absolute URL of the click redirect to ``mission``'s application link, counted under ``source``."""
    mission_id = mission if isinstance(mission, int) else mission.pk
    return _tracked(str(mission_id), channel, source)


def tracked_offer_url(offer, source: str, channel: str = Channel.API) -> str:
    """The absolute URL of the click redirect to ``offer``'s own link (else its page), counted under ``source``."""
    offer_id = offer if isinstance(offer, int) else offer.pk
    return _tracked(f"o/{offer_id}", channel, source)
