"""``diversify``: the greedy pick with a penalty per organisation already listed, read lazily, picks what reading
every remaining item at each step picks."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from search.recommendation import Recommendation, diversify


def every_item_read(ranked: list, first: int, penalty: float) -> list[tuple[int, float]]:
    """The pick by definition: at each step the best penalised score over the whole pool, ties by smallest id."""
    chosen, seen, pool = [], Counter(), list(ranked)
    while pool and len(chosen) < first:
        best = max(pool, key=lambda r: (r.score - penalty * seen[r.organization_id], -r.mission_id))
        pool.remove(best)
        chosen.append((best.mission_id, round(best.score - penalty * seen[best.organization_id], 9)))
        if best.organization_id:
            seen[best.organization_id] += 1
    return chosen


def pool(rng: random.Random, size: int) -> list[Recommendation]:
    # Few organisations and coarse scores, so that penalties and ties decide often; None is no organisation.
    return [
        Recommendation(pk, rng.choice((0.2, 0.4, 0.5, 0.6, 0.8, 1.0)), None, [], [], rng.choice((None, 1, 2, 3)))
        for pk in rng.sample(range(1, 1000), size)
    ]


@pytest.mark.parametrize("seed", range(40))
def test_the_lazy_pick_is_the_pick_over_every_item(seed):
    rng = random.Random(seed)
    ranked = pool(rng, rng.randint(0, 40))
    expected = every_item_read(ranked, 10, 0.15)
    picked = diversify(ranked, 10, lambda r: r.organization_id, lambda r: r.mission_id, 0.15)
    assert [(r.mission_id, round(r.score, 9)) for r in picked] == expected


def test_an_organisation_already_listed_gets_a_diversity_part():
    ranked = [Recommendation(1, 1.0, None, [], [], 7), Recommendation(2, 0.9, None, [], [], 7)]
    picked = diversify(ranked, 2, lambda r: r.organization_id, lambda r: r.mission_id, 0.15)
    assert [p.name for p in picked[1].parts] == ["diversity"]
    assert picked[1].score == pytest.approx(0.75)
