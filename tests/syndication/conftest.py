"""Fixtures of the syndication tests: empty counters and feed cache, two indexed missions in two departments."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import caches

from cms.taxonomy.models import Domain
from search.base import get_backend
from search.missions import MISSIONS
from tests.factories.missions import MissionAddressFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate counters and rendered feeds live in this cache: every test starts without them."""
    caches[settings.GRAPHQL_RATE_LIMIT_CACHE].clear()


@pytest.fixture
def missions(db) -> dict:
    """« Lire à Lyon » (education, Rhône) and « Jardiner à Paris » (environment, Paris, located), both indexed."""
    lyon = MissionAddressFactory(mission__title="Lire à Lyon", city="Lyon", department_code="69").mission
    paris = MissionAddressFactory(
        mission__title="Jardiner à Paris",
        mission__domain=Domain.objects.get(slug="environnement"),
        city="Paris",
        postcode="75011",
        department_code="75",
        latitude=48.86,
        longitude=2.38,
    ).mission
    get_backend().rebuild(MISSIONS, MISSIONS.records())
    return {"lyon": lyon, "paris": paris}
