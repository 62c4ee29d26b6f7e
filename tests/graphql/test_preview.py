"""Previews: Wagtail hands the editor to the front-end with a signed, expiring token; only that token shows drafts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from django.test import RequestFactory

from cms.core.preview import make_preview_token
from cms.missions.models import Mission
from tests.factories.missions import MissionFactory
from tests.factories.pages import ContentPageFactory

PAGE_PREVIEW = """query Preview($token: String!) { page(previewToken: $token) { __typename title } }"""
MISSION_PREVIEW = """query Preview($token: String!) { mission(previewToken: $token) { title } }"""


def _save_draft(page, title: str) -> None:
    page.title = title
    page.save_revision()


def test_wagtail_preview_redirects_to_the_front_end_with_a_token(home_page, settings):
    settings.FRONTEND_URL = "https://www.cje.example.fr"
    page = ContentPageFactory(title="À prévisualiser")

    response = page.serve_preview(RequestFactory().get("/"), page.default_preview_mode)

    target = urlparse(response["Location"])
    assert response.status_code == 302
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://www.cje.example.fr/preview"
    assert parse_qs(target.query)["token"]


def test_page_preview_token_shows_the_latest_draft(run_query, home_page):
    page = ContentPageFactory(title="Publié")
    _save_draft(page, "Brouillon en cours")

    result = run_query(PAGE_PREVIEW, {"token": make_preview_token(page)})

    assert result.data["page"] == {"__typename": "ContentPage", "title": "Brouillon en cours"}


def test_page_preview_reaches_a_page_that_was_never_published(run_query, home_page):
    page = ContentPageFactory(title="Jamais publiée", live=False)
    _save_draft(page, "Jamais publiée (brouillon)")

    result = run_query(PAGE_PREVIEW, {"token": make_preview_token(page)})

    assert result.data["page"]["title"] == "Jamais publiée (brouillon)"


def test_published_page_does_not_show_the_draft_without_a_token(run_query, home_page):
    page = ContentPageFactory(title="Publié", slug="publie")
    _save_draft(page, "Brouillon en cours")

    result = run_query("""{ page(slug: "publie") { title } }""")

    assert result.data["page"]["title"] == "Publié"


def test_forged_preview_token_is_forbidden(run_query, home_page):
    page = ContentPageFactory()
    token = make_preview_token(page)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")

    result = run_query(PAGE_PREVIEW, {"token": forged})

    assert result.data is None
    assert result.codes == ["FORBIDDEN"]


def test_expired_preview_token_is_forbidden(run_query, home_page, settings):
    token = make_preview_token(ContentPageFactory())
    settings.PREVIEW_TOKEN_MAX_AGE = -1  # any token is older than that

    result = run_query(PAGE_PREVIEW, {"token": token})

    assert result.codes == ["FORBIDDEN"]
    assert "expiré" in result.errors[0].message


def test_mission_preview_token_shows_a_pending_mission(run_query):
    mission = MissionFactory(title="En attente de modération", moderation_status=Mission.Moderation.PENDING)

    result = run_query(MISSION_PREVIEW, {"token": make_preview_token(mission)})

    assert result.data["mission"]["title"] == "En attente de modération"


def test_page_token_does_not_open_a_mission(run_query, home_page):
    page = ContentPageFactory()
    MissionFactory(pk=page.pk, moderation_status=Mission.Moderation.PENDING)

    result = run_query(MISSION_PREVIEW, {"token": make_preview_token(page)})

    assert result.codes == ["FORBIDDEN"]
