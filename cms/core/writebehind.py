"""Write-behind: database writes run on a thread of their own while the caller prepares the next batch.

Shared by the importers (a chunk of missions is written while the next one is parsed and normalised) and the search
index's bulk updates (a batch of documents is written while the next records are read). The database's work then
overlaps the Python work instead of following it. Only for code running outside any transaction: the writer
thread has its own connection, which sees committed data only, and each write commits on its own.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

from django.db import connections


class WriteBehind:
    """Run writes one after the other on one thread, at most ``depth`` of them submitted and not yet waited for.

    ``submit`` first waits for the oldest write when ``depth`` are pending, and raises its error there; ``then``
    callbacks run in the caller's thread once their write has succeeded, in order. After a failed write the ones
    already submitted are skipped. Leaving the ``with`` block normally waits for every write (raising the first error);
    leaving it on an exception lets the write in progress end without waiting for the rest. Either way the
    thread's connection is closed.
    """

    def __init__(self, name: str, using: str = "default", depth: int = 1) -> None:
        self.using = using
        self.depth = depth
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending: deque[tuple[Future, Callable[[], None] | None]] = deque()
        self._failed = False

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is None:
                self.wait()
            else:
                self._failed = True  # what is still queued is skipped
        finally:
            # ``connections`` is per thread: this closes the writer thread's own connection.
            self._executor.submit(lambda: connections[self.using].close())
            self._executor.shutdown(wait=True)

    def submit(self, func: Callable[..., Any], *args: Any, then: Callable[[], None] | None = None) -> None:
        while len(self._pending) >= self.depth:
            self._wait_oldest()
        self._pending.append((self._executor.submit(self._run, func, args), then))

    def wait(self) -> None:
        """Wait for every submitted write; raise the first error met."""
        while self._pending:
            self._wait_oldest()

    def _wait_oldest(self) -> None:
        future, then = self._pending.popleft()
        future.result()
        if then is not None:
            then()

    def _run(self, func: Callable[..., Any], args: tuple) -> None:
        if self._failed:
            return
        try:
            func(*args)
        except BaseException:
            self._failed = True
            raise
