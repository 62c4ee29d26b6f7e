"""Redirects: the list of a site's redirects and the look-up of one path, hiding redirects to non-public pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.factories.pages import ContentPageFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

REDIRECTS = """
query Redirects($first: Int, $offset: Int) {
  redirects(first: $first, offset: $offset) {
    totalCount hasNextPage
    nodes { oldPath site isPermanent targetPath targetUrl targetPageId }
  }
}
"""
REDIRECT = """
query Redirect($path: String!, $site: String) {
  redirect(path: $path, site: $site) { oldPath site isPermanent targetPath targetUrl }
}
"""


def test_a_redirect_to_a_public_page_gives_the_page_path(post_graphql, home_page):
    page = ContentPageFactory(slug="engagement")
    Redirect.add_redirect("/ancienne-page", page, is_permanent=True)

    data = post_graphql(REDIRECTS)["data"]["redirects"]

    assert data["totalCount"] == 1
    assert data["nodes"] == [
        {
            "oldPath": "/ancienne-page",
            "site": None,
            "isPermanent": True,
            "targetPath": "/engagement/",
            "targetUrl": None,
            "targetPageId": page.pk,
        }
    ]


def test_a_redirect_to_an_external_link_gives_the_link(post_graphql, home_page):
    Redirect.add_redirect("/partenaires", redirect_to="https://www.service-public.fr/", is_permanent=False)

    data = post_graphql(REDIRECT, path="/partenaires/")["data"]["redirect"]

    assert data == {
        "oldPath": "/partenaires",
        "site": None,
        "isPermanent": False,
        "targetPath": None,
        "targetUrl": "https://www.service-public.fr/",
    }


def test_a_page_moved_in_the_admin_is_redirected_and_announced_at_once(
    client, post_graphql, home_page, announced, django_capture_on_commit_callbacks
):
    section = ContentPageFactory(slug="rubrique")
    page = ContentPageFactory(slug="aides")
    client.force_login(UserFactory(is_superuser=True))
    heard = announced(Redirect)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, section.pk]))

    assert response.status_code == 302
    data = post_graphql(REDIRECT, path="/aides")["data"]["redirect"]
    assert data["targetPath"] == "/rubrique/aides/"
    assert heard == [frozenset(Redirect.objects.filter(old_path="/aides").values_list("pk", flat=True))]


def test_a_page_whose_slug_changes_is_redirected_and_announced_at_once(
    post_graphql, home_page, announced, django_capture_on_commit_callbacks
):
    page = ContentPageFactory(slug="bourse")
    page.slug = "bourses"
    heard = announced(Redirect)
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail creates the redirect once the change commits
        page.save_revision().publish()

    data = post_graphql(REDIRECT, path="/bourse/")["data"]["redirect"]

    assert data["targetPath"] == "/bourses/"
    assert frozenset(Redirect.objects.filter(old_path="/bourse").values_list("pk", flat=True)) in heard


def test_a_redirect_to_a_draft_page_is_not_exposed(post_graphql, home_page):
    page = ContentPageFactory(slug="brouillon", live=False)
    Redirect.add_redirect("/vers-brouillon", page)

    assert post_graphql(REDIRECTS)["data"]["redirects"]["nodes"] == []
    assert post_graphql(REDIRECT, path="/vers-brouillon")["data"]["redirect"] is None


def test_a_site_s_own_redirect_wins_over_an_every_site_redirect(post_graphql, home_page):
    site = Site.objects.get(is_default_site=True)
    Redirect.add_redirect("/aide", redirect_to="https://tous.example.fr/")
    Redirect.add_redirect("/aide", redirect_to="https://ce-site.example.fr/", site=site)

    data = post_graphql(REDIRECT, path="/aide", site=site.hostname)["data"]["redirect"]

    assert data["targetUrl"] == "https://ce-site.example.fr/"
    assert data["site"] == site.hostname


def test_a_redirect_of_another_site_is_not_listed(post_graphql, home_page):
    other = Site.objects.create(hostname="autre.example.fr", root_page=home_page, port=80)
    Redirect.add_redirect("/ailleurs", redirect_to="https://ailleurs.example.fr/", site=other)

    assert post_graphql(REDIRECTS)["data"]["redirects"]["nodes"] == []
    assert post_graphql(REDIRECT, path="/ailleurs", site="autre.example.fr")["data"]["redirect"]["targetUrl"]


def test_an_unknown_path_has_no_redirect(post_graphql, home_page):
    assert post_graphql(REDIRECT, path="/nulle-part")["data"]["redirect"] is None


def test_redirects_are_paged(post_graphql, home_page):
    for index in range(3):
        Redirect.add_redirect(f"/ancien-{index}", redirect_to="https://www.example.fr/")

    data = post_graphql(REDIRECTS, first=2, offset=1)["data"]["redirects"]

    assert [node["oldPath"] for node in data["nodes"]] == ["/ancien-1", "/ancien-2"]
    assert data["hasNextPage"] is False


@pytest.mark.parametrize(("variables", "argument"), [({"first": 0}, "first"), ({"offset": -1}, "offset")])
def test_a_page_out_of_bounds_is_refused_in_french(post_graphql, home_page, variables, argument):
    error = post_graphql(REDIRECTS, **variables)["errors"][0]

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert argument in error["message"]


def test_an_empty_path_is_refused_in_french(post_graphql, home_page):
    error = post_graphql(REDIRECT, path="  ")["errors"][0]

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "chemin" in error["message"]


def test_the_redirect_list_costs_the_same_for_3_and_30_redirects(
    post_graphql, home_page, django_assert_max_num_queries
):
    for index in range(30):
        page = ContentPageFactory(slug=f"cible-{index}")
        Redirect.add_redirect(f"/ancien-{index}", page)
    post_graphql(REDIRECTS)  # the site root paths are cached on first use

    with django_assert_max_num_queries(REDIRECT_LIST_QUERIES):
        data = post_graphql(REDIRECTS, first=30)["data"]["redirects"]

    assert len(data["nodes"]) == 30


#: Site, sections hidden from the public, the page of redirects, the count.
REDIRECT_LIST_QUERIES = 4


def test_a_new_redirect_is_announced_to_the_caches(home_page, announced, django_capture_on_commit_callbacks):
    heard = announced(Redirect)

    with django_capture_on_commit_callbacks(execute=True):
        redirect = Redirect.add_redirect("/annonce", redirect_to="https://www.example.fr/")

    assert heard == [frozenset({redirect.pk})]
