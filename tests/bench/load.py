"""A small HTTP load generator: ``concurrency`` threads, each on its own keep-alive connection, send requests for a
fixed time and record each one's latency; the result gives requests per second, percentiles and errors.

Python threads are enough at the rates measured here (a few thousand requests per second at most), and need
nothing installed; the generator shares the machine with the server, so figures are indicative.
"""

from __future__ import annotations

import dataclasses
import http.client
import threading
import time
import urllib.parse
from collections.abc import Callable

#: One request: (method, path with its query string, body or None, headers).
Request = tuple[str, str, bytes | None, dict[str, str]]


@dataclasses.dataclass
class LoadResult:
    seconds: float
    latencies: list[float]
    errors: int
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """Latency at ``fraction`` (0.5, 0.95, 0.99) of the successful requests, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def send(connection: http.client.HTTPConnection, request: Request) -> tuple[int, bytes]:
    method, path, body, headers = request
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def run_load(
    base_url: str,
    next_request: Callable[[int, int], Request],
    *,
    concurrency: int,
    seconds: float,
    warmup: float = 0.0,
    ok: Callable[[int, bytes], bool] = lambda status, body: status == 200,
) -> LoadResult:
    """Load ``base_url`` for ``warmup`` then ``seconds`` seconds; ``next_request(thread, n)`` gives the n-th request
    of thread number ``thread``. Only the requests started after the warm-up count; a request that fails or that
    ``ok`` refuses is an error (its latency is not counted)."""
    parsed = urllib.parse.urlsplit(base_url)
    start = time.perf_counter() + warmup
    end = start + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine: list[float] = []
        failed: list[str] = []
        n = 0
        while (began := time.perf_counter()) < end:
            request = next_request(index, n)
            n += 1
            try:
                status, body = send(connection, request)
                good = ok(status, body)
                problem = "" if good else f"HTTP {status}: {body[:200]!r}"
            except (OSError, http.client.HTTPException) as exc:
                good, problem = False, f"{type(exc).__name__}: {exc}"
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            if began < start:
                continue
            if good:
                mine.append(time.perf_counter() - began)
            else:
                failed.append(problem)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(seconds, latencies, len(errors), errors[0] if errors else "")
