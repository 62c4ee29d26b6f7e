"""cms.core.writebehind: writes on a thread of their own, at most ``depth`` pending, errors raised in the caller."""

from __future__ import annotations

import threading

import pytest

from cms.core.writebehind import WriteBehind


def test_writes_run_off_the_callers_thread_and_their_callbacks_run_in_order_on_it():
    caller = threading.get_ident()
    ran: list[tuple[str, bool]] = []
    with WriteBehind("test-writer", depth=2) as writer:
        for name in ("a", "b", "c"):
            writer.submit(
                lambda n=name: ran.append((n, threading.get_ident() == caller)),
                then=lambda n=name: ran.append((f"{n} counted", threading.get_ident() == caller)),
            )
    assert [entry for entry in ran if not entry[0].endswith("counted")] == [("a", False), ("b", False), ("c", False)]
    assert [entry for entry in ran if entry[0].endswith("counted")] == [
        ("a counted", True),
        ("b counted", True),
        ("c counted", True),
    ]


def test_a_failed_write_is_raised_in_the_caller_and_the_writes_queued_after_it_are_skipped():
    written: list[str] = []
    counted: list[str] = []

    def fail() -> None:
        raise ValueError("écriture refusée")

    writer = WriteBehind("test-writer", depth=2)
    writer.submit(fail, then=lambda: counted.append("fail"))
    writer.submit(written.append, "after", then=lambda: counted.append("after"))

    with pytest.raises(ValueError, match="écriture refusée"):
        writer.__exit__(None, None, None)  # leaving the ``with`` block normally waits for every write

    assert (written, counted) == ([], [])
