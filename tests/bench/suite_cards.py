"""Card benchmark: many concurrent ``activateOffer`` calls against a smaller pool of codes, on PostgreSQL.

1,000 young people with active cards each send ``activateOffer`` for the same ``code`` offer, whose pool holds 500
codes, from ``THREADS`` threads through the resolver layer (``schema.execute_sync`` with a request carrying each
person's bearer token, as the view runs it). Reports throughput and latency, and checks that exactly 500 distinct
codes were handed out and every other caller was told there are none left (an ``ERROR`` row otherwise).
Sizes come from ``ctx.state`` (``cards_calls``, ``cards_codes``, ``cards_threads``) so that the test runs it small.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time

from tests.bench.harness import Context, Row, latency_rows, suite

CALLS = 1_000
CODES = 500
THREADS = 32
ACTIVATE = "mutation ($id: ID!) { activateOffer(offerId: $id) { value } }"


def _prepare(calls: int, codes: int):
    """A partner, a ``code`` offer with ``codes`` codes, ``calls`` young people with active cards and tokens."""
    from django.utils import timezone

    from cms.cards.models import Card, CardStatus, YoungPerson
    from cms.cards.signin import issue_token
    from cms.offers.models import OfferPage, OffersIndexPage, PartnerPage, PromoCode
    from cms.taxonomy.models import Programme

    today = timezone.localdate()
    stamp = int(time.time() * 1000)
    partner = OffersIndexPage.objects.get().add_child(
        instance=PartnerPage(title=f"Bench cartes {stamp}", slug=f"bench-cartes-{stamp}")
    )
    offer = partner.add_child(
        instance=OfferPage(
            title="Bench : un code par personne",
            slug="bench-code",
            kind=OfferPage.Kind.CODE,
            usage_rule=OfferPage.UsageRule.ONCE,
            discount_type=OfferPage.DiscountType.FREE,
            estimated_saving=5,
        )
    )
    PromoCode.objects.bulk_create(PromoCode(offer=offer, code=f"BENCH-{stamp}-{n:05d}") for n in range(codes))
    programme = Programme.objects.order_by("pk").first()
    people = YoungPerson.objects.bulk_create(
        YoungPerson(
            email=f"bench-{stamp}-{n}@example.fr",
            first_name="Bench",
            last_name=f"Jeune {n}",
            birth_date=today.replace(year=today.year - 20, day=min(today.day, 28)),
            programme=programme,
            programme_end_date=today + dt.timedelta(days=180),
            postcode="75011",
            terms_accepted_at=timezone.now(),
        )
        for n in range(calls)
    )
    Card.objects.bulk_create(
        Card(young_person=person, status=CardStatus.ACTIVE, valid_until=today + dt.timedelta(days=210))
        for person in people
    )
    return offer, [issue_token(person) for person in people]


def _activate(schema, offer_id: int, token: str) -> tuple[float, str]:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from strawberry.django.context import StrawberryDjangoContext

    request = RequestFactory().post("/graphql/", headers={"Authorization": f"Bearer {token}"})
    request.user = AnonymousUser()
    started = time.perf_counter()
    result = schema.execute_sync(
        ACTIVATE,
        variable_values={"id": str(offer_id)},
        context_value=StrawberryDjangoContext(request=request, response=None),
    )
    elapsed = time.perf_counter() - started
    if result.errors:
        return elapsed, (result.errors[0].extensions or {}).get("reason") or result.errors[0].message
    return elapsed, result.data["activateOffer"]["value"]


def run_activations(offer_id: int, tokens: list[str], threads: int) -> tuple[float, list[tuple[float, str]]]:
    """Send one activation per token from ``threads`` threads started together; (wall seconds, results)."""
    from django.db import connection

    from graphql_api.schema import schema

    work: queue.Queue[str] = queue.Queue()
    for token in tokens:
        work.put(token)
    results: list[tuple[float, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)

    def worker() -> None:
        try:
            start.wait()
            while True:
                try:
                    token = work.get_nowait()
                except queue.Empty:
                    return
                outcome = _activate(schema, offer_id, token)
                with lock:
                    results.append(outcome)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join()
    return time.perf_counter() - began, results


@suite("cards")
def cards(ctx: Context) -> list[Row]:
    calls = ctx.state.get("cards_calls", CALLS)
    codes = ctx.state.get("cards_codes", CODES)
    threads = ctx.state.get("cards_threads", THREADS)
    offer, tokens = _prepare(calls, codes)
    seconds, results = run_activations(offer.pk, tokens, threads)
    handed = [value for _, value in results if value.startswith("BENCH-")]
    out_of_codes = sum(1 for _, value in results if value == "OUT_OF_CODES")
    name = "cards"
    rows = [
        Row(name, "activateOffer throughput", round(len(results) / seconds, 1), "calls/s", note=f"{threads} threads"),
        *latency_rows(name, "activateOffer", [elapsed for elapsed, _ in results]),
        Row(name, "distinct codes handed out", len(set(handed)), "", f"= {codes}", note=f"{calls} calls"),
        Row(name, "told out of codes", out_of_codes, "", f"= {calls - codes}"),
    ]
    if len(handed) != codes or len(set(handed)) != codes or out_of_codes != calls - codes:
        others = sorted({value for _, value in results if not value.startswith("BENCH-")} - {"OUT_OF_CODES"})
        rows.append(Row(name, "ERROR", "codes", note=f"{len(handed)} handed, {out_of_codes} refused, other: {others}"))
    return rows
