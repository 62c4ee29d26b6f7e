"""Factories write test data without Wagtail's side indexes; what is saved outside a factory still updates both."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry

from cms.missions.models import Mission
from tests.factories.missions import MissionFactory

pytestmark = pytest.mark.django_db


def indexes_holding(mission: Mission) -> dict[str, int]:
    content_type = ContentType.objects.get_for_model(Mission)
    return {
        "search": IndexEntry.objects.filter(content_type=content_type, object_id=str(mission.pk)).count(),
        "references": ReferenceIndex.objects.filter(base_content_type=content_type, object_id=str(mission.pk)).count(),
    }


def test_a_mission_made_by_its_factory_is_in_neither_index():
    mission = MissionFactory()

    assert indexes_holding(mission) == {"search": 0, "references": 0}


def test_the_same_mission_saved_outside_a_factory_reaches_both_indexes():
    mission = MissionFactory()

    mission.save()
    held = indexes_holding(mission)

    assert (held["search"], held["references"] > 0) == (1, True)
