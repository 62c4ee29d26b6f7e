"""Validation errors as data, so a test can assert that there are none and name what failed when there are."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError


def validation_errors(check: Callable[[], object]) -> dict[str, list[str]]:
    """The errors ``check`` (a ``clean`` or ``full_clean``) raises, by field; ``{}`` when it passes."""
    try:
        check()
    except ValidationError as error:
        return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {}
