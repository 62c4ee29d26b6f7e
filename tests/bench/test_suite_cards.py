"""The card benchmark at a tiny size, on committed data (its threads each use their own connection)."""

import pytest

from tests.bench.harness import Context
from tests.bench.suite_cards import cards


@pytest.mark.usefixtures("committed_db")
def test_the_cards_suite_reports_throughput_latency_and_the_codes_check():
    ctx = Context(n_missions=0, n_offers=0, state={"cards_calls": 24, "cards_codes": 10, "cards_threads": 6})

    rows = cards(ctx)

    measures = {row.measure: row.value for row in rows}
    assert "ERROR" not in measures
    assert measures["distinct codes handed out"] == 10
    assert measures["told out of codes"] == 14
    assert {"activateOffer throughput", "activateOffer median", "activateOffer p95"} <= set(measures)
