"""A text search's facet counts and page read from one pass over the matches (PostgreSQL): the same answer as the
separate facet and page statements, whatever the selections, sort and page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.taxonomy.models import Domain, Programme
from search.backends import database
from search.base import SearchQuery, Sort, encode_cursor
from search.indexing import KINDS
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory, PartnerPageFactory


@pytest.fixture
def indexed(database_backend):
    """Missions about gardening across domains, programmes, remote modes, start dates and publication times."""
    domains = [Domain.objects.get(slug=slug) for slug in ("environnement", "education", "sante")]
    programmes = [Programme.objects.get(slug=slug) for slug in ("benevolat", "service-civique")]
    today = timezone.localdate()
    for i in range(14):
        MissionFactory(
            title="Jardinage partagé" if i % 3 else "Atelier de jardinage et de compost",
            description_html="<p>Jardin du quartier.</p>" if i % 2 else "<p>Compost et jardin.</p>",
            domain=domains[i % 3],
            programme=programmes[i % 2],
            remote=["no", "possible", "full"][i % 3],
            start_date=today + datetime.timedelta(days=(i * 7) % 30),
            posted_at=timezone.now() - datetime.timedelta(hours=i * 5 % 11),
        )
    MissionFactory(title="Atelier de lecture")
    kind = KINDS["missions"]
    database_backend.rebuild(kind, kind.records())


def answer(database_backend, query: SearchQuery) -> tuple:
    result = database_backend.search(KINDS["missions"], query)
    hits = [(hit.pk, round(hit.score, 6), hit.distance_km) for hit in result.hits]
    facets = {name: [(v.value, v.count, v.selected) for v in values] for name, values in result.facets.items()}
    return result.total, hits, facets, result.next_cursor


QUERIES = {
    "relevance": SearchQuery(text="jardin", facets=("domain", "programme")),
    "one facet selected": SearchQuery(text="jardin", facets=("domain", "programme"), filters={"domain": ["education"]}),
    "both selected": SearchQuery(
        text="jardinage",
        facets=("domain", "programme", "remote"),
        filters={"programme": ["benevolat"], "remote": ["no", "full"]},
    ),
    "a filter that is not a facet": SearchQuery(text="jardin", facets=("remote",), filters={"domain": ["education"]}),
    "newest, second page": SearchQuery(
        text="jardin", facets=("domain",), sort=Sort.NEWEST, first=4, after=encode_cursor(4)
    ),
    "start date": SearchQuery(text="compost", facets=("programme", "remote"), sort=Sort.START_DATE, first=3),
    "typo: trigram fallback": SearchQuery(text="jardinnage", facets=("domain", "programme")),
    "nothing found": SearchQuery(text="astronomie", facets=("domain",)),
}


@pytest.mark.usefixtures("indexed")
@pytest.mark.parametrize("name", QUERIES)
def test_one_read_of_the_matches_answers_as_the_separate_statements(database_backend, monkeypatch, name):
    query = QUERIES[name]
    one_read = answer(database_backend, query)
    monkeypatch.setattr(database.DatabaseBackend, "_reads_text_matches_once", lambda *args: False)
    assert one_read == answer(database_backend, query)


def test_offers_searched_by_text_with_single_valued_facets_answer_as_the_separate_statements(
    database_backend, monkeypatch
):
    cinema = PartnerPageFactory(title="Cinémas Lumière")
    for i in range(6):
        OfferPageFactory(
            title=f"-{5 + i} % sur le cinéma",
            subtitle="Abonnement de cinéma",
            parent=cinema if i % 2 else PartnerPageFactory(title=f"Partenaire {i}"),
            channel=["online", "in_store", "both"][i % 3],
        )
    OfferPageFactory(title="-5 %", subtitle="Courses")
    kind = KINDS["offers"]
    database_backend.rebuild(kind, kind.records())
    queries = [
        SearchQuery(text="cinema", facets=("partner", "channel")),
        SearchQuery(text="cinema", facets=("channel",), filters={"channel": ["online"]}, sort=Sort.NEWEST, first=2),
    ]
    one_read = [database_backend.search(kind, query) for query in queries]
    assert [result.total for result in one_read] == [6, 2]
    monkeypatch.setattr(database.DatabaseBackend, "_reads_text_matches_once", lambda *args: False)
    assert one_read == [database_backend.search(kind, query) for query in queries]


@pytest.mark.usefixtures("indexed")
def test_facets_and_page_of_a_text_search_come_from_one_statement(database_backend):
    with CaptureQueriesContext(connection) as queries:
        result = database_backend.search(KINDS["missions"], QUERIES["relevance"])
    assert result.total == 14
    reads = [q["sql"] for q in queries.captured_queries if '"search_missiondocument"' in q["sql"]]
    assert len(reads) == 1
    assert reads[0].startswith("WITH matched AS MATERIALIZED")
