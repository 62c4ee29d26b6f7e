"""The Elasticsearch backend without a cluster: the exact request bodies and the parsing of realistic replies.

The transport (bulk indexing, index life cycle, search) is tested against a strict fake cluster in
``test_elasticsearch_cluster.py``; the behaviour itself runs live in ``test_search_*`` when ``ELASTICSEARCH_URL`` is
set.
"""

from __future__ import annotations

import dataclasses

from search.backends.elasticsearch import build_search, parse_response
from search.base import Filter, FilterType, Near, SearchQuery, Sort
from search.missions import MISSIONS
from search.offers import OFFERS

from .es_data import SEARCH_REPLY, TODAY, VISIBLE_TODAY


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
                        "multi_match": {
                            "query": "bénévolat",
                            "fields": ["title^3", "secondary^2", "description"],
                            "fuzziness": "AUTO",
                            "operator": "and",
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
                "aggs": {"values": {"terms": {"field": "domain", "size": 200}}},
            },
            "facet_programme": {
                "filter": {"bool": {"filter": [{"terms": {"domain": ["sante"]}}]}},
                "aggs": {"values": {"terms": {"field": "programme", "size": 200}}},
            },
        },
        "highlight": {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
            "number_of_fragments": 1,
            "fragment_size": 160,
            "fields": {"title": {}, "description": {}},
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


def test_a_reply_becomes_hits_with_distance_to_the_nearest_point_highlights_total_and_facets():
    query = SearchQuery(text="bénévolat", filters={"domain": ["sante"]}, near=Near(45.764, 4.8357, 100), first=2)
    result = parse_response(MISSIONS, query, SEARCH_REPLY)
    assert [(h.pk, h.score, round(h.distance_km, 1) if h.distance_km else None) for h in result.hits] == [
        (301, 7.1, 4.3),
        (17, 3.4, None),
    ]
    assert result.hits[0].highlight == {"title": "<mark>Bénévolat</mark> à l&#x27;épicerie"}
    assert result.total == 42
    assert [(v.value, v.count, v.selected) for v in result.facets["domain"]] == [
        ("environnement", 78, False),
        ("sante", 42, True),
    ]
    assert result.facets["remote"] == []
    assert result.next_cursor is not None
