"""The partner widget in a real headless Chromium: load, filter, paginate, "near me" with the browser's location,
click through to the tracked redirect, in missions and in offers mode, and no WCAG 2.1 AA violation found by
axe-core (from the npm registry, installed in ``var/axe``, never committed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cms.offers.models import OfferPage
from cms.taxonomy.models import Domain
from search.base import get_backend
from search.missions import MISSIONS
from search.offers import OFFERS
from tests.factories.missions import MissionAddressFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.syndication import DiffusionPartnerFactory

AXE_DIR = Path(__file__).resolve().parents[2] / "var" / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed with npm into a folder the tests own the first time it is needed."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is needed to install axe-core")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - npm found on PATH, fixed arguments
            [npm, "install", "--no-audit", "--no-fund", "--silent", "axe-core@4"],
            cwd=AXE_DIR,
            check=True,
            timeout=300,
        )
    return AXE.read_text()


@pytest.fixture
def widget(offline_page, app_server):
    environment = Domain.objects.get(slug="environnement")
    for n in range(12):
        MissionAddressFactory(mission__title=f"Lire avec des enfants n°{n:02d}", department_code="69")
    MissionAddressFactory(mission__title="Planter des arbres", mission__domain=environment, department_code="69")
    partner = DiffusionPartnerFactory(primary_colour="#1d4ed8")
    get_backend().rebuild(MISSIONS, MISSIONS.records())
    offline_page.tab.goto(f"{app_server.url}/widget/{partner.public_id}/")
    return offline_page, partner


def titles(tab) -> list[str]:
    return tab.locator("ul.results li a").all_inner_texts()


def test_the_widget_lists_missions_and_paginates(widget):
    page, _ = widget

    first = titles(page.tab)
    page.tab.get_by_role("link", name="Page suivante").click()
    page.tab.wait_for_load_state()
    second = titles(page.tab)

    assert len(first) == 10
    assert len(second) == 3
    assert not set(first) & set(second)
    assert page.blocked == []


def test_the_widget_filters_by_domain_and_text(widget):
    page, _ = widget

    page.tab.get_by_label("Domaine").select_option("environnement")
    page.tab.get_by_role("button", name="Rechercher").click()
    page.tab.wait_for_load_state()
    by_domain = titles(page.tab)
    page.tab.get_by_label("Domaine").select_option("")
    page.tab.get_by_label("Rechercher").fill("arbres")
    page.tab.get_by_role("button", name="Rechercher").click()
    page.tab.wait_for_load_state()

    assert by_domain == ["Planter des arbres"]
    assert titles(page.tab) == ["Planter des arbres"]


def test_a_click_goes_through_the_tracked_redirect_with_the_partner_channel(widget):
    page, partner = widget
    link = page.tab.locator("ul.results li a").first

    with page.tab.expect_request(lambda request: "/r/" in request.url) as request:
        link.click()

    assert request.value.url.endswith(f"/widget?src=p{partner.pk}")


def test_the_near_me_button_appears_where_the_browser_can_locate(widget):
    page, _ = widget

    assert page.tab.get_by_role("button", name="Près de moi").is_visible()


MARSEILLE = {"latitude": 43.2965, "longitude": 5.3698}


def test_near_me_uses_the_browsers_location_and_keeps_only_the_missions_within_the_radius(widget, app_server):
    page, partner = widget
    MissionAddressFactory(
        mission__title="Nettoyer les calanques",
        city="Marseille",
        postcode="13007",
        department_code="13",
        latitude=43.2845,
        longitude=5.3600,
    )
    get_backend().rebuild(MISSIONS, MISSIONS.records())
    page.tab.context.grant_permissions(["geolocation"], origin=app_server.url)
    page.tab.context.set_geolocation(MARSEILLE)
    page.tab.reload()

    with page.tab.expect_navigation():
        page.tab.get_by_role("button", name="Près de moi").click()

    assert titles(page.tab) == ["Nettoyer les calanques"]
    assert page.tab.get_by_role("status").inner_text() == "1 résultat près de vous"
    assert page.tab.locator("ul.results li .meta").inner_text().endswith("à 1,6 km")


@pytest.fixture
def offers_widget(offline_page, app_server, settings):
    settings.WAGTAILADMIN_BASE_URL = app_server.url  # links to the redirect reach the live server
    for n in range(11):
        OfferPageFactory(title=f"Cinéma à moitié prix n°{n:02d}", link_url="https://cinema.example/jeunes")
    OfferPageFactory(title="Vélo en libre-service", link_url="https://velo.example/abonnement")
    partner = DiffusionPartnerFactory(widget_content="offers")
    get_backend().rebuild(OFFERS, OFFERS.records())
    offline_page.tab.goto(f"{app_server.url}/widget/{partner.public_id}/")
    return offline_page, partner


def test_the_offers_widget_lists_offers_searches_and_paginates(offers_widget):
    page, _ = offers_widget

    first = titles(page.tab)
    page.tab.get_by_role("link", name="Page suivante").click()
    page.tab.wait_for_load_state()
    second = titles(page.tab)
    page.tab.get_by_label("Rechercher").fill("vélo")
    page.tab.get_by_role("button", name="Rechercher").click()
    page.tab.wait_for_load_state()

    assert page.tab.get_by_role("heading").inner_text() == "Offres pour les jeunes"
    assert (len(first), len(second)) == (10, 2)
    assert titles(page.tab) == ["Vélo en libre-service"]


def test_an_offer_click_goes_through_the_offer_redirect_with_the_widget_channel(offers_widget):
    page, partner = offers_widget
    page.tab.get_by_label("Rechercher").fill("vélo")
    page.tab.get_by_role("button", name="Rechercher").click()
    page.tab.wait_for_load_state()
    [offer] = OfferPage.objects.filter(title="Vélo en libre-service")

    with page.tab.expect_request(lambda request: "velo.example" in request.url) as target:
        page.tab.locator("ul.results li a").first.click()

    assert target.value.redirected_from.url.endswith(f"/r/o/{offer.pk}/widget?src=p{partner.pk}")
    assert target.value.url.startswith("https://velo.example/abonnement?")


def test_axe_core_finds_no_wcag_21_aa_violation(widget, axe_source):
    page, _ = widget
    page.tab.add_script_tag(content=axe_source)

    result = page.tab.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )

    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
