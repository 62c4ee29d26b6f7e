"""Issue 3's figures: the GraphQL API against a hand-written SQL query + ``json.dumps`` producing the same payload.

Two reads front-ends make all the time: the missions list (50 items with organisation, programme, domain and
addresses) and an offer's detail (partner, categories, needs, stores). For each, the same run measures the SQL
statements GraphQL issues and the median / p95 latency of both ways, then prints GraphQL's median as a multiple of
the hand-written one. GraphQL runs in-process (``schema.execute_sync`` + ``json.dumps``): HTTP is the same for both.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from strawberry.django.context import StrawberryDjangoContext

from tests.bench.harness import Context, Row, counting_statements, latency_rows, suite

NAME = "graphql"
#: Alternated runs per side: a median of 100 moves less with a burst of load on a shared machine than one of 30.
RUNS = 100
WARMUP = 3
PAGE = 50

MISSIONS_LIST = """
query BenchMissions($first: Int!) {
  missions(first: $first) {
    totalCount
    edges { node {
      databaseId title startDate endDate remote openToMinors
      organisation { name slug city }
      programme { slug label }
      domain { slug label }
      addresses { city postcode departmentCode latitude longitude }
    } }
  }
}
"""

OFFER_DETAIL = """
query BenchOffer($slug: String!) {
  offer(slug: $slug) {
    databaseId title subtitle kind channel discountType discountValue validFrom validUntil nationwide
    partner { title website }
    categories { slug label }
    needs { slug label }
    stores { name city postcode latitude longitude }
  }
}
"""

_MISSIONS_SQL = """
SELECT m.id, m.title, m.start_date, m.end_date, m.remote, m.open_to_minors,
       o.name, o.slug, o.city, p.slug, p.label, d.slug, d.label
FROM missions_mission m
LEFT JOIN organisations_organization o ON o.id = m.organization_id
LEFT JOIN taxonomy_programme p ON p.id = m.programme_id
LEFT JOIN taxonomy_domain d ON d.id = m.domain_id
WHERE m.live AND m.archived_at IS NULL AND m.moderation_status = 'accepted'
  AND (m.end_date IS NULL OR m.end_date >= %s)
ORDER BY m.posted_at DESC, m.id ASC
LIMIT %s
"""

_MISSIONS_COUNT_SQL = """
SELECT count(*) FROM missions_mission m
WHERE m.live AND m.archived_at IS NULL AND m.moderation_status = 'accepted'
  AND (m.end_date IS NULL OR m.end_date >= %s)
"""

_ADDRESSES_SQL = """
SELECT mission_id, city, postcode, department_code, latitude, longitude
FROM missions_missionaddress WHERE mission_id = ANY(%s) ORDER BY mission_id, sort_order, id
"""

_OFFER_SQL = """
SELECT page.id, page.title, o.subtitle, o.kind, o.channel, o.discount_type, o.discount_value, o.valid_from,
       o.valid_until, o.nationwide, partner_page.title, partner.website
FROM offers_offerpage o
JOIN wagtailcore_page page ON page.id = o.page_ptr_id
LEFT JOIN offers_partnerpage partner ON partner.page_ptr_id = o.partner_id
LEFT JOIN wagtailcore_page partner_page ON partner_page.id = partner.page_ptr_id
WHERE page.slug = %s AND page.live AND partner_page.live
  AND (o.valid_from IS NULL OR o.valid_from <= %s) AND (o.valid_until IS NULL OR o.valid_until >= %s)
ORDER BY page.id LIMIT 1
"""

_OFFER_TERMS_SQL = """
SELECT 'category', c.slug, c.label, c.position FROM offers_offerpage_categories oc
JOIN taxonomy_offercategory c ON c.id = oc.offercategory_id WHERE oc.offerpage_id = %s
UNION ALL
SELECT 'need', n.slug, n.label, n.position FROM offers_offerpage_needs onn
JOIN taxonomy_need n ON n.id = onn.need_id WHERE onn.offerpage_id = %s
ORDER BY 1, 4, 3
"""

_STORES_SQL = """
SELECT name, city, postcode, latitude, longitude FROM offers_offerstore WHERE offer_id = %s ORDER BY sort_order, id
"""


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def run_graphql(query: str, variables: dict) -> str:
    """The GraphQL payload as the view would send it, from the schema with all its extensions."""
    from graphql_api.schema import schema

    request = RequestFactory().get("/graphql/")
    request.user = AnonymousUser()
    result = schema.execute_sync(
        query, variable_values=variables, context_value=StrawberryDjangoContext(request=request, response=None)
    )
    if result.errors:
        raise RuntimeError(f"GraphQL errors: {result.errors}")
    return json.dumps({"data": result.data}, separators=(",", ":"))


def hand_written_missions(first: int = PAGE) -> str:
    """The missions list payload from three hand-written statements (page with joins, total, addresses).

    The total is its own ``count(*)``: a ``count(*) OVER ()`` on the page's statement would make PostgreSQL join and
    number every public mission before keeping 50 (600 ms at 100,000 missions instead of a few).
    """
    with connection.cursor() as cursor:
        cursor.execute(_MISSIONS_SQL, [timezone.localdate(), first])
        rows = cursor.fetchall()
        cursor.execute(_MISSIONS_COUNT_SQL, [timezone.localdate()])
        total = cursor.fetchone()[0]
        ids = [row[0] for row in rows]
        cursor.execute(_ADDRESSES_SQL, [ids])
        addresses: dict[int, list[dict]] = {}
        for mission_id, city, postcode, department, lat, lon in cursor.fetchall():
            addresses.setdefault(mission_id, []).append(
                {"city": city, "postcode": postcode, "departmentCode": department, "latitude": lat, "longitude": lon}
            )
    edges = [
        {
            "node": {
                "databaseId": row[0],
                "title": row[1],
                "startDate": _iso(row[2]),
                "endDate": _iso(row[3]),
                "remote": row[4].upper(),
                "openToMinors": row[5],
                "organisation": {"name": row[6], "slug": row[7], "city": row[8]} if row[7] else None,
                "programme": {"slug": row[9], "label": row[10]} if row[9] else None,
                "domain": {"slug": row[11], "label": row[12]} if row[11] else None,
                "addresses": addresses.get(row[0], []),
            }
        }
        for row in rows
    ]
    return json.dumps({"data": {"missions": {"totalCount": total, "edges": edges}}}, separators=(",", ":"))


def hand_written_offer(slug: str) -> str:
    """The offer detail payload from three hand-written statements (offer with partner, terms, stores)."""
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_OFFER_SQL, [slug, today, today])
        row = cursor.fetchone()
        cursor.execute(_OFFER_TERMS_SQL, [row[0], row[0]])
        terms = cursor.fetchall()
        cursor.execute(_STORES_SQL, [row[0]])
        stores = [
            {"name": name, "city": city, "postcode": postcode, "latitude": lat, "longitude": lon}
            for name, city, postcode, lat, lon in cursor.fetchall()
        ]
    offer = {
        "databaseId": row[0],
        "title": row[1],
        "subtitle": row[2],
        "kind": row[3].upper(),
        "channel": row[4].upper(),
        "discountType": row[5].upper(),
        "discountValue": str(row[6]) if row[6] is not None else None,
        "validFrom": _iso(row[7]),
        "validUntil": _iso(row[8]),
        "nationwide": row[9],
        "partner": {"title": row[10], "website": row[11]},
        "categories": [{"slug": s, "label": lbl} for kind, s, lbl, _ in terms if kind == "category"],
        "needs": [{"slug": s, "label": lbl} for kind, s, lbl, _ in terms if kind == "need"],
        "stores": stores,
    }
    return json.dumps({"data": {"offer": offer}}, separators=(",", ":"))


def _timed_pair(first: Callable[[], str], second: Callable[[], str], runs: int) -> tuple[list[float], list[float]]:
    """Latencies of two ways, run alternately so that a burst of load on a shared machine falls on both alike."""
    for _ in range(WARMUP):
        first()
        second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for func, out in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            func()
            out.append(time.perf_counter() - started)
    return samples


def compare(
    label: str, graphql: Callable[[], str], hand: Callable[[], str], runs: int = RUNS, target: str = "≤ 3"
) -> list[Row]:
    """Query count of the GraphQL way, latencies of both ways, and their ratio, for one read."""
    with counting_statements(connection) as queries:
        graphql()
    if not queries:
        raise RuntimeError(f"{label}: no SQL statement counted for a GraphQL read that needs some")
    same_payload = json.loads(graphql()) == json.loads(hand())
    graphql_samples, hand_samples = _timed_pair(graphql, hand, runs)
    ratio = statistics.median(graphql_samples) / statistics.median(hand_samples)
    return [
        Row(NAME, f"{label}: SQL queries (GraphQL)", len(queries), "queries", "≤ 5"),
        *latency_rows(NAME, f"{label}: GraphQL", graphql_samples),
        *latency_rows(NAME, f"{label}: hand-written SQL + json.dumps", hand_samples),
        Row(
            NAME,
            f"{label}: GraphQL / hand-written (median)",
            round(ratio, 2),
            "×",
            target,
            note=f"same payload: {same_payload}",
        ),
    ]


def bench_offer_slug() -> str | None:
    from cms.offers.models import OfferPage

    offer = OfferPage.objects.public().order_by("pk").only("slug").first()
    return offer.slug if offer else None


def vacuum_missions() -> None:
    """VACUUM ANALYZE the freshly loaded missions, as autovacuum soon does in production.

    Without it the visibility map is empty and every count (GraphQL's ``totalCount`` and the hand-written one alike)
    reads the whole table instead of the listing index alone.
    """
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) missions_mission")


@suite(NAME)
def graphql_suite(ctx: Context) -> list[Row]:
    """Missions list (50, nested) and offer detail: GraphQL against hand-written SQL on the shared data set."""
    runs = ctx.state.get("graphql_runs", RUNS)
    vacuum_missions()
    rows = compare(
        f"missions list ({PAGE}, nested)",
        lambda: run_graphql(MISSIONS_LIST, {"first": PAGE}),
        hand_written_missions,
        runs,
    )
    slug = bench_offer_slug()
    if slug is None:
        return [*rows, Row(NAME, "offer detail", "skipped", note="no public offer in the data set")]
    rows += compare(
        "offer detail",
        lambda: run_graphql(OFFER_DETAIL, {"slug": slug}),
        lambda: hand_written_offer(slug),
        runs,
        target="≤ 4",
    )
    return rows
