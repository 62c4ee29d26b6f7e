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

from django.db import connection
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


def _utility(person: Person, mission: MissionFacts, distance: float, today: dt.date, rng: random.Random) -> float:
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


#: The side of a cell of :class:`Grid`, in degrees (about 5 km): the cells around a radius hug its circle.
CELL_DEGREES = 0.05
KM_PER_DEGREE = 6371 * math.pi / 180


class Grid:
    """Missions bucketed by cell of latitude and longitude, so that finding those within a radius reads the cells
    around the point instead of every mission. :meth:`within` answers exactly what a scan of every mission with
    :func:`_km` would, in the same order (the missions' own), whatever the number of missions."""

    def __init__(self, missions: list[MissionFacts]) -> None:
        self.missions = missions
        self.cells: dict[tuple[int, int], list[int]] = {}
        for index, mission in enumerate(missions):
            self.cells.setdefault(self._cell(mission.latitude, mission.longitude), []).append(index)

    @staticmethod
    def _cell(latitude: float, longitude: float) -> tuple[int, int]:
        return math.floor(latitude / CELL_DEGREES), math.floor(longitude / CELL_DEGREES)

    def within(self, latitude: float, longitude: float, radius_km: float) -> list[tuple[MissionFacts, float]]:
        """Missions at most ``radius_km`` away (by :func:`_km`) with that distance, in the order of the list the grid
        was built from.

        :func:`_km` is at least the latitude gap, and at least the longitude gap times the cosine of the mean
        latitude, which is no smaller than at the farthest latitude in reach: the cells of that box hold every
        mission in reach (a hair wider, against rounding)."""
        span_lat = radius_km / KM_PER_DEGREE * 1.01
        widest = min(89.9, abs(latitude) + span_lat)
        span_lon = min(360.0, radius_km / (KM_PER_DEGREE * math.cos(math.radians(widest))) * 1.01)
        low_lat, low_lon = self._cell(latitude - span_lat, longitude - span_lon)
        high_lat, high_lon = self._cell(latitude + span_lat, longitude + span_lon)
        indices = [
            index
            for row in range(low_lat, high_lat + 1)
            for column in range(low_lon, high_lon + 1)
            for index in self.cells.get((row, column), ())
        ]
        indices.sort()
        found = []
        for index in indices:
            mission = self.missions[index]
            distance = _km(latitude, longitude, mission.latitude, mission.longitude)
            if distance <= radius_km:
                found.append((mission, distance))
        return found


def generate_people(missions: list[MissionFacts], n_people: int, rng: random.Random, today: dt.date) -> list[Person]:
    """People living near missions, each with the ``RELEVANT_PER_PERSON`` missions they would apply to.

    The missions in reach come from a :class:`Grid` (the same missions, in the same order, as a scan of them all),
    so that the random draws, hence the people and their relevant missions, do not depend on how they are found."""
    domains = sorted({m.domain for m in missions if m.domain})
    grid = Grid(missions)
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
            (m, distance)
            for m, distance in grid.within(person.latitude, person.longitude, person.radius_km)
            if abs(m.latitude - person.latitude) < 0.5
            and is_eligible_at_age(person.age, m.min_age, m.max_age, m.open_to_minors)
        ]
        if len(reachable) < 3 * RELEVANT_PER_PERSON:
            continue
        reachable.sort(key=lambda pair: -_utility(person, *pair, today, rng))
        person.relevant = [m.pk for m, _ in reachable[:RELEVANT_PER_PERSON]]
        people.append(person)
    return people


def write_history(missions: list[MissionFacts], rng: random.Random, today: dt.date) -> int:
    """Other people's clicks and applications over the last 60 days, as daily aggregates, following quality.

    Drawn here (so the history stays the generator's own), written with one ``COPY``: two rows per mission."""
    columns = ("day", "kind", "mission_id", "channel", "source", "count", "visitors")
    table = DailyStat._meta.db_table
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(table)} ({', '.join(quote(DailyStat._meta.get_field(c).column) for c in columns)}) FROM STDIN"
    )
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for mission in missions:
            clicks = rng.randint(0, 60)
            applications = sum(rng.random() < 0.02 + 0.3 * mission.quality for _ in range(clicks))
            day = today - dt.timedelta(days=rng.randint(1, 60))
            copy.write_row((day, "click", mission.pk, "site", "", clicks, clicks))
            copy.write_row((day, "application", mission.pk, "site", "", applications, 0))
            written += 2
    return written


def precision_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    return sum(1 for pk in ranked[:k] if pk in relevant) / k


def ndcg_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    gain = sum(1 / math.log2(i + 2) for i, pk in enumerate(ranked[:k]) if pk in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0
