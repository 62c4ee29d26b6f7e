"""``cms.core.changes.announcing_in_steps``: a run that commits step by step hands each step's ids to the listeners
that can work while it goes on, and tells every listener once, at its end, with whether they were streamed."""

from __future__ import annotations

import pytest

from cms.core.changes import announcing_in_steps, contents_changed, contents_streaming


class Step:
    """A model of its own: the search index's receivers ignore it."""


class Consumer:
    def __init__(self) -> None:
        self.added: list[list[int]] = []
        self.closed = False

    def add(self, pks: list) -> None:
        self.added.append(pks)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def heard():
    messages: list[tuple[frozenset, bool]] = []

    def receiver(sender, pks, streamed=False, **kwargs):
        messages.append((pks, streamed))

    contents_changed.connect(receiver, sender=Step, weak=False)
    yield messages
    contents_changed.disconnect(receiver, sender=Step)


def test_without_a_streaming_listener_every_id_is_announced_once_at_the_end(heard):
    with announcing_in_steps(Step) as committed:
        committed([1, 2])
        committed([3])
        assert heard == []

    assert heard == [(frozenset({1, 2, 3}), False)]


def test_a_streaming_listener_gets_each_step_then_is_closed_and_the_end_says_it_was_streamed(heard):
    consumer = Consumer()
    contents_streaming.connect(lambda sender, **kwargs: consumer, sender=Step, weak=False, dispatch_uid="test-step")
    try:
        with announcing_in_steps(Step) as committed:
            committed([1, 2])
            committed([3])
            assert (consumer.added, consumer.closed) == ([[1, 2], [3]], False)
    finally:
        contents_streaming.disconnect(sender=Step, dispatch_uid="test-step")

    assert consumer.closed
    assert heard == [(frozenset({1, 2, 3}), True)]


def test_a_run_that_fails_still_closes_its_listeners_and_announces_what_it_committed(heard):
    consumer = Consumer()
    contents_streaming.connect(lambda sender, **kwargs: consumer, sender=Step, weak=False, dispatch_uid="test-step")

    def failing_run() -> None:
        with announcing_in_steps(Step) as committed:
            committed([1])
            raise RuntimeError("panne")

    try:
        with pytest.raises(RuntimeError, match="panne"):
            failing_run()
    finally:
        contents_streaming.disconnect(sender=Step, dispatch_uid="test-step")

    assert consumer.closed
    assert heard == [(frozenset({1}), True)]
