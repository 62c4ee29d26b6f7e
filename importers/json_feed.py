"""JSON feeds with the engagement fields: a top-level array, or an object holding it under ``missions``.

Streamed with ijson (C backend), so a large feed is never loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson

from .base import BaseImporter
from .errors import FeedError


def _first_significant_byte(stream: IO[bytes]) -> tuple[bytes, bytes]:
    """(the first non-blank byte, everything read so far) without losing what was read."""
    consumed = b""
    while True:
        chunk = stream.read(1)
        if not chunk:
            return b"", consumed
        consumed += chunk
        if consumed == b"\xef\xbb\xbf"[: len(consumed)] and len(consumed) <= 3:
            continue  # UTF-8 byte order mark
        if not chunk.isspace():
            return chunk, consumed


class _Prefixed:
    """A stream with some already-read bytes put back in front."""

    def __init__(self, prefix: bytes, stream: IO[bytes]):
        self.prefix = prefix.removeprefix(b"\xef\xbb\xbf")
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        if self.prefix:
            head, self.prefix = self.prefix, b""
            return head + (self.stream.read(max(size - len(head), 0)) if size and size > 0 else self.stream.read())
        return self.stream.read(size)


def iter_json_missions(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """Yield each mission object; raises :class:`FeedError` on malformed JSON or invalid UTF-8."""
    first, consumed = _first_significant_byte(stream)
    if not first:
        return
    if first == b"[":
        prefix = "item"
    elif first == b"{":
        prefix = "missions.item"
    else:
        raise FeedError("Flux JSON illisible : un tableau de missions ou un objet « missions » est attendu.")
    try:
        for value in ijson.items(_Prefixed(consumed, stream), prefix, use_float=True):
            yield value if isinstance(value, dict) else {}
    except ijson.JSONError as exc:
        raise FeedError(f"Flux JSON illisible ou tronqué : {exc}") from exc
    except UnicodeDecodeError as exc:
        raise FeedError(f"Le flux n'est pas en UTF-8 valide : {exc}") from exc


class JsonFeedImporter(BaseImporter):
    """A JSON array of missions (or ``{"missions": [...]}``) using the engagement feed's field names."""

    format = "json"

    def parse(self, stream: IO[bytes]) -> Iterator[dict[str, Any]]:
        return iter_json_missions(stream)
