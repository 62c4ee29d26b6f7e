"""A person's age as every list, search and recommendation takes it: one range, one message, one eligibility rule.

Front-ends ask "what may a person of this age join?" in several places (mission lists, search, later
recommendations); they all validate the age here and build the rule here, so that the same age never gets two answers.
"""

from __future__ import annotations

from django.db.models import Q

#: The ages a person may give, bounds included; anything else is refused with :data:`AGE_MESSAGE`.
MIN_AGE = 1
MAX_AGE = 120
AGE_MESSAGE = f"L'âge doit être compris entre {MIN_AGE} et {MAX_AGE} ans."

#: Below this age a person only joins what is explicitly open to minors.
MAJORITY = 18


def is_valid_age(value: object) -> bool:
    """Whether ``value`` is an age a person may give (an integer, not a boolean, within the range)."""
    return isinstance(value, int) and not isinstance(value, bool) and MIN_AGE <= value <= MAX_AGE


def eligible_at_age_q(age: int, *, min_age: str, max_age: str, open_to_minors: str) -> Q:
    """Items a person of ``age`` may join, given the lookups of their lower and upper age bounds (open when null)
    and of the flag that opens them to minors."""
    rule = (Q(**{f"{min_age}__isnull": True}) | Q(**{f"{min_age}__lte": age})) & (
        Q(**{f"{max_age}__isnull": True}) | Q(**{f"{max_age}__gte": age})
    )
    if age < MAJORITY:
        rule &= Q(**{open_to_minors: True})
    return rule


def is_eligible_at_age(age: int, min_age: int | None, max_age: int | None, open_to_minors: bool) -> bool:
    """:func:`eligible_at_age_q` for one item already in memory (the same bounds, the same rule for minors)."""
    within = (min_age is None or min_age <= age) and (max_age is None or age <= max_age)
    return within and (age >= MAJORITY or open_to_minors)
