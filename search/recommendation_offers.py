"""Offer recommendations for a cardholder: candidates from the search interface, the card's rules, then a ranking
with French reasons, as missions are ranked (``search.recommendation``).

- **Interests**: the offer categories and needs of the person's profile; when they chose none, the categories of
  the offers they activated before; otherwise none (the interest part is then neutral).
- **Place**: the person's coordinates when known (stores within ``OFFER_RADIUS_KM``), else their postcode's
  department (stores in it); nationwide offers and online ones are within reach of everyone.
- **Hard rules**: public (``OfferPage.objects.public()``, the one definition); usable by the person now under the
  offer's usage rule (``cms.cards.activations.next_use``: an offer used once is left out, one used within its
  interval too); a code offer keeps a free code.
- **Score**: the weighted parts of ``OFFER_WEIGHTS`` (``search.recommendation_weights``), then diversity (an offer
  from a partner already listed goes down).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections import defaultdict

from django.db.models import Max
from django.utils import timezone

from cms.cards.activations import next_use, offers_with_free_codes
from cms.cards.models import Activation, YoungPerson
from cms.core.geo import department_from_postcode
from cms.offers.models import OfferPage
from cms.taxonomy.models import Need, OfferCategory

from . import recommendation_weights as w
from .base import Near, SearchQuery, Sort, search
from .offers import OFFERS
from .recommendation import ScorePart, diversify
from .recommendation_reasons import euros, near_reason

#: The most offers ``recommend_offers`` returns.
OFFER_RECOMMENDATIONS_MAX = 20
#: Score parts of an offer: one per weight, and the penalty of a partner already listed.
OFFER_SCORE_PARTS_MAX = len(w.OFFER_WEIGHTS) + 1
_ONLINE = (OfferPage.Channel.ONLINE, OfferPage.Channel.BOTH)
_FIELDS = (
    "id",
    "partner_id",
    "kind",
    "channel",
    "nationwide",
    "usage_rule",
    "usage_interval_days",
    "estimated_saving",
    "first_published_at",
)


class InterestsFrom(enum.StrEnum):
    PROFILE = "profile"
    ACTIVATIONS = "activations"
    NONE = "none"


class InvalidRequest(ValueError):
    """A request the caller got wrong; the message is French."""


@dataclasses.dataclass(frozen=True)
class Interests:
    source: InterestsFrom
    #: slug → label
    categories: dict[str, str]
    needs: dict[str, str]


@dataclasses.dataclass
class OfferRecommendation:
    offer_id: int
    score: float
    distance_km: float | None
    reasons: list[str]
    parts: list[ScorePart]
    partner_id: int | None = None


@dataclasses.dataclass
class OfferRecommendations:
    items: list[OfferRecommendation]
    interests: Interests


def interests_of(person: YoungPerson) -> Interests:
    """The profile's categories and needs, else the categories of the person's past activations."""
    categories = dict(person.offer_categories.values_list("slug", "label"))
    needs = dict(person.needs.values_list("slug", "label"))
    if categories or needs:
        return Interests(InterestsFrom.PROFILE, categories, needs)
    used = OfferCategory.objects.filter(pk__in=Activation.objects.filter(young_person=person).values("category_id"))
    categories = dict(used.values_list("slug", "label"))
    return Interests(InterestsFrom.ACTIVATIONS if categories else InterestsFrom.NONE, categories, {})


def _queries(person: YoungPerson, interests: Interests) -> tuple[list[SearchQuery], int]:
    """The searches to run, and how many of the first ones are limited to the person's place."""
    size = w.CANDIDATES_PER_SEARCH
    if person.latitude is not None and person.longitude is not None:
        near = Near(person.latitude, person.longitude, w.OFFER_RADIUS_KM)
        shape = {"near": near, "include_everywhere": True, "sort": Sort.DISTANCE, "facets": (), "count": False}
        local: dict = {}
        # Online offers are within reach without a store nearby.
        anywhere: dict | None = {"channel": list(_ONLINE)}
    else:
        department = department_from_postcode(person.postcode)
        shape = {"sort": Sort.NEWEST, "facets": (), "count": False}
        local = {"department": [department.code]} if department else {}
        # Only a department: nationwide and online offers come from a search without it.
        anywhere = {} if department else None
    queries = [SearchQuery(filters=local, first=size, **shape)]
    if interests.categories:
        queries.append(SearchQuery(filters=dict(local, category=list(interests.categories)), first=size, **shape))
    elif interests.needs:
        queries.append(SearchQuery(filters=dict(local, need=list(interests.needs)), first=size, **shape))
    placed = len(queries)
    if anywhere is not None:
        queries.append(SearchQuery(filters=anywhere, first=size, sort=Sort.NEWEST, facets=(), count=False))
    return queries, placed


def _candidates(person: YoungPerson, interests: Interests) -> tuple[dict[int, float | None], set[int]]:
    """Candidate ids with their nearest store's distance, and those found by the searches limited to the place."""
    found: dict[int, float | None] = {}
    local: set[int] = set()
    queries, placed = _queries(person, interests)
    for index, query in enumerate(queries):
        for hit in search(OFFERS, query).hits:
            found.setdefault(hit.pk, hit.distance_km)
            if index < placed:
                local.add(hit.pk)
    return found, local


def _terms(offer_ids: list[int]) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[tuple[str, str]]]]:
    categories: dict[int, list[tuple[str, str]]] = defaultdict(list)
    needs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for model, found in ((OfferCategory, categories), (Need, needs)):
        for offer_id, slug, label in model.objects.filter(offers__in=offer_ids).values_list("offers", "slug", "label"):
            found[offer_id].append((slug, label))
    return categories, needs


def _interest(interests: Interests, categories, needs) -> tuple[float, str | None]:
    if interests.source == InterestsFrom.NONE:
        return w.NEUTRAL, None
    for slug, label in sorted(categories, key=lambda term: term[1]):
        if slug in interests.categories:
            if interests.source == InterestsFrom.PROFILE:
                return 1.0, f"Dans ta catégorie : {label.lower()}"
            return 1.0, f"Comme tes offres déjà utilisées : {label.lower()}"
    for slug, label in sorted(needs, key=lambda term: term[1]):
        if slug in interests.needs:
            return 1.0, f"Pour ton besoin : {label.lower()}"
    return 0.0, None


def _score(row: dict, distance, reach: str, interest: tuple[float, str | None], used_before: bool, today: dt.date):
    parts: dict[str, float] = {}
    reasons: list[str] = []
    if reach == "near":
        parts["distance"] = max(0.0, 1 - distance / w.OFFER_RADIUS_KM)
        reasons.append(near_reason(distance))
    elif reach == "department":
        parts["distance"] = w.OFFER_SAME_DEPARTMENT_PART
        reasons.append("Un magasin dans ton département")
    elif reach == "nationwide":
        parts["distance"] = w.OFFER_ANYWHERE_PART
        reasons.append("Valable partout en France")
    elif reach == "online":
        parts["distance"] = w.OFFER_ANYWHERE_PART
        reasons.append("Utilisable en ligne")
    else:
        parts["distance"] = w.NEUTRAL
    parts["interest"], reason = interest
    if reason:
        reasons.append(reason)
    parts["novelty"] = w.OFFER_USED_AGAIN_PART if used_before else 1.0
    reasons.append("Utilisable à nouveau" if used_before else "Pas encore utilisée")
    saving = float(row["estimated_saving"] or 0)
    parts["saving"] = min(1.0, saving / w.OFFER_SAVING_CAP_EUROS)
    if saving > 0:
        reasons.append(f"Économie estimée : {euros(row['estimated_saving'])}")
    published = row["first_published_at"]
    age_days = max(0, (today - timezone.localtime(published).date()).days) if published else w.START_WINDOW_DAYS
    parts["freshness"] = 0.5 ** (age_days / w.OFFER_FRESHNESS_HALF_LIFE_DAYS)
    score_parts = [ScorePart(name, w.OFFER_WEIGHTS[name], round(value, 4)) for name, value in parts.items()]
    return sum(p.weight * p.value for p in score_parts), reasons, score_parts


def _reach(row: dict, distance: float | None, local: bool, person: YoungPerson, located: bool) -> str | None:
    """How the offer is within the person's reach; None when it is not."""
    if person.latitude is not None and distance is not None and distance <= w.OFFER_RADIUS_KM:
        return "near"
    if row["nationwide"]:
        return "nationwide"
    if row["channel"] in _ONLINE:
        return "online"
    if not located:
        return "anywhere"
    return "department" if local and person.latitude is None else None


def recommend_offers(person: YoungPerson, first: int = 10, *, now: dt.datetime | None = None) -> OfferRecommendations:
    """The best ``first`` offers ``person`` may use now, each with its reasons and score parts."""
    if not 1 <= first <= OFFER_RECOMMENDATIONS_MAX:
        raise InvalidRequest(f"Le nombre d'offres doit être compris entre 1 et {OFFER_RECOMMENDATIONS_MAX}.")
    now = now or timezone.now()
    today = timezone.localdate(now)
    interests = interests_of(person)
    candidates, local = _candidates(person, interests)
    rows = list(OfferPage.objects.public().filter(pk__any=list(candidates)).values(*_FIELDS))
    ids = [row["id"] for row in rows]
    last_used = dict(
        Activation.objects.filter(young_person=person, offer_id__in=ids)
        .values("offer_id")
        .annotate(last=Max("created_at"))
        .values_list("offer_id", "last")
    )
    with_codes = offers_with_free_codes([row["id"] for row in rows if row["kind"] == OfferPage.Kind.CODE])
    categories, needs = _terms(ids)
    located = person.latitude is not None or department_from_postcode(person.postcode) is not None
    scored = []
    for row in rows:
        offer_id, last = row["id"], last_used.get(row["id"])
        if last is not None:
            again = next_use(row["usage_rule"], row["usage_interval_days"], last)
            if again is None or again > now:
                continue
        if row["kind"] == OfferPage.Kind.CODE and offer_id not in with_codes:
            continue
        distance = candidates[offer_id]
        reach = _reach(row, distance, offer_id in local, person, located)
        if reach is None:
            continue
        interest = _interest(interests, categories[offer_id], needs[offer_id])
        score, reasons, parts = _score(row, distance, reach, interest, last is not None, today)
        shown = distance if reach == "near" else None
        scored.append(OfferRecommendation(offer_id, score, shown, reasons, parts, row["partner_id"]))
    scored.sort(key=lambda r: (-r.score, r.offer_id))
    chosen = diversify(scored, first, lambda r: r.partner_id, lambda r: r.offer_id, w.SAME_PARTNER_PENALTY)
    return OfferRecommendations(chosen, interests)
