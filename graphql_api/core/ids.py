"""Identifiers: clients may send either a Relay global ID or the plain database id."""

from __future__ import annotations

from strawberry import relay

from .errors import BadUserInput


def database_id(value: str | int, type_name: str) -> int:
    """The primary key behind ``value`` (``"42"`` or the global ID of a ``type_name``)."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        global_id = relay.GlobalID.from_id(text)
    except Exception as exc:
        raise BadUserInput(f"Identifiant invalide : {text!r}.", argument="id") from exc
    if global_id.type_name != type_name or not global_id.node_id.isdigit():
        raise BadUserInput(f"L'identifiant {text!r} ne désigne pas un objet de type {type_name}.", argument="id")
    return int(global_id.node_id)
