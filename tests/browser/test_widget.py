"""The partner widget in a real headless Chromium: load, filter, paginate, click through to the tracked redirect,
and no WCAG 2.1 AA violation found by axe-core (from the npm registry, installed in ``var/axe``, never committed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cms.taxonomy.models import Domain
from search.base import get_backend
from search.missions import MISSIONS
from tests.factories.missions import MissionAddressFactory
from tests.factories.syndication import DiffusionPartnerFactory

pytestmark = pytest.mark.slow  # a Chromium per test

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

    assert request.value.url.endswith(f"/p{partner.pk}")


def test_the_near_me_button_appears_where_the_browser_can_locate(widget):
    page, _ = widget

    assert page.tab.get_by_role("button", name="Près de moi").is_visible()


def test_axe_core_finds_no_wcag_21_aa_violation(widget, axe_source):
    page, _ = widget
    page.tab.add_script_tag(content=axe_source)

    result = page.tab.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )

    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
