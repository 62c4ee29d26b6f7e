"""Property: whatever is posted to /graphql/, the answer is never a 500 and nothing logs a traceback.

Operations are generated from the published SDL (``frontend_contract/schema.graphql``) by hypothesis-graphql, valid
ones and ones with a single schema violation, with hostile strings (NUL, any code point, long texts) in arguments;
variables and whole bodies are generated with hostile values and sizes beside them. The runs are derandomised and
bounded so that CI sees the same examples every time, in a few seconds.
"""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import graphql
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, mutations

from cms.partners_api.models import ApiKey
from tests.factories.missions import MissionFactory

SDL = (Path(__file__).resolve().parents[2] / "frontend_contract" / "schema.graphql").read_text(encoding="utf-8")

FUZZ = hypothesis_settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Texts an attacker would try: NUL, lone surrogates, any code point, very long, many words.
HOSTILE_TEXT = st.one_of(
    st.text(),
    st.text(st.characters(codec=None)),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "💥" * 100, "' OR 1=1 --", "%00", "\\u0000"]),
    st.builds(lambda word, n: " ".join([word] * n), st.sampled_from(["mot", "bénévolat", "a"]), st.integers(0, 30_000)),
    st.integers(0, 200_000).map(lambda n: "x" * n),
)
HOSTILE_CURSOR = st.one_of(
    HOSTILE_TEXT,
    st.binary(max_size=64).map(lambda raw: base64.b64encode(raw).decode()),
    st.integers(-(10**30), 10**30).map(lambda n: base64.b64encode(f"arrayconnection:{n}".encode()).decode()),
    st.integers(-(10**30), 10**30).map(lambda n: base64.urlsafe_b64encode(f"o:{n}".encode()).decode()),
)
HOSTILE_NUMBER = st.one_of(st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.booleans(), HOSTILE_TEXT)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | HOSTILE_TEXT,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=20,
)


def _string_node(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
    return strategy.map(lambda value: graphql.StringValueNode(value=value))


#: Custom scalars get hostile texts too, not only well-formed dates and decimals.
SCALARS = {
    "Date": _string_node(st.one_of(st.dates().map(str), HOSTILE_TEXT)),
    "DateTime": _string_node(st.one_of(st.datetimes().map(lambda d: d.isoformat()), HOSTILE_TEXT)),
    "Decimal": _string_node(st.one_of(st.decimals(allow_nan=False).map(str), HOSTILE_TEXT)),
}

OPERATIONS = st.one_of(
    from_schema(SDL, custom_scalars=SCALARS, codec=None),
    from_schema(SDL, custom_scalars=SCALARS, codec=None, mode=Mode.NEGATIVE),
)

PUSH = st.one_of(
    mutations(SDL, custom_scalars=SCALARS, codec=None, fields=["createMission", "updateMission"]),
    mutations(SDL, custom_scalars=SCALARS, codec=None, fields=["createMission", "updateMission"], mode=Mode.NEGATIVE),
)

SEARCH = """
query Search($q: String, $after: String, $first: Int, $f: MissionSearchFilters) {
  searchMissions(query: $q, after: $after, first: $first, filters: $f) { totalCount hits { mission { title } } }
}
"""
MISSIONS = """
query Missions($after: String, $before: String, $first: Int, $last: Int, $f: MissionFilter) {
  missions(after: $after, before: $before, first: $first, last: $last, filters: $f) { totalCount }
}
"""
ARCHIVE = "mutation Archive($id: String!) { archiveMission(clientId: $id) { clientId } }"

VARIABLES = st.one_of(
    st.tuples(
        st.just(SEARCH),
        st.fixed_dictionaries(
            {},
            optional={
                "q": HOSTILE_TEXT,
                "after": HOSTILE_CURSOR,
                "first": HOSTILE_NUMBER,
                "f": st.fixed_dictionaries(
                    {}, optional={"domain": st.lists(HOSTILE_TEXT, max_size=600), "city": JSON_VALUES}
                ),
            },
        ),
    ),
    st.tuples(
        st.just(MISSIONS),
        st.fixed_dictionaries(
            {},
            optional={
                "after": HOSTILE_CURSOR,
                "before": HOSTILE_CURSOR,
                "first": HOSTILE_NUMBER,
                "last": HOSTILE_NUMBER,
                "f": st.one_of(JSON_VALUES, st.fixed_dictionaries({"domain": st.lists(HOSTILE_TEXT)})),
            },
        ),
    ),
    st.tuples(st.just(ARCHIVE), st.fixed_dictionaries({"id": HOSTILE_TEXT})),
    st.tuples(st.just(SEARCH), st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=4)),
)

BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.integers(1, 20_000).map(
        lambda depth: ('{"query": "{ __typename }", "variables": {"v": ' + "[" * depth).encode()
    ),
    st.tuples(st.just("{ __typename }"), JSON_VALUES).map(
        lambda pair: json.dumps({"query": pair[0], "variables": pair[1]}).encode()
    ),
)


@pytest.fixture
def api(client, db, settings, caplog):
    """Posts to /graphql/ and checks the answer: no 5xx, no traceback in the body or in the logs."""
    settings.GRAPHQL_RATE_LIMIT = "off"
    MissionFactory.create_batch(2)
    caplog.set_level(logging.INFO)

    def post(body: bytes | str, headers: dict[str, str] | None = None) -> None:
        seen = len(caplog.records)
        response = client.post("/graphql/", body, content_type="application/json", headers=headers or {})
        assert response.status_code < 500, response.content[:500]
        assert b"Traceback" not in response.content
        new = caplog.records[seen:]
        assert not [r for r in new if r.exc_info or r.levelno >= logging.ERROR], [r.getMessage() for r in new]

    return post


@FUZZ
@given(operation=OPERATIONS)
def test_no_operation_generated_from_the_schema_gets_a_500(api, operation):
    api(json.dumps({"query": operation}))


@FUZZ
@given(operation_and_variables=VARIABLES)
def test_no_hostile_variables_get_a_500(api, operation_and_variables):
    query, variables = operation_and_variables
    api(json.dumps({"query": query, "variables": variables}))


@FUZZ
@given(body=BODIES)
def test_no_hostile_body_gets_a_500(api, body):
    api(body)


@pytest.fixture
def api_key_headers(db, settings) -> dict[str, str]:
    """A partner's key, so that generated pushes reach validation and writing; no geocoder answers."""
    settings.GEOCODER_URL = "http://127.0.0.1:9/search/"
    return {"Authorization": f"Bearer {ApiKey.create_key(name='Partenaire', source='partenaire')[1]}"}


@FUZZ
@given(operation=PUSH)
def test_no_push_generated_from_the_schema_gets_a_500(api, api_key_headers, operation):
    api(json.dumps({"query": operation}), headers=api_key_headers)
