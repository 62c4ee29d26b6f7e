"""Models of the Carte jeune engagé, one module per concern."""

from .access import AccessToken, Audience, CardCheckGrant, SignInCode
from .activations import Activation
from .cards import Card, CardEvent, CardStatus, new_card_number
from .people import Referent, YoungPerson, age_message, age_on, is_eligible_age
from .preferences import RecommendationProfile, recommendation_profile_of
from .stats import ActivationDailyStat, CardDailyStat

__all__ = [
    "AccessToken",
    "Activation",
    "ActivationDailyStat",
    "Audience",
    "Card",
    "CardCheckGrant",
    "CardDailyStat",
    "CardEvent",
    "CardStatus",
    "RecommendationProfile",
    "Referent",
    "SignInCode",
    "YoungPerson",
    "age_message",
    "age_on",
    "is_eligible_age",
    "new_card_number",
    "recommendation_profile_of",
]
