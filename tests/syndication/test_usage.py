"""Usage per key: clicks on the links a key served and applications reported for them, from the daily aggregates."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.missions.models import Mission
from cms.syndication.models import KeyUsage
from cms.syndication.usage import count_clicks_and_applications
from cms.tracking.aggregates import aggregate_day
from tests.factories.syndication import DiffusionPartnerFactory, reading_key
from tests.tracking.conftest import BROWSER


@pytest.fixture(autouse=True)
def _fresh_dedup_window():
    caches["tracking"].clear()


@pytest.fixture
def missions(missions):
    """The syndication missions, each with an application link on its organisation's site."""
    Mission.objects.update(application_url="https://association.example/candidater")
    return missions


def served_link(client, secret: str, **params) -> str:
    """The local path of the first link to apply the REST API served with ``secret``."""
    [item, *_] = client.get("/v0/mission", params, headers={"x-api-key": secret}).json()["data"]
    url = urlsplit(item["applicationUrl"])
    return f"{url.path}?{url.query}"


def apply_through(client, path: str, agent: str = BROWSER) -> None:
    """Follow a served link as a visitor, then report the application with the token the partner's page received."""
    response = client.get(path, HTTP_USER_AGENT=agent)
    assert response.status_code == 302
    token = parse_qs(urlsplit(response["Location"]).query)["trmp_token"][0]
    assert client.post(reverse("tracking:tag-report"), token, content_type="text/plain").status_code == 204


def test_clicks_and_applications_through_a_key_are_counted_in_its_usage(client, missions):
    key, secret = reading_key(DiffusionPartnerFactory())
    apply_through(client, served_link(client, secret, departmentName="Paris"))
    client.get(served_link(client, secret, departmentName="Rhône"), HTTP_USER_AGENT=BROWSER)
    today = timezone.localdate()

    aggregate_day(today)
    count_clicks_and_applications(today)

    usage = key.usage.get()
    assert (usage.requests, usage.clicks, usage.applications) == (2, 2, 1)


def test_each_key_counts_only_the_clicks_on_its_own_links(client, missions):
    partner = DiffusionPartnerFactory()
    first, first_secret = reading_key(partner)
    second, _ = reading_key(partner)
    client.get(served_link(client, first_secret), HTTP_USER_AGENT=BROWSER)

    call_command("tracking_aggregate", "--days", "1")

    assert first.usage.get().clicks == 1
    assert not second.usage.exists()


def test_counting_again_gives_the_same_figures(client, missions):
    key, secret = reading_key(DiffusionPartnerFactory())
    apply_through(client, served_link(client, secret))
    today = timezone.localdate()
    aggregate_day(today)

    count_clicks_and_applications(today)
    count_clicks_and_applications(today)

    usage = KeyUsage.objects.get(key=key)
    assert (usage.clicks, usage.applications) == (1, 1)


def test_a_robot_following_a_served_link_is_not_counted(client, missions):
    key, secret = reading_key(DiffusionPartnerFactory())
    client.get(served_link(client, secret), HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    today = timezone.localdate()

    aggregate_day(today)
    count_clicks_and_applications(today)

    assert key.usage.get().clicks == 0
