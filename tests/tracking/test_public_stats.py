"""Public statistics: monthly figures on /stats/ and in publicStats, small counts never published."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cms.taxonomy.models import Programme
from cms.tracking.models import DailyStat
from tests.factories.missions import MissionFactory

PUBLIC_STATS = "{ publicStats { applicationsGoal applications progressPercent months { month applications } "
PUBLIC_STATS += "missionsByProgramme { programme missions } } }"

pytestmark = pytest.mark.django_db


def applications(day: dt.date, count: int) -> None:
    DailyStat.objects.create(day=day, kind="application", mission_id=1, channel="site", count=count, visitors=0)


@pytest.fixture
def figures(settings):
    settings.STATS_MIN_COUNT = 10
    applications(dt.date(2026, 10, 3), 150)
    applications(dt.date(2026, 10, 20), 50)
    applications(dt.date(2026, 11, 2), 4)
    MissionFactory.create_batch(11)
    MissionFactory.create_batch(2, programme=Programme.objects.get(slug="benevolat"))


def test_the_stats_page_shows_monthly_applications_against_the_goal(client, figures):
    html = client.get("/stats/").content.decode()

    assert "204 candidatures sur un objectif de 2000 (10 %)" in " ".join(html.split())
    assert re.search(r"octobre 2026</th>\s*<td[^>]*>200</td>", html)


def test_the_stats_page_hides_counts_below_the_threshold(client, figures):
    html = client.get("/stats/").content.decode()

    assert re.search(r"novembre 2026</th>\s*<td[^>]*>moins de 10</td>", html)
    assert re.search(r"Bénévolat</th>\s*<td[^>]*>moins de 10</td>", html)
    assert ">4<" not in html


def test_the_stats_page_is_french_accessible_and_self_contained(client, figures):
    html = client.get("/stats/").content.decode()

    assert '<html lang="fr">' in html
    assert "<caption>" in html
    assert 'scope="col"' in html
    assert not re.search(r"""(src|href)=["']https?://""", html)


def test_public_stats_in_graphql_match_the_page(client, figures):
    data = client.post("/graphql/", {"query": PUBLIC_STATS}, "application/json").json()["data"]["publicStats"]

    assert (data["applicationsGoal"], data["applications"], data["progressPercent"]) == (2000, 204, 10)
    assert data["months"] == [
        {"month": "2026-10", "applications": 200},
        {"month": "2026-11", "applications": None},
    ]
    assert {"programme": "benevolat", "missions": None} in data["missionsByProgramme"]
    assert {"programme": "service-civique", "missions": 11} in data["missionsByProgramme"]


CARD_STATS = (
    "{ publicStats { activeCards offersUsed eurosSaved cardMonths { month activeCards offersUsed eurosSaved } } }"
)


@pytest.fixture
def card_figures(settings):
    from decimal import Decimal

    from cms.cards.models import ActivationDailyStat, CardDailyStat

    settings.STATS_MIN_COUNT = 10
    for day, used, euros in (
        (dt.date(2026, 10, 3), 8, "70"),
        (dt.date(2026, 10, 20), 7, "50"),
        (dt.date(2026, 11, 2), 3, "9"),
    ):
        ActivationDailyStat.objects.create(day=day, activations=used, used=0, saving=Decimal(euros))
    CardDailyStat.objects.create(day=dt.date(2026, 10, 1), active_cards=5)
    CardDailyStat.objects.create(day=dt.date(2026, 10, 31), active_cards=30)
    CardDailyStat.objects.create(day=dt.date(2026, 11, 2), active_cards=31)


def test_public_stats_publish_the_card_s_monthly_figures_with_small_counts_hidden(client, card_figures):
    data = client.post("/graphql/", {"query": CARD_STATS}, "application/json").json()["data"]["publicStats"]

    assert (data["activeCards"], data["offersUsed"], data["eurosSaved"]) == (31, 18, "129.00")
    assert data["cardMonths"] == [
        {"month": "2026-10", "activeCards": 30, "offersUsed": 15, "eurosSaved": "120.00"},
        {"month": "2026-11", "activeCards": 31, "offersUsed": None, "eurosSaved": None},
    ]


def test_the_stats_page_shows_the_card_s_figures(client, card_figures):
    html = " ".join(client.get("/stats/").content.decode().split())

    assert "31 cartes actives, 18 offres utilisées, 129,00 € économisés." in html
    assert re.search(
        r"novembre 2026</th>\s*<td[^>]*>31</td>\s*<td[^>]*>moins de 10</td>\s*<td[^>]*>non publié</td>", html
    )
