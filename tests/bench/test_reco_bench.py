"""The recommendation benchmark's own machinery: metrics, independence from the engine, the click-load plan."""

from __future__ import annotations

import ast
import datetime as dt
import random
from pathlib import Path

import pytest

from cms.tracking.models import DailyStat
from tests.bench.reco_history import Grid, MissionFacts, _km, ndcg_at, precision_at, write_history
from tests.bench.suite_click_load import REQUESTS, plan


def test_the_history_generator_never_imports_the_engine():
    tree = ast.parse((Path(__file__).parent / "reco_history.py").read_text(encoding="utf-8"))
    modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]

    assert not [name for name in modules if name.startswith("search")]


def test_the_grid_finds_the_missions_a_scan_of_them_all_finds_in_the_same_order():
    rng = random.Random(7)
    missions = [
        MissionFacts(pk, rng.uniform(42, 51), rng.uniform(-5, 8), "d", "p", None, None, True, None, 0.5)
        for pk in range(3000)
    ]
    grid = Grid(missions)
    for _ in range(40):
        lat, lon, radius = rng.uniform(42, 51), rng.uniform(-5, 8), rng.choice([15.0, 25.0, 40.0])
        scanned = [m.pk for m in missions if _km(lat, lon, m.latitude, m.longitude) <= radius]

        assert [m.pk for m, _ in grid.within(lat, lon, radius)] == scanned


@pytest.mark.django_db
def test_the_history_has_a_click_row_and_an_application_row_per_mission_with_no_more_applications_than_clicks():
    missions = [MissionFacts(pk, 45.0, 5.0, "d", "p", None, None, True, None, 0.9) for pk in (11, 12)]

    written = write_history(missions, random.Random(3), dt.date(2026, 1, 31))

    rows = {(row.mission_id, row.kind): row for row in DailyStat.objects.all()}
    assert written == len(rows) == 4
    for pk in (11, 12):
        clicks, applications = rows[pk, "click"], rows[pk, "application"]
        assert clicks.day == applications.day >= dt.date(2026, 1, 1)
        assert applications.count <= clicks.count == clicks.visitors
        assert (clicks.channel, clicks.source) == ("site", "")


def test_precision_counts_relevant_items_in_the_first_ten():
    assert precision_at([1, 2, 3, 4], {2, 4, 9}) == pytest.approx(0.2)


def test_ndcg_is_one_for_a_perfect_ranking_and_lower_when_relevant_items_come_late():
    assert ndcg_at([1, 2, 3], {1, 2}) == pytest.approx(1.0)
    assert ndcg_at([3, 1, 2], {1, 2}) < 1.0


def test_the_click_plan_expects_each_distinct_visitor_and_mission_once_and_no_robot():
    requests, expected = plan([1, 2, 3], random.Random(1))

    browsers = {pair for pair in requests if "Googlebot" not in pair[1]}
    assert len(requests) == REQUESTS
    assert expected == len(browsers) < len([pair for pair in requests if "Googlebot" not in pair[1]])
