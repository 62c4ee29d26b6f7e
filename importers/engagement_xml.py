"""The engagement XML feed (``<source><mission>…</mission></source>``), as the French engagement API reads it.

Parsed with lxml's ``iterparse`` one ``<mission>`` at a time, each element cleared once read, so memory stays flat
whatever the feed's size. The parser never resolves entities, never loads a DTD, never touches the network and
keeps libxml2's limits on (``huge_tree=False``); a feed that declares a DOCTYPE at all is refused outright, which
covers XXE and "billion laughs" payloads with one clear message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from lxml import etree

from .base import BaseImporter
from .errors import FeedError

#: Fields whose content may arrive as unescaped HTML (child elements) rather than CDATA text.
_HTML_FIELDS = frozenset({"description", "organizationDescription"})
_DTD_REFUSED = (
    "Flux refusé pour raison de sécurité : il déclare une DTD (<!DOCTYPE …>), "
    "ce qui permet des attaques par entités XML (XXE, « billion laughs »)."
)


def _local(tag: Any) -> str | None:
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2]


def _inner_markup(element: etree._Element) -> str:
    parts = [element.text or ""]
    parts += [etree.tostring(child, encoding="unicode", with_tail=True) for child in element]
    return "".join(parts).strip()


def element_to_value(element: etree._Element) -> Any:
    """Leaf → stripped text; element with children → dict (repeated tags become lists)."""
    if len(element) == 0:
        text = element.text
        return text.strip() if text else ""
    out: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag[0] == "{":
            tag = tag.rpartition("}")[2]
        if len(child) == 0:  # most elements are leaves: read them here rather than recursing
            value = child.text
            value = value.strip() if value else ""
        elif tag in _HTML_FIELDS:
            value = _inner_markup(child)
        else:
            value = element_to_value(child)
        if tag in out:
            previous = out[tag]
            if isinstance(previous, list):
                previous.append(value)
            else:
                out[tag] = [previous, value]
        else:
            out[tag] = value
    return out


def _describe_syntax_error(exc: etree.XMLSyntaxError) -> str:
    message = str(exc)
    line = getattr(exc, "lineno", None) or (exc.position[0] if getattr(exc, "position", None) else None)
    where = f" (ligne {line})" if line else ""
    lowered = message.lower()
    if "utf-8" in lowered or "encoding" in lowered or "bytes:" in lowered:
        return f"Le flux n'est pas en UTF-8 valide{where} : {message}"
    if "entity" in lowered or "entit" in lowered:
        return f"Flux refusé : entité XML interdite{where} ({message})."
    if "premature end" in lowered or "extra content" in lowered or "not properly terminated" in lowered:
        return f"Flux XML tronqué ou mal formé{where} : {message}"
    return f"Flux XML illisible{where} : {message}"


def iter_missions(
    stream: IO[bytes],
    tag: str = "mission",
    *,
    digest: Callable[[bytes], str] | None = None,
    needs_content: Callable[[str, str], bool] | None = None,
) -> Iterator[Any]:
    """Yield each ``<mission>`` as a dict, or, given ``digest``, as ``(client id, digest, dict or None)``.

    With ``digest``, the dict is only built when ``needs_content(client_id, digest)`` says so: unchanged missions
    cost a hash of the element's bytes. Raises :class:`FeedError` on unsafe or malformed XML.
    """
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=(tag, "{*}" + tag),
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    checked = False
    try:
        for _, element in context:
            if not checked:
                docinfo = element.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise FeedError(_DTD_REFUSED)
                checked = True
            if digest is not None:
                client_id = (element.findtext("clientId") or element.findtext("{*}clientId") or "").strip()
                fingerprint = digest(etree.tostring(element, with_tail=False))
                content = None
                if needs_content is None or needs_content(client_id, fingerprint):
                    content = element_to_value(element)
                    content = content if isinstance(content, dict) else {}
                value = (client_id, fingerprint, content)
            else:
                value = element_to_value(element)
                value = value if isinstance(value, dict) else {}
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
            yield value
        root = getattr(context, "root", None)
        if not checked and root is not None:
            docinfo = root.getroottree().docinfo
            if docinfo.doctype or docinfo.internalDTD is not None:
                raise FeedError(_DTD_REFUSED)
    except etree.XMLSyntaxError as exc:
        raise FeedError(_describe_syntax_error(exc)) from exc


class EngagementXmlImporter(BaseImporter):
    """``<source><mission>…`` feeds, with an ``<addresses>`` list or the legacy flat address fields.

    Entries are ``(client id, hash of the mission element's bytes, dict or None)``: the element becomes a dict only
    when its hash differs from the stored one.
    """

    format = "engagement_xml"

    def parse(self, stream: IO[bytes]) -> Iterator[tuple[str, str, dict | None]]:
        return iter_missions(stream, digest=self.content_hash, needs_content=self.needs_content)

    def identify(self, entry: tuple[str, str, dict | None]) -> tuple[str, str]:
        return entry[0], entry[1]

    def materialise(self, entry: tuple[str, str, dict | None]) -> dict[str, Any]:
        return entry[2] or {}
