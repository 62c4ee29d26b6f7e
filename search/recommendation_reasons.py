"""The French sentences that explain a recommendation (addressed to the young person, "tu")."""

from __future__ import annotations

import datetime as dt

from .recommendation_weights import Intent

INTENT_REASONS = {
    Intent.FIND_JOB: "Utile pour ton projet professionnel",
    Intent.FIND_MY_WAY: "Pour t'aider à trouver ta voie",
    Intent.BE_USEFUL: "Pour te rendre utile",
    Intent.MEET_PEOPLE: "Pour rencontrer du monde",
}


def distance_reason(km: float) -> str:
    return "À moins d'1 km de chez toi" if km < 1 else f"À {round(km)} km de chez toi"


def age_reason(age: int) -> str:
    return f"Ouvert à tes {age} ans"


def intent_reason(intent: Intent) -> str:
    return INTENT_REASONS[intent]


def start_reason(start: dt.date | None, today: dt.date) -> str:
    days = (start - today).days if start else 0
    if days <= 0:
        return "Tu peux commencer dès maintenant"
    if days == 1:
        return "Commence demain"
    if days < 7:
        return f"Commence dans {days} jours"
    if days < 60:
        weeks = round(days / 7)
        return f"Commence dans {weeks} semaine{'s' if weeks > 1 else ''}"
    return f"Commence dans {round(days / 30)} mois"


def near_reason(km: float) -> str:
    return "Près de chez toi : moins d'1 km" if km < 1 else f"Près de chez toi : {round(km)} km"


def euros(amount) -> str:
    """``8,50 €``, ``12 €``: French notation, cents only when there are some."""
    text = f"{amount:.2f}".replace(".", ",")
    return f"{text.removesuffix(',00')} €"
