"""Whether the search backend answers, for ``/readyz`` (``HEALTH_CHECKS`` in the settings, cms/core/health.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction

from .backends.elasticsearch import alias_name
from .indexing import KINDS


def check_search() -> None:
    """The database backend: its document tables can be read; Elasticsearch: the cluster answers and every kind's
    alias exists. Raises otherwise, within ``HEALTH_CHECK_TIMEOUT`` seconds."""
    timeout = settings.HEALTH_CHECK_TIMEOUT
    if settings.SEARCH_BACKEND == "elasticsearch":
        from elasticsearch import Elasticsearch

        client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=timeout, max_retries=0)
        for kind in KINDS.values():
            if not client.indices.exists_alias(name=alias_name(kind)):
                raise RuntimeError(f"no Elasticsearch alias for {kind.name}")
        return
    from .models import MissionDocument, OfferDocument

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{timeout}s"])
        for model in (MissionDocument, OfferDocument):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} LIMIT 1")  # noqa: S608
            cursor.fetchall()
