"""The click-redirect suite at a small scale: the production server (gunicorn, two worker processes sharing the
duplicate rule through Redis) on the committed test database, 600 clicks, enough for each process to write a full
batch of 200 events and then flush the rest on time; its speed is not judged here, only that every click answered and
every distinct one was counted once."""

from __future__ import annotations

import pytest

from tests.bench.dataset import build_dataset
from tests.bench.harness import Context
from tests.bench.suite_click_load import click_load_suite

pytestmark = pytest.mark.slow


def test_the_click_suite_counts_every_distinct_click_once_on_the_production_server(committed_db):
    build_dataset(200, 20)

    rows = click_load_suite(Context(200, 20, state={"click_requests": 600}))

    values = {row.measure: row for row in rows}
    counted, expected = values["clicks counted / expected"].value.split("/")
    assert (counted, values["clicks counted / expected"].note) == (expected, "0 errors")
    assert "gunicorn" in values["throughput"].note
