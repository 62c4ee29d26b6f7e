"""``field__any``: membership in a list sent as one array parameter, the same rows as ``__in``."""

from __future__ import annotations

import pytest

from cms.missions.models import Mission, MissionAddress
from tests.factories.missions import MissionAddressFactory, MissionFactory


@pytest.fixture
def missions(db):
    return [MissionFactory() for _ in range(4)]


def test_any_finds_the_rows_in_finds(missions):
    wanted = [missions[0].pk, missions[2].pk, 10**9]

    assert set(Mission.objects.filter(pk__any=wanted)) == set(Mission.objects.filter(pk__in=wanted))


def test_any_of_an_empty_list_matches_nothing(missions):
    assert list(Mission.objects.filter(pk__any=[])) == []


def test_any_works_on_a_foreign_key(missions):
    address = MissionAddressFactory(mission=missions[1])

    assert list(MissionAddress.objects.filter(mission_id__any=[missions[1].pk, missions[3].pk])) == [address]


def test_any_sends_the_list_as_one_parameter_whatever_its_length(missions):
    compiled = [
        Mission.objects.filter(pk__any=ids).values_list("pk").query.sql_with_params()
        for ids in ([m.pk for m in missions], [missions[0].pk])
    ]

    (long_sql, long_params), (short_sql, short_params) = compiled
    assert long_sql == short_sql
    assert '"id" = ANY(%s)' in long_sql
    assert (len(long_params), len(short_params)) == (1, 1)


def test_any_prepares_values_as_the_field_does(missions):
    with pytest.raises(ValueError, match="expected a number"):
        list(Mission.objects.filter(pk__any=["not a number"]))
