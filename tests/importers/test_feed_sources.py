import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from importers.models import FeedSource


def test_the_hand_written_source_name_is_reserved():
    source = FeedSource(name="Flux", slug="tremplin", publisher_name="X", url="https://example.org/f.xml")

    with pytest.raises(ValidationError, match="réservé"):
        source.clean()


def test_basic_auth_needs_a_username():
    source = FeedSource(name="Flux", slug="flux", publisher_name="X", url="https://example.org/f.xml", auth="basic")

    with pytest.raises(ValidationError, match="identifiant"):
        source.clean()


def test_a_source_is_due_once_its_period_has_passed():
    now = timezone.now()
    source = FeedSource(every_hours=6, active=True, last_run_at=now - dt.timedelta(hours=5))

    assert not source.is_due(now)
    assert source.is_due(now + dt.timedelta(hours=1))


def test_an_inactive_source_is_never_due():
    assert not FeedSource(active=False).is_due()
