"""Where events go: monthly partitions, daily aggregates, batched writes, impressions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.utils import timezone

from cms.tracking import recorder
from cms.tracking.aggregates import aggregate_day
from cms.tracking.models import DailyStat, Event, Kind
from cms.tracking.partitions import ensure_partitions, existing_partitions, month_start, partition_name
from cms.tracking.visitors import is_bot
from tests.factories.missions import MissionFactory

IMPRESSIONS = """
mutation Seen($ids: [ID!]!) { trackImpressions(missionIds: $ids, channel: WIDGET) { recorded } }
"""

pytestmark = pytest.mark.django_db


def event_at(when: dt.datetime, **fields) -> Event:
    return Event(occurred_at=when, kind=fields.pop("kind", Kind.CLICK), channel="site", **fields)


def partition_of(when: dt.datetime) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM tracking_event WHERE occurred_at = %s", [when])
        return cursor.fetchone()[0]


def test_events_land_in_the_partition_of_their_month():
    now = timezone.now()
    Event.objects.bulk_create([event_at(now, visitor="a")])

    assert partition_of(now) == partition_name(now.date().replace(day=1))


def test_a_new_month_takes_over_its_rows_from_the_default_partition():
    far = dt.datetime(2031, 5, 17, 12, tzinfo=dt.UTC)
    Event.objects.bulk_create([event_at(far, visitor="a")])
    assert partition_of(far) == "tracking_event_default"

    ensure_partitions(far.date(), months_ahead=0)

    assert "tracking_event_2031_05" in existing_partitions()
    assert partition_of(far) == "tracking_event_2031_05"


def test_the_daily_aggregate_counts_events_and_distinct_visitors_per_mission_and_channel():
    mission = MissionFactory()
    noon = timezone.make_aware(dt.datetime(2026, 12, 3, 12))
    Event.objects.bulk_create(
        [
            event_at(noon, mission_id=mission.pk, visitor="a"),
            event_at(noon + dt.timedelta(hours=1), mission_id=mission.pk, visitor="a"),
            event_at(noon + dt.timedelta(hours=2), mission_id=mission.pk, visitor="b"),
            event_at(noon + dt.timedelta(days=1), mission_id=mission.pk, visitor="c"),
        ]
    )

    aggregate_day(noon.date())
    aggregate_day(noon.date())  # again: same rows

    stat = DailyStat.objects.get()
    assert (stat.count, stat.visitors, stat.programme_id) == (3, 2, mission.programme_id)
    assert stat.organization_id == mission.organization_id


def test_the_same_event_by_the_same_visitor_is_dropped_within_the_window():
    now = timezone.now()
    assert recorder.record(event_at(now, visitor="a", mission_id=1))
    assert not recorder.record(event_at(now, visitor="a", mission_id=1))
    assert recorder.record(event_at(now, visitor="a", mission_id=2))


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", True),
        ("facebookexternalhit/1.1", True),
        ("python-requests/2.32", True),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1", False),
    ],
)
def test_known_robots_are_recognised_by_their_user_agent(agent, bot):
    assert is_bot(agent) is bot


def test_impressions_of_public_missions_are_counted_once(client):
    shown, hidden = MissionFactory(), MissionFactory(live=False)
    variables = {"ids": [str(shown.pk), str(hidden.pk)]}
    agent = {"HTTP_USER_AGENT": "Mozilla/5.0 Firefox/128.0"}

    first = client.post("/graphql/", {"query": IMPRESSIONS, "variables": variables}, "application/json", **agent)
    second = client.post("/graphql/", {"query": IMPRESSIONS, "variables": variables}, "application/json", **agent)

    assert first.json()["data"]["trackImpressions"]["recorded"] == 1
    assert second.json()["data"]["trackImpressions"]["recorded"] == 0
    assert list(Event.objects.values_list("kind", "mission_id", "channel")) == [("impression", shown.pk, "widget")]


def test_the_aggregate_command_recomputes_today_and_prepares_coming_months():
    from django.core.management import call_command

    now = timezone.now()
    Event.objects.bulk_create([event_at(now, visitor="a", mission_id=7), event_at(now, visitor="b", mission_id=7)])

    call_command("tracking_aggregate", stdout=io.StringIO())

    assert DailyStat.objects.get(day=timezone.localdate(), mission_id=7).count == 2
    assert partition_name(month_start(timezone.localdate(), 3)) in existing_partitions()
