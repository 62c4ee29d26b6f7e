"""A run collects cyclic garbage less often and leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from importers.base import GC_THRESHOLD, fewer_collections, process_froze_objects


@pytest.fixture(autouse=True)
def _collector_as_a_command_finds_it():
    """Each test starts with the collector as a management command finds it: CPython's default thresholds and nothing
    frozen (the test session freezes what it collected and collects less often, tests/conftest.py), put back after;
    whether the process froze objects is read again at the test's first run."""
    session_thresholds = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    process_froze_objects.cache_clear()
    yield
    gc.set_threshold(*session_thresholds)
    gc.freeze()
    process_froze_objects.cache_clear()


def test_the_young_generation_is_collected_less_often_while_a_feed_is_read():
    with fewer_collections():
        assert gc.get_threshold()[0] == GC_THRESHOLD


class Alive:
    """An object the collector tracks, created before a run."""


def is_scanned(obj: object) -> bool:
    """Whether the cyclic collector scans ``obj``: frozen objects leave every generation ``gc.get_objects`` lists."""
    return any(candidate is obj for candidate in gc.get_objects())


def test_what_was_alive_before_the_run_is_left_out_of_the_collections_during_it():
    alive = Alive()
    with fewer_collections():
        assert not is_scanned(alive)


def test_the_collector_is_restored_after_the_run_even_when_it_fails():
    thresholds = gc.get_threshold()
    alive = Alive()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("flux illisible")
    assert gc.get_threshold() == thresholds
    assert is_scanned(alive)


def test_objects_the_process_froze_itself_stay_frozen_after_the_run():
    alive = Alive()
    gc.freeze()
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == GC_THRESHOLD
        assert not is_scanned(alive)
    finally:
        gc.unfreeze()
