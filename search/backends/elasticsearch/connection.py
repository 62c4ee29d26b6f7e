"""The client of the configured cluster: URL, API key and TLS verification from the settings."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import Elasticsearch

#: Connection errors and timeouts are retried on another attempt; 429s of bulk items are retried by the backend.
CLIENT_RETRIES = 3


def client_from_settings() -> Elasticsearch:
    """A client for ``ELASTICSEARCH_URL``, authenticated by ``ELASTICSEARCH_API_KEY`` when set.

    TLS options only apply to an ``https://`` URL: ``ELASTICSEARCH_CA_CERTS`` names the PEM file of the CA that
    signed the cluster's certificate (Elasticsearch 8 generates its own, ``config/certs/http_ca.crt``), and
    ``ELASTICSEARCH_VERIFY_CERTS=false`` turns verification off (never in production).
    """
    url = settings.ELASTICSEARCH_URL
    if not url:
        raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL.")
    options: dict = {"request_timeout": 30, "max_retries": CLIENT_RETRIES, "retry_on_timeout": True}
    if settings.ELASTICSEARCH_API_KEY:
        options["api_key"] = settings.ELASTICSEARCH_API_KEY
    if url.startswith("https://"):
        options["verify_certs"] = settings.ELASTICSEARCH_VERIFY_CERTS
        if not settings.ELASTICSEARCH_VERIFY_CERTS:
            options["ssl_show_warn"] = False
        if settings.ELASTICSEARCH_CA_CERTS:
            if not Path(settings.ELASTICSEARCH_CA_CERTS).is_file():
                raise ImproperlyConfigured(
                    f"ELASTICSEARCH_CA_CERTS names no file: {settings.ELASTICSEARCH_CA_CERTS!r}."
                )
            options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    return Elasticsearch(url, **options)
