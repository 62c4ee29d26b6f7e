"""The sitemap: every public URL of a kind with its last change, read by keyset, at a constant cost per page."""

from __future__ import annotations

import pytest
from graphql import parse

from cms.missions.models import Mission
from graphql_api.core.limits import estimate_cost
from graphql_api.schema import schema
from graphql_api.sitemap.queries import SITEMAP_PAGE_MAX
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory, PartnerPageFactory
from tests.factories.pages import ContentPageFactory

pytestmark = pytest.mark.django_db

SITEMAP = """
query Sitemap($kind: SitemapKind!, $first: Int, $after: String) {
  sitemap(kind: $kind, first: $first, after: $after) {
    totalCount hasNextPage endCursor
    nodes { databaseId slug urlPath lastModified }
  }
}
"""
SITEMAP_WITHOUT_COUNT = """
query Sitemap($kind: SitemapKind!, $first: Int, $after: String) {
  sitemap(kind: $kind, first: $first, after: $after) { hasNextPage endCursor nodes { databaseId urlPath lastModified } }
}
"""
#: The site, the sections hidden from the public, one page of rows; missions skip the first two.
PAGES_SITEMAP_QUERIES = 3
MISSIONS_SITEMAP_QUERIES = 1


def _paths(data: dict) -> list[str]:
    return [node["urlPath"] for node in data["nodes"]]


def test_pages_are_listed_with_their_path_and_last_publication(post_graphql, home_page):
    page = ContentPageFactory(slug="a-propos")
    page.save_revision().publish()
    page.refresh_from_db()

    data = post_graphql(SITEMAP, kind="PAGES")["data"]["sitemap"]

    entry = next(node for node in data["nodes"] if node["databaseId"] == page.pk)
    assert entry["urlPath"] == "/a-propos/"
    assert entry["lastModified"] == page.last_published_at.isoformat()
    assert "/" in _paths(data)


def test_pages_leave_offers_and_partners_to_their_own_kinds(post_graphql, home_page):
    partner = PartnerPageFactory(slug="velo-cite")
    offer = OfferPageFactory(parent=partner, slug="velo-reduit")

    pages = _paths(post_graphql(SITEMAP, kind="PAGES")["data"]["sitemap"])
    partners = post_graphql(SITEMAP, kind="PARTNERS")["data"]["sitemap"]["nodes"]
    offers = post_graphql(SITEMAP, kind="OFFERS")["data"]["sitemap"]["nodes"]

    assert not [path for path in pages if "velo" in path]
    assert [node["slug"] for node in partners] == [partner.slug]
    assert [node["slug"] for node in offers] == [offer.slug]


def test_hidden_pages_are_not_listed(post_graphql, home_page):
    ContentPageFactory(slug="brouillon", live=False)
    section = ContentPageFactory(slug="rubrique")
    ContentPageFactory(parent=section, slug="dessous")
    section.unpublish()

    paths = _paths(post_graphql(SITEMAP, kind="PAGES")["data"]["sitemap"])

    assert not [path for path in paths if "brouillon" in path or "rubrique" in path]


def test_missions_are_listed_by_id_with_their_last_change(post_graphql, db):
    visible = MissionFactory()
    MissionFactory(moderation_status=Mission.Moderation.PENDING)

    data = post_graphql(SITEMAP, kind="MISSIONS")["data"]["sitemap"]

    assert data["totalCount"] == 1
    assert data["nodes"] == [
        {"databaseId": visible.pk, "slug": None, "urlPath": None, "lastModified": visible.updated_at.isoformat()}
    ]


def test_the_next_page_starts_after_the_cursor(post_graphql, db):
    missions = [MissionFactory() for _ in range(5)]

    first = post_graphql(SITEMAP, kind="MISSIONS", first=2)["data"]["sitemap"]
    second = post_graphql(SITEMAP, kind="MISSIONS", first=2, after=first["endCursor"])["data"]["sitemap"]
    last = post_graphql(SITEMAP, kind="MISSIONS", first=2, after=second["endCursor"])["data"]["sitemap"]

    ids = [node["databaseId"] for page in (first, second, last) for node in page["nodes"]]
    assert ids == [mission.pk for mission in missions]
    assert (first["hasNextPage"], second["hasNextPage"], last["hasNextPage"]) == (True, True, False)


def test_a_page_may_hold_a_thousand_entries_but_no_more(post_graphql, db):
    assert "errors" not in post_graphql(SITEMAP, kind="MISSIONS", first=1000)

    error = post_graphql(SITEMAP, kind="MISSIONS", first=1001)["errors"][0]

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "1000" in error["message"]


def test_a_cursor_that_is_not_an_id_is_refused_in_french(post_graphql, db):
    error = post_graphql(SITEMAP, kind="MISSIONS", after="abc")["errors"][0]

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Curseur" in error["message"]


@pytest.mark.parametrize("count", [5, 50])
def test_a_page_of_missions_costs_the_same_whatever_its_size(post_graphql, db, django_assert_max_num_queries, count):
    Mission.objects.bulk_create([MissionFactory.build(organization=None) for _ in range(count)])

    with django_assert_max_num_queries(MISSIONS_SITEMAP_QUERIES):
        data = post_graphql(SITEMAP_WITHOUT_COUNT, kind="MISSIONS", first=count)["data"]["sitemap"]

    assert len(data["nodes"]) == count


@pytest.mark.parametrize("count", [5, 50])
def test_a_page_of_pages_costs_the_same_whatever_its_size(
    post_graphql, home_page, django_assert_max_num_queries, count
):
    for index in range(count):
        ContentPageFactory(slug=f"page-{index}")
    post_graphql(SITEMAP_WITHOUT_COUNT, kind="PAGES")  # the site root paths are cached on first use

    with django_assert_max_num_queries(PAGES_SITEMAP_QUERIES):
        data = post_graphql(SITEMAP_WITHOUT_COUNT, kind="PAGES", first=count)["data"]["sitemap"]

    assert len(data["nodes"]) == count


def test_a_sitemap_page_without_first_is_charged_its_thousand_entries():
    cost = estimate_cost(schema._schema, parse("{ sitemap(kind: MISSIONS) { nodes { databaseId lastModified } } }"))

    assert cost > 2 * SITEMAP_PAGE_MAX
