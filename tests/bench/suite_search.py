"""Search benchmark: latency of typical queries at scale on the configured backend, and full reindex time.

Run inside the harness (``make bench``), or alone on its own database with a quick synthetic data set:
``BENCH_DATABASE_URL=postgres://…/tremplin_bench_search python -m tests.bench.suite_search --missions 100000``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random

from .harness import Context, Row, format_table, latency_rows, stopwatch, suite

RUNS = 60
WARMUP = 5
TARGET = "p95 ≤ 50 ms"
CITIES = [
    ("Paris", "75001", "75", 48.8566, 2.3522),
    ("Lyon", "69002", "69", 45.7640, 4.8357),
    ("Marseille", "13001", "13", 43.2965, 5.3698),
    ("Toulouse", "31000", "31", 43.6047, 1.4442),
    ("Lille", "59000", "59", 50.6292, 3.0573),
    ("Nantes", "44000", "44", 47.2184, -1.5536),
    ("Strasbourg", "67000", "67", 48.5734, 7.7521),
    ("Bordeaux", "33000", "33", 44.8378, -0.5792),
    ("Rennes", "35000", "35", 48.1173, -1.6778),
    ("Grenoble", "38000", "38", 45.1885, 5.7245),
    ("Clermont-Ferrand", "63000", "63", 45.7772, 3.0870),
    ("Limoges", "87000", "87", 45.8336, 1.2611),
]
ACTIONS = ["Accompagner", "Animer", "Soutenir", "Aider", "Sensibiliser", "Organiser", "Participer à", "Encadrer"]
SUBJECTS = [
    "des enfants vers la lecture",
    "une collecte alimentaire",
    "le bénévolat de proximité",
    "des personnes âgées isolées",
    "un chantier de protection de l'environnement",
    "des activités sportives pour tous",
    "l'aide aux devoirs",
    "une épicerie solidaire",
    "la sensibilisation au numérique",
    "un festival de musique",
    "la préservation de la biodiversité",
    "des maraudes solidaires",
]
TEXTS = ["bénévolat", "environnement", "aide aux devoirs", "sport", "solidaire", "lecture enfants", "numerique"]


def ensure_dataset(n_missions: int, n_offers: int, seed: int = 4) -> None:
    """Missions and offers in bulk when the bench database has fewer than asked (the shared data set wins if any)."""
    from django.utils import timezone

    from cms.missions.models import Mission, MissionAddress
    from cms.offers.models import OfferPage, OffersIndexPage, OfferStore, PartnerPage
    from cms.organisations.models import Organization
    from cms.taxonomy.models import Domain, OfferCategory, Programme

    rng = random.Random(seed)
    today = timezone.localdate()
    missing = n_missions - Mission.objects.count()
    if missing > 0:
        organisations = Organization.objects.bulk_create(
            Organization(name=f"Association bench {i}", slug=f"bench-{i}-{rng.random():.8f}") for i in range(2000)
        )
        domains, programmes = list(Domain.objects.all()), list(Programme.objects.all())
        remotes = ["no"] * 8 + ["possible", "full"]
        batch: list[Mission] = []
        for i in range(missing):
            title = f"{rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}"
            description = f"Vous allez {rng.choice(ACTIONS).lower()} {rng.choice(SUBJECTS)} et {rng.choice(SUBJECTS)}."
            batch.append(
                Mission(
                    source="bench",
                    client_id=f"bench-{rng.random():.12f}-{i}",
                    title=title,
                    description_html=f"<p>{description}</p>",
                    description_text=description,
                    organization=rng.choice(organisations),
                    programme=rng.choice(programmes),
                    domain=rng.choice(domains),
                    remote=rng.choice(remotes),
                    start_date=today + datetime.timedelta(days=rng.randint(-30, 180)),
                    end_date=today + datetime.timedelta(days=rng.randint(200, 400)),
                    posted_at=timezone.now() - datetime.timedelta(minutes=rng.randint(0, 500_000)),
                    live=True,
                    moderation_status=rng.choice(["accepted"] * 9 + ["pending"]),
                    open_to_minors=rng.random() < 0.3,
                    reduced_mobility_accessible=rng.random() < 0.2,
                )
            )
            if len(batch) == 5000 or i == missing - 1:
                created = Mission.objects.bulk_create(batch)
                addresses = []
                for mission in created:
                    for _ in range(1 if rng.random() < 0.85 else 2):
                        city, postcode, department, lat, lon = rng.choice(CITIES)
                        addresses.append(
                            MissionAddress(
                                mission=mission,
                                city=city,
                                postcode=postcode,
                                department_code=department,
                                latitude=lat + rng.uniform(-0.4, 0.4),
                                longitude=lon + rng.uniform(-0.5, 0.5),
                            )
                        )
                MissionAddress.objects.bulk_create(addresses)
                batch = []
    missing = n_offers - OfferPage.objects.count()
    if missing > 0:
        index = OffersIndexPage.objects.get()
        categories = list(OfferCategory.objects.all())
        partners = [index.add_child(instance=PartnerPage(title=f"Partenaire bench {i}")) for i in range(40)]
        for i in range(missing):
            offer = partners[i % len(partners)].add_child(
                instance=OfferPage(
                    title=f"-{rng.randint(5, 50)} % {rng.choice(SUBJECTS)}",
                    subtitle="Sur présentation de la carte",
                    kind="card",
                    channel=rng.choice(["online", "in_store", "both"]),
                    discount_value=10,
                    nationwide=rng.random() < 0.4,
                )
            )
            offer.categories.set(rng.sample(categories, k=min(2, len(categories))))
            city, postcode, _, lat, lon = rng.choice(CITIES)
            OfferStore.objects.create(
                offer=offer, name=f"Magasin {i}", city=city, postcode=postcode, latitude=lat, longitude=lon
            )


def _measure(run, queries) -> list[float]:
    samples = []
    for i in range(WARMUP + RUNS):
        with stopwatch() as t:
            run(queries[i % len(queries)])
        if i >= WARMUP:
            samples.append(t["seconds"])
    return samples


@suite("search")
def search_suite(ctx: Context) -> list[Row]:
    from search.base import Near, SearchQuery, Sort, get_backend
    from search.indexing import KINDS

    backend = get_backend()
    name = "search"
    rows: list[Row] = []
    missions, offers = KINDS["missions"], KINDS["offers"]
    if ctx.state.get("search_reindex", True):
        with stopwatch() as t:
            indexed = sum(backend.rebuild(kind, kind.records()) for kind in (missions, offers))
        rows.append(Row(name, "reindex everything", round(t["seconds"], 1), "s", note=f"{indexed} documents"))

    rng = random.Random(7)
    text_queries = [SearchQuery(text=text, facets=("domain", "programme")) for text in TEXTS]
    geo_queries = [
        SearchQuery(near=Near(lat, lon, 20), sort=Sort.DISTANCE) for _, _, _, lat, lon in rng.sample(CITIES, 8)
    ]
    facet_queries = [
        SearchQuery(),
        SearchQuery(filters={"domain": ["environnement"]}),
        SearchQuery(filters={"programme": ["benevolat"], "remote": ["no"]}),
        SearchQuery(filters={"department": ["69", "38"]}),
    ]

    def run(query):
        return backend.search(missions, query)

    total = backend.search(missions, SearchQuery(first=1)).total
    rows += latency_rows(name, "(a) text + 2 facets", _measure(run, text_queries), TARGET)
    rows += latency_rows(name, "(b) geo 20 km + facets, by distance", _measure(run, geo_queries), TARGET)
    rows += latency_rows(name, "(c) facets only (4 facets)", _measure(run, facet_queries), TARGET)
    offer_queries = [SearchQuery(text="musique"), SearchQuery(near=Near(45.76, 4.83, 20), include_everywhere=True)]
    rows += latency_rows(
        name, "offers text/geo + 3 facets", _measure(lambda q: backend.search(offers, q), offer_queries)
    )
    rows.append(Row(name, "searchable missions", total, note=f"backend {type(backend).__name__}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--missions", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=2_000)
    parser.add_argument("--no-reindex", action="store_true", help="query the index as it is")
    args = parser.parse_args()

    from .harness import bench_database_url

    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with stopwatch() as t:
        ensure_dataset(args.missions, args.offers)
    print(f"data set ready in {t['seconds']:.0f} s")
    context = Context(args.missions, args.offers, state={"search_reindex": not args.no_reindex})
    print(format_table(search_suite(context)))


if __name__ == "__main__":
    main()
