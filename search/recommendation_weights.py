"""Every number the mission recommendation ranks with, in one place (see docs/recommendation.md).

A candidate's score is the weighted sum of parts that each lie between 0 and 1 (``WEIGHTS``); then the diversity
penalty lowers repeated organisations. The values are product choices written down once, not fitted to the
benchmark's generator: change them here, and the score parts in every answer show the effect.
"""

from __future__ import annotations

from cms.core.recommendation_profile import Intent  # the intents are the profile's, shared with stored profiles

#: Weight of each score part; they add up to 1.
WEIGHTS: dict[str, float] = {
    "distance": 0.28,  # closer is better, within the person's radius
    "interest": 0.27,  # the mission's domain is one the person chose
    "intent": 0.15,  # the programme and domain suit what the person is after
    "start": 0.10,  # starts near the date the person gave (or soon)
    "hours": 0.05,  # weekly hours close to what the person can give
    "freshness": 0.05,  # recently posted
    "popularity": 0.10,  # smoothed application rate from tracking
}

#: Without a radius, how far a person is taken to travel (km).
DEFAULT_RADIUS_KM = 30.0
#: A fully remote mission's distance part, when the person accepts remote work.
REMOTE_DISTANCE_PART = 0.6
#: A part the profile says nothing about (no domains, no start date, no hours…).
NEUTRAL = 0.5
#: Freshness halves every this many days.
FRESHNESS_HALF_LIFE_DAYS = 45
#: Start dates: full part from a week before to a month after the wished date, none beyond this many days away.
START_WINDOW_DAYS = 120
#: Popularity: the application rate (applications / clicks over ``POPULARITY_DAYS``) smoothed towards the overall rate
#: as if every mission had ``POPULARITY_PRIOR_CLICKS`` clicks at that rate, so that a new mission is not buried; the
#: part is that rate over twice the overall one, capped at 1 (an average mission gets 0.5).
POPULARITY_DAYS = 90
POPULARITY_PRIOR_CLICKS = 20
DEFAULT_APPLICATION_RATE = 0.05
#: Diversity: each mission already chosen from the same organisation lowers the next one's score by this much.
SAME_ORGANISATION_PENALTY = 0.12
#: Candidates read from the search backend per search (its page size cap).
CANDIDATES_PER_SEARCH = 100

#: Intent → programme affinity (0–1); programmes not listed get ``NEUTRAL``.
PROGRAMME_AFFINITY: dict[Intent, dict[str, float]] = {
    Intent.FIND_JOB: {
        "service-civique": 0.9,
        "corps-europeen-solidarite": 0.8,
        "reserve-operationnelle": 0.8,
        "sapeurs-pompiers-volontaires": 0.7,
        "benevolat": 0.3,
    },
    Intent.FIND_MY_WAY: {"service-civique": 1.0, "corps-europeen-solidarite": 0.9, "snu": 0.8, "benevolat": 0.6},
    Intent.BE_USEFUL: {
        "benevolat": 1.0,
        "reserve-civique": 1.0,
        "service-civique": 0.8,
        "sapeurs-pompiers-volontaires": 0.8,
    },
    Intent.MEET_PEOPLE: {"benevolat": 0.9, "snu": 0.9, "corps-europeen-solidarite": 0.9, "reserve-civique": 0.7},
}
#: Intent → domain affinity (0–1); domains not listed get ``NEUTRAL``. The intent part is the larger of the two.
DOMAIN_AFFINITY: dict[Intent, dict[str, float]] = {
    Intent.FIND_JOB: {
        "emploi": 1.0,
        "benevolat-competences": 0.9,
        "numerique": 0.8,
        "gestion-finance-droit": 0.8,
        "batiment-industrie-logistique": 0.8,
        "communication": 0.7,
    },
    Intent.FIND_MY_WAY: {"education": 0.8, "culture-loisirs": 0.7, "recherche": 0.7, "environnement": 0.7},
    Intent.BE_USEFUL: {"solidarite-insertion": 1.0, "humanitaire": 1.0, "sante": 0.8, "environnement": 0.8},
    Intent.MEET_PEOPLE: {"vivre-ensemble": 1.0, "sport": 0.9, "culture-loisirs": 0.9, "animaux": 0.6},
}

#: When a person cannot join a programme they asked for, the programmes proposed instead, closest first.
PROGRAMME_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "service-civique": ("corps-europeen-solidarite", "reserve-civique", "benevolat"),
    "snu": ("service-civique", "reserve-civique", "benevolat"),
    "corps-europeen-solidarite": ("service-civique", "reserve-civique", "benevolat"),
    "reserve-operationnelle": ("sapeurs-pompiers-volontaires", "reserve-civique", "benevolat"),
    "sapeurs-pompiers-volontaires": ("reserve-operationnelle", "reserve-civique", "benevolat"),
    "reserve-civique": ("benevolat",),
    "benevolat": ("reserve-civique",),
}

# Offers of the Carte jeune engagé (``search.recommendation_offers``): the same rule, parts between 0 and 1.

#: Weight of each part of an offer's score; they add up to 1.
OFFER_WEIGHTS: dict[str, float] = {
    "distance": 0.30,  # a participating store near the person (nationwide or online offers: ``OFFER_ANYWHERE_PART``)
    "interest": 0.35,  # one of the offer's categories or needs is one of the person's interests
    "novelty": 0.15,  # never used by the person (``OFFER_USED_AGAIN_PART`` when used before and usable again)
    "saving": 0.15,  # the offer's estimated saving, up to ``OFFER_SAVING_CAP_EUROS``
    "freshness": 0.05,  # recently published
}
#: How far a cardholder is taken to go to a store (km).
OFFER_RADIUS_KM = 20.0
#: The distance part of an offer valid everywhere (nationwide or online).
OFFER_ANYWHERE_PART = 0.6
#: The distance part of a store in the person's department when only their postcode is known.
OFFER_SAME_DEPARTMENT_PART = 0.7
#: The novelty part of an offer the person used before and may use again.
OFFER_USED_AGAIN_PART = 0.3
#: The saving part reaches 1 at this estimated saving per use (€).
OFFER_SAVING_CAP_EUROS = 30
#: Offers' freshness halves every this many days since first published.
OFFER_FRESHNESS_HALF_LIFE_DAYS = 30
#: Each offer already chosen from the same partner lowers the next one's score by this much.
SAME_PARTNER_PENALTY = 0.12
