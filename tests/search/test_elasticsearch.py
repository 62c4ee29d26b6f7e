"""The Elasticsearch backend without a cluster: exact request bodies, parsing of realistic replies, and the transport
(bulk indexing, alias switch, search) against a small real HTTP server on 127.0.0.1 that answers like Elasticsearch.

The behaviour itself runs live in ``test_search_*`` when ``ELASTICSEARCH_URL`` is set.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone
from elasticsearch import Elasticsearch

from search.backends.elasticsearch import ElasticsearchBackend, build_search, parse_response
from search.base import Filter, FilterType, Near, SearchQuery, Sort
from search.missions import MISSIONS
from search.offers import OFFERS

from .es_server import FakeCluster, start

TODAY = datetime.date(2026, 11, 23)
VISIBLE_TODAY = {
    "bool": {
        "filter": [
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": [{"exists": {"field": "visible_from"}}]}},
                        {"range": {"visible_from": {"lte": "2026-11-23"}}},
                    ]
                }
            },
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": [{"exists": {"field": "visible_until"}}]}},
                        {"range": {"visible_until": {"gte": "2026-11-23"}}},
                    ]
                }
            },
        ]
    }
}


@pytest.fixture
def cluster(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "tremplin"
    fake = FakeCluster()
    server = start(fake)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def es_backend(cluster):
    return ElasticsearchBackend(Elasticsearch(cluster.url, request_timeout=5))


def mission_record(pk: int, **overrides) -> dict:
    record = {
        "pk": pk,
        "title": "Bénévolat à l'épicerie solidaire",
        "title_folded": "benevolat a l'epicerie solidaire",
        "secondary": "Secours populaire",
        "description": "Accueillir les familles.",
        "visible_from": None,
        "visible_until": datetime.date(2027, 3, 1),
        "start_date": datetime.date(2026, 12, 1),
        "published_at": datetime.datetime(2026, 11, 1, 9, 30, tzinfo=datetime.UTC),
        "everywhere": False,
        "programme": "benevolat",
        "domain": "solidarite-insertion",
        "remote": "no",
        "source": "jeveuxaider",
        "organization": 12,
        "open_to_minors": True,
        "accessible": False,
        "min_age": None,
        "max_age": None,
        "places": [
            {
                "latitude": 45.764,
                "longitude": 4.8357,
                "department": "69",
                "region": "auvergne-rhone-alpes",
                "city": "lyon",
            },
            {
                "latitude": 45.1885,
                "longitude": 5.7245,
                "department": "38",
                "region": "auvergne-rhone-alpes",
                "city": "grenoble",
            },
        ],
    }
    return record | overrides


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


SEARCH_REPLY = {
    "took": 7,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 42, "relation": "eq"},
        "max_score": None,
        "hits": [
            {
                "_index": "tremplin-missions-20261123114500123456",
                "_id": "301",
                "_score": 7.1,
                "_source": {"location": [{"lat": 45.1885, "lon": 5.7245}, {"lat": 45.7719, "lon": 4.8902}]},
                "highlight": {"title": ["<mark>Bénévolat</mark> à l&#x27;épicerie"]},
                "sort": [7.1, 1761989400000, 301],
            },
            {
                "_index": "tremplin-missions-20261123114500123456",
                "_id": "17",
                "_score": 3.4,
                "_source": {"location": []},
                "sort": [3.4, 1761989400000, 17],
            },
        ],
    },
    "aggregations": {
        "facet_domain": {
            "doc_count": 120,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": "environnement", "doc_count": 78}, {"key": "sante", "doc_count": 42}],
            },
        },
        "facet_programme": {
            "doc_count": 42,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": "benevolat", "doc_count": 30}, {"key": "service-civique", "doc_count": 12}],
            },
        },
    },
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


def test_upserts_reach_the_cluster_as_one_bulk_request_on_the_alias(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})
    cluster.reply("PUT", "/_bulk", {"took": 3, "errors": False, "items": []})
    es_backend.upsert(MISSIONS, [mission_record(301), mission_record(17, everywhere=True, places=[])])
    bulk = [r for r in cluster.requests if r.path == "/_bulk"]
    assert len(bulk) == 1
    lines = bulk[0].ndjson()
    assert lines[0] == {"index": {"_index": "tremplin-missions", "_id": 301}}
    assert lines[1]["location"] == [{"lat": 45.764, "lon": 4.8357}, {"lat": 45.1885, "lon": 5.7245}]
    assert (lines[1]["departments"], lines[1]["cities"]) == (["38", "69"], ["grenoble", "lyon"])
    assert (lines[1]["organization"], lines[1]["visible_until"]) == ("12", "2027-03-01")
    assert "title_folded" not in lines[1]
    assert lines[2] == {"index": {"_index": "tremplin-missions", "_id": 17}}
    assert lines[3]["everywhere"] is True


def test_the_first_write_creates_a_versioned_index_with_the_french_analyzer_behind_the_alias(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-offers", {}, status=404)
    cluster.reply("PUT", "/tremplin-offers-*", {"acknowledged": True})
    cluster.reply("PUT", "/_bulk", {"took": 3, "errors": False, "items": []})
    es_backend.upsert(OFFERS, [{"pk": 5, "title": "Cinéma", "places": [], "categories": ["culture"]}])
    created = next(r for r in cluster.requests if r.method == "PUT" and "_alias" not in r.path)
    analysis = created.json()["settings"]["analysis"]
    assert analysis["analyzer"]["french_folded"]["filter"] == [
        "french_elision",
        "lowercase",
        "asciifolding",
        "french_stop",
        "french_stemmer",
    ]
    mapping = created.json()["mappings"]["properties"]
    assert mapping["location"] == {"type": "geo_point"}
    assert mapping["categories"] == {"type": "keyword"}
    assert mapping["title"] == {"type": "text", "analyzer": "french_folded"}
    assert ("PUT", f"{created.path}/_alias/tremplin-offers") in cluster.calls()


def test_a_rebuild_fills_a_new_index_then_switches_the_alias_and_drops_the_old_one(cluster, es_backend):
    cluster.reply("PUT", "/tremplin-missions-*", {"acknowledged": True})
    cluster.reply("PUT", "/_bulk", {"took": 3, "errors": False, "items": []})
    cluster.reply("POST", "/tremplin-missions-*", {"_shards": {"total": 1, "successful": 1, "failed": 0}})
    cluster.reply("GET", "/_alias/tremplin-missions", {"tremplin-missions-20260101000000000000": {"aliases": {}}})
    cluster.reply("POST", "/_aliases", {"acknowledged": True})
    cluster.reply("DELETE", "/tremplin-missions-20260101000000000000", {"acknowledged": True})
    done = []
    count = es_backend.rebuild(MISSIONS, iter([mission_record(pk) for pk in range(1, 1502)]), progress=done.append)
    calls = cluster.calls()
    assert (count, done) == (1501, [1000, 501])
    new = cluster.requests[0].path.lstrip("/")
    assert new.startswith(f"tremplin-missions-{timezone.now():%Y%m%d}")
    swap = next(r for r in cluster.requests if r.path == "/_aliases").json()
    assert swap == {
        "actions": [
            {"add": {"index": new, "alias": "tremplin-missions"}},
            {"remove": {"index": "tremplin-missions-20260101000000000000", "alias": "tremplin-missions"}},
            {"remove": {"index": new, "alias": "tremplin-missions-rebuilding"}},
        ]
    }
    assert calls.index(("PUT", f"/{new}/_alias/tremplin-missions-rebuilding")) < calls.index(("PUT", "/_bulk"))
    assert calls.index(("POST", "/_aliases")) < calls.index(("DELETE", "/tremplin-missions-20260101000000000000"))
    assert all(
        line["create"]["_index"] == new for r in cluster.requests if r.path == "/_bulk" for line in r.ndjson()[::2]
    )


def test_a_search_goes_to_the_alias_and_returns_the_parsed_reply(cluster, es_backend):
    cluster.reply("POST", "/tremplin-missions/_search", SEARCH_REPLY)
    result = es_backend.search(MISSIONS, SearchQuery(text="bénévolat", first=2))
    assert [h.pk for h in result.hits] == [301, 17]
    sent = next(r for r in cluster.requests if r.path == "/tremplin-missions/_search").json()
    assert sent["query"]["bool"]["must"][0]["multi_match"]["query"] == "bénévolat"
    assert sent["size"] == 2


def test_deleting_a_document_the_index_never_had_is_not_an_error(cluster, es_backend):
    reply = {
        "took": 1,
        "errors": True,
        "items": [{"delete": {"_index": "x", "_id": "9", "status": 404, "result": "not_found"}}],
    }
    cluster.reply("PUT", "/_bulk", reply)
    es_backend.delete(MISSIONS, [9])
    assert cluster.calls() == [("GET", "/_alias/tremplin-missions-rebuilding"), ("PUT", "/_bulk")]


def test_searching_a_cluster_where_nothing_was_indexed_yet_finds_nothing(cluster, es_backend):
    result = es_backend.search(MISSIONS, SearchQuery(filters={"domain": ["sante"]}))
    assert (result.hits, result.total) == ([], 0)
    assert [(v.value, v.count, v.selected) for v in result.facets["domain"]] == [("sante", 0, True)]


def test_a_change_indexed_while_a_rebuild_runs_reaches_the_new_index_and_the_fill_keeps_it(cluster, es_backend):
    cluster.reply("PUT", "/tremplin-missions-*", {"acknowledged": True})
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})
    cluster.reply("PUT", "/_bulk", {"took": 3, "errors": False, "items": []})
    cluster.reply("POST", "/tremplin-missions-*", {"_shards": {"total": 1, "successful": 1, "failed": 0}})
    cluster.reply("POST", "/_aliases", {"acknowledged": True})
    conflict = {
        "create": {"_index": "x", "_id": "2", "status": 409, "error": {"type": "version_conflict_engine_exception"}}
    }

    def records_read_while_an_editor_saves():
        yield mission_record(1)
        new = cluster.requests[0].path.lstrip("/")
        cluster.reply("GET", "/_alias/tremplin-missions-rebuilding", {new: {"aliases": {}}})
        es_backend.upsert(MISSIONS, [mission_record(2, title="Titre corrigé pendant la reconstruction")])
        cluster.reply("PUT", "/_bulk", {"took": 3, "errors": True, "items": [{"create": {"status": 201}}, conflict]})
        yield mission_record(2)

    assert es_backend.rebuild(MISSIONS, records_read_while_an_editor_saves()) == 2
    new = cluster.requests[0].path.lstrip("/")
    live_write, fill = [r.ndjson() for r in cluster.requests if r.path == "/_bulk"]
    assert [line["index"]["_index"] for line in live_write[::2]] == ["tremplin-missions", new]
    assert {line["title"] for line in live_write[1::2]} == {"Titre corrigé pendant la reconstruction"}
    assert [next(iter(line)) for line in fill[::2]] == ["create", "create"]


def test_outside_a_rebuild_a_change_is_written_to_the_live_alias_only(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})
    cluster.reply("PUT", "/_bulk", {"took": 3, "errors": False, "items": []})
    es_backend.upsert(MISSIONS, [mission_record(2)])
    bulk = next(r for r in cluster.requests if r.path == "/_bulk").ndjson()
    assert [line["index"]["_index"] for line in bulk[::2]] == ["tremplin-missions"]
