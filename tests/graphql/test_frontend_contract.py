"""The front-end contract: the SDL file is the schema, and every operation front-ends run validates and runs.

The data comes from factories; the lead will point ``contract_data`` at the demo seed once it is merged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from graphql import parse, validate

from cms.core.preview import make_preview_token
from cms.taxonomy.models import Domain, OfferCategory
from graphql_api.management.commands.export_schema import DEFAULT_PATH, schema_sdl
from graphql_api.schema import schema
from search.base import get_backend
from search.indexing import KINDS
from tests.factories.images import ImageFactory
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.pages import ContentPageFactory

OPERATIONS_DIR = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
OPERATIONS = sorted(OPERATIONS_DIR.glob("*.graphql"))


def test_schema_file_matches_the_schema():
    assert DEFAULT_PATH.read_text(encoding="utf-8") == schema_sdl(), (
        "frontend_contract/schema.graphql is out of date: run `python manage.py export_schema`"
    )


def test_export_schema_command_writes_the_sdl(tmp_path):
    target = tmp_path / "schema.graphql"

    call_command("export_schema", path=target)

    assert target.read_text(encoding="utf-8") == schema_sdl()


def test_there_are_operations_for_every_front_end_screen():
    names = {path.stem for path in OPERATIONS}

    assert {
        "home_page",
        "content_page",
        "offers_by_category",
        "offers_near_me",
        "offer_detail",
        "mission_search",
        "mission_detail",
        "filter_taxonomy",
        "preview",
    } <= names


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda path: path.stem)
def test_operation_is_valid_against_the_schema(path):
    errors = validate(schema._schema, parse(path.read_text(encoding="utf-8")))

    assert errors == []


@pytest.fixture
def contract_data(db, home_page, offers_index) -> dict:
    """A small but complete data set: pages with every block, an offer with its partner, a mission."""
    category = OfferCategory.objects.order_by("pk").first()
    domain = Domain.objects.get(slug="education")
    partner = PartnerPageFactory(title="Vélo+", logo=ImageFactory())
    offer = OfferPageFactory(
        parent=partner,
        slug="velo-moins-cher",
        image=ImageFactory(),
        nationwide=False,
        conditions=[("bullet", "Sur présentation de la carte")],
        how_to_use=[("step", {"title": "Montrez la carte", "text": "<p>En caisse</p>"})],
    )
    offer.categories.add(category)
    offer.save()
    OfferStoreFactory(offer=offer)
    mission = MissionFactory(organization=OrganizationFactory(logo=ImageFactory()), domain=domain)
    MissionAddressFactory(mission=mission)
    body = [
        {"type": "heading", "value": {"text": "Bienvenue", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Des réductions et des missions.</p>"},
        {"type": "image", "value": {"image": ImageFactory().pk, "alt": "Des jeunes", "caption": ""}},
        {"type": "listing", "value": {"title": "Offres", "content_type": "offers", "limit": 6}},
        {"type": "listing", "value": {"title": "Missions", "content_type": "missions", "domain": domain.pk}},
    ]
    home_page.body = json.dumps(body)
    home_page.save_revision().publish()
    page = ContentPageFactory(
        title="Qui sommes-nous", slug="qui-sommes-nous", show_in_menus=True, body=json.dumps(body)
    )
    for kind in KINDS.values():
        get_backend().rebuild(kind, kind.records())
    return {
        "search_missions": {"query": mission.title, "near": {"latitude": 45.76, "longitude": 4.84, "radiusKm": 50}},
        "search_offers": {"filters": {"channel": [offer.channel]}},
        "home_page": {},
        "content_page": {"path": "/qui-sommes-nous/"},
        "offers_by_category": {"category": category.slug},
        "offers_near_me": {"latitude": 45.76, "longitude": 4.84, "radiusKm": 10},
        "offer_detail": {"slug": "velo-moins-cher"},
        "mission_search": {"filters": {"domain": ["education"], "near": {"latitude": 45.76, "longitude": 4.84}}},
        "mission_detail": {"id": str(mission.pk)},
        "filter_taxonomy": {},
        "preview": {"token": make_preview_token(page)},
    }


def _leaves(value) -> list:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda path: path.stem)
def test_operation_runs_against_the_data(path, run_query, contract_data):
    result = run_query(path.read_text(encoding="utf-8"), contract_data[path.stem])

    assert result.errors == []
    assert any(leaf not in (None, [], "") for leaf in _leaves(result.data))
