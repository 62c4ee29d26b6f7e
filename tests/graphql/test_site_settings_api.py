"""Site settings: what editors set reaches front-ends, links only to public pages, the banner within its dates."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import caches
from django.utils import timezone
from wagtail.models import Site

from cms.pages.site_settings import SiteSettings
from tests.factories.images import ImageFactory
from tests.factories.pages import ContentPageFactory

pytestmark = pytest.mark.django_db

SITE_SETTINGS = """
query SiteSettings($site: String) {
  siteSettings(site: $site) {
    footerLinks { label url pageId }
    socialLinks { network label url }
    contact { address email phone }
    seo { description image { title rendition(width: 640) { url } } }
    banner { text url startsAt endsAt }
  }
}
"""
#: The site, its settings row with its image, the public pages among those linked, the image's renditions.
SITE_SETTINGS_QUERIES = 5


def _settings(**fields) -> SiteSettings:
    site = Site.objects.get(is_default_site=True)
    return SiteSettings.objects.create(site=site, **fields)


def _links(*links: dict) -> str:
    return json.dumps([{"type": "link", "value": link} for link in links])


def test_every_setting_reaches_the_front_end(post_graphql, home_page):
    page = ContentPageFactory(slug="mentions-legales")
    now = timezone.now()
    _settings(
        footer_links=_links(
            {"label": "Mentions légales", "page": page.pk, "url": ""},
            {"label": "Service public", "page": None, "url": "https://www.service-public.fr/"},
        ),
        social_links=json.dumps([{"type": "social", "value": {"network": "instagram", "url": "https://i.example/tj"}}]),
        contact_address="20 avenue de Ségur, 75007 Paris",
        contact_email="contact@tremplin.example",
        contact_phone="01 02 03 04 05",
        seo_image=ImageFactory(title="Partage"),
        seo_description="Les offres et missions pour les jeunes.",
        banner_text="Inscriptions ouvertes jusqu'au 31 mars",
        banner_url="https://www.example.fr/inscriptions",
        banner_starts_at=now - datetime.timedelta(days=1),
        banner_ends_at=now + datetime.timedelta(days=1),
    )

    data = post_graphql(SITE_SETTINGS)["data"]["siteSettings"]

    assert data["footerLinks"] == [
        {"label": "Mentions légales", "url": "/mentions-legales/", "pageId": page.pk},
        {"label": "Service public", "url": "https://www.service-public.fr/", "pageId": None},
    ]
    assert data["socialLinks"] == [{"network": "instagram", "label": "Instagram", "url": "https://i.example/tj"}]
    assert data["contact"] == {
        "address": "20 avenue de Ségur, 75007 Paris",
        "email": "contact@tremplin.example",
        "phone": "01 02 03 04 05",
    }
    assert data["seo"]["description"] == "Les offres et missions pour les jeunes."
    assert data["seo"]["image"]["rendition"]["url"].startswith("http")
    assert data["banner"]["text"] == "Inscriptions ouvertes jusqu'au 31 mars"
    assert data["banner"]["url"] == "https://www.example.fr/inscriptions"


def test_a_footer_link_to_a_page_that_is_not_public_is_left_out(post_graphql, home_page):
    draft = ContentPageFactory(slug="brouillon", live=False)
    _settings(footer_links=_links({"label": "Brouillon", "page": draft.pk, "url": ""}))

    assert post_graphql(SITE_SETTINGS)["data"]["siteSettings"]["footerLinks"] == []


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(1, 2), (-2, -1)],
    ids=["not yet started", "over"],
)
def test_the_banner_is_absent_outside_its_dates(post_graphql, home_page, starts, ends):
    now = timezone.now()
    _settings(
        banner_text="Bientôt",
        banner_starts_at=now + datetime.timedelta(days=starts),
        banner_ends_at=now + datetime.timedelta(days=ends),
    )

    assert post_graphql(SITE_SETTINGS)["data"]["siteSettings"]["banner"] is None


def test_a_banner_leading_to_a_page_gives_its_path(post_graphql, home_page):
    page = ContentPageFactory(slug="inscriptions")
    _settings(banner_text="Inscrivez-vous", banner_page=page)

    assert post_graphql(SITE_SETTINGS)["data"]["siteSettings"]["banner"]["url"] == "/inscriptions/"


def test_a_site_without_settings_gets_empty_ones_and_nothing_is_written(post_graphql, home_page):
    data = post_graphql(SITE_SETTINGS)["data"]["siteSettings"]

    assert data["footerLinks"] == []
    assert data["banner"] is None
    assert data["contact"]["email"] == ""
    assert not SiteSettings.objects.exists()


def test_an_unknown_site_falls_back_to_the_default_site(post_graphql, home_page):
    _settings(contact_email="contact@tremplin.example")

    data = post_graphql(SITE_SETTINGS, site="inconnu.example.fr")["data"]["siteSettings"]

    assert data["contact"]["email"] == "contact@tremplin.example"


def test_site_settings_cost_the_same_for_2_and_20_footer_links(post_graphql, home_page, django_assert_max_num_queries):
    pages = [ContentPageFactory(slug=f"pied-{index}") for index in range(20)]
    _settings(
        footer_links=_links(*({"label": page.title, "page": page.pk, "url": ""} for page in pages)),
        seo_image=ImageFactory(),
    )
    post_graphql(SITE_SETTINGS)  # renditions are generated and the site root paths cached on first use

    with django_assert_max_num_queries(SITE_SETTINGS_QUERIES):
        data = post_graphql(SITE_SETTINGS)["data"]["siteSettings"]

    assert len(data["footerLinks"]) == 20


@pytest.fixture
def answer_cache(settings):
    settings.GRAPHQL_ANSWER_CACHE = "default"
    caches["default"].clear()
    yield
    caches["default"].clear()


def _cached_contact_email(client) -> str:
    response = client.get("/graphql/", {"query": "{ siteSettings { contact { email } } }"})
    return response.json()["data"]["siteSettings"]["contact"]["email"]


def test_a_cached_answer_follows_a_save_of_the_settings(
    client, home_page, answer_cache, django_capture_on_commit_callbacks
):
    settings = _settings(contact_email="ancien@tremplin.example")
    assert _cached_contact_email(client) == "ancien@tremplin.example"

    with django_capture_on_commit_callbacks(execute=True):
        settings.contact_email = "nouveau@tremplin.example"
        settings.save()

    assert _cached_contact_email(client) == "nouveau@tremplin.example"


def test_a_cached_footer_drops_a_page_unpublished_since(
    client, home_page, answer_cache, django_capture_on_commit_callbacks
):
    page = ContentPageFactory(slug="aides")
    _settings(footer_links=_links({"label": "Aides", "page": page.pk, "url": ""}))
    query = {"query": "{ siteSettings { footerLinks { label } } }"}
    assert client.get("/graphql/", query).json()["data"]["siteSettings"]["footerLinks"] == [{"label": "Aides"}]

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    assert client.get("/graphql/", query).json()["data"]["siteSettings"]["footerLinks"] == []
