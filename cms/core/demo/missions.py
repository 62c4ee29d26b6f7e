"""Seeded generators and bulk loaders for organisations and missions, shared by ``seed_demo`` and the benchmarks.

Generators take a ``random.Random`` so that the same seed gives the same content; loaders write in chunks with
``bulk_create`` (``Mission.save`` is bypassed, so the plain-text description is computed here).
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cms.core.geo import department_from_postcode
from cms.core.html import html_to_text
from cms.missions.models import HAND_WRITTEN_SOURCE, Mission, MissionAddress
from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Programme

from .data import (
    AUDIENCES,
    CITIES,
    DOMAIN_TEXTS,
    ORGANISATIONS,
    PROGRAMME_WEIGHTS,
    REFUSAL_REASONS,
    REQUIREMENTS,
    SCHEDULES,
    SOFT_SKILLS,
    STREETS,
    City,
)

DEMO_SOURCE = "demo"
_CITY_WEIGHTS = [city.weight for city in CITIES]


def pick_city(rng: random.Random) -> City:
    return rng.choices(CITIES, weights=_CITY_WEIGHTS)[0]


def street_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 180)} {rng.choice(STREETS)}"


def jitter(rng: random.Random, value: float) -> float:
    """A point a few hundred metres around a city centre, so that addresses do not all stack up."""
    return round(value + rng.uniform(-0.02, 0.02), 6)


def build_organisations(rng: random.Random, count: int, *, source: str = DEMO_SOURCE) -> list[Organization]:
    """``count`` unsaved organisations; names repeat the sample list with a city suffix beyond its length."""
    organisations = []
    for index in range(count):
        base_name, kind, _domains = ORGANISATIONS[index % len(ORGANISATIONS)]
        city = pick_city(rng)
        name = base_name if index < len(ORGANISATIONS) else f"{base_name} — {city.name} {index // len(ORGANISATIONS)}"
        siren = f"{rng.randint(100_000_000, 999_999_999)}"
        department = department_from_postcode(city.postcode)
        organisations.append(
            Organization(
                name=name,
                slug=f"{source}-organisation-{index + 1:05d}",
                source=source,
                client_id=f"{source}-org-{index + 1:05d}",
                kind=kind,
                rna=f"W{rng.randint(100_000_000, 999_999_999)}" if kind == "association" else "",
                siren=siren,
                siret=f"{siren}{rng.randint(10_000, 99_999)}",
                description=f"{name} agit depuis {rng.randint(1950, 2020)} à {city.name} et dans ses environs.",
                url=f"https://www.{source}-organisation-{index + 1}.fr",
                street=street_address(rng),
                postcode=city.postcode,
                city=city.name,
                department_code=department.code if department else "",
            )
        )
    return organisations


def _compensation(rng: random.Random, programme_slug: str) -> dict:
    if programme_slug == "service-civique":
        return {
            "compensation_amount": Decimal("619.83"),
            "compensation_unit": Mission.CompensationUnit.MONTH,
            "compensation_type": Mission.CompensationType.NET,
        }
    if programme_slug == "reserve-operationnelle":
        low = Decimal(rng.randint(50, 70))
        return {
            "compensation_amount": low,
            "compensation_amount_max": low + rng.randint(5, 30),
            "compensation_unit": Mission.CompensationUnit.DAY,
            "compensation_type": Mission.CompensationType.GROSS,
        }
    if programme_slug == "sapeurs-pompiers-volontaires":
        return {
            "compensation_amount": Decimal("8.36"),
            "compensation_unit": Mission.CompensationUnit.HOUR,
            "compensation_type": Mission.CompensationType.NET,
        }
    return {}


def generate_missions(
    rng: random.Random,
    count: int,
    *,
    organisation_ids: list[int],
    programmes: Iterable[Programme],
    domains: Iterable[Domain],
    start: int = 0,
    hand_written_share: float = 0.0,
    today: datetime.date | None = None,
) -> Iterator[tuple[Mission, list[MissionAddress]]]:
    """Unsaved missions with 1–3 addresses each (about 2 on average), in the proportions a real base shows.

    About 90 % are public; the rest are pending, refused (with a reason), archived or already over. Client ids are
    ``demo-00001``…, numbered from ``start`` so that chunks can be generated separately.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    programme_by_slug = {p.slug: p for p in programmes}
    programme_slugs = [slug for slug in PROGRAMME_WEIGHTS if slug in programme_by_slug]
    programme_weights = [PROGRAMME_WEIGHTS[slug] for slug in programme_slugs]
    domain_by_slug = {d.slug: d for d in domains}
    domain_slugs = [slug for slug in DOMAIN_TEXTS if slug in domain_by_slug]
    # Organisations come in the order build_organisations made them: the i-th is a copy of ORGANISATIONS[i % n].
    fitting: dict[str, list[int]] = {}
    for index, organisation_id in enumerate(organisation_ids):
        for slug in ORGANISATIONS[index % len(ORGANISATIONS)][2]:
            fitting.setdefault(slug, []).append(organisation_id)

    for number in range(start + 1, start + count + 1):
        domain_slug = rng.choice(domain_slugs)
        texts = DOMAIN_TEXTS[domain_slug]
        programme_slug = rng.choices(programme_slugs, weights=programme_weights)[0]
        if domain_slug == "service-public-defense-securite":
            programme_slug = rng.choice(["sapeurs-pompiers-volontaires", "reserve-operationnelle"])
        first_city = pick_city(rng)
        title = f"{rng.choice(texts.titles)} à {first_city.name}"
        tasks = rng.sample(texts.tasks, k=min(len(texts.tasks), rng.randint(2, 3)))
        description_html = (
            f"<p>{texts.intro}</p><p>Vos missions :</p><ul>"
            + "".join(f"<li>{task.capitalize()} ;</li>" for task in tasks)
            + "</ul><p>Aucune compétence particulière n'est requise : l'envie d'agir suffit. "
            "Vous serez accompagné·e par un tuteur tout au long de la mission.</p>"
        )
        start_date = today + datetime.timedelta(days=rng.randint(-30, 90))
        if programme_slug == "service-civique":
            duration_days = 30 * rng.choice([6, 8, 9, 10, 12])
            hours = rng.choice([24, 28, 30, 35])
        elif programme_slug in ("benevolat", "reserve-civique"):
            duration_days = rng.choice([1, 7, 30, 90, 180, None])
            hours = rng.choice([2, 3, 4, 6, 8])
        else:
            duration_days = rng.choice([14, 30, 365])
            hours = rng.choice([4, 8, 12])
        end_date = start_date + datetime.timedelta(days=duration_days) if duration_days else None

        roll = rng.random()
        moderation, reason, archived_at = Mission.Moderation.ACCEPTED, "", None
        if roll < 0.04:
            moderation = Mission.Moderation.PENDING
        elif roll < 0.07:
            moderation, reason = Mission.Moderation.REFUSED, rng.choice(REFUSAL_REASONS)
        elif roll < 0.10:
            archived_at = now - datetime.timedelta(days=rng.randint(1, 60))
        elif roll < 0.12:
            start_date = today - datetime.timedelta(days=rng.randint(60, 200))
            end_date = start_date + datetime.timedelta(days=rng.randint(7, 50))

        remote_roll = rng.random()
        remote = (
            Mission.Remote.FULL
            if remote_roll < 0.05
            else Mission.Remote.POSSIBLE
            if remote_roll < 0.15
            else Mission.Remote.NO
        )
        client_id = f"{DEMO_SOURCE}-{number:06d}"
        hand_written = rng.random() < hand_written_share
        mission = Mission(
            source=HAND_WRITTEN_SOURCE if hand_written else DEMO_SOURCE,
            client_id=client_id,
            title=title,
            description_html=description_html,
            description_text=html_to_text(description_html),
            organization_id=rng.choice(fitting.get(domain_slug) or organisation_ids) if organisation_ids else None,
            programme=programme_by_slug[programme_slug],
            domain=domain_by_slug[domain_slug],
            activities=rng.sample(texts.activities, k=min(2, len(texts.activities))),
            tags=[domain_by_slug[domain_slug].label.lower(), first_city.name],
            tasks=tasks,
            audience=rng.sample(AUDIENCES, k=rng.randint(1, 2)),
            soft_skills=rng.sample(SOFT_SKILLS, k=rng.randint(2, 3)),
            requirements=rng.sample(REQUIREMENTS, k=rng.randint(0, 1)),
            remote=remote,
            schedule=rng.choice(SCHEDULES),
            hours_per_week=hours,
            start_date=start_date,
            end_date=end_date,
            posted_at=now - datetime.timedelta(days=rng.randint(0, 90), minutes=rng.randint(0, 1440)),
            places=rng.choice([1, 1, 2, 3, 5, 10, 20]),
            open_to_minors=programme_slug == "snu" or rng.random() < 0.3,
            reduced_mobility_accessible=rng.random() < 0.4,
            close_to_transport=rng.random() < 0.6,
            application_url=f"https://demo.tremplin.example/candidater/{client_id}",
            moderation_status=moderation,
            moderation_reason=reason,
            moderated_at=None if moderation == Mission.Moderation.PENDING else now,
            archived_at=archived_at,
            last_synced_at=None if hand_written else now,
            **_compensation(rng, programme_slug),
        )
        n_addresses = rng.choices([1, 2, 3], weights=[35, 35, 30])[0]
        addresses = []
        for position, city in enumerate([first_city] * n_addresses):  # the city the title names
            department = department_from_postcode(city.postcode)
            addresses.append(
                MissionAddress(
                    sort_order=position,
                    street=street_address(rng),
                    postcode=city.postcode,
                    city=city.name,
                    department_code=department.code if department else "",
                    department_name=department.name if department else "",
                    region=department.region if department else "",
                    latitude=jitter(rng, city.latitude),
                    longitude=jitter(rng, city.longitude),
                )
            )
        yield mission, addresses


def load_missions(rows: Iterable[tuple[Mission, list[MissionAddress]]], *, chunk_size: int = 2000) -> list[int]:
    """Insert missions and their addresses chunk by chunk (one transaction per chunk); returns the new ids."""
    ids: list[int] = []
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, chunk_size)):
        with transaction.atomic():
            missions = Mission.objects.bulk_create([mission for mission, _ in chunk])
            addresses = []
            for mission, (_, mission_addresses) in zip(missions, chunk, strict=True):
                for address in mission_addresses:
                    address.mission_id = mission.pk
                    addresses.append(address)
            MissionAddress.objects.bulk_create(addresses)
        ids.extend(mission.pk for mission in missions)
    return ids
