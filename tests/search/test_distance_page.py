"""The database backend's page sorted by distance: read from the nearest places first, the same page as grouping all.

``_nearest_documents`` reads a window of the nearest places and widens it until it proves the page; these tests make
the window small so that it has to widen (and, with a selective filter, give up), and compare every page with the
grouped pass over every place in the radius.
"""

from __future__ import annotations

import pytest
from django.db import connection

from cms.taxonomy.models import Domain
from search.backends import database
from search.base import Near, SearchQuery, Sort
from search.indexing import KINDS
from tests.factories.missions import MissionAddressFactory, MissionFactory

LYON = (45.7640, 4.8357)
RADIUS = Near(*LYON, radius_km=30)


@pytest.fixture
def backend(database_backend):
    return database_backend


@pytest.fixture
def missions_around_lyon(backend):
    """Twelve missions with one to three places at various distances; the environment ones are the farthest."""
    environment = Domain.objects.get(slug="environnement")
    created = []
    for i in range(12):
        mission = MissionFactory(domain=environment) if i >= 9 else MissionFactory()
        for j in range(1 + i % 3):
            MissionAddressFactory(mission=mission, latitude=LYON[0] + 0.01 * (i + 1) + 0.05 * j, longitude=LYON[1])
        created.append(mission)
    kind = KINDS["missions"]
    backend.rebuild(kind, kind.records())
    return created


def pages(backend, size: int, **kwargs) -> list[list[tuple[int, float]]]:
    """Every page of a distance search, as (id, distance) pairs, following the cursors."""
    result, after = [], None
    while True:
        page = backend.search(
            KINDS["missions"], SearchQuery(near=RADIUS, sort=Sort.DISTANCE, first=size, after=after, **kwargs)
        )
        result.append([(hit.pk, hit.distance_km) for hit in page.hits])
        if page.next_cursor is None:
            return result
        after = page.next_cursor


def grouped_pages(backend, monkeypatch, size: int, **kwargs) -> list[list[tuple[int, float]]]:
    with monkeypatch.context() as patch:
        patch.setattr(database.hits, "NEAREST_WINDOWS", 0)
        return pages(backend, size, **kwargs)


@pytest.mark.usefixtures("missions_around_lyon")
def test_a_window_too_small_for_the_page_widens_and_gives_the_pages_of_the_grouped_pass(backend, monkeypatch):
    expected = grouped_pages(backend, monkeypatch, size=4)
    monkeypatch.setattr(database.hits, "NEAREST_WINDOW_PER_HIT", 1)
    monkeypatch.setattr(database.hits, "NEAREST_WINDOW_GROWTH", 2)
    widened = []
    nearest = database.DatabaseBackend._nearest_documents

    def spy(self, *args):
        hits = nearest(self, *args)
        widened.append(hits is not None)
        return hits

    monkeypatch.setattr(database.DatabaseBackend, "_nearest_documents", spy)
    assert pages(backend, size=4) == expected
    assert all(widened)
    assert [len(page) for page in expected] == [4, 4, 4]


def far_organisations(missions: list) -> dict:
    """A filter the places do not carry that keeps only the three farthest missions (the environment ones)."""
    return {"organization": [str(mission.organization_id) for mission in missions[9:]]}


def test_a_filter_that_keeps_only_far_missions_falls_back_to_the_grouped_pass(
    backend, missions_around_lyon, monkeypatch
):
    filters = far_organisations(missions_around_lyon)
    expected = grouped_pages(backend, monkeypatch, size=2, filters=filters)
    monkeypatch.setattr(database.hits, "NEAREST_WINDOW_PER_HIT", 1)
    monkeypatch.setattr(database.hits, "NEAREST_WINDOWS", 1)
    assert pages(backend, size=2, filters=filters) == expected
    assert [len(page) for page in expected] == [2, 1]


@pytest.mark.usefixtures("missions_around_lyon")
def test_a_filter_the_places_carry_proves_the_page_from_the_first_window_however_far_its_missions(backend, monkeypatch):
    expected = grouped_pages(backend, monkeypatch, size=2, filters={"domain": ["environnement"]})
    # One window only: the nearest places of all (four) hold no environment mission.
    monkeypatch.setattr(database.hits, "NEAREST_WINDOWS", 1)
    nearest = database.DatabaseBackend._nearest_documents
    proved = []

    def spy(self, *args):
        hits = nearest(self, *args)
        proved.append(hits is not None)
        return hits

    monkeypatch.setattr(database.DatabaseBackend, "_nearest_documents", spy)
    assert pages(backend, size=2, filters={"domain": ["environnement"]}) == expected
    assert proved == [True, True]


def test_the_nearest_window_proves_a_page_with_the_usual_settings(backend, missions_around_lyon, monkeypatch):
    expected = grouped_pages(backend, monkeypatch, size=5)
    assert pages(backend, size=5) == expected
    assert expected[0][0][0] == missions_around_lyon[0].pk


@pytest.mark.parametrize("radii", [(1.0,), (1 / 16, 1 / 4, 1.0), (0.05, 0.1, 0.2, 0.4, 1.0)])
@pytest.mark.usefixtures("missions_around_lyon")
def test_pages_read_from_circles_smaller_than_the_radius_are_those_of_the_whole_radius(backend, monkeypatch, radii):
    expected = grouped_pages(backend, monkeypatch, size=3)
    monkeypatch.setattr(database.hits, "NEAREST_RADII", radii)
    monkeypatch.setattr(database.hits, "NEAREST_WINDOW_PER_HIT", 1)
    monkeypatch.setattr(database.hits, "NEAREST_WINDOW_GROWTH", 2)
    assert pages(backend, size=3) == expected


def test_a_circle_that_holds_the_window_is_the_last_circle_read(backend, missions_around_lyon, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    expected = grouped_pages(backend, monkeypatch, size=1)
    monkeypatch.setattr(database.hits, "NEAREST_RADII", (1 / 4, 1.0))
    monkeypatch.setattr(database.hits, "NEAREST_WINDOW_PER_HIT", 4)
    with CaptureQueriesContext(connection) as queries:
        page = backend.search(KINDS["missions"], SearchQuery(near=RADIUS, sort=Sort.DISTANCE, first=1))
    assert [(hit.pk, hit.distance_km) for hit in page.hits] == expected[0]
    # Six places lie within 7.5 km of the centre: the first window (four places) is read there, once.
    place_reads = [q["sql"] for q in queries.captured_queries if 'FROM "search_missionplace"' in q["sql"]]
    assert len(place_reads) == 2  # the facets' scan and the nearest places, in the 7.5 km circle only
    assert "LIMIT 4" in place_reads[-1]


@pytest.mark.parametrize(
    ("found", "grown"),
    [(45, 400 * 4), (10, 400 * 8), (0, 400 * 8), (100, 400 * 2), (300, 400 * 2)],
)
def test_a_window_grows_by_the_share_of_candidates_it_held(found, grown):
    assert database.hits._next_window(400, 100, found) == grown


def test_a_wider_window_starts_in_the_circle_the_last_one_was_read_in(backend, missions_around_lyon, monkeypatch):
    filters = far_organisations(missions_around_lyon)
    expected = grouped_pages(backend, monkeypatch, size=2, filters=filters)
    monkeypatch.setattr(database.hits, "NEAREST_RADII", (1 / 16, 1 / 4, 1.0))
    monkeypatch.setattr(database.hits, "NEAREST_WINDOW_PER_HIT", 1)
    reads = []
    nearest_places = database.DatabaseBackend._nearest_places

    def spy(self, document, near, window, first=0, on_places=None):
        rows, circle = nearest_places(self, document, near, window, first, on_places)
        reads.append((first, circle))
        return rows, circle

    monkeypatch.setattr(database.DatabaseBackend, "_nearest_places", spy)
    assert pages(backend, size=2, filters=filters) == expected
    widened = [(before, after) for before, after in zip(reads, reads[1:], strict=False) if after[0] != 0]
    assert widened, "the environment missions are the farthest: the first window cannot prove the page"
    assert all(after[0] == before[1] for before, after in widened)


@pytest.mark.usefixtures("missions_around_lyon")
def test_a_page_whose_filters_the_places_all_carry_reads_no_document(backend, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    query = {"filters": {"domain": ["environnement"], "eligible_at_age": 20}, "facets": (), "count": False}
    expected = grouped_pages(backend, monkeypatch, size=2, **query)
    with CaptureQueriesContext(connection) as queries:
        assert pages(backend, size=2, **query) == expected
    assert not [q["sql"] for q in queries.captured_queries if "search_missiondocument" in q["sql"]]
    assert [len(page) for page in expected] == [2, 1]
