"""The grapple comparison measures like for like: the same fields, the same offers, the same data on both sides.

The query texts and the virtualenv's pins are checked here without grapple. Running grapple needs its virtualenv
(``python -m tests.bench.grapple.venv``, which needs PyPI; ``make bench`` creates it too): without it, the tests that
run grapple skip and say so.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json

import pytest
from django.conf import settings
from django.utils import timezone
from graphql import parse

from cms.core.localdb import database_url
from cms.taxonomy.models import OfferCategory
from tests.bench.grapple import venv
from tests.bench.grapple.queries import GRAPPLE, OURS, ours_offers, ours_variables
from tests.bench.harness import Context
from tests.bench.suite_graphql import run_graphql
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory

needs_grapple = pytest.mark.skipif(
    not venv.is_ready(),
    reason=f"no grapple virtualenv at {venv.VENV_DIR}: `python -m tests.bench.grapple.venv` creates it (needs PyPI)",
)


def _fields(selection_set) -> dict:
    """A query's selections as a tree of field names (leaves map to ``None``)."""
    return {
        selection.name.value: _fields(selection.selection_set) if selection.selection_set else None
        for selection in selection_set.selections
    }


def _offers_with_relations() -> list:
    """Offers over two partners, with categories and stores, plus an expired one neither API may list."""
    categories = list(OfferCategory.objects.order_by("pk")[:2])
    partners = [PartnerPageFactory(), PartnerPageFactory()]
    offers = []
    for index in range(5):
        offer = OfferPageFactory(parent=partners[index % 2])
        offer.categories.add(*categories[: index % 3])
        offer.save()
        for _ in range(index % 3):
            OfferStoreFactory(offer=offer)
        offers.append(offer)
    OfferPageFactory(parent=partners[0], valid_until=timezone.localdate() - datetime.timedelta(days=1))
    return offers


def test_both_queries_ask_for_the_same_fields_of_each_offer():
    ours = _fields(parse(OURS).definitions[0].selection_set)["offers"]["edges"]["node"]
    grapple = _fields(parse(GRAPPLE).definitions[0].selection_set)["offers"]
    ours["id"] = ours.pop("databaseId")
    assert ours == grapple


@pytest.mark.django_db
def test_our_answer_reshaped_has_grapples_fields_and_our_offers_in_tree_order():
    offers = _offers_with_relations()
    data = json.loads(run_graphql(OURS, ours_variables()))["data"]
    reshaped = ours_offers(data)
    assert [offer["id"] for offer in reshaped] == [str(offer.pk) for offer in sorted(offers, key=lambda o: o.path)]
    assert set(reshaped[0]) == set(_fields(parse(GRAPPLE).definitions[0].selection_set)["offers"])
    assert reshaped[0]["kind"] == "card"


def test_the_grapple_virtualenv_pins_our_django_and_wagtail_but_not_graphql_core():
    pins = venv.pins()
    assert f"Django=={importlib.metadata.version('Django')}" in pins["requirements"]
    assert f"wagtail=={importlib.metadata.version('wagtail')}" in pins["requirements"]
    assert not any(pin.startswith("graphql-core==") for pin in pins["constraints"])


@needs_grapple
@pytest.mark.slow
@pytest.mark.usefixtures("committed_db")
def test_grapple_returns_the_same_offers_with_the_same_data_as_ours():
    offers = _offers_with_relations()
    figures = venv.run_grapple(database_url(settings.DATABASES["default"]), runs=1, first=50, warmup=0)
    ours = ours_offers(json.loads(run_graphql(OURS, ours_variables()))["data"])
    assert figures["payload"]["data"]["offers"] == ours
    assert len(ours) == len(offers)
    assert sum(len(offer["stores"]) for offer in ours) == 4


@needs_grapple
@pytest.mark.slow
@pytest.mark.usefixtures("committed_db")
def test_the_grapple_suite_reports_both_sides_and_the_five_times_target():
    from tests.bench.suite_grapple import grapple_suite

    _offers_with_relations()
    rows = {row.measure: row for row in grapple_suite(Context(n_missions=0, n_offers=5, state={"graphql_runs": 2}))}
    ratio = rows["offers list (50, nested): grapple / ours (median)"]
    assert ratio.target == "≥ 5"
    assert "same offers and fields: True" in ratio.note
    assert (
        rows["offers list (50, nested): SQL statements (grapple)"].value
        > rows["offers list (50, nested): SQL statements (ours)"].value
    )
