"""A tiny real HTTP server on 127.0.0.1 that speaks enough Elasticsearch for transport tests.

It records every request (method, path, query string, body) and answers from routes the test sets, with the
``X-Elastic-Product`` header the 8.x client checks. It is a fake cluster, not a mock of the code under test: the
backend goes through the real client, serializer and HTTP stack.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: str
    body: bytes

    def json(self):
        return json.loads(self.body)

    def ndjson(self) -> list[dict]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]


@dataclass
class FakeCluster:
    routes: dict[tuple[str, str], tuple[int, object]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    url: str = ""

    def reply(self, method: str, path: str, body: object, status: int = 200) -> None:
        """Answer ``method path`` with ``body``; a path ending in ``*`` matches any path with that prefix."""
        self.routes[(method, path)] = (status, body)

    def answer(self, request: Request) -> tuple[int, object]:
        exact = self.routes.get((request.method, request.path))
        if exact:
            return exact
        for (method, path), answer in self.routes.items():
            if method == request.method and path.endswith("*") and request.path.startswith(path[:-1]):
                return answer
        return 404, {"error": {"type": "resource_not_found_exception"}, "status": 404}

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]


def start(cluster: FakeCluster) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(self.command, parts.path, parts.query, self.rfile.read(length) if length else b"")
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
    cluster.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
