"""A generated history for the recommendation benchmark: people with hidden preferences, and what they applied to.

This module never imports the engine (``search.recommendation*``): it models people on its own terms. Each person
has a home near a city where missions are, a radius, an age, domains they state (and one more they like without
saying), an intent with programmes they prefer, and a taste for missions that start soon. Each mission has a hidden
quality. A person's utility for a mission in reach combines all of that with noise; the missions they apply to are
their ten best. Other people's clicks and applications (daily aggregates) follow the hidden quality, which is what
an engine can learn from history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

from django.db.models import Min

from cms.core.ages import is_eligible_at_age
from cms.missions.models import Mission
from cms.tracking.models import DailyStat

#: What each intent makes people favour in this model (written for the generator, independently of the engine).
PREFERRED_PROGRAMMES = {
    "find_job": {"service-civique", "reserve-operationnelle", "corps-europeen-solidarite"},
    "find_my_way": {"service-civique", "snu", "corps-europeen-solidarite"},
    "be_useful": {"benevolat", "reserve-civique"},
    "meet_people": {"benevolat", "snu"},
}
RELEVANT_PER_PERSON = 10


@dataclasses.dataclass
class Person:
    age: int
    latitude: float
    longitude: float
    radius_km: float
    stated_domains: tuple[str, ...]
    hidden_domain: str
    intent: str
    relevant: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class MissionFacts:
    pk: int
    latitude: float
    longitude: float
    domain: str
    programme: str
    min_age: int | None
    max_age: int | None
    open_to_minors: bool
    start: dt.date | None
    quality: float


def _km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    x = math.radians(b_lon - a_lon) * math.cos(math.radians((a_lat + b_lat) / 2))
    y = math.radians(b_lat - a_lat)
    return 6371 * math.hypot(x, y)


def mission_facts(rng: random.Random) -> list[MissionFacts]:
    rows = (
        Mission.objects.public()
        .annotate(lat=Min("addresses__latitude"), lon=Min("addresses__longitude"))
        .filter(lat__isnull=False)
        .values_list(
            "pk",
            "lat",
            "lon",
            "domain__slug",
            "programme__slug",
            "programme__min_age",
            "programme__max_age",
            "open_to_minors",
            "start_date",
        )
        .order_by("pk")
    )
    return [MissionFacts(*row, quality=rng.betavariate(2, 5)) for row in rows]


def _utility(person: Person, mission: MissionFacts, today: dt.date, rng: random.Random) -> float:
    distance = _km(person.latitude, person.longitude, mission.latitude, mission.longitude)
    liked = 1.0 if mission.domain in person.stated_domains else 0.7 if mission.domain == person.hidden_domain else 0.0
    programme = 0.6 if mission.programme in PREFERRED_PROGRAMMES[person.intent] else 0.0
    days = max(0, (mission.start - today).days) if mission.start else 0
    return (
        1.2 * liked
        + programme
        + 0.8 * (1 - distance / person.radius_km)
        + 0.4 * math.exp(-days / 60)
        + 1.5 * mission.quality
        + rng.gauss(0, 0.25)
    )


def generate_people(missions: list[MissionFacts], n_people: int, rng: random.Random, today: dt.date) -> list[Person]:
    """People living near missions, each with the ``RELEVANT_PER_PERSON`` missions they would apply to."""
    domains = sorted({m.domain for m in missions if m.domain})
    people = []
    for _ in range(n_people * 50):  # few missions around (a tiny data set): fewer people rather than no end
        if len(people) == n_people:
            break
        anchor = rng.choice(missions)
        person = Person(
            age=rng.randint(16, 30),
            latitude=anchor.latitude + rng.uniform(-0.05, 0.05),
            longitude=anchor.longitude + rng.uniform(-0.05, 0.05),
            radius_km=rng.choice([15.0, 25.0, 40.0]),
            stated_domains=tuple(rng.sample(domains, 2)),
            hidden_domain=rng.choice(domains),
            intent=rng.choice(sorted(PREFERRED_PROGRAMMES)),
        )
        reachable = [
            m
            for m in missions
            if abs(m.latitude - person.latitude) < 0.5
            and _km(person.latitude, person.longitude, m.latitude, m.longitude) <= person.radius_km
            and is_eligible_at_age(person.age, m.min_age, m.max_age, m.open_to_minors)
        ]
        if len(reachable) < 3 * RELEVANT_PER_PERSON:
            continue
        reachable.sort(key=lambda m: -_utility(person, m, today, rng))
        person.relevant = [m.pk for m in reachable[:RELEVANT_PER_PERSON]]
        people.append(person)
    return people


def write_history(missions: list[MissionFacts], rng: random.Random, today: dt.date) -> int:
    """Other people's clicks and applications over the last 60 days, as daily aggregates, following quality."""
    rows = []
    for mission in missions:
        clicks = rng.randint(0, 60)
        applications = sum(rng.random() < 0.02 + 0.3 * mission.quality for _ in range(clicks))
        day = today - dt.timedelta(days=rng.randint(1, 60))
        rows.append(
            DailyStat(day=day, kind="click", mission_id=mission.pk, channel="site", count=clicks, visitors=clicks)
        )
        rows.append(
            DailyStat(
                day=day, kind="application", mission_id=mission.pk, channel="site", count=applications, visitors=0
            )
        )
    DailyStat.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def precision_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    return sum(1 for pk in ranked[:k] if pk in relevant) / k


def ndcg_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    gain = sum(1 / math.log2(i + 2) for i, pk in enumerate(ranked[:k]) if pk in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0
