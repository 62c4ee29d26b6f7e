"""The admin's preview panel shows the built-in preview of a draft, and follows what an editor types before saving."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in
from tests.factories.offers import OfferPageFactory
from tests.factories.users import UserFactory

WAGTAIL_INITIAL_DELAY_MS = 2000


@pytest.fixture
def editing_offer(offline_page, app_server, settings):
    """An editor (superuser) on the edit page of an offer, with the preview panel open."""
    settings.FRONTEND_URL = ""
    admin = UserFactory(username="admin@tremplin.example.fr", is_superuser=True, is_staff=True)
    offer = OfferPageFactory(title="Cinéma à 5 €")
    tab = offline_page.tab
    sign_in(tab, app_server.url, admin.username)
    tab.goto(f"{app_server.url}{reverse('wagtailadmin_pages:edit', args=[offer.pk])}")
    tab.locator("[data-side-panel-toggle='preview']").click()
    # Wagtail's w-unsaved controller records the loaded form WAGTAIL_INITIAL_DELAY_MS after it starts (once per
    # connection, possibly more than once); an edit typed before the last of these is taken as the loaded state.
    tab.wait_for_timeout(WAGTAIL_INITIAL_DELAY_MS + 1000)
    return offline_page


def wait_for_preview_heading(tab, title: str) -> None:
    """Wagtail swaps the preview iframe for a new one on each update: read whichever is in the page now."""
    tab.wait_for_function(
        "title => document.querySelector('#w-preview-iframe')?.contentDocument?.querySelector('h1')?.textContent"
        " === title",
        arg=title,
    )


def test_the_preview_panel_shows_the_offer(editing_offer):
    wait_for_preview_heading(editing_offer.tab, "Cinéma à 5 €")


def test_a_title_typed_into_the_form_shows_in_the_preview_before_saving(editing_offer):
    tab = editing_offer.tab
    wait_for_preview_heading(tab, "Cinéma à 5 €")

    tab.fill("#id_title", "Cinéma à 4 € le mardi")

    wait_for_preview_heading(tab, "Cinéma à 4 € le mardi")
