"""Every value of a facet, page by page, the same on every backend: by value, counted as the search's facets are."""

from __future__ import annotations

import pytest

from search.base import FacetPageQuery, InvalidSearch, SearchQuery, facet_cursor
from search.indexing import KINDS
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.taxonomy import DomainFactory

DEPARTMENTS = ["01", "13", "2A", "38", "69"]


@pytest.fixture
def facet_page(backend):
    def run(facet: str, first: int = 50, after: str | None = None, **search):
        query = FacetPageQuery(search=SearchQuery(**search), facet=facet, first=first, after=after)
        return backend.facet_page(KINDS["missions"], query)

    return run


def in_department(code: str, **kwargs):
    mission = MissionFactory(**kwargs)
    MissionAddressFactory(mission=mission, latitude=45.76, longitude=4.83, department_code=code)
    return mission


def test_every_value_is_reached_page_by_page_in_value_order_with_its_count(reindex, facet_page):
    for code in DEPARTMENTS:
        in_department(code)
    in_department("69")
    reindex()
    pages, after = [], None
    while True:
        page = facet_page("department", first=2, after=after)
        pages.append([(v.value, v.count) for v in page.values])
        assert page.total == len(DEPARTMENTS)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert pages == [[("01", 1), ("13", 1)], [("2A", 1), ("38", 1)], [("69", 2)]]


def test_a_page_that_holds_the_last_value_has_no_cursor(reindex, facet_page):
    for code in DEPARTMENTS[:2]:
        in_department(code)
    reindex()
    page = facet_page("department", first=2)
    assert [v.value for v in page.values] == DEPARTMENTS[:2]
    assert page.next_cursor is None


def test_a_page_ignores_its_facet_s_own_selection_but_not_the_others(reindex, facet_page):
    sport = DomainFactory(slug="sport-page", label="Sport")
    in_department("13", domain=sport)
    in_department("38", domain=sport)
    in_department("69")
    reindex()
    page = facet_page("department", filters={"department": ["38"], "domain": ["sport-page"]})
    assert [(v.value, v.count, v.selected) for v in page.values] == [("13", 1, False), ("38", 1, True)]
    assert page.total == 2


def test_a_page_counts_the_text_matches_only(reindex, facet_page):
    in_department("13", title="Maraude solidaire")
    in_department("69", title="Atelier de lecture")
    reindex()
    page = facet_page("department", text="maraude")
    assert [(v.value, v.count) for v in page.values] == [("13", 1)]


def test_a_single_valued_facet_pages_alike(reindex, facet_page):
    for slug in ("c-domaine", "a-domaine", "b-domaine"):
        MissionFactory(domain=DomainFactory(slug=slug, label=slug))
    reindex()
    first = facet_page("domain", first=2)
    second = facet_page("domain", first=2, after=first.next_cursor)
    assert [v.value for v in first.values + second.values] == ["a-domaine", "b-domaine", "c-domaine"]
    assert (first.total, second.next_cursor) == (3, None)


@pytest.mark.parametrize(
    ("facet", "first", "after", "message"),
    [
        ("unknown", 10, None, "Facette inconnue : « unknown »."),
        ("department", 0, None, "Le nombre de valeurs par page doit être compris entre 1 et 200."),
        ("department", 201, None, "Le nombre de valeurs par page doit être compris entre 1 et 200."),
        ("department", 10, "pas-un-curseur", "Curseur de valeurs de facette invalide"),
        ("department", 10, facet_cursor("domain", "sport"), "Curseur de valeurs de facette invalide"),
    ],
    ids=["unknown-facet", "empty-page", "page-too-large", "garbled-cursor", "cursor-of-another-facet"],
)
def test_bad_input_is_refused_in_french(facet_page, facet, first, after, message):
    with pytest.raises(InvalidSearch, match=message):
        facet_page(facet, first=first, after=after)
