"""Search tests run the same behaviour against each backend: the database always, Elasticsearch when a cluster is set.

``ELASTICSEARCH_URL=http://localhost:9200 pytest tests/search`` runs the live suite; without it the Elasticsearch
parameter is skipped with a reason, never silently passed.
"""

from __future__ import annotations

import os
import uuid

import pytest

from search.base import SearchQuery, get_backend
from search.indexing import KINDS


def _backend_params():
    live = os.environ.get("ELASTICSEARCH_URL")
    return [
        pytest.param("database", id="database"),
        pytest.param(
            "elasticsearch",
            id="elasticsearch",
            marks=pytest.mark.skipif(not live, reason="ELASTICSEARCH_URL is not set: live Elasticsearch suite skipped"),
        ),
    ]


@pytest.fixture(params=_backend_params())
def backend(request, db):
    """The backend under test, selected in settings too so that indexing after commit writes to it."""
    name = request.param
    if name == "elasticsearch":
        request.getfixturevalue("settings").ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        request.getfixturevalue("settings").ELASTICSEARCH_INDEX_PREFIX = f"tremplin-test-{uuid.uuid4().hex[:8]}"
        request.getfixturevalue("settings").ELASTICSEARCH_REFRESH = True
        request.getfixturevalue("settings").ELASTICSEARCH_REPLICAS = 0  # a local cluster has one node
    request.getfixturevalue("settings").SEARCH_BACKEND = name
    engine = get_backend(name)
    yield engine
    if name == "elasticsearch":
        engine.drop_indices()


@pytest.fixture
def cluster(settings):
    """A strict fake Elasticsearch cluster on loopback; the test fails if a request was not one it routed."""
    from .es_server import FakeCluster, start

    settings.ELASTICSEARCH_INDEX_PREFIX = "tremplin"
    fake = FakeCluster()
    server = start(fake)
    yield fake
    server.shutdown()
    server.server_close()
    assert [(r.method, r.path) for r in fake.unexpected] == []


@pytest.fixture
def es_backend(cluster):
    """The Elasticsearch backend talking to the fake cluster, with bulk retries a few milliseconds apart."""
    from elasticsearch import Elasticsearch

    from search.backends.elasticsearch import ElasticsearchBackend

    engine = ElasticsearchBackend(Elasticsearch(cluster.url, request_timeout=5))
    engine.initial_backoff = 0.01
    return engine


@pytest.fixture
def database_backend(settings, db):
    """The database backend alone, for its own paths (PostgreSQL's shortcuts compared with its general ones)."""
    from search.backends.database import DatabaseBackend

    settings.SEARCH_BACKEND = "database"
    return DatabaseBackend()


@pytest.fixture
def reindex(backend):
    """Rebuild the index of every kind from the database, as ``search_reindex`` does."""

    def run():
        for kind in KINDS.values():
            backend.rebuild(kind, kind.records())

    return run


@pytest.fixture
def search_missions(backend):
    def run(text: str = "", **kwargs):
        return backend.search(KINDS["missions"], SearchQuery(text=text, **kwargs))

    return run


@pytest.fixture
def search_offers(backend):
    def run(text: str = "", **kwargs):
        return backend.search(KINDS["offers"], SearchQuery(text=text, **kwargs))

    return run


def pks(result) -> list[int]:
    return [hit.pk for hit in result.hits]


def counts(result, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[facet]}
