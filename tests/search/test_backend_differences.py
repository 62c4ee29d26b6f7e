"""Where the two backends still answer differently, on purpose or by nature: the list, and a test of each.

The behavioural suite (``test_search_*``) asserts what both backends share. Everything they do not share is listed
in :data:`DIFFERENCES`, each with the test that shows it (here or elsewhere); the last test fails when an entry names
no test that exists.
"""

from __future__ import annotations

import importlib

import pytest

from search.base import InvalidSearch, SearchQuery, encode_cursor
from search.indexing import KINDS
from tests.factories.missions import MissionFactory

#: name → (what differs, the test that shows it as "module::function").
DIFFERENCES = {
    "deep_pages": (
        "the database backend refuses pages past the 10,000th result; Elasticsearch follows the last hit's sort "
        "values (search_after) to any depth. Cursors of one backend are refused by the other.",
        "tests.search.test_backend_differences::test_deep_pages",
    ),
    "analysis": (
        "stems and stop words: PostgreSQL's Snowball French after unaccent, Lucene's stop list and light French "
        "stemmer on Elasticsearch (the rows of analysis_examples.DIFFERING).",
        "tests.search.test_analysis::test_every_difference_of_the_analysis_says_why",
    ),
    "prefix_expansions": (
        "a word of four letters or more stands for at most 500 indexed words on Elasticsearch "
        "(match_phrase_prefix max_expansions), and a word with a typo for at most 500 title words (fuzzy "
        "max_expansions); PostgreSQL's prefix and typo matches have no limit.",
        "tests.search.test_elasticsearch::test_every_word_is_looked_for_in_all_the_text_words_of_four_letters_or_more_as_prefixes",
    ),
    "facet_values": (
        "Elasticsearch counts at most 10,000 values per facet (and the selected ones always); the database "
        "backend counts them all. Both then list the 200 most frequent, the selected ones always "
        "(search.base.facet_values, FACET_VALUES_MAX); every value is reached on both through facet pages "
        "(search.base.FacetPageQuery, the same values and order on both: tests/search/test_facet_pages.py).",
        "tests.search.test_elasticsearch::test_a_selected_value_beyond_the_listed_ones_keeps_its_count",
    ),
    "facet_page_total": (
        "the number of distinct values of a facet page is counted exactly on the database backend; on "
        "Elasticsearch by a cardinality aggregation (precision_threshold 40,000: exact below it but for hash "
        "collisions, far beyond the few thousand values a facet has).",
        "tests.search.test_elasticsearch::test_a_facet_page_is_a_composite_aggregation_after_the_cursor_value_under_the_other_selections_only",
    ),
    "scores": (
        "score values differ (ts_rank with weights A/B/C against BM25 with boosts 3/2/1); only the rules of the "
        "order are shared (a title match first, equal scores nearest first then newest).",
        "tests.search.test_search_missions::test_a_title_match_ranks_above_a_description_and_organisation_match",
    ),
}


def _is_database(backend) -> bool:
    return backend.__class__.__name__ == "DatabaseBackend"


def test_deep_pages(backend, reindex):
    MissionFactory()
    reindex()
    after_sort_values = SearchQuery(after=encode_cursor(10_500, [1761989400000, 12]), facets=())
    if _is_database(backend):
        with pytest.raises(InvalidSearch):
            backend.search(KINDS["missions"], after_sort_values)
    else:
        assert backend.search(KINDS["missions"], after_sort_values).hits == []


@pytest.mark.parametrize("name", sorted(DIFFERENCES))
def test_every_listed_difference_names_a_test_that_exists(name):
    module, function = DIFFERENCES[name][1].split("::")
    assert callable(getattr(importlib.import_module(module), function, None))
