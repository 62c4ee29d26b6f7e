"""The impact dashboard in a real Chromium: the page renders and each chart holds the figures of its table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cms.cards.models import ActivationDailyStat, CardDailyStat
from cms.tracking.models import DailyStat
from tests.browser.conftest import OfflinePage, offline_context, sign_in
from tests.conftest import committed_writes
from tests.factories.missions import MissionFactory
from tests.factories.offers import PartnerPageFactory
from tests.factories.taxonomy import OfferCategoryFactory
from tests.factories.users import UserFactory


@pytest.fixture(scope="module")
def dashboard(browser, app_server, _pristine_tables, django_db_blocker) -> Iterator[OfflinePage]:
    """A superuser signed in, on the dashboard, with a few weeks of history and two months of the card's activations
    (Wagtail's own calls out switched off).

    Built and loaded once for the module: its tests only read the page, so the database is put back as migrations
    left it (as after a test on ``committed_db``) as soon as the page is loaded.
    """
    quiet = override_settings(WAGTAIL_ENABLE_UPDATE_CHECK=False, WAGTAIL_GRAVATAR_PROVIDER_URL=None)
    with offline_context(browser) as page:
        with committed_writes(_pristine_tables, django_db_blocker), quiet:
            _open_dashboard(page, app_server)
        yield page


def _open_dashboard(page: OfflinePage, app_server) -> None:
    admin = UserFactory(username="admin@tremplin.example.fr", is_superuser=True, is_staff=True)
    today = timezone.localdate()
    for index, (clicks, applications) in enumerate([(40, 10), (25, 4), (12, 1)]):
        mission = MissionFactory()
        for kind, count in (("click", clicks), ("application", applications)):
            DailyStat.objects.create(
                day=today - dt.timedelta(days=7 * index),
                kind=kind,
                mission_id=mission.pk,
                programme_id=mission.programme_id,
                organization_id=mission.organization_id,
                channel=["site", "widget", "campaign"][index],
                count=count,
                visitors=count,
            )
    for index, (title, slug, activations, euros) in enumerate(
        [("Librairie du Centre", "culture", 4, "30.50"), ("Épicerie Bio", "alimentation", 9, "51.00")]
    ):
        ActivationDailyStat.objects.create(
            day=today.replace(day=1) - dt.timedelta(days=index * 40),
            partner_id=PartnerPageFactory(title=title).pk,
            category_id=OfferCategoryFactory(slug=slug, label=slug.capitalize()).pk,
            activations=activations,
            used=1,
            saving=Decimal(euros),
        )
    CardDailyStat.objects.create(day=today, active_cards=42)
    tab = page.tab
    sign_in(tab, app_server.url, admin.username)
    tab.goto(f"{app_server.url}{reverse('tracking_impact')}")


def chart_figures(tab, table: str) -> list[tuple[str, str]]:
    return tab.eval_on_selector_all(
        f"[data-table='{table}'] svg g.bar", "bars => bars.map(b => [b.dataset.label, b.dataset.value])"
    )


def table_figures(tab, table: str, column: int) -> list[tuple[str, str]]:
    return tab.eval_on_selector_all(
        f"[data-table='{table}'] table tbody tr",
        "(rows, column) => rows.map(r => [r.cells[0].textContent.trim(), r.cells[column].textContent.trim()])",
        column,
    )


def test_the_dashboard_renders_with_its_progress_towards_the_goal(dashboard):
    tab = dashboard.tab

    assert tab.locator("h1").first.inner_text().strip() == "Impact"
    assert "15 candidatures générées" in tab.locator("#progression").inner_text()
    assert dashboard.blocked == []


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("semaines", 1),
        ("canaux", 2),
        ("dispositifs", 2),
        ("economies-categories", 2),
        ("economies-mois", 2),
        ("partenaires", 1),
    ],
)
def test_each_chart_holds_the_figures_of_its_table(dashboard, table, column):
    tab = dashboard.tab

    chart = chart_figures(tab, table)

    assert chart == table_figures(tab, table, column)
    assert any(value != "0" for _, value in chart)
    assert tab.locator(f"[data-table='{table}'] svg g.bar rect").first.bounding_box()["height"] > 0


def test_the_card_s_figures_are_summed_up_above_their_tables(dashboard):
    summary = " ".join(dashboard.tab.locator("#economies").inner_text().split())

    assert summary == "81,50 € économisés en tout, 13 offres activées, 2 utilisations déclarées, 42 cartes actives."
