"""Tracking tokens: what a click hands to the partner's site, and what the partner hands back with an application.

A token is signed (``TRACKING_SALT`` and ``SECRET_KEY``), so a partner cannot invent one to inflate its figures, and
it carries what the application needs (mission, channel, source, time of the click): reading it takes no query.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from .models import Channel

_SALT = "tremplin.tracking.token"
#: Sources are slugs: a partner key's prefix or a campaign's name.
SOURCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TOKEN_MAX_LENGTH = 300


@dataclass(frozen=True)
class ClickToken:
    nonce: str
    mission_id: int
    channel: str
    source: str
    clicked_at: dt.datetime


def _signer() -> signing.Signer:
    return signing.Signer(salt=f"{_SALT}|{settings.TRACKING_SALT}", sep=".")


def new_nonce() -> str:
    return secrets.token_hex(8)


def make_token(nonce: str, mission_id: int, channel: str, source: str, clicked_at: dt.datetime) -> str:
    value = f"{nonce}~{mission_id}~{channel}~{source}~{int(clicked_at.timestamp())}"
    return _signer().sign(value)


def read_token(token: str) -> ClickToken | None:
    """The click behind ``token``, or None when it is malformed or its signature does not hold."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not token.isascii():
        return None
    try:
        value = _signer().unsign(token.strip())
        nonce, mission, channel, source, stamp = value.split("~")
        clicked_at = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
        mission_id = int(mission)
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        return None
    if channel not in Channel.values or (source and not SOURCE_PATTERN.match(source)):
        return None
    return ClickToken(nonce, mission_id, channel, source, clicked_at)
