"""The wrk load generator counts what the Python one counts: answers, and as errors the answers that are not a
status 200 without ``"errors"`` in their body."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.bench.load import Request, run_wrk, wrk_path

pytestmark = pytest.mark.skipif(wrk_path() is None, reason="wrk is not installed (Debian package wrk)")

BODIES = {"/ok": b'{"data": {"ok": true}}', "/refused": b'{"errors": [{"message": "non"}]}'}


class Answers(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn answers

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = BODIES[self.path.split("?")[0]]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def get(path: str) -> Request:
    return ("GET", path, None, {"Accept": "application/json"})


def test_wrk_counts_every_answer_and_no_error_when_all_are_complete(server):
    escaped = get("/ok?query=%7B%20ok%20%7D&variables=%7B%22%C3%A9%22%3A1%7D")  # every kind of byte the script escapes

    result = run_wrk(server, [escaped], concurrency=2, seconds=1)

    assert (result.answered > 0, result.errors, result.generator) == (True, 0, "wrk")


def test_wrk_counts_an_answer_with_errors_as_an_error(server):
    result = run_wrk(server, [get("/ok"), get("/refused")], concurrency=2, seconds=1)

    assert result.answered > 0
    assert result.errors > 0
    assert '"errors"' in result.first_error
