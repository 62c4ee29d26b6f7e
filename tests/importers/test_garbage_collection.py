"""A run collects cyclic garbage less often and leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from importers.base import GC_THRESHOLD, fewer_collections


def test_the_young_generation_is_collected_less_often_while_a_feed_is_read():
    with fewer_collections():
        assert gc.get_threshold()[0] == GC_THRESHOLD


def test_what_was_alive_before_the_run_is_left_out_of_the_collections_during_it():
    before = gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_freeze_count() > before


def test_the_collector_is_restored_after_the_run_even_when_it_fails():
    thresholds = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("flux illisible")
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_objects_the_process_froze_itself_stay_frozen_after_the_run():
    gc.freeze()
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == GC_THRESHOLD
        # Frozen objects that die leave the count, so it may shrink a little; ``gc.unfreeze`` would empty it.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
