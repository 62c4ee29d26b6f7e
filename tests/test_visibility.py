"""How the public-visibility rule reads the hidden sections: once per statement, the unpublished ones by their index.

What the rule hides is checked where each kind of content is read (``tests/test_offers_model.py``,
``tests/graphql/test_visibility_matrix.py``); these tests pin the cost that made it one expression.
"""

from __future__ import annotations

import pytest
from django.db import connection

from cms.offers.models import OfferPage
from tests.factories.offers import OfferPageFactory, PartnerPageFactory

pytestmark = pytest.mark.django_db


def test_the_hidden_sections_are_read_once_per_statement_not_once_per_page():
    OfferPageFactory.create_batch(3)
    plan = OfferPage.objects.public().explain()
    assert "InitPlan" in plan
    assert "SubPlan" not in plan


def test_the_unpublished_sections_are_read_through_their_partial_index():
    hidden_partner = PartnerPageFactory()
    OfferPageFactory(parent=hidden_partner)
    hidden_partner.unpublish()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # small tables: the planner would rather scan them
    assert "core_page_unpublished_sections" in OfferPage.objects.public().explain()
