"""The GraphQL benchmark suite on a small factory data set: it runs, and both ways produce the same payload.

Figures are never asserted (speed is for ``python -m tests.bench``); the query counts are, since they do not depend
on the machine.
"""

from __future__ import annotations

import pytest
from django.db import connection

from cms.taxonomy.models import Need, OfferCategory
from tests.bench.harness import Context
from tests.bench.suite_graphql import MISSIONS_LIST, compare, graphql_suite, hand_written_missions, run_graphql
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory


def _data() -> None:
    for _ in range(3):
        mission = MissionFactory()
        MissionAddressFactory(mission=mission)
        MissionAddressFactory(mission=mission, city="Villeurbanne")
    offer = OfferPageFactory()
    offer.categories.add(*OfferCategory.objects.all()[:2])
    offer.needs.add(Need.objects.order_by("pk").first())
    offer.save()
    OfferStoreFactory(offer=offer)


def test_hand_written_missions_payload_equals_the_graphql_payload(offers_index):
    _data()

    assert hand_written_missions(50) == run_graphql(MISSIONS_LIST, {"first": 50})


def test_graphql_suite_reports_queries_latencies_and_ratios_on_the_same_payload(offers_index):
    _data()

    rows = graphql_suite(Context(n_missions=3, n_offers=1, state={"graphql_runs": 2}))

    by_measure = {row.measure: row for row in rows}
    assert by_measure["missions list (50, nested): SQL queries (GraphQL)"].value <= 5
    assert by_measure["offer detail: SQL queries (GraphQL)"].value <= 5
    ratios = [row for row in rows if row.unit == "×"]
    assert len(ratios) == 2
    assert all(row.note == "same payload: True" for row in ratios)
    assert "offer detail: GraphQL median" in by_measure


def test_graphql_suite_counts_statements_even_when_the_query_log_is_full(offers_index, settings):
    _data()
    settings.DEBUG = True
    connection.queries_log.extend({"sql": "SELECT 1", "time": "0"} for _ in range(connection.queries_log.maxlen))

    rows = graphql_suite(Context(n_missions=3, n_offers=1, state={"graphql_runs": 1}))

    by_measure = {row.measure: row for row in rows}
    assert 0 < by_measure["missions list (50, nested): SQL queries (GraphQL)"].value <= 5
    assert 0 < by_measure["offer detail: SQL queries (GraphQL)"].value <= 5


def test_a_read_that_counts_no_statement_is_refused_rather_than_reported_as_zero():
    with pytest.raises(RuntimeError, match="no SQL statement counted"):
        compare("nothing", graphql=lambda: "{}", hand=lambda: "{}", runs=1)
