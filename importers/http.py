"""Downloading feeds: http(s) only, a timeout, a size cap, optional Basic or header authentication.

The body is streamed into a temporary file (spilled to disk past a few megabytes), so a 200 MB feed never sits in
memory and the parser can stream it back.
"""

from __future__ import annotations

import base64
import tempfile
import urllib.error
import urllib.request
from typing import IO, TYPE_CHECKING

from django.conf import settings

from .errors import FeedError

if TYPE_CHECKING:
    from .models import FeedSource

DEFAULT_TIMEOUT_S = 30
DEFAULT_MAX_BYTES = 500 * 2**20
_CHUNK = 256 * 2**10
USER_AGENT = "Tremplin-importer/1.0 (+https://www.service-public.fr)"


def _opener() -> urllib.request.OpenerDirector:
    """An opener that only speaks http(s): no file://, no ftp://, even through a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} Mo".replace(".", ",") if n_bytes >= 2**20 else f"{n_bytes} octets"


def auth_headers(source: FeedSource) -> dict[str, str]:
    if source.auth == source.Auth.BASIC:
        token = base64.b64encode(f"{source.auth_username}:{source.auth_password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}
    if source.auth == source.Auth.HEADER and source.auth_header_name:
        return {source.auth_header_name: source.auth_token}
    return {}


def download(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> IO[bytes]:
    """The body of ``url`` in a rewound temporary file; :class:`FeedError` (in French) on any failure."""
    timeout = timeout or getattr(settings, "IMPORT_HTTP_TIMEOUT", DEFAULT_TIMEOUT_S)
    max_bytes = max_bytes or getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(f"Adresse du flux refusée : seules les URL http(s) sont acceptées ({url}).")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})  # noqa: S310
    try:
        response = _opener().open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise FeedError(f"Le serveur du flux a répondu {exc.code} ({exc.reason}).") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FeedError(f"Flux injoignable : {reason}.") from exc
    with response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FeedError(f"Flux trop volumineux : {_size(int(declared))} pour {_size(max_bytes)} au maximum.")
        body = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 - handed to the caller
        size = 0
        try:
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FeedError(f"Flux trop volumineux : plus de {_size(max_bytes)}.")
                body.write(chunk)
        except TimeoutError as exc:
            body.close()
            raise FeedError("Délai dépassé pendant le téléchargement du flux.") from exc
        except FeedError:
            body.close()
            raise
    body.seek(0)
    return body


def fetch_source(source: FeedSource) -> IO[bytes]:
    return download(source.url, headers=auth_headers(source))
