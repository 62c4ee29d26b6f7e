"""Hostile queries are refused before execution, with a French message naming the limit."""

from __future__ import annotations

from graphql import parse

from cms.core.blocks import BODY_BLOCKS_MAX, LISTING_ITEMS_MAX
from cms.missions.models import MISSION_ADDRESSES_MAX
from graphql_api.core.limits import estimate_cost
from graphql_api.schema import schema
from tests.factories.missions import MissionFactory

DEEP = '{ page(urlPath: "/") { ' + "parent { " * 14 + "title" + " }" * 14 + " } }"

HUGE = """
{ offers(first: 100) { edges { node {
  partner { offers { partner { offers { stores { name city } categories { label } needs { label } } } } }
} } } }
"""


def test_a_query_deeper_than_the_limit_is_refused(run_query, settings):
    result = run_query(DEEP)

    assert result.data is None
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].extensions["limit"] == "depth"
    assert "trop profonde" in result.errors[0].message


def test_a_query_with_too_many_aliases_is_refused(run_query, settings):
    aliases = " ".join(f"a{i}: domains {{ slug }}" for i in range(settings.GRAPHQL_MAX_ALIASES + 1))

    result = run_query("{ " + aliases + " }")

    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].extensions["limit"] == "aliases"


def test_a_query_with_too_many_tokens_is_refused(run_query, settings):
    fields = " ".join(["slug"] * settings.GRAPHQL_MAX_TOKENS)

    result = run_query("{ domains { " + fields + " } }")

    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].extensions["limit"] == "tokens"


def test_a_query_asking_for_millions_of_nodes_is_refused_before_running(run_query, django_assert_num_queries):
    with django_assert_num_queries(0):
        result = run_query(HUGE)

    assert result.data is None
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].extensions["limit"] == "cost"
    assert "trop coûteuse" in result.errors[0].message


def test_cost_counts_page_sizes_given_in_variables(run_query):
    query = """query($n: Int!) { missions(first: $n) { edges { node { title } } } }"""

    result = run_query(query, {"n": 101})

    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].extensions["limit"] == "pageSize"


def test_a_page_of_more_than_100_items_is_refused(run_query):
    result = run_query("{ missions(first: 500) { totalCount } }")

    assert result.codes == ["BAD_USER_INPUT"]
    assert "100" in result.errors[0].message


def test_a_reasonable_list_query_runs(run_query):
    MissionFactory()

    result = run_query("{ missions(first: 100) { totalCount edges { node { title addresses { city } } } } }")

    assert result.errors == []
    assert result.data["missions"]["totalCount"] == 1


def test_an_unknown_field_is_a_validation_error_in_french(run_query):
    result = run_query("{ missions { nope } }")

    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert result.errors[0].message == "Le champ « nope » n'existe pas sur le type « MissionConnection »."


def cost(query: str) -> int:
    return estimate_cost(schema._schema, parse(query))


def test_the_addresses_of_a_mission_are_charged_at_the_most_a_mission_may_hold():
    # missions, edges, 10 nodes, their 10 address lists, then one city per address a mission may hold
    assert cost("{ missions(first: 10) { edges { node { addresses { city } } } } }") == (
        1 + 1 + 10 + 10 + 10 * MISSION_ADDRESSES_MAX
    )


def test_a_query_costly_only_by_its_real_address_counts_is_refused(run_query, settings):
    settings.GRAPHQL_MAX_COST = 10 * MISSION_ADDRESSES_MAX  # below the real 522, far above 10 addresses each

    result = run_query("{ missions(first: 10) { edges { node { addresses { city } } } } }")

    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].extensions["limit"] == "cost"


def test_the_items_of_a_listing_block_are_charged_at_the_most_a_block_may_show():
    query = "{ page { ... on HomePage { body { ... on ListingBlock { missions { title } } } } } }"

    # page, its body blocks (the most a body holds), each block's missions, one title per mission
    assert cost(query) == 1 + 1 + BODY_BLOCKS_MAX + BODY_BLOCKS_MAX * LISTING_ITEMS_MAX


def test_a_list_asked_with_a_limit_is_charged_at_that_limit():
    assert cost("{ pages(limit: 3) { title } }") == 1 + 3


def test_a_list_asked_without_its_limit_is_charged_at_the_limit_s_default():
    assert cost("{ pages { title } }") == 1 + 20
