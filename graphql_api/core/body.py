"""What the ``/graphql/`` endpoint accepts over HTTP, and how it says no: in French, as JSON, with a code.

Every JSON the endpoint reads (a POST body, the ``variables`` and ``extensions`` of a GET) goes through
:func:`parse_json_object`: UTF-8, valid JSON, an object, not nested past what the parser can walk. Anything else,
and every refusal strawberry makes itself (wrong content type, missing query, mutation over GET…), becomes a 4xx
whose body is a GraphQL error with a French message, ``extensions.code`` and strawberry's English reason in
``extensions.detail`` (:func:`refused_request`). Limits on the variables themselves are checked by the schema
(:mod:`graphql_api.core.inputs`), whatever the transport.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cross_web import HTTPException
from django.http import HttpRequest, JsonResponse

from .errors import ErrorCode, error_response
from .messages import translate

NOT_UTF8 = "Le corps de la requête doit être encodé en UTF-8."
NOT_JSON = "Le corps de la requête n'est pas du JSON valide."
TOO_DEEP = "Le JSON envoyé est trop imbriqué."
NOT_AN_OBJECT = (
    'Un objet JSON est attendu, de la forme {"query": "…", "variables": {…}} ; '
    "« variables » et « extensions » sont aussi des objets."
)
TOO_BIG = "Le corps de la requête est trop volumineux."
_OURS = frozenset((NOT_UTF8, NOT_JSON, TOO_DEEP, NOT_AN_OBJECT, TOO_BIG))

#: strawberry's reasons for refusing a request, said again in French.
_STRAWBERRY_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Unable to parse request body as JSON"), NOT_JSON),
    (re.compile(r"`query` must be a string"), "« query » doit être une chaîne de caractères (le texte de la requête)."),
    (re.compile(r"`variables` must be an object"), "« variables » doit être un objet JSON."),
    (re.compile(r"`extensions` must be an object"), "« extensions » doit être un objet JSON."),
    (re.compile(r"^No GraphQL query found"), "Aucune requête GraphQL reçue : envoyez-la dans « query »."),
    (
        re.compile(r"^Unsupported content type"),
        "Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json).",
    ),
    (re.compile(r"^Batching is not enabled|^Too many operations"), "Une seule opération par requête."),
    (re.compile(r"^GraphQL only supports GET and POST"), "Seules les méthodes GET et POST sont acceptées."),
    (re.compile(r"^Not Found$"), "Page introuvable."),
    (re.compile(r"^Unknown operation named \"(.*)\""), "L'opération « {0} » n'existe pas dans la requête."),
    (re.compile(r"^Can't get GraphQL operation type"), "Précisez l'opération à exécuter (« operationName »)."),
    (re.compile(r"^mutations are not allowed when using GET"), "Une mutation s'envoie en POST, pas en GET."),
    (re.compile(r"are not allowed when using"), "Ce type d'opération n'est pas accepté avec cette méthode HTTP."),
]


def check_body(request: HttpRequest) -> None:
    """Refuses a POST body that is not UTF-8 (strawberry decodes it before anything else could say why)."""
    if request.method == "POST":
        try:
            request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HTTPException(400, NOT_UTF8) from exc


def parse_json_object(data: str | bytes) -> dict[str, Any]:
    """``data`` as a JSON object, or an HTTP 400 saying in French why not."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HTTPException(400, NOT_UTF8) from exc
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        raise HTTPException(400, NOT_JSON) from exc
    except RecursionError as exc:
        raise HTTPException(400, TOO_DEEP) from exc
    if not isinstance(value, dict):
        raise HTTPException(400, NOT_AN_OBJECT)
    if _depth_over(value, MAX_BODY_DEPTH):
        raise HTTPException(400, TOO_DEEP)
    return value


#: Nesting a request body may have: far above any GraphQL request, far below what the parser survives. Checked after
#: parsing too, since how deep ``json.loads`` can go depends on the Python version (3.13's parser goes much deeper).
MAX_BODY_DEPTH = 200


def _depth_over(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` deep (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _in_french(reason: str) -> tuple[str, str | None]:
    """(French message, English original or None)."""
    if reason in _OURS:
        return reason, None
    return translate(_STRAWBERRY_REASONS, reason) or "La requête HTTP est refusée.", reason


def refused_request(status: int, reason: str) -> JsonResponse:
    """The response to a request refused before any GraphQL ran."""
    message, detail = _in_french(reason)
    code = ErrorCode.NOT_FOUND if status == 404 else ErrorCode.BAD_REQUEST
    return error_response(status, message, code, **({"detail": detail} if detail else {}))
