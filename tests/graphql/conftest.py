"""Running operations against the schema in-process, the way the view does (same extensions, same context)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from strawberry.django.context import StrawberryDjangoContext

from graphql_api.schema import schema


class Executed:
    def __init__(self, result) -> None:
        self.data = result.data
        self.errors = result.errors or []

    @property
    def codes(self) -> list[str]:
        return [(error.extensions or {}).get("code") for error in self.errors]


@pytest.fixture
def run_query(db):
    """``run_query(QUERY, variables)`` → data and errors (with their codes)."""

    def run(query: str, variables: dict | None = None) -> Executed:
        request = RequestFactory().post("/graphql/")
        request.user = AnonymousUser()
        context = StrawberryDjangoContext(request=request, response=None)
        result = schema.execute_sync(query, variable_values=variables, context_value=context)
        return Executed(result)

    return run


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with empty rate-limit counters (they live in the process-wide cache)."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.GRAPHQL_RATE_LIMIT_CACHE].clear()


@pytest.fixture
def redis_prefix():
    """A cache key prefix of the test's own in the real Redis (skipped without one); its keys are deleted afterwards."""
    from tests.servers import redis_or_skip

    redis = redis_or_skip()
    prefix = f"tremplin-test-{uuid.uuid4().hex}"
    yield prefix
    for key in redis.scan_iter(match=f"{prefix}*"):
        redis.delete(key)
