"""The recommendation benchmark's own machinery: metrics, independence from the engine, the click-load plan."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from tests.bench.reco_history import ndcg_at, precision_at
from tests.bench.suite_click_load import REQUESTS, plan


def test_the_history_generator_never_imports_the_engine():
    tree = ast.parse((Path(__file__).parent / "reco_history.py").read_text(encoding="utf-8"))
    modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]

    assert not [name for name in modules if name.startswith("search")]


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
