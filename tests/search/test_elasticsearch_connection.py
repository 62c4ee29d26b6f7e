"""The client built from the settings: API key, TLS with the cluster's own CA, verification, replicas."""

from __future__ import annotations

import ssl

import pytest
import trustme
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import ConnectionError as TransportConnectionError

from search.backends.elasticsearch import ElasticsearchBackend, index_definition
from search.base import SearchQuery
from search.missions import MISSIONS

from .es_data import SEARCH_REPLY
from .es_server import FakeCluster, start


@pytest.fixture
def authority():
    return trustme.CA()


@pytest.fixture
def tls_cluster(settings, authority):
    """The fake cluster over HTTPS, its certificate signed by ``authority`` (as Elasticsearch 8 signs its own)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    fake = FakeCluster()
    server = start(fake, ssl_context=context)
    settings.ELASTICSEARCH_URL = fake.url
    settings.ELASTICSEARCH_INDEX_PREFIX = "tremplin"
    settings.ELASTICSEARCH_API_KEY = ""
    settings.ELASTICSEARCH_CA_CERTS = ""
    settings.ELASTICSEARCH_VERIFY_CERTS = True
    yield fake
    server.shutdown()
    server.server_close()


def test_the_backend_trusts_the_configured_ca_and_sends_the_api_key(settings, tmp_path, authority, tls_cluster):
    ca = tmp_path / "http_ca.crt"
    authority.cert_pem.write_to_path(str(ca))
    settings.ELASTICSEARCH_CA_CERTS = str(ca)
    settings.ELASTICSEARCH_API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
    tls_cluster.reply("POST", "/tremplin-missions/_search", SEARCH_REPLY)
    result = ElasticsearchBackend().search(MISSIONS, SearchQuery(first=2, facets=()))
    assert [hit.pk for hit in result.hits] == [301, 17]
    assert tls_cluster.requests[0].headers["authorization"] == f"ApiKey {settings.ELASTICSEARCH_API_KEY}"


def test_a_certificate_no_configured_ca_signed_is_refused(tls_cluster):
    tls_cluster.reply("POST", "/tremplin-missions/_search", SEARCH_REPLY)
    backend = ElasticsearchBackend()
    with pytest.raises(TransportConnectionError):
        backend.client.options(max_retries=0).search(index="tremplin-missions", body={})
    assert tls_cluster.requests == []


def test_verification_can_be_turned_off_for_a_throwaway_cluster(settings, tls_cluster):
    settings.ELASTICSEARCH_VERIFY_CERTS = False
    tls_cluster.reply("POST", "/tremplin-missions/_search", SEARCH_REPLY)
    assert ElasticsearchBackend().search(MISSIONS, SearchQuery(first=2, facets=())).total == 42


def test_a_ca_path_that_names_no_file_stops_with_the_setting_name(settings, tls_cluster):
    settings.ELASTICSEARCH_CA_CERTS = "/nulle/part/http_ca.crt"
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_CA_CERTS"):
        ElasticsearchBackend()


def test_the_number_of_replicas_is_a_setting(settings):
    settings.ELASTICSEARCH_REPLICAS = 0
    assert index_definition(MISSIONS, "x").to_dict()["settings"]["number_of_replicas"] == 0
