"""Mission recommendations: candidates from the search interface, the hard rules, then a re-ranking with reasons.

1. Candidates: one to three searches through ``search.base.search`` (either backend), nearest first within the
   person's radius (or in their department, or nationwide), with the hard filters the index knows: the age rule
   (``eligible_at_age``), accessibility, the programmes; one of them limited to the person's domains so that a
   matching mission a bit further away is not lost behind closer ones; fully remote missions when accepted.
2. Hard rules on the loaded missions: public (``Mission.objects.public()``, the one definition), eligible at the
   person's age, not full (validated applications reached the places), not ending before the person can start.
3. Score: the weighted parts of ``search.recommendation_weights``, each with its French reason, then diversity
   (repeated organisations go down).

Nothing here knows how a benchmark generates its data; the weights are documented product choices.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable

from django.core.cache import cache
from django.db.models.functions import TruncDate
from django.utils import timezone

from cms.cards.models import YoungPerson, recommendation_profile_of
from cms.core.ages import AGE_MESSAGE, is_eligible_at_age, is_valid_age
from cms.core.geo import department_from_postcode
from cms.core.recommendation_profile import HOURS_MESSAGE, RADIUS_MESSAGE, is_valid_hours, is_valid_radius
from cms.missions.models import Mission
from cms.taxonomy.models import Domain, Programme
from cms.tracking.figures import mission_activity, overall_application_rate, places_taken

from . import recommendation_weights as w
from .base import InvalidSearch, Near, SearchQuery, Sort, search
from .missions import MISSIONS
from .recommendation_reasons import age_reason, distance_reason, intent_reason, start_reason

_FIELDS = (
    "id",
    "organization_id",
    "remote",
    "start_date",
    "end_date",
    "hours_per_week",
    "places",
    "open_to_minors",
    "reduced_mobility_accessible",
    "programme__slug",
    "programme__label",
    "programme__min_age",
    "programme__max_age",
    "domain__slug",
    "domain__label",
)


class InvalidProfile(ValueError):
    """A profile the caller got wrong; the message is French."""


@dataclasses.dataclass(frozen=True)
class Profile:
    age: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    postcode: str = ""
    radius_km: float = w.DEFAULT_RADIUS_KM
    domains: tuple[str, ...] = ()
    intent: w.Intent | None = None
    hours_per_week: int | None = None
    start_date: dt.date | None = None
    remote_accepted: bool = False
    accessibility_needs: bool = False
    #: Programmes the person asked for (slugs); empty: any.
    programmes: tuple[str, ...] = ()


def age_on(birth_date: dt.date, today: dt.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def stored_profile(person: YoungPerson, today: dt.date | None = None) -> Profile | None:
    """The profile a young person stored (their age, place and domains, with their ``RecommendationProfile``), as
    the engine takes a given one; None when they have not stored one yet."""
    stored = recommendation_profile_of(person)
    if stored is None:
        return None
    return Profile(
        age=age_on(person.birth_date, today or timezone.localdate()),
        latitude=person.latitude,
        longitude=person.longitude,
        postcode=person.postcode,
        radius_km=w.DEFAULT_RADIUS_KM if stored.radius_km is None else stored.radius_km,
        domains=tuple(sorted(person.domains.values_list("slug", flat=True))),
        intent=w.Intent(stored.intent) if stored.intent else None,
        hours_per_week=stored.hours_per_week,
        start_date=stored.start_date,
        remote_accepted=stored.remote_accepted,
        accessibility_needs=stored.accessibility_needs,
    )


@dataclasses.dataclass
class ScorePart:
    name: str
    weight: float
    value: float


@dataclasses.dataclass
class Recommendation:
    mission_id: int
    score: float
    distance_km: float | None
    reasons: list[str]
    parts: list[ScorePart]
    organization_id: int | None = None


@dataclasses.dataclass
class Alternative:
    programme: str
    label: str
    reason: str


@dataclasses.dataclass
class Redirection:
    programme: str
    label: str
    message: str
    alternatives: list[Alternative]


@dataclasses.dataclass
class Recommendations:
    items: list[Recommendation]
    redirections: list[Redirection]


def check(profile: Profile) -> None:
    """Raise :class:`InvalidProfile` (French) for a profile the engine cannot take: given or stored, one check."""
    if profile.age is not None and not is_valid_age(profile.age):
        raise InvalidProfile(AGE_MESSAGE)
    if (profile.latitude is None) != (profile.longitude is None):
        raise InvalidProfile("Indiquez à la fois la latitude et la longitude.")
    if not is_valid_radius(profile.radius_km):
        raise InvalidProfile(RADIUS_MESSAGE)
    if profile.hours_per_week is not None and not is_valid_hours(profile.hours_per_week):
        raise InvalidProfile(HOURS_MESSAGE)
    if profile.postcode and profile.latitude is None and department_from_postcode(profile.postcode) is None:
        raise InvalidProfile(f"Code postal inconnu : « {profile.postcode} ».")
    if profile.domains:
        known = set(Domain.objects.filter(slug__in=profile.domains).values_list("slug", flat=True))
        unknown = sorted(set(profile.domains) - known)
        if unknown:
            raise InvalidProfile(f"Domaine inconnu : « {unknown[0]} ».")


def _age_range(programme: Programme) -> str:
    low, high = programme.min_age, programme.max_age
    if low is not None and high is not None:
        return f"de {low} à {high} ans"
    if high is not None:
        return f"jusqu'à {high} ans"
    return f"dès {low} ans" if low is not None else "sans limite d'âge"


def _redirections(profile: Profile) -> tuple[list[str] | None, list[Redirection]]:
    """The programmes to search (None: any) and, for each asked programme the person cannot join, what instead."""
    if not profile.programmes:
        return None, []
    programmes = {p.slug: p for p in Programme.objects.all()}
    unknown = sorted(set(profile.programmes) - set(programmes))
    if unknown:
        raise InvalidProfile(f"Dispositif inconnu : « {unknown[0]} ».")
    if profile.age is None:
        return list(profile.programmes), []

    def fits(slug: str) -> bool:
        p = programmes[slug]
        return is_eligible_at_age(profile.age, p.min_age, p.max_age, open_to_minors=True)

    wanted, redirections = [s for s in profile.programmes if fits(s)], []
    affinity = w.PROGRAMME_AFFINITY.get(profile.intent, {}) if profile.intent else {}
    for slug in profile.programmes:
        if fits(slug):
            continue
        closest = [s for s in w.PROGRAMME_ALTERNATIVES.get(slug, ()) if s in programmes and fits(s)]
        others = sorted((s for s in programmes if fits(s) and s not in closest), key=lambda s: -affinity.get(s, 0))
        alternatives = [
            Alternative(s, programmes[s].label, f"Ouvert à tes {profile.age} ans ({_age_range(programmes[s])})")
            for s in (closest + others)[:ALTERNATIVES_MAX]
        ]
        asked = programmes[slug]
        redirections.append(
            Redirection(
                slug,
                asked.label,
                f"{asked.label} est ouvert {_age_range(asked)} : à {profile.age} ans, tu ne peux pas y participer.",
                alternatives,
            )
        )
        wanted += [a.programme for a in alternatives if a.programme not in wanted]
    return wanted, redirections


def _queries(profile: Profile, programmes: list[str] | None) -> list[SearchQuery]:
    filters: dict = {}
    if profile.age is not None:
        filters["eligible_at_age"] = profile.age
    if profile.accessibility_needs:
        filters["accessible"] = True
    if programmes is not None:
        filters["programme"] = programmes or ["-"]
    # Candidates are one page each: no facet, no total (the search then runs no counting statement).
    size, shape = w.CANDIDATES_PER_SEARCH, {"facets": (), "count": False}
    if profile.latitude is not None:
        near = Near(profile.latitude, profile.longitude, profile.radius_km)
        shape.update(near=near, include_everywhere=profile.remote_accepted, sort=Sort.DISTANCE)
        local = dict(filters)
    else:
        department = department_from_postcode(profile.postcode)
        shape.update(sort=Sort.NEWEST)
        local = dict(filters, department=[department.code]) if department else dict(filters)
    queries = [SearchQuery(filters=local, first=size, **shape)]
    if profile.domains:
        queries.append(SearchQuery(filters=dict(local, domain=list(profile.domains)), first=size, **shape))
    if profile.latitude is None and profile.remote_accepted and "department" in local:
        queries.append(
            SearchQuery(filters=dict(filters, remote=[Mission.Remote.FULL]), first=size, facets=(), count=False)
        )
    return queries


def _candidates(profile: Profile, programmes: list[str] | None, exclude: set[int]) -> dict[int, float | None]:
    found: dict[int, float | None] = {}
    try:
        for query in _queries(profile, programmes):
            for hit in search(MISSIONS, query).hits:
                if hit.pk not in exclude:
                    found.setdefault(hit.pk, hit.distance_km)
    except InvalidSearch as error:
        raise InvalidProfile(str(error)) from error
    return found


def _overall_rate(since: dt.date) -> float:
    return cache.get_or_set(
        "recommendation:overall-rate",
        lambda: overall_application_rate(since, w.DEFAULT_APPLICATION_RATE),
        600,
    )


def _start_part(start: dt.date | None, wished: dt.date | None, today: dt.date) -> float:
    start = max(start or today, today)
    if wished is None:
        return max(0.0, 1 - (start - today).days / w.START_WINDOW_DAYS)
    gap = (start - wished).days
    if -7 <= gap <= 30:
        return 1.0
    away = gap - 30 if gap > 30 else -gap - 7
    return max(0.0, 1 - away / w.START_WINDOW_DAYS)


def _parts(row: dict, distance: float | None, profile: Profile, activity, rate: float, today: dt.date) -> dict:
    """The score parts of one candidate (name → value in [0, 1], rounded as shown), one per weight."""
    parts = {}
    if distance is not None and row["remote"] != Mission.Remote.FULL:
        parts["distance"] = max(0.0, 1 - distance / profile.radius_km)
    elif row["remote"] == Mission.Remote.FULL:
        parts["distance"] = w.REMOTE_DISTANCE_PART
    else:
        parts["distance"] = w.NEUTRAL
    if profile.domains:
        parts["interest"] = 1.0 if row["domain__slug"] in profile.domains else 0.0
    else:
        parts["interest"] = w.NEUTRAL
    if profile.intent is not None:
        by_programme = w.PROGRAMME_AFFINITY[profile.intent].get(row["programme__slug"], w.NEUTRAL)
        by_domain = w.DOMAIN_AFFINITY[profile.intent].get(row["domain__slug"], w.NEUTRAL)
        parts["intent"] = max(by_programme, by_domain)
    else:
        parts["intent"] = w.NEUTRAL
    parts["start"] = _start_part(row["start_date"], profile.start_date, today)
    if profile.hours_per_week and row["hours_per_week"]:
        gap = abs(profile.hours_per_week - row["hours_per_week"])
        parts["hours"] = max(0.0, 1 - gap / max(profile.hours_per_week, row["hours_per_week"]))
    else:
        parts["hours"] = w.NEUTRAL
    age_days = max(0, (today - row["posted_on"]).days)
    parts["freshness"] = 0.5 ** (age_days / w.FRESHNESS_HALF_LIFE_DAYS)
    clicks, applications = activity.get(row["id"], (0, 0))
    smoothed = (applications + w.POPULARITY_PRIOR_CLICKS * rate) / (clicks + w.POPULARITY_PRIOR_CLICKS)
    parts["popularity"] = min(1.0, smoothed / (2 * rate)) if rate > 0 else w.NEUTRAL
    return {name: round(value, 4) for name, value in parts.items()}


def _reasons(row: dict, distance: float | None, profile: Profile, parts: dict, activity, today: dt.date) -> list[str]:
    """The French reasons of a chosen candidate, from its row and score parts (written for the page only)."""
    reasons = []
    if distance is not None and row["remote"] != Mission.Remote.FULL:
        reasons.append(distance_reason(distance))
    elif row["remote"] == Mission.Remote.FULL:
        reasons.append("Mission à distance")
    if profile.domains and parts["interest"]:
        reasons.append(f"Dans ton domaine : {row['domain__label'].lower()}")
    if profile.intent is not None and parts["intent"] >= 0.8:
        reasons.append(intent_reason(profile.intent))
    if profile.age is not None:
        reasons.append(age_reason(profile.age))
    reasons.append(start_reason(row["start_date"], today))
    if parts["popularity"] >= 0.75 and activity.get(row["id"], (0, 0))[1] >= 3:
        reasons.append("Beaucoup de candidatures récentes")
    if profile.accessibility_needs and row["reduced_mobility_accessible"]:
        reasons.append("Accessible aux personnes à mobilité réduite")
    return reasons


def diversify(ranked: list, first: int, group: Callable, ident: Callable, penalty: float) -> list:
    """Pick the best ``first`` greedily, each one already chosen from the same ``group`` (organisation, partner;
    None: no group) lowering the next one's score by ``penalty`` (a ``diversity`` score part); ties by ``ident``.

    Each pick walks the pool from the best unpenalised score down and stops at the first item whose own score cannot
    beat the best penalised one found (a penalty only lowers a score), so it reads a few items rather than all."""
    chosen: list = []
    seen: Counter = Counter()
    pool = sorted(ranked, key=lambda r: (-r.score, ident(r)))
    while pool and len(chosen) < first:
        best_at, best_key = 0, None
        for at, item in enumerate(pool):
            if best_key is not None and (item.score, -ident(item)) < best_key:
                break
            key = (item.score - penalty * seen[group(item)], -ident(item))
            if best_key is None or key > best_key:
                best_at, best_key = at, key
        best = pool.pop(best_at)
        key = group(best)
        if key and seen[key]:
            best.parts.append(ScorePart("diversity", penalty, -seen[key]))
            best.score -= penalty * seen[key]
        seen[key] += 1 if key else 0
        chosen.append(best)
    return chosen


def _diversify(ranked: list[Recommendation], first: int) -> list[Recommendation]:
    return diversify(ranked, first, lambda r: r.organization_id, lambda r: r.mission_id, w.SAME_ORGANISATION_PENALTY)


def rank(profile: Profile, candidates: dict[int, float | None], first: int, today: dt.date) -> list[Recommendation]:
    """Apply the hard rules to ``candidates`` (id → distance) and return the best ``first``, with reasons."""
    rows = list(
        Mission.objects.public()
        .filter(pk__any=list(candidates))
        # The day of posting in the current time zone, computed by the database for each row.
        .values(*_FIELDS, posted_on=TruncDate("posted_at"))
    )
    taken = places_taken(candidates)
    since = today - dt.timedelta(days=w.POPULARITY_DAYS)
    activity, rate = mission_activity(candidates, since), _overall_rate(since)
    scored, kept = [], {}
    for row in rows:
        if profile.age is not None and not is_eligible_at_age(
            profile.age, row["programme__min_age"], row["programme__max_age"], row["open_to_minors"]
        ):
            continue
        if row["places"] is not None and taken.get(row["id"], 0) >= row["places"]:
            continue
        if profile.start_date and row["end_date"] and row["end_date"] < profile.start_date:
            continue
        distance = candidates[row["id"]]
        parts = _parts(row, distance, profile, activity, rate, today)
        score = sum(w.WEIGHTS[name] * value for name, value in parts.items())
        kept[row["id"]] = (row, parts)
        scored.append(Recommendation(row["id"], score, distance, [], [], row["organization_id"]))
    scored.sort(key=lambda r: (-r.score, r.mission_id))
    chosen = _diversify(scored, first)
    for item in chosen:
        row, parts = kept[item.mission_id]
        item.reasons = _reasons(row, item.distance_km, profile, parts, activity, today)
        item.parts[:0] = [ScorePart(name, w.WEIGHTS[name], value) for name, value in parts.items()]
    return chosen


#: The most missions ``recommend`` and ``similar`` return, and alternatives proposed per refused programme.
RECOMMENDATIONS_MAX = 20
SIMILAR_MAX = 20
ALTERNATIVES_MAX = 3
#: Score parts of a recommendation: one per weight, and the penalty of an organisation already listed.
SCORE_PARTS_MAX = len(w.WEIGHTS) + 1


def recommend(profile: Profile, first: int = 10, *, today: dt.date | None = None) -> Recommendations:
    """The best ``first`` missions for ``profile``, and what to do about programmes the person cannot join."""
    if not 1 <= first <= RECOMMENDATIONS_MAX:
        raise InvalidProfile(f"Le nombre de recommandations doit être compris entre 1 et {RECOMMENDATIONS_MAX}.")
    check(profile)
    today = today or timezone.localdate()
    programmes, redirections = _redirections(profile)
    candidates = _candidates(profile, programmes, set())
    return Recommendations(rank(profile, candidates, first, today), redirections)


def similar(mission_id: int, first: int = 5, *, age: int | None = None, today: dt.date | None = None):
    """Missions close to ``mission_id`` (same domain, near its place) for a visitor it does not suit any more (full,
    over, not for their age); None when the mission is unknown or was never public."""
    if not 1 <= first <= SIMILAR_MAX:
        raise InvalidProfile(f"Le nombre de missions proposées doit être compris entre 1 et {SIMILAR_MAX}.")
    mission = (
        Mission.objects.filter(pk=mission_id, live=True, moderation_status=Mission.Moderation.ACCEPTED)
        .select_related("domain")
        .first()
    )
    if mission is None:
        return None
    place = mission.addresses.exclude(latitude=None).values("latitude", "longitude").first() or {}
    profile = Profile(
        age=age,
        latitude=place.get("latitude"),
        longitude=place.get("longitude"),
        domains=(mission.domain.slug,) if mission.domain else (),
        remote_accepted=mission.remote == Mission.Remote.FULL,
    )
    check(profile)
    today = today or timezone.localdate()
    candidates = _candidates(profile, None, {mission.pk})
    return rank(profile, candidates, first, today)
