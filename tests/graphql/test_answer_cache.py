"""Public answers served from the shared cache, and dropped as soon as the content they may contain changes.

The cache is the test settings' memory cache, turned on here (the rest of the suite runs without it); changes are
announced after commit, so the tests that change content run the on-commit callbacks. Another process publishing is
covered against Redis in ``test_answer_cache_redis.py``.
"""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.test import RequestFactory

from cms.core.changes import contents_changed
from cms.missions.models import Mission
from graphql_api.core import answers, generations
from graphql_api.core.media import JSON
from importers.feeds import import_source
from importers.models import FeedSource
from tests.factories.importers import FeedSourceFactory
from tests.factories.missions import MissionFactory
from tests.factories.pages import ContentPageFactory

PAGE = "query Page($path: String!) { page(urlPath: $path) { title } }"
MISSIONS = "{ missions(first: 100) { totalCount edges { node { title } } } }"
DOMAINS = "{ domains { slug } }"


class BrokenCache(LocMemCache):
    """A cache whose every read fails, like Redis down."""

    def get_many(self, keys, version=None):
        raise ConnectionError("cache injoignable")

    def get(self, key, default=None, version=None):
        raise ConnectionError("cache injoignable")


@pytest.fixture(autouse=True)
def answer_cache(settings):
    settings.GRAPHQL_ANSWER_CACHE = "default"
    caches["default"].clear()
    yield
    caches["default"].clear()


def ask(client, query: str, variables: dict | None = None, **headers):
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return client.get("/graphql/", params, headers=headers)


def title_of(response) -> str | None:
    return (response.json()["data"]["page"] or {}).get("title")


def test_a_public_query_is_answered_from_the_cache_the_second_time(client, home_page):
    ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")

    first = ask(client, PAGE, {"path": "/qui-sommes-nous/"})
    second = ask(client, PAGE, {"path": "/qui-sommes-nous/"})

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_cached_answer_is_public_for_caches_in_between(client, db, settings):
    ask(client, DOMAINS)

    response = ask(client, DOMAINS)

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {
        "public",
        f"max-age={settings.GRAPHQL_CACHE_MAX_AGE}",
        f"s-maxage={settings.GRAPHQL_CACHE_SHARED_MAX_AGE}",
    }
    assert {"Accept", "Origin", "Authorization", "X-Api-Key"} <= {v.strip() for v in response["Vary"].split(",")}


def test_the_variables_are_part_of_the_key(client, home_page):
    ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")
    ContentPageFactory(title="Nos partenaires", slug="nos-partenaires")

    ask(client, PAGE, {"path": "/qui-sommes-nous/"})
    other = ask(client, PAGE, {"path": "/nos-partenaires/"})

    assert (other["X-Cache"], title_of(other)) == ("miss", "Nos partenaires")


def test_the_site_asked_is_part_of_the_key(client, db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "autre.example"]
    ask(client, DOMAINS)

    other = client.get("/graphql/", {"query": DOMAINS}, HTTP_HOST="autre.example")

    assert other["X-Cache"] == "miss"


def test_the_media_type_answered_is_part_of_the_key(client, db):
    ask(client, DOMAINS)

    other = ask(client, DOMAINS, Accept="application/graphql-response+json")

    assert other["X-Cache"] == "miss"
    assert other["Content-Type"].startswith("application/graphql-response+json")


def test_an_answer_with_errors_is_not_cached(client, db):
    ask(client, PAGE, {"path": "/nulle-part/"})

    again = ask(client, PAGE, {"path": "/nulle-part/"})

    assert again["X-Cache"] == "miss"
    assert "no-store" in again["Cache-Control"]


@pytest.mark.parametrize(
    "headers",
    [{"X-Api-Key": "une-cle"}, {"Authorization": "Bearer une-cle"}],
    ids=["X-Api-Key", "Authorization"],
)
def test_a_request_with_an_api_key_is_neither_served_from_nor_stored_in_the_cache(client, db, headers):
    ask(client, DOMAINS)

    keyed = ask(client, DOMAINS, **headers)

    assert "X-Cache" not in keyed
    assert "no-store" in keyed["Cache-Control"]


def test_a_signed_in_user_is_neither_served_from_nor_stored_in_the_cache(client, db, django_user_model):
    ask(client, DOMAINS)
    client.force_login(django_user_model.objects.create_user("editrice", password="x"))

    signed_in = ask(client, DOMAINS)

    assert "X-Cache" not in signed_in
    assert "no-store" in signed_in["Cache-Control"]


def test_a_preview_is_never_cached(client, db):
    query = 'query { page(urlPath: "/", previewToken: "jeton") { title } }'

    responses = [ask(client, query) for _ in range(2)]

    assert ["X-Cache" in response for response in responses] == [False, False]


def test_a_post_is_cached_on_the_server_but_not_by_caches_in_between(client, db):
    post = [client.post("/graphql/", {"query": DOMAINS}, content_type="application/json") for _ in range(2)]

    assert [response["X-Cache"] for response in post] == ["miss", "hit"]
    assert "no-store" in post[1]["Cache-Control"]


def test_a_mutation_is_never_cached(client, db):
    mutation = 'mutation { archiveMission(clientId: "c") { __typename } }'

    response = client.post("/graphql/", {"query": mutation}, content_type="application/json")

    assert "X-Cache" not in response


def test_a_publication_changes_the_cached_answer_at_once(client, home_page, django_capture_on_commit_callbacks):
    page = ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")
    ask(client, PAGE, {"path": "/qui-sommes-nous/"})

    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Qui sommes-nous ?"
        page.save_revision().publish()
    after = ask(client, PAGE, {"path": "/qui-sommes-nous/"})

    assert (after["X-Cache"], title_of(after)) == ("miss", "Qui sommes-nous ?")


def lookup_domains():
    """(slot, answer) of the domains query as the view looks it up."""
    request = RequestFactory().get("/graphql/", {"query": DOMAINS})
    return answers.lookup(request, SimpleNamespace(query=DOMAINS, variables=None, operation_name=None), JSON)


def test_an_answer_stored_is_served_while_the_generations_it_was_computed_under_are_current(db):
    slot, _ = lookup_domains()

    answers.store(slot, HttpResponse(b'{"data": {}}', content_type=JSON))

    assert lookup_domains()[1].body == b'{"data": {}}'


def test_an_answer_computed_before_a_publication_and_stored_after_it_is_not_served(db):
    slot, _ = lookup_domains()  # what a slow request read before computing
    generations.bump(generations.ALL_DOMAINS)  # a publication while it computes

    answers.store(slot, HttpResponse(b'{"data": {}}', content_type=JSON))  # then it stores what it computed

    assert lookup_domains()[1] is None


def test_a_draft_saved_leaves_the_cached_answer_in_place(client, home_page, django_capture_on_commit_callbacks):
    page = ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")
    ask(client, PAGE, {"path": "/qui-sommes-nous/"})

    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Brouillon"
        page.save_revision()
    after = ask(client, PAGE, {"path": "/qui-sommes-nous/"})

    assert (after["X-Cache"], title_of(after)) == ("hit", "Qui sommes-nous")


def test_a_change_in_one_domain_leaves_the_answers_of_the_others_cached(client, db, django_capture_on_commit_callbacks):
    ask(client, DOMAINS)

    with django_capture_on_commit_callbacks(execute=True):
        MissionFactory()
    domains, missions = ask(client, DOMAINS), ask(client, MISSIONS)

    assert domains["X-Cache"] == "hit"
    assert missions["X-Cache"] == "miss"


def test_an_import_drops_the_cached_missions_answers(client, db, django_capture_on_commit_callbacks):
    MissionFactory(title="Déjà là")
    ask(client, MISSIONS)
    feed = [{"clientId": "j-1", "title": "Collecter des denrées", "description": "Le samedi.", "places": 3}]

    with django_capture_on_commit_callbacks(execute=True):
        import_source(FeedSourceFactory(format=FeedSource.Format.JSON), stream=io.BytesIO(json.dumps(feed).encode()))
    after = ask(client, MISSIONS)

    assert Mission.objects.count() == 2
    assert after["X-Cache"] == "miss"
    assert after.json()["data"]["missions"]["totalCount"] == Mission.objects.public().count()


def test_answers_are_computed_when_the_cache_fails(client, db, settings, caplog):
    settings.CACHES = {**settings.CACHES, "broken": {"BACKEND": "tests.graphql.test_answer_cache.BrokenCache"}}
    settings.GRAPHQL_ANSWER_CACHE = "broken"

    response = ask(client, DOMAINS)

    assert response.status_code == 200
    assert "X-Cache" not in response
    assert any("answer cache" in record.getMessage() for record in caplog.records)


def test_an_announcement_of_a_model_outside_every_domain_drops_every_answer(client, db):
    ask(client, DOMAINS)

    contents_changed.send(sender=FeedSource, pks=frozenset({1}))

    assert ask(client, DOMAINS)["X-Cache"] == "miss"


def test_a_search_answer_cached_before_the_index_took_a_change_is_dropped_once_it_has(client, db):
    from search import indexing

    mission = MissionFactory(title="Maraude solidaire")
    search = '{ searchMissions(query: "maraude") { totalCount } }'
    ask(client, search)  # cached while the index (updated later, by the task worker in production) lacks the mission

    indexing.update(indexing.KINDS["missions"], [mission.pk])
    after = ask(client, search)

    assert after["X-Cache"] == "miss"
    assert after.json()["data"]["searchMissions"]["totalCount"] == 1
