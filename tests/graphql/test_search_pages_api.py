"""searchPages: French full text over the public editorial pages (title, intro, StreamField text), with highlights."""

from __future__ import annotations

import json

import pytest

from cms.taxonomy.models import Programme
from tests.factories.pages import ContentPageFactory

pytestmark = pytest.mark.django_db

SEARCH_PAGES = """
query SearchPages($query: String!, $first: Int, $offset: Int) {
  searchPages(query: $query, first: $first, offset: $offset) {
    totalCount hasNextPage
    hits { score page { __typename title urlPath } highlights { field snippet } }
  }
}
"""
#: The site, the sections hidden from the public, the page of hits, the count, the highlights, the pages (base rows,
#: then the rows of the one specific type).
SEARCH_PAGES_QUERIES = 7


def _body(*blocks: tuple[str, object]) -> str:
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def _titles(data: dict) -> list[str]:
    return [hit["page"]["title"] for hit in data["searchPages"]["hits"]]


def _search(post_graphql, query: str, **variables) -> dict:
    answer = post_graphql(SEARCH_PAGES, query=query, **variables)
    assert "errors" not in answer, answer
    return answer["data"]


@pytest.fixture
def pages(home_page):
    home_page.intro = ""
    home_page.save()
    ContentPageFactory(
        title="Devenir bénévole",
        slug="devenir-benevole",
        intro="Trouver une association près de chez soi.",
        body=_body(("paragraph", "<p>Le bénévolat ouvre des portes.</p>")),
    )
    ContentPageFactory(
        title="La charte d'engagement",
        slug="charte",
        intro="Ce que chaque partenaire signe pour la Carte jeune engagé.",
        body=_body(
            ("heading", {"text": "Nos engagements écologiques", "level": "h2"}),
            (
                "faq",
                {"title": "", "items": [{"question": "Qui signe ?", "answer": "<p>Les entreprises partenaires.</p>"}]},
            ),
        ),
    )
    ContentPageFactory(
        title="Mentions légales",
        slug="mentions",
        intro="",
        body=_body(("listing", {"title": "", "content_type": "missions", "limit": 6})),
    )


def test_a_word_is_found_whatever_its_accents(post_graphql, pages):
    assert _titles(_search(post_graphql, "BENEVOLE")) == ["Devenir bénévole"]


def test_a_plural_finds_the_singular(post_graphql, pages):
    assert _titles(_search(post_graphql, "chartes")) == ["La charte d'engagement"]


def test_an_elided_word_is_found_with_or_without_its_article(post_graphql, pages):
    assert _titles(_search(post_graphql, "l'association")) == ["Devenir bénévole"]
    assert _titles(_search(post_graphql, "d'engagement")) == ["La charte d'engagement"]
    assert _titles(_search(post_graphql, "engagé")) == ["La charte d'engagement"]


def test_a_word_is_found_by_its_stem_in_the_body(post_graphql, pages):
    assert _titles(_search(post_graphql, "bénévolat")) == ["Devenir bénévole"]


def test_headings_and_faq_answers_are_searched(post_graphql, pages):
    assert _titles(_search(post_graphql, "écologique")) == ["La charte d'engagement"]
    assert _titles(_search(post_graphql, "entreprises")) == ["La charte d'engagement"]


def test_block_types_and_listing_settings_are_not_searched(post_graphql, pages):
    assert _titles(_search(post_graphql, "missions")) == []
    assert _titles(_search(post_graphql, "paragraph")) == []


def test_every_word_must_be_found(post_graphql, pages):
    assert _titles(_search(post_graphql, "charte bénévole")) == []


def test_a_title_match_ranks_above_a_body_match(post_graphql, home_page):
    ContentPageFactory(title="Aides", slug="aides", body=_body(("paragraph", "<p>Le logement des jeunes.</p>")))
    ContentPageFactory(title="Logement", slug="logement")

    assert _titles(_search(post_graphql, "logement")) == ["Logement", "Aides"]


def test_highlights_mark_the_words_found_and_escape_the_rest(post_graphql, home_page):
    ContentPageFactory(
        title="Sport & santé",
        slug="sport",
        body=_body(("paragraph", "<p>Le sport <b>partagé</b> : l&#x27;activité pour tous.</p>")),
    )

    hit = _search(post_graphql, "activités")["searchPages"]["hits"][0]

    snippets = {highlight["field"]: highlight["snippet"] for highlight in hit["highlights"]}
    assert snippets == {"body": "Le sport partagé : l&#x27;<mark>activité</mark> pour tous."}


def test_a_programme_page_and_the_home_page_are_searched(post_graphql, home_page):
    from cms.pages.models import ProgrammePage

    page = ProgrammePage(title="Service civique", slug="service-civique", programme=Programme.objects.first())
    home_page.add_child(instance=page)
    home_page.intro = "Bienvenue sur Tremplin"
    home_page.save()

    assert _titles(_search(post_graphql, "service civique")) == ["Service civique"]
    assert _titles(_search(post_graphql, "bienvenue")) == [home_page.title]


def test_results_are_paged(post_graphql, home_page):
    for index in range(3):
        ContentPageFactory(title=f"Stage numéro {index}", slug=f"stage-{index}")

    data = _search(post_graphql, "stage", first=2, offset=2)["searchPages"]

    assert (data["totalCount"], len(data["hits"]), data["hasNextPage"]) == (3, 1, False)


@pytest.mark.parametrize("query", ["", "  ", "a", "!?"])
def test_a_query_without_a_word_is_refused_in_french(post_graphql, home_page, query):
    error = post_graphql(SEARCH_PAGES, query=query)["errors"][0]

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "mot" in error["message"]


@pytest.mark.parametrize("count", [3, 30])
def test_a_page_of_hits_costs_the_same_whatever_its_size(post_graphql, home_page, django_assert_max_num_queries, count):
    for index in range(count):
        ContentPageFactory(title=f"Volontariat {index}", slug=f"volontariat-{index}")
    _search(post_graphql, "volontariat")  # the site root paths are cached on first use

    with django_assert_max_num_queries(SEARCH_PAGES_QUERIES):
        data = _search(post_graphql, "volontariat", first=count)

    assert len(data["searchPages"]["hits"]) == count
