"""GraphiQL (DEBUG only) works without internet: its scripts and styles are served by the project itself."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest

QUERY = "{ domains { slug } }"


@pytest.fixture
def graphiql(offline_page, app_server, settings):
    settings.DEBUG = True
    offline_page.tab.goto(f"{app_server.url}/graphql/?{urlencode({'q': QUERY}, quote_via=quote)}")
    return offline_page


def test_graphiql_runs_a_query_and_shows_the_result_offline(graphiql):
    graphiql.tab.locator(".graphiql-execute-button").click()

    response = graphiql.tab.locator(".graphiql-response")
    response.get_by_text('"domains"').wait_for()
    assert '"data"' in response.inner_text()
    assert graphiql.blocked == []
