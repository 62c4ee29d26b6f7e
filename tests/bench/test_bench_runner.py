"""The benchmark harness at a tiny N against the test database: the data set loads, the runner reports.

Figures are never asserted here (speed is for ``python -m tests.bench``); only that the machinery works.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from wagtail.models import Page

from cms.missions.models import Mission, MissionAddress
from cms.offers.models import OfferPage, PartnerPage, PromoCode
from tests.bench.__main__ import parse_args, run_suites, suites_to_run
from tests.bench.dataset import build_dataset, load_offer_dataset
from tests.bench.harness import SUITES, Context, Row, format_table, peak_rss_mib, suite
from tests.bench.suite_dataset import dataset as dataset_suite

ROOT = Path(__file__).resolve().parents[2]

TINY_MISSIONS = 200
TINY_OFFERS = 20


@pytest.mark.django_db
def test_build_dataset_loads_the_requested_missions_with_about_two_addresses_each():
    result = build_dataset(TINY_MISSIONS, TINY_OFFERS)
    assert result["missions"]["missions"] == Mission.objects.count() == TINY_MISSIONS
    assert 1.5 <= MissionAddress.objects.count() / TINY_MISSIONS <= 2.5


def test_the_built_data_set_is_vacuumed_so_that_counts_read_the_indexes_alone(committed_db):
    build_dataset(TINY_MISSIONS, TINY_OFFERS)

    with connection.cursor() as cursor:
        cursor.execute("SELECT relpages, relallvisible FROM pg_class WHERE relname = %s", [Mission._meta.db_table])
        pages, all_visible = cursor.fetchone()
    assert pages > 0
    assert all_visible == pages


@pytest.mark.django_db
def test_build_dataset_loads_the_requested_offers_under_their_partners():
    build_dataset(TINY_MISSIONS, TINY_OFFERS)
    assert OfferPage.objects.count() == TINY_OFFERS
    for offer in OfferPage.objects.all():
        assert offer.get_parent().pk == offer.partner_id


@pytest.mark.django_db
def test_offer_fast_path_leaves_a_consistent_page_tree():
    load_offer_dataset(45)
    assert all(not problems for problems in Page.find_problems())
    assert list(PartnerPage.objects.annotate(n=Count("offers")).values_list("n", flat=True)) == [20, 20, 5]


@pytest.mark.django_db
def test_offer_fast_path_offers_are_valid_live_pages_with_codes():
    load_offer_dataset(TINY_OFFERS)
    for offer in OfferPage.objects.all():
        offer.full_clean()
    assert OfferPage.objects.public().exists()
    assert PromoCode.objects.filter(offer__kind=OfferPage.Kind.CODE).exists()


@pytest.mark.django_db
def test_dataset_suite_reports_time_and_memory_rows():
    rows = dataset_suite(Context(n_missions=TINY_MISSIONS, n_offers=TINY_OFFERS))
    measures = {row.measure for row in rows}
    assert {
        "missions: generate + load",
        "missions: tracemalloc peak",
        "missions: process peak RSS",
        "offers: generate + load",
        "offers: tracemalloc peak",
    } <= measures
    assert "missions: generate + load" in format_table(rows)


@pytest.mark.django_db
def test_dataset_suite_with_keep_reuses_loaded_data():
    build_dataset(TINY_MISSIONS, TINY_OFFERS)
    rows = dataset_suite(Context(n_missions=TINY_MISSIONS, n_offers=TINY_OFFERS, state={"reuse": True}))
    assert [row.measure for row in rows] == ["data set reused"]
    assert Mission.objects.count() == TINY_MISSIONS


@pytest.fixture
def broken_suite():
    @suite("broken-for-test")
    def broken(ctx: Context):
        raise RuntimeError("boom")

    yield "broken-for-test"
    SUITES.pop("broken-for-test")


def test_a_failing_suite_becomes_an_error_row_and_the_next_suite_still_runs(broken_suite):
    @suite("fine-for-test")
    def fine(ctx: Context):
        return [Row("fine-for-test", "ran", 1)]

    try:
        rows = run_suites(Context(n_missions=0, n_offers=0), [broken_suite, "fine-for-test"])
    finally:
        SUITES.pop("fine-for-test")
    assert [(row.suite, row.measure, row.value) for row in rows] == [
        (broken_suite, "ERROR", "RuntimeError"),
        ("fine-for-test", "ran", 1),
    ]


def test_suites_to_run_puts_the_dataset_first():
    assert suites_to_run(["search"], ["dataset", "graphql", "search"]) == ["dataset", "search"]


def test_suites_that_write_to_the_data_set_run_after_the_readers():
    assert suites_to_run([], ["dataset", "graphql", "import", "search"]) == ["dataset", "graphql", "search", "import"]


def test_suites_to_run_refuses_an_unknown_suite():
    with pytest.raises(SystemExit, match="unknown suite"):
        suites_to_run(["nope"], ["dataset"])


def test_bench_defaults_to_100000_missions_and_2000_offers():
    args = parse_args([])
    assert (args.missions, args.offers, args.keep, args.suite) == (100_000, 2_000, False, [])


def test_peak_rss_of_a_child_process_is_its_own_not_its_parents():
    """``ru_maxrss`` survives ``exec``: the import suite's child would report the runner's peak instead of its own."""
    ballast = bytearray(64 * 2**20)
    for offset in range(0, len(ballast), 4096):
        ballast[offset] = 1
    parent_peak = peak_rss_mib()
    code = "from tests.bench.harness import peak_rss_mib; print(peak_rss_mib())"
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert float(done.stdout) < parent_peak - 60
    del ballast
