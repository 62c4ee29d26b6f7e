"""The Elasticsearch backend without a cluster: the exact request bodies and the parsing of realistic replies.

The transport (bulk indexing, index life cycle, search) is tested against a strict fake cluster in
``test_elasticsearch_cluster.py``; the behaviour itself runs live in ``test_search_*`` when ``ELASTICSEARCH_URL`` is
set.
"""

from __future__ import annotations

import dataclasses

import pytest

from search.backends.elasticsearch import (
    build_facet_page,
    build_search,
    index_definition,
    parse_facet_page,
    parse_response,
)
from search.backends.elasticsearch.mapping import to_source
from search.backends.elasticsearch.text import fuzzy_query
from search.base import FacetPageQuery, Filter, FilterType, Near, SearchQuery, Sort, facet_cursor
from search.folding import fold_words
from search.missions import MISSIONS
from search.offers import OFFERS

from .es_data import SEARCH_REPLY, TODAY, VISIBLE_TODAY, mission_record


def _prefix(field: str, word: str, boost: int | None = None) -> dict:
    options = {"query": word, "zero_terms_query": "all", "max_expansions": 500}
    return {"match_phrase_prefix": {field: options if boost is None else {**options, "boost": boost}}}


def test_a_text_search_sends_filters_facet_selections_in_post_filter_and_disjunctive_aggregations():
    query = SearchQuery(
        text="bénévolat",
        filters={"domain": ["sante"], "open_to_minors": True},
        facets=("domain", "programme"),
        first=10,
    )
    assert build_search(MISSIONS, query, today=TODAY).to_dict() == {
        "query": {
            "bool": {
                "must": [
                    {
                        "bool": {
                            "must": [
                                {
                                    "bool": {
                                        "should": [
                                            _prefix("all_text", "bénévolat"),
                                            _prefix("title", "bénévolat", 3),
                                            _prefix("secondary", "bénévolat", 2),
                                            _prefix("description", "bénévolat", 1),
                                        ],
                                        "minimum_should_match": 1,
                                    }
                                }
                            ]
                        }
                    }
                ],
                "filter": [VISIBLE_TODAY, {"term": {"open_to_minors": True}}],
            }
        },
        "post_filter": {"bool": {"filter": [{"terms": {"domain": ["sante"]}}]}},
        "aggs": {
            "facet_domain": {
                "filter": {"match_all": {}},
                "aggs": {
                    "values": {"terms": {"field": "domain", "size": 10_000}},
                    "selected": {"terms": {"field": "domain", "include": ["sante"], "size": 1}},
                },
            },
            "facet_programme": {
                "filter": {"bool": {"filter": [{"terms": {"domain": ["sante"]}}]}},
                "aggs": {"values": {"terms": {"field": "programme", "size": 10_000}}},
            },
        },
        "highlight": {
            "pre_tags": ["\x02"],
            "post_tags": ["\x03"],
            "fields": {
                "title": {"number_of_fragments": 0},
                "description": {"number_of_fragments": 0},
            },
        },
        "sort": ["_score", {"published_at": {"order": "desc", "missing": "_last"}}, {"pk": {"order": "asc"}}],
        "_source": ["location"],
        "track_total_hits": True,
        "from": 0,
        "size": 10,
    }


def test_a_geographic_search_filters_by_distance_or_everywhere_and_sorts_by_nearest_point():
    query = SearchQuery(near=Near(45.76, 4.83, 20), include_everywhere=True, sort=Sort.DISTANCE, facets=())
    body = build_search(OFFERS, query, today=TODAY).to_dict()
    assert body["query"] == {
        "bool": {
            "filter": [
                VISIBLE_TODAY,
                {
                    "bool": {
                        "should": [
                            {"geo_distance": {"distance": "20km", "location": {"lat": 45.76, "lon": 4.83}}},
                            {"term": {"everywhere": True}},
                        ]
                    }
                },
            ]
        }
    }
    assert body["sort"] == [
        {
            "_geo_distance": {
                "location": {"lat": 45.76, "lon": 4.83},
                "order": "asc",
                "unit": "km",
                "mode": "min",
                "distance_type": "arc",
                "ignore_unmapped": True,
            }
        },
        {"pk": {"order": "asc"}},
    ]
    assert "post_filter" not in body
    assert "aggs" not in body


def test_equal_scores_near_a_point_are_sorted_by_the_nearest_point_before_the_newest():
    query = SearchQuery(text="tutorat", near=Near(45.76, 4.83, 20), sort=Sort.RELEVANCE, facets=())
    body = build_search(MISSIONS, query, today=TODAY).to_dict()
    assert body["sort"] == [
        "_score",
        {
            "_geo_distance": {
                "location": {"lat": 45.76, "lon": 4.83},
                "order": "asc",
                "unit": "km",
                "mode": "min",
                "distance_type": "arc",
                "ignore_unmapped": True,
            }
        },
        {"published_at": {"order": "desc", "missing": "_last"}},
        {"pk": {"order": "asc"}},
    ]


def _age_rule(age: int, lower: str = "min_age", upper: str = "max_age") -> list[dict]:
    return [
        {
            "bool": {
                "should": [{"bool": {"must_not": [{"exists": {"field": lower}}]}}, {"range": {lower: {"lte": age}}}]
            }
        },
        {
            "bool": {
                "should": [{"bool": {"must_not": [{"exists": {"field": upper}}]}}, {"range": {upper: {"gte": age}}}]
            }
        },
    ]


def test_the_age_filter_accepts_open_bounds_for_an_adult():
    body = build_search(MISSIONS, SearchQuery(filters={"eligible_at_age": 30}, facets=()), today=TODAY).to_dict()
    assert body["query"]["bool"]["filter"][1] == {"bool": {"filter": _age_rule(30)}}


def test_the_age_filter_asks_a_minor_for_items_open_to_minors():
    body = build_search(MISSIONS, SearchQuery(filters={"eligible_at_age": 17}, facets=()), today=TODAY).to_dict()
    assert body["query"]["bool"]["filter"][1] == {
        "bool": {"filter": [*_age_rule(17), {"term": {"open_to_minors": True}}]}
    }


def test_the_age_filter_takes_its_fields_from_the_filter_definition():
    spec = Filter(FilterType.AGE, "youngest", "youngest", upper="oldest", minors="for_minors")
    kind = dataclasses.replace(MISSIONS, filters={**MISSIONS.filters, "eligible_at_age": spec})
    body = build_search(kind, SearchQuery(filters={"eligible_at_age": 16}, facets=()), today=TODAY).to_dict()
    assert body["query"]["bool"]["filter"][1] == {
        "bool": {"filter": [*_age_rule(16, "youngest", "oldest"), {"term": {"for_minors": True}}]}
    }


def test_excluded_organisations_are_a_must_not_of_the_query_so_totals_and_facets_leave_them_out():
    query = SearchQuery(filters={"excluded_organization": [7, 3]}, facets=("domain",))
    body = build_search(MISSIONS, query, today=TODAY).to_dict()
    assert body["query"]["bool"]["filter"][1] == {"bool": {"must_not": [{"terms": {"organization": ["3", "7"]}}]}}
    assert "post_filter" not in body


def test_a_reply_becomes_hits_with_distance_to_the_nearest_point_highlights_total_and_facets():
    query = SearchQuery(text="bénévolat", filters={"domain": ["sante"]}, near=Near(45.764, 4.8357, 100), first=2)
    result = parse_response(MISSIONS, query, SEARCH_REPLY)
    assert [(h.pk, h.score, round(h.distance_km, 1) if h.distance_km else None) for h in result.hits] == [
        (301, 7.1, 4.3),
        (17, 3.4, None),
    ]
    assert result.hits[0].highlight == {"title": "<mark>Bénévolat</mark> à l&#x27;épicerie"}  # as PostgreSQL's
    assert result.total == 42
    assert [(v.value, v.count, v.selected) for v in result.facets["domain"]] == [
        ("environnement", 78, False),
        ("sante", 42, True),
    ]
    assert result.facets["remote"] == []
    assert result.next_cursor is not None


def _words(body: dict) -> list[list[dict]]:
    """The per-word clauses of a text search's body: each word's alternatives."""
    return [clause["bool"]["should"] for clause in body["query"]["bool"]["must"][0]["bool"]["must"]]


def test_every_word_is_looked_for_in_all_the_text_words_of_four_letters_or_more_as_prefixes():
    body = build_search(MISSIONS, SearchQuery(text="aide aux SDF à Lyon", facets=()), today=TODAY).to_dict()
    words = _words(body)
    assert [clause[0] for clause in words] == [
        _prefix("all_text", "aide"),
        {"match": {"all_text": {"query": "aux", "zero_terms_query": "all"}}},
        {"match": {"all_text": {"query": "SDF", "zero_terms_query": "all"}}},
        _prefix("all_text", "Lyon"),
    ]
    assert [clause["match"]["title"] for clause in words[1][1:2]] == [
        {"query": "aux", "zero_terms_query": "all", "boost": 3}
    ]


def test_the_second_try_of_a_search_that_found_nothing_looks_for_each_folded_word_in_the_title_words():
    body = build_search(MISSIONS, SearchQuery(text="Jardinnage au vélo", facets=()), today=TODAY, fuzzy=True).to_dict()
    typo = {"fuzziness": 1, "prefix_length": 1, "transpositions": True, "max_expansions": 500}
    assert body["query"]["bool"]["must"] == [
        {
            "bool": {
                "must": [
                    {
                        "bool": {
                            "should": [
                                {"term": {"title_words": "jardinnage"}},
                                {"prefix": {"title_words": "jardinnage"}},
                                {"fuzzy": {"title_words": {"value": "jardinnage", **typo}}},
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                    {"bool": {"should": [{"term": {"title_words": "au"}}], "minimum_should_match": 1}},
                    {
                        "bool": {
                            "should": [{"term": {"title_words": "velo"}}, {"prefix": {"title_words": "velo"}}],
                            "minimum_should_match": 1,
                        }
                    },
                ]
            }
        }
    ]


def test_a_search_without_a_word_of_five_letters_has_no_second_try():
    assert fuzzy_query("velo au parc") is None


def test_the_title_words_are_indexed_folded_one_by_one():
    record = mission_record(1, title="L’Été du vélo", title_folded=fold_words("L’Été du vélo"))
    assert to_source(record)["title_words"] == ["l", "ete", "du", "velo"]


@pytest.mark.parametrize("sort", [Sort.START_DATE, Sort.NEWEST, Sort.DISTANCE])
def test_a_text_search_sorted_otherwise_than_by_relevance_still_scores_its_hits(sort):
    query = SearchQuery(text="tutorat", near=Near(45.76, 4.83, 20), sort=sort, facets=())
    assert build_search(MISSIONS, query, today=TODAY).to_dict()["track_scores"] is True


def test_a_search_by_relevance_needs_no_extra_scoring():
    body = build_search(MISSIONS, SearchQuery(text="tutorat", facets=()), today=TODAY).to_dict()
    assert "track_scores" not in body


def test_title_organisation_and_description_are_copied_to_one_field_with_the_same_analyzer():
    properties = index_definition(MISSIONS, "x").to_dict()["mappings"]["properties"]
    assert [properties[name].get("copy_to") for name in ("title", "secondary", "description")] == ["all_text"] * 3
    assert properties["all_text"] == {"type": "text", "analyzer": "french_folded"}


def test_the_analysis_chain_removes_stop_words_before_folding_and_drops_one_letter_tokens():
    analysis = index_definition(OFFERS, "x").to_dict()["settings"]["analysis"]
    assert analysis["analyzer"]["french_folded"]["filter"] == [
        "french_elision",
        "lowercase",
        "french_stop",
        "french_stemmer",
        "asciifolding",
        "one_letter",
    ]
    assert analysis["filter"]["one_letter"] == {"type": "length", "min": 2}


def test_a_highlight_is_escaped_as_on_the_database_backend():
    reply = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [
                {
                    "_id": "3",
                    "_score": 1.0,
                    "highlight": {"description": ["Jardin partagé / \x02potager\x03 <bio> d'été"]},
                }
            ],
        }
    }
    result = parse_response(MISSIONS, SearchQuery(text="potager", facets=()), reply)
    assert result.hits[0].highlight == {"description": "Jardin partagé / <mark>potager</mark> &lt;bio&gt; d&#x27;été"}


def test_a_selected_value_beyond_the_listed_ones_keeps_its_count():
    reply = {
        "hits": {"total": {"value": 3, "relation": "eq"}, "hits": []},
        "aggregations": {
            "facet_domain": {
                "doc_count": 9,
                "values": {"sum_other_doc_count": 3, "buckets": [{"key": "sante", "doc_count": 6}]},
                "selected": {"buckets": [{"key": "sport", "doc_count": 3}]},
            }
        },
    }
    result = parse_response(MISSIONS, SearchQuery(filters={"domain": ["sport"]}, facets=("domain",)), reply)
    assert [(v.value, v.count, v.selected) for v in result.facets["domain"]] == [
        ("sante", 6, False),
        ("sport", 3, True),
    ]


def test_a_facet_page_is_a_composite_aggregation_after_the_cursor_value_under_the_other_selections_only():
    query = FacetPageQuery(
        search=SearchQuery(filters={"domain": ["sante"], "department": ["69"], "open_to_minors": True}),
        facet="department",
        first=2,
        after=facet_cursor("department", "38"),
    )
    assert build_facet_page(MISSIONS, query, today=TODAY).to_dict() == {
        "query": {
            "bool": {"filter": [VISIBLE_TODAY, {"term": {"open_to_minors": True}}, {"terms": {"domain": ["sante"]}}]}
        },
        "post_filter": {"terms": {"departments": ["69"]}},
        "aggs": {
            "values": {
                "composite": {
                    "size": 3,
                    "sources": [{"value": {"terms": {"field": "departments"}}}],
                    "after": {"value": "38"},
                }
            },
            "distinct": {"cardinality": {"field": "departments", "precision_threshold": 40_000}},
        },
        "track_total_hits": True,
        "size": 0,
    }


def test_the_first_facet_page_has_no_after_and_a_text_search_no_highlight():
    query = FacetPageQuery(search=SearchQuery(text="jardin"), facet="domain", first=10)
    body = build_facet_page(MISSIONS, query, today=TODAY).to_dict()
    assert body["aggs"]["values"]["composite"] == {"size": 11, "sources": [{"value": {"terms": {"field": "domain"}}}]}
    assert "post_filter" not in body
    assert "highlight" not in body
    assert body["query"]["bool"]["must"]


def test_a_facet_page_reply_becomes_values_by_value_a_cursor_and_the_distinct_count():
    reply = {
        "hits": {"total": {"value": 4, "relation": "eq"}, "hits": []},
        "aggregations": {
            "values": {
                "after_key": {"value": "75"},
                "buckets": [
                    {"key": {"value": "13"}, "doc_count": 2},
                    {"key": {"value": "69"}, "doc_count": 6},
                    {"key": {"value": "75"}, "doc_count": 1},
                ],
            },
            "distinct": {"value": 12},
        },
    }
    query = FacetPageQuery(search=SearchQuery(filters={"department": ["69"]}), facet="department", first=2)
    page = parse_facet_page(MISSIONS, query, reply)
    assert [(v.value, v.count, v.selected) for v in page.values] == [("13", 2, False), ("69", 6, True)]
    assert (page.total, page.next_cursor) == (12, facet_cursor("department", "69"))


def test_a_search_that_wants_no_total_and_no_facet_asks_elasticsearch_not_to_count():
    query = SearchQuery(near=Near(45.76, 4.83, 20), sort=Sort.DISTANCE, first=30, facets=(), count=False)
    body = build_search(MISSIONS, query, today=TODAY).to_dict()
    assert {key: body[key] for key in ("track_total_hits", "from", "size", "_source")} == {
        "track_total_hits": False,
        "from": 0,
        "size": 30,
        "_source": ["location"],
    }
    assert "aggs" not in body


def test_a_search_without_count_still_counts_when_it_asks_for_facets():
    query = SearchQuery(near=Near(45.76, 4.83, 20), facets=("domain",), count=False)
    assert build_search(MISSIONS, query, today=TODAY).to_dict()["track_total_hits"] is True


def test_a_reply_without_total_gives_no_total_and_a_cursor_when_the_page_is_full():
    reply = {**SEARCH_REPLY, "hits": {key: value for key, value in SEARCH_REPLY["hits"].items() if key != "total"}}
    query = SearchQuery(text="bénévolat", near=Near(45.764, 4.8357, 100), first=2, facets=(), count=False)
    result = parse_response(MISSIONS, query, reply)
    assert [hit.pk for hit in result.hits] == [301, 17]
    assert result.total is None
    assert result.next_cursor is not None
