"""The Elasticsearch backend's transport against a strict fake cluster (``es_server.py``): the exact calls it makes,
bulk indexing item by item, the index life cycle (first index, rebuild, alias switch) and searches.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from elasticsearch import BadRequestError, helpers

from search.backends.elasticsearch.text import fuzzy_query
from search.base import FacetPageQuery, SearchQuery, facet_cursor
from search.missions import MISSIONS
from search.offers import OFFERS

from .es_data import SEARCH_REPLY, mission_record
from .es_server import ACKNOWLEDGED, ALIAS_NOT_FOUND, INDEX_NOT_FOUND, FakeCluster

OLD = "tremplin-missions-20260101000000000000"
REFRESHED = {"_shards": {"total": 1, "successful": 1, "failed": 0}}
NO_HITS = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}


def no_rebuild_running(cluster: FakeCluster, alias: str = "tremplin-missions") -> None:
    cluster.reply("GET", f"/_alias/{alias}-rebuilding", ALIAS_NOT_FOUND, status=404)


def rebuild_routes(cluster: FakeCluster, old: list[str] | None = None, changed: list[int] | None = None) -> None:
    """The calls of a rebuild of missions that succeeds, the live alias pointing at ``old``, ``changed`` the ids its
    change log holds at the end."""
    cluster.reply("PUT", "/tremplin-missions-{stamp}", ACKNOWLEDGED)  # the index and its change log
    cluster.reply("PUT", "/tremplin-missions-{stamp}/_settings", ACKNOWLEDGED)
    cluster.reply("POST", "/tremplin-missions-{stamp}/_refresh", REFRESHED)
    cluster.reply("GET", "/_alias/tremplin-missions", {name: {"aliases": {}} for name in old or []})
    cluster.reply("POST", "/_aliases", ACKNOWLEDGED)
    cluster.reply("DELETE", "/tremplin-missions-{stamp}", ACKNOWLEDGED)
    logged = [{"_id": str(pk), "_score": None, "sort": [pk]} for pk in changed or []]
    cluster.reply(
        "POST",
        "/tremplin-missions-{stamp}/_search",
        {"hits": {"total": {"value": len(logged), "relation": "eq"}, "hits": logged}},
    )


def new_index(cluster: FakeCluster) -> str:
    """The versioned index a rebuild created (not its change log)."""
    return next(
        r.path.lstrip("/")
        for r in cluster.requests
        if r.method == "PUT" and r.path.count("/") == 1 and not r.path.endswith("-changes")
    )


def test_upserts_reach_the_cluster_as_one_bulk_request_on_the_alias(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})
    no_rebuild_running(cluster)
    es_backend.upsert(MISSIONS, [mission_record(301), mission_record(17, everywhere=True, places=[])])
    [lines] = cluster.bulk_lines()
    assert lines[0] == {"index": {"_index": "tremplin-missions", "_id": 301}}
    assert lines[1]["location"] == [{"lat": 45.764, "lon": 4.8357}, {"lat": 45.1885, "lon": 5.7245}]
    assert (lines[1]["departments"], lines[1]["cities"]) == (["38", "69"], ["grenoble", "lyon"])
    assert (lines[1]["organization"], lines[1]["visible_until"]) == ("12", "2027-03-01")
    assert "title_folded" not in lines[1]
    assert lines[2] == {"index": {"_index": "tremplin-missions", "_id": 17}}
    assert lines[3]["everywhere"] is True


def test_the_first_write_creates_a_versioned_index_with_the_french_analyzer_behind_the_alias(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-offers", {}, status=404)
    cluster.reply("PUT", "/tremplin-offers-{stamp}", ACKNOWLEDGED)
    no_rebuild_running(cluster, "tremplin-offers")
    es_backend.upsert(OFFERS, [{"pk": 5, "title": "Cinéma", "places": [], "categories": ["culture"]}])
    created = next(r for r in cluster.requests if r.method == "PUT" and "_alias" not in r.path)
    analysis = created.json()["settings"]["analysis"]
    assert analysis["analyzer"]["french_folded"]["tokenizer"] == "standard"
    mapping = created.json()["mappings"]["properties"]
    assert mapping["location"] == {"type": "geo_point"}
    assert mapping["categories"] == {"type": "keyword"}
    assert mapping["title"] == {"type": "text", "analyzer": "french_folded", "copy_to": "all_text"}


def test_a_rebuild_fills_a_new_index_then_switches_the_alias_and_drops_the_old_one(cluster, es_backend):
    rebuild_routes(cluster, old=[OLD])
    done = []
    count = es_backend.rebuild(MISSIONS, iter([mission_record(pk) for pk in range(1, 1502)]), progress=done.append)
    calls = cluster.calls()
    assert (count, done) == (1501, [1000, 501])
    new = new_index(cluster)
    assert new.startswith(f"tremplin-missions-{timezone.now():%Y%m%d}")
    swap = next(r for r in cluster.requests if r.path == "/_aliases").json()
    assert swap == {
        "actions": [
            {"add": {"index": new, "alias": "tremplin-missions", "is_write_index": True}},
            {"remove": {"index": OLD, "alias": "tremplin-missions"}},
            {"remove": {"index": new, "alias": "tremplin-missions-rebuilding"}},
        ]
    }
    created = next(r for r in cluster.requests if r.path == f"/{new}").json()
    assert created["aliases"] == {"tremplin-missions-rebuilding": {}}
    assert calls.index(("PUT", f"/{new}-changes")) < calls.index(("PUT", f"/{new}")) < calls.index(("PUT", "/_bulk"))
    assert calls.index(("POST", "/_aliases")) < calls.index(("DELETE", f"/{OLD}"))
    assert all(line["create"]["_index"] == new for lines in cluster.bulk_lines() for line in lines[::2])


def test_a_search_goes_to_the_alias_and_returns_the_parsed_reply(cluster, es_backend):
    cluster.reply("POST", "/tremplin-missions/_search", SEARCH_REPLY)
    result = es_backend.search(MISSIONS, SearchQuery(text="bénévolat", first=2))
    assert [h.pk for h in result.hits] == [301, 17]
    sent = next(r for r in cluster.requests if r.path == "/tremplin-missions/_search").json()
    assert sent["size"] == 2


def test_deleting_a_document_the_index_never_had_is_not_an_error(cluster, es_backend):
    no_rebuild_running(cluster)
    cluster.fail(9, 404)
    es_backend.delete(MISSIONS, [9])
    assert cluster.calls() == [("GET", "/_alias/tremplin-missions-rebuilding"), ("PUT", "/_bulk")]


def test_searching_a_cluster_where_nothing_was_indexed_yet_finds_nothing(cluster, es_backend):
    cluster.reply("POST", "/tremplin-missions/_search", INDEX_NOT_FOUND, status=404)
    result = es_backend.search(MISSIONS, SearchQuery(filters={"domain": ["sante"]}))
    assert (result.hits, result.total) == ([], 0)
    assert [(v.value, v.count, v.selected) for v in result.facets["domain"]] == [("sante", 0, True)]


def test_a_change_indexed_while_a_rebuild_runs_reaches_the_new_index_and_the_fill_keeps_it(cluster, es_backend):
    rebuild_routes(cluster)
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})

    def records_read_while_an_editor_saves():
        yield mission_record(1)
        new = new_index(cluster)
        cluster.reply("GET", "/_alias/tremplin-missions-rebuilding", {new: {"aliases": {}}})
        es_backend.upsert(MISSIONS, [mission_record(2, title="Titre corrigé pendant la reconstruction")])
        cluster.fail(2, 409)  # the fill's older copy meets the editor's fresher one
        yield mission_record(2)

    assert es_backend.rebuild(MISSIONS, records_read_while_an_editor_saves()) == 2
    new = new_index(cluster)
    logged, live_write, fill = cluster.bulk_lines()
    assert logged == [{"index": {"_index": "tremplin-missions-changes", "_id": 2}}, {"pk": 2}]
    assert [line["index"]["_index"] for line in live_write[::2]] == ["tremplin-missions", new]
    assert {line["title"] for line in live_write[1::2]} == {"Titre corrigé pendant la reconstruction"}
    assert [next(iter(line)) for line in fill[::2]] == ["create", "create"]


def test_outside_a_rebuild_a_change_is_written_to_the_live_alias_only(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})
    no_rebuild_running(cluster)
    es_backend.upsert(MISSIONS, [mission_record(2)])
    [bulk] = cluster.bulk_lines()
    assert [line["index"]["_index"] for line in bulk[::2]] == ["tremplin-missions"]


def test_the_fake_cluster_refuses_what_a_real_one_refuses(cluster, es_backend):
    """The fake's own rules, so that the tests above cannot pass against a cluster laxer than Elasticsearch 8."""
    client = es_backend.client
    assert client.options(ignore_status=400).indices.delete(index="tremplin-*").meta.status == 400
    too_deep = client.options(ignore_status=400).search(index="tremplin-missions", body={"from": 9990, "size": 20})
    assert too_deep.meta.status == 400
    cluster.fail(1, 429)
    reply = client.bulk(
        operations=[
            {"index": {"_index": "tremplin-missions", "_id": 1}},
            {"title": "a"},
            {"index": {"_index": "tremplin-missions", "_id": 2}},
            {"location": [{"lat": 45.0, "lon": None}]},
            {"index": {"_index": "tremplin-missions", "_id": 3}},
            {"location": [{"lat": 45.0, "lon": 4.8}]},
        ]
    ).body
    assert reply["errors"] is True
    assert [next(iter(item.values()))["status"] for item in reply["items"]] == [429, 400, 201]


def test_the_first_index_is_created_with_its_alias_as_write_index_in_one_call(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-offers", {}, status=404)
    cluster.reply("PUT", "/tremplin-offers-{stamp}", ACKNOWLEDGED)
    no_rebuild_running(cluster, "tremplin-offers")
    es_backend.upsert(OFFERS, [{"pk": 5, "title": "Cinéma", "places": []}])
    created = next(r for r in cluster.requests if r.method == "PUT" and r.path != "/_bulk")
    assert created.json()["aliases"] == {"tremplin-offers": {"is_write_index": True}}
    assert [call for call in cluster.calls() if "/_alias/" in call[1] and call[0] == "PUT"] == []


def test_a_writer_that_loses_the_race_for_the_first_index_writes_to_the_winner(cluster, es_backend):
    cluster.replies("HEAD", "/_alias/tremplin-offers", (404, {}), (200, {}))
    refused = {
        "error": {"type": "illegal_state_exception", "reason": "alias [tremplin-offers] has more than one write index"}
    }
    cluster.reply("PUT", "/tremplin-offers-{stamp}", refused, status=500)
    no_rebuild_running(cluster, "tremplin-offers")
    es_backend.upsert(OFFERS, [{"pk": 5, "title": "Cinéma", "places": []}])
    [bulk] = cluster.bulk_lines()
    assert bulk[0] == {"index": {"_index": "tremplin-offers", "_id": 5}}


def test_a_place_with_a_latitude_but_no_longitude_gives_no_point(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})
    no_rebuild_running(cluster)
    half = {"latitude": 45.1885, "longitude": None, "department": "38", "region": "auvergne", "city": "grenoble"}
    es_backend.upsert(MISSIONS, [mission_record(3, places=[half])])
    [bulk] = cluster.bulk_lines()
    assert (bulk[1]["location"], bulk[1]["departments"]) == ([], ["38"])


def test_test_clean_up_deletes_the_prefix_indices_by_name(cluster, es_backend):
    found = {
        "tremplin-missions-20260101000000000000": {"aliases": {"tremplin-missions": {}}},
        "tremplin-missions-20260102000000000000-changes": {"aliases": {}},
        "tremplin-offers-20260101000000000000": {"aliases": {}},
        "tremplin-archive-2019": {"aliases": {}},  # not this backend's: left alone
    }
    cluster.reply("GET", "/tremplin-*/_alias", found)
    cluster.reply("DELETE", "/{names}", ACKNOWLEDGED)
    es_backend.drop_indices()
    deleted = [path for method, path in cluster.calls() if method == "DELETE"]
    assert deleted == [
        "/tremplin-missions-20260101000000000000,tremplin-missions-20260102000000000000-changes,"
        "tremplin-offers-20260101000000000000"
    ]


def _page_reply(start: int, size: int, total: int) -> dict:
    hits = [{"_id": str(pk), "_score": None, "sort": [1761989400000, pk]} for pk in range(start, start + size)]
    return {"hits": {"total": {"value": total, "relation": "eq"}, "hits": hits}}


def test_pages_past_the_ten_thousandth_result_follow_the_last_hit_sort_values(cluster, es_backend):
    cluster.reply("POST", "/tremplin-missions/_search", _page_reply(10_001, 100, 20_000))
    query = SearchQuery(first=100, facets=())
    page = es_backend.search(MISSIONS, query)
    for _ in range(100):  # to the 10,100th result
        page = es_backend.search(MISSIONS, SearchQuery(first=100, facets=(), after=page.next_cursor))
    last = cluster.requests[-1].json()
    assert (last["from"], last["search_after"]) == (0, [1761989400000, 10_100])
    assert page.next_cursor is not None


def test_the_last_page_has_no_cursor(cluster, es_backend):
    cluster.reply("POST", "/tremplin-missions/_search", _page_reply(1, 2, 2))
    assert es_backend.search(MISSIONS, SearchQuery(first=2, facets=())).next_cursor is None


def test_a_bulk_item_refused_by_a_busy_cluster_is_sent_again(cluster, es_backend):
    rebuild_routes(cluster)
    cluster.fail(2, 429, 429)
    assert es_backend.rebuild(MISSIONS, iter([mission_record(1), mission_record(2), mission_record(3)])) == 3
    fills = [[line["create"]["_id"] for line in lines[::2]] for lines in cluster.bulk_lines()]
    assert fills == [[1, 2, 3], [2], [2]]


def test_a_failed_rebuild_deletes_its_index_and_so_its_alias(cluster, es_backend):
    rebuild_routes(cluster)
    cluster.fail(2, 400)
    with pytest.raises(helpers.BulkIndexError):
        es_backend.rebuild(MISSIONS, iter([mission_record(1), mission_record(2)]))
    new = new_index(cluster)
    assert cluster.calls()[-1] == ("DELETE", f"/{new},{new}-changes")
    assert ("POST", "/_aliases") not in cluster.calls()


def test_a_rebuild_restores_the_default_refresh_interval(cluster, es_backend):
    rebuild_routes(cluster)
    es_backend.rebuild(MISSIONS, iter([mission_record(1)]))
    new = new_index(cluster)
    created = next(r for r in cluster.requests if r.path == f"/{new}").json()
    assert created["settings"]["refresh_interval"] == "-1"
    restored = next(r for r in cluster.requests if r.path == f"/{new}/_settings").json()
    assert restored == {"index": {"refresh_interval": None}}


@pytest.mark.django_db
def test_a_mission_deleted_while_the_rebuild_fills_is_deleted_again_after_the_swap(cluster, es_backend):
    rebuild_routes(cluster, changed=[2])
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})

    def records_read_while_an_editor_deletes():
        yield mission_record(2)  # read before the deletion, written after it: the fill brings it back
        new = new_index(cluster)
        cluster.reply("GET", "/_alias/tremplin-missions-rebuilding", {new: {"aliases": {}}})
        es_backend.delete(MISSIONS, [2])
        no_rebuild_running(cluster)

    es_backend.rebuild(MISSIONS, records_read_while_an_editor_deletes())
    new = new_index(cluster)
    logged, deleted, fill, replayed = cluster.bulk_lines()
    assert logged == [{"index": {"_index": "tremplin-missions-changes", "_id": 2}}, {"pk": 2}]
    assert fill[0] == {"create": {"_index": new, "_id": 2}}
    assert replayed == [{"delete": {"_index": "tremplin-missions", "_id": 2}}]
    calls = cluster.calls()
    assert calls.index(("POST", "/_aliases")) < calls.index(("DELETE", f"/{new}-changes")) < len(calls) - 1


def test_typos_are_tolerated_only_when_the_words_find_nothing(cluster, es_backend):
    cluster.replies("POST", "/tremplin-missions/_search", (200, NO_HITS), (200, SEARCH_REPLY))
    result = es_backend.search(MISSIONS, SearchQuery(text="acompagnement", first=2, facets=()))
    first, second = (r.json()["query"]["bool"]["must"][0] for r in cluster.requests)
    assert "fuzzy" not in str(first)
    assert second == fuzzy_query("acompagnement").to_dict()
    assert [hit.pk for hit in result.hits] == [301, 17]


def test_a_search_that_finds_something_is_not_tried_again_with_typos(cluster, es_backend):
    cluster.reply("POST", "/tremplin-missions/_search", SEARCH_REPLY)
    es_backend.search(MISSIONS, SearchQuery(text="sport", first=2, facets=()))
    assert len(cluster.requests) == 1


def test_a_writer_that_saw_a_rebuild_just_ended_still_writes_its_change(cluster, es_backend):
    cluster.reply("HEAD", "/_alias/tremplin-missions", {})
    cluster.reply("GET", "/_alias/tremplin-missions-rebuilding", {"tremplin-missions-20260101000000000000": {}})
    cluster.fail(2, 404)  # the log's alias left with the rebuild's log: require_alias refuses to create it again
    es_backend.upsert(MISSIONS, [mission_record(2)])
    logged, written = cluster.bulk_lines()
    logging_request = next(r for r in cluster.requests if r.path == "/_bulk")
    assert logging_request.params()["require_alias"] == "true"
    assert [line["index"]["_index"] for line in written[::2]] == [
        "tremplin-missions",
        "tremplin-missions-20260101000000000000",
    ]


def test_a_rebuild_whose_index_cannot_be_created_still_deletes_its_change_log(cluster, es_backend):
    rebuild_routes(cluster)
    refused = {"error": {"type": "illegal_argument_exception", "reason": "unknown setting"}, "status": 400}
    cluster.replies("PUT", "/tremplin-missions-{stamp}", (200, ACKNOWLEDGED), (400, refused))
    with pytest.raises(BadRequestError):
        es_backend.rebuild(MISSIONS, iter([mission_record(1)]))
    cleanup = cluster.requests[-1]
    assert (cleanup.method, cleanup.params()) == ("DELETE", {"ignore_unavailable": "true"})
    assert cleanup.path.endswith("-changes")


def _facet_reply(total: int, values: list[str], distinct: int) -> dict:
    buckets = [{"key": {"value": value}, "doc_count": 1} for value in values]
    composite = {"buckets": buckets, **({"after_key": buckets[-1]["key"]} if buckets else {})}
    return {
        "hits": {"total": {"value": total, "relation": "eq"}, "hits": []},
        "aggregations": {"values": composite, "distinct": {"value": distinct}},
    }


def test_facet_pages_go_to_the_alias_and_each_starts_after_the_last_value_read(cluster, es_backend):
    cluster.replies(
        "POST",
        "/tremplin-missions/_search",
        (200, _facet_reply(5, ["01", "13", "2A"], 3)),
        (200, _facet_reply(5, ["2A"], 3)),
    )
    first = es_backend.facet_page(MISSIONS, FacetPageQuery(search=SearchQuery(), facet="department", first=2))
    after = first.next_cursor
    second = es_backend.facet_page(
        MISSIONS, FacetPageQuery(search=SearchQuery(), facet="department", first=2, after=after)
    )
    sent = [r.json()["aggs"]["values"]["composite"] for r in cluster.requests]
    assert [c.get("after") for c in sent] == [None, {"value": "13"}]
    assert ([v.value for v in first.values], after) == (["01", "13"], facet_cursor("department", "13"))
    assert ([v.value for v in second.values], second.next_cursor, second.total) == (["2A"], None, 3)


def test_a_facet_page_whose_words_find_nothing_is_asked_again_with_typos(cluster, es_backend):
    cluster.replies(
        "POST", "/tremplin-missions/_search", (200, _facet_reply(0, [], 0)), (200, _facet_reply(1, ["69"], 1))
    )
    query = FacetPageQuery(search=SearchQuery(text="jardinnage"), facet="department")
    page = es_backend.facet_page(MISSIONS, query)
    assert [v.value for v in page.values] == ["69"]
    assert "fuzziness" in cluster.requests[1].body.decode()


def test_a_facet_page_on_a_cluster_where_nothing_was_indexed_yet_is_empty(cluster, es_backend):
    cluster.reply("POST", "/tremplin-missions/_search", INDEX_NOT_FOUND, status=404)
    page = es_backend.facet_page(MISSIONS, FacetPageQuery(search=SearchQuery(), facet="department"))
    assert (page.values, page.total, page.next_cursor) == ([], 0, None)
