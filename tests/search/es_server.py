"""A tiny real HTTP server on 127.0.0.1 that answers like an Elasticsearch 8 cluster, strictly.

It records every request (method, path, query string, body and headers). Each call a test expects is routed by its
exact method and path (``{name}`` stands for one path segment, e.g. a versioned index name); a request nobody routed
is answered 404 and listed in ``unexpected``, which the tests' fixture asserts empty. Whatever the routes say, it
applies the rules a real cluster applies:

- ``_bulk`` is answered item by item (never routed): created/updated/deleted by default, or the statuses a test
  scripts per document id (``fail``: 400, 404, 409, 429…); a ``geo_point`` without both ``lat`` and ``lon`` is a 400
  ``document_parsing_exception``;
- a search whose ``from + size`` is over ``index.max_result_window`` (10,000) is a 400, and so is ``search_after``
  with a ``from`` other than 0;
- deleting indices by wildcard or ``_all`` is a 400 (``action.destructive_requires_name`` is true since 8.0).

It is a fake cluster, not a mock of the code under test: the backend goes through the real client, serializer and
HTTP stack.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_RESULT_WINDOW = 10_000
#: The body of a 404 on an index or alias that does not exist.
INDEX_NOT_FOUND = {
    "error": {"type": "index_not_found_exception", "reason": "no such index"},
    "status": 404,
}
ALIAS_NOT_FOUND = {"error": "alias missing", "status": 404}
ACKNOWLEDGED = {"acknowledged": True}
_ITEM_ERRORS = {
    400: "document_parsing_exception",
    404: "index_not_found_exception",
    409: "version_conflict_engine_exception",
    429: "es_rejected_execution_exception",
    500: "internal_server_error",
}


@dataclass
class Request:
    method: str
    path: str
    query: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self):
        return json.loads(self.body)

    def ndjson(self) -> list[dict]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]

    def params(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(self.query).items()}


def _error(status: int, type_: str, reason: str) -> tuple[int, dict]:
    return status, {"error": {"type": type_, "reason": reason}, "status": status}


@dataclass
class FakeCluster:
    routes: dict[tuple[str, str], list[tuple[int, object]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    unexpected: list[Request] = field(default_factory=list)
    #: Document id → the statuses of its next bulk items, one per appearance (then the default success).
    item_statuses: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    url: str = ""

    def reply(self, method: str, path: str, body: object, status: int = 200) -> None:
        """Answer ``method path`` with ``body``; ``{name}`` in ``path`` matches exactly one path segment."""
        if path.endswith("/_bulk"):
            raise AssertionError("bulk requests are answered item by item: script failures with fail()")
        self.routes[(method, path)] = [(status, body)]

    def replies(self, method: str, path: str, *answers: tuple[int, object]) -> None:
        """Answer ``method path`` with each of ``answers`` (status, body) in turn, then the last one again."""
        self.routes[(method, path)] = list(answers)

    def fail(self, doc_id: int | str, *statuses: int) -> None:
        """The next bulk items on document ``doc_id`` fail with ``statuses``, one per appearance."""
        self.item_statuses[str(doc_id)].extend(statuses)

    def answer(self, request: Request) -> tuple[int, object]:
        refused = self._refusal(request)
        if refused:
            return refused
        if request.path == "/_bulk" or request.path.endswith("/_bulk"):
            return 200, self._bulk(request)
        answers = self.routes.get((request.method, request.path))
        if answers is None:
            answers = next(
                (
                    listed
                    for (method, pattern), listed in self.routes.items()
                    if method == request.method and "{" in pattern and _segments(pattern).fullmatch(request.path)
                ),
                None,
            )
        if answers:
            return answers.pop(0) if len(answers) > 1 else answers[0]
        self.unexpected.append(request)
        return 404, INDEX_NOT_FOUND

    def _refusal(self, request: Request) -> tuple[int, dict] | None:
        first = request.path.strip("/").split("/")[0]
        if request.method == "DELETE" and ("*" in first or first == "_all"):
            return _error(400, "illegal_argument_exception", "Wildcard expressions or all indices are not allowed")
        if request.path.endswith("/_search") and request.body:
            body = request.json()
            params = request.params()
            start = int(body.get("from", params.get("from", 0)))
            size = int(body.get("size", params.get("size", 10)))
            if start + size > MAX_RESULT_WINDOW:
                return _error(
                    400,
                    "illegal_argument_exception",
                    f"Result window is too large, from + size must be less than or equal to: "
                    f"[{MAX_RESULT_WINDOW}] but was [{start + size}].",
                )
            if "search_after" in body and start not in (0, -1):
                return _error(400, "illegal_argument_exception", "`from` parameter must be set to 0 with search_after")
        return None

    def _bulk(self, request: Request) -> dict:
        lines = request.ndjson()
        items = []
        position = 0
        while position < len(lines):
            action, meta = next(iter(lines[position].items()))
            source = None
            if action != "delete":
                source = lines[position + 1]
                position += 2
            else:
                position += 1
            doc_id = str(meta.get("_id"))
            status = self._item_status(action, doc_id, source)
            item = {"_index": meta.get("_index"), "_id": doc_id, "status": status}
            if status >= 300:
                item["error"] = {"type": _ITEM_ERRORS.get(status, "exception"), "reason": f"status {status}"}
            else:
                item["result"] = {"create": "created", "index": "created", "update": "updated"}.get(action, "deleted")
            items.append({action: item})
        return {"took": 1, "errors": any(next(iter(i.values()))["status"] >= 300 for i in items), "items": items}

    def _item_status(self, action: str, doc_id: str, source: dict | None) -> int:
        if self.item_statuses.get(doc_id):
            return self.item_statuses[doc_id].pop(0)
        if source is not None and not _valid_geo_points(source.get("location")):
            return 400
        return 201 if action in ("create", "index") else 200

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]

    def bulk_lines(self) -> list[list[dict]]:
        """The ndjson lines of each bulk request, in order."""
        return [r.ndjson() for r in self.requests if r.path.endswith("/_bulk")]


def _segments(pattern: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", pattern)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts))


def _valid_geo_points(value) -> bool:
    points = value if isinstance(value, list) else [value] if value is not None else []
    return all(
        isinstance(p, dict) and isinstance(p.get("lat"), int | float) and isinstance(p.get("lon"), int | float)
        for p in points
    )


def start(cluster: FakeCluster, ssl_context=None) -> ThreadingHTTPServer:
    """Serve ``cluster`` on a free loopback port (over TLS with ``ssl_context``); ``cluster.url`` says where."""

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command,
                parts.path,
                parts.query,
                self.rfile.read(length) if length else b"",
                {key.lower(): value for key, value in self.headers.items()},
            )
            cluster.requests.append(request)
            status, body = cluster.answer(request)
            payload = b"" if self.command == "HEAD" else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Type", "application/vnd.elasticsearch+json; compatible-with=8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if ssl_context is not None:
        server.socket = ssl_context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    cluster.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
