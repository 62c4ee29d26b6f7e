"""Without a front-end (FRONTEND_URL empty), Wagtail's preview shows the draft in plain built-in pages."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory
from tests.factories.pages import ContentPageFactory

BODY = [
    {"type": "heading", "value": {"text": "Pour qui ?", "level": "h2"}},
    {"type": "paragraph", "value": "<p>Les jeunes de <b>16 à 30 ans</b>.</p>"},
    {"type": "faq", "value": {"title": "Questions", "items": [{"question": "Combien ?", "answer": "<p>Rien</p>"}]}},
]


def _offer():
    offer = OfferPageFactory(title="Cinéma à 5 €")
    OfferStoreFactory(offer=offer, name="Cinéma du Centre", city="Lyon")
    return offer


def _mission():
    mission = MissionFactory(title="Soutien scolaire", description_html="<p>Aider <script>x()</script>des élèves</p>")
    MissionAddressFactory(mission=mission, city="Lille")
    return mission


PREVIEWED = {
    "home": lambda home_page, offers_index: home_page,
    "content": lambda home_page, offers_index: ContentPageFactory(title="À propos", body=json.dumps(BODY)),
    "offers index": lambda home_page, offers_index: offers_index,
    "partner": lambda home_page, offers_index: PartnerPageFactory(title="Ciné Plus"),
    "offer": lambda home_page, offers_index: _offer(),
    "mission": lambda home_page, offers_index: _mission(),
}


@pytest.fixture(params=list(PREVIEWED))
def previewed(request, home_page, offers_index, settings):
    settings.FRONTEND_URL = ""
    return PREVIEWED[request.param](home_page, offers_index)


def preview_of(obj) -> str:
    response = obj.serve_preview(RequestFactory().get("/"), obj.default_preview_mode)
    assert response.status_code == 200
    return response.render().content.decode()


def test_every_page_type_and_missions_preview_as_a_french_page_with_their_title(previewed):
    html = preview_of(previewed)

    assert '<html lang="fr">' in html
    assert f"<h1>{previewed.title}</h1>" in html


def test_the_built_in_preview_loads_nothing_from_elsewhere(previewed):
    html = preview_of(previewed)

    assert "<script" not in html
    assert "<link" not in html
    assert 'src="http' not in html


def test_the_preview_shows_unsaved_changes(offers_index, settings):
    settings.FRONTEND_URL = ""
    offer = OfferPageFactory(title="Cinéma à 5 €")
    offer.title = "Cinéma à 4 €"

    assert "<h1>Cinéma à 4 €</h1>" in preview_of(offer)


def test_the_preview_of_an_offer_shows_its_discount_and_stores(offers_index, settings):
    settings.FRONTEND_URL = ""

    html = preview_of(_offer())

    assert "Pourcentage : 20 %" in html
    assert "Cinéma du Centre (Lyon)" in html


def test_the_preview_of_a_mission_serves_its_description_sanitized(db, settings):
    settings.FRONTEND_URL = ""

    html = preview_of(_mission())

    assert "des élèves" in html
    assert "x()" not in html
    assert "Lille" in html
