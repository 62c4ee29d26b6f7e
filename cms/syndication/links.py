"""The one place feed, REST and widget links are built: through the click redirect, which counts them per channel."""

from __future__ import annotations

from django.conf import settings

from cms.missions.models import Mission


def tracked_mission_url(mission: Mission | int, channel: str) -> str:
    """The absolute URL of ``/r/<mission_id>/<channel>``, which counts the click and sends to the mission's page."""
    mission_id = mission if isinstance(mission, int) else mission.pk
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/r/{mission_id}/{channel}"


def channel_of(partner) -> str:
    """The channel a partner's clicks are counted under: stable, readable, unique."""
    return f"p{partner.pk}" if partner is not None else "api"
