"""HTTP load generators: ``concurrency`` clients, each on its own keep-alive connection, send requests for a fixed time;
the result gives requests per second, latency percentiles and errors.

Two generators load the same requests the same way. ``wrk`` (Debian's ``wrk`` package, an event loop in C scripted
in Lua, :func:`run_wrk`) costs a few microseconds of CPU per request; Python threads on ``http.client``
(:func:`run_load`) cost a hundred or more, all under one GIL. The generator shares the cores with the server it
measures, so the lighter one leaves the server more of them: at a thousand requests per second the Python client
takes a good part of a core. :func:`ensure_wrk` installs the package where it can; without it the Python threads
measure, and the rows say which generator ran.
"""

from __future__ import annotations

import dataclasses
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence

#: One request: (method, path with its query string, body or None, headers).
Request = tuple[str, str, bytes | None, dict[str, str]]


#: The latency percentiles a result gives, as fractions.
FRACTIONS = (0.50, 0.95, 0.99)


@dataclasses.dataclass
class LoadResult:
    seconds: float
    answered: int
    errors: int
    #: fraction (one of FRACTIONS) → latency in milliseconds
    milliseconds: dict[float, float]
    first_error: str = ""
    generator: str = "python"

    @property
    def requests(self) -> int:
        return self.answered + self.errors

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """Latency at ``fraction`` (0.5, 0.95, 0.99) of the requests, in milliseconds."""
        return self.milliseconds.get(fraction, float("nan"))


def percentiles(latencies: list[float]) -> dict[float, float]:
    """Milliseconds at each of FRACTIONS of ``latencies`` (seconds)."""
    if not latencies:
        return dict.fromkeys(FRACTIONS, float("nan"))
    ordered = sorted(latencies)
    return {f: ordered[min(len(ordered) - 1, round(f * (len(ordered) - 1)))] * 1000 for f in FRACTIONS}


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
    """Load ``base_url`` from ``concurrency`` Python threads for ``warmup`` then ``seconds`` seconds;
    ``next_request(thread, n)`` gives the n-th request of thread number ``thread``; each thread sends one at least,
    however late a busy machine starts it. Only the requests started after the warm-up count; a request that fails or
    that ``ok`` refuses is an error (its latency is not counted)."""
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
        while (began := time.perf_counter()) < end or not n:
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
    return LoadResult(seconds, len(latencies), len(errors), percentiles(latencies), errors[0] if errors else "")


WRK_SCRIPT = r"""
local raw = %(requests)s
local requests = {}
local n = 0
offset = 0
bad = 0
first_bad = ""
local threads = {}
local started = 0

function setup(thread)
  thread:set("offset", started * 7)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  for i, r in ipairs(raw) do requests[i] = wrk.format(r[1], r[2], r[3], r[4]) end
end

function request()
  n = n + 1
  return requests[((offset + n - 1) %% #requests) + 1]
end

function response(status, headers, body)
  if status ~= 200 or (%(check_body)s and string.find(body, '"errors"', 1, true)) then
    bad = bad + 1
    if first_bad == "" then first_bad = "HTTP " .. status .. ": " .. string.sub(body, 1, 200) end
  end
end

function done(summary, latency, requests)
  local refused, first = 0, ""
  for _, thread in ipairs(threads) do
    refused = refused + thread:get("bad")
    if first == "" then first = thread:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format("WRK_RESULT %%d %%d %%d %%d %%f %%f %%f\n", summary.duration, summary.requests, refused,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  io.write("WRK_FIRST_ERROR " .. string.gsub(first, "\n", " ") .. "\n")
end
"""


def _lua_string(value: str | bytes) -> str:
    """``value`` as a Lua string literal: plain ASCII kept, every other byte as a three-digit decimal escape."""
    data = value.encode() if isinstance(value, str) else value
    plain = (chr(b) if b < 128 and (chr(b).isalnum() or chr(b) in " /_-.,:") else f"\\{b:03d}" for b in data)
    return '"' + "".join(plain) + '"'


def _lua_requests(requests: Sequence[Request]) -> str:
    rows = []
    for method, path, body, headers in requests:
        lua_headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
        rows.append(
            f"{{{_lua_string(method)}, {_lua_string(path)}, {{{lua_headers}}}, "
            f"{_lua_string(body) if body is not None else 'nil'}}}"
        )
    return "{\n" + ",\n".join(rows) + "\n}"


def wrk_path() -> str | None:
    return shutil.which("wrk")


def ensure_wrk() -> str | None:
    """The ``wrk`` executable, installed from Debian's packages when it is missing and this process may (root, with
    apt-get); None when it cannot be had (the Python threads then measure)."""
    if wrk_path() or not shutil.which("apt-get") or os.geteuid() != 0:
        return wrk_path()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        if subprocess.run(command, env=env, capture_output=True, check=False).returncode != 0:  # noqa: S603
            break
    return wrk_path()


def run_wrk(
    base_url: str,
    requests: Sequence[Request],
    *,
    concurrency: int,
    seconds: float,
    warmup: float = 0.0,
    check_body: bool = True,
    threads: int = 2,
) -> LoadResult:
    """Load ``base_url`` with ``wrk``: ``concurrency`` keep-alive connections over ``threads`` event loops, each
    thread walking ``requests`` from its own place, for ``warmup`` (a run of its own, not counted) then ``seconds``
    seconds. A request is an error when it fails, its status is not 200, or (``check_body``) its body has
    ``"errors"``. Latencies are wrk's, over every request."""
    executable = wrk_path()
    if executable is None:
        raise RuntimeError("wrk is not installed (Debian package wrk)")
    script = WRK_SCRIPT % {"requests": _lua_requests(requests), "check_body": "true" if check_body else "false"}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:

        def run(duration: float) -> str:
            command = [
                executable,
                f"--threads={max(1, min(threads, concurrency))}",
                f"--connections={concurrency}",
                f"--duration={max(1, round(duration))}s",
                "--timeout=30s",
                f"--script={file.name}",
                base_url,
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60)  # noqa: S603
            return done.stdout + done.stderr

        if warmup > 0:
            run(warmup)
        output = run(seconds)
    finally:
        os.unlink(file.name)
    found = re.search(r"^WRK_RESULT (\d+) (\d+) (\d+) (\d+) (\S+) (\S+) (\S+)$", output, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{output[-2000:]}")
    duration, completed, refused, failed = (int(found.group(i)) for i in range(1, 5))
    quantiles = {f: float(found.group(5 + i)) / 1000 for i, f in enumerate(FRACTIONS)}
    first = re.search(r"^WRK_FIRST_ERROR (.*)$", output, re.MULTILINE)
    return LoadResult(
        duration / 1e6,
        completed - refused,
        refused + failed,
        quantiles,
        first.group(1) if first else "",
        generator="wrk",
    )
