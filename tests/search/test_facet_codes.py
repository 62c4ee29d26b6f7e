"""The integer codes the PostgreSQL index compares instead of slugs: packed and unpacked without loss."""

from __future__ import annotations

import pytest

from search.backends.elasticsearch import to_source
from search.missions import MISSIONS, REMOTE_CODES, combination, split
from tests.factories.missions import MissionAddressFactory, MissionFactory

CODES = {"domain_code", "programme_code", "remote_code", "facets_combined", "department_key"}


@pytest.mark.parametrize(
    ("domain", "programme", "remote"),
    [(1, 1, 1), (20, 7, 3), (None, None, None), (None, 4, 2), (2**31 - 1, 2**30 - 1, 3)],
)
def test_a_combination_splits_back_into_the_codes_it_was_made_of(domain, programme, remote):
    parts = split(combination(domain, programme, remote))
    assert parts == {"domain": domain, "programme": programme, "remote": remote}


def test_a_taxonomy_key_beyond_the_combination_range_is_refused():
    with pytest.raises(ValueError, match="range"):
        combination(1, 2**30, 1)


def test_remote_codes_are_distinct_and_leave_zero_for_no_value():
    assert sorted(REMOTE_CODES.values()) == [1, 2, 3]


def test_a_mission_record_carries_its_taxonomy_keys_remote_code_and_department_key(db):
    mission = MissionFactory(remote="possible")
    MissionAddressFactory(mission=mission, department_code="75")
    MissionAddressFactory(mission=mission, department_code="2A")
    (record,) = MISSIONS.records([mission.pk])
    assert {name: record[name] for name in CODES} == {
        "domain_code": mission.domain_id,
        "programme_code": mission.programme_id,
        "remote_code": REMOTE_CODES["possible"],
        "facets_combined": combination(mission.domain_id, mission.programme_id, REMOTE_CODES["possible"]),
        "department_key": "2A,75",
    }


def test_the_database_codes_stay_out_of_elasticsearch_documents(db):
    (record,) = MISSIONS.records([MissionFactory().pk])
    assert CODES & set(to_source(record)) == set()
