"""The front-end contract: the SDL file is the schema, and every operation front-ends run validates and runs.

The operations run against the demo content (``seed_demo``, seeded once per session by the ``demo`` fixture) and each
must return what its screen shows, not merely run without errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from graphql import parse, validate
from wagtail.documents.models import Document

from cms.core.demo.site import CHARTER_TITLE
from cms.core.preview import make_preview_token
from cms.core.urls import base_url
from cms.missions.models import Mission
from cms.offers.models import OfferPage, OfferStore
from cms.pages.models import ContentPage
from cms.taxonomy.models import OfferCategory
from graphql_api.management.commands.export_schema import DEFAULT_PATH, schema_sdl
from graphql_api.schema import schema
from search.base import get_backend
from search.indexing import KINDS

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


def _offer_for_detail() -> OfferPage:
    """A public demo offer with everything the detail screen shows: stores, categories and needs."""
    return (
        OfferPage.objects.public()
        .filter(stores__isnull=False, categories__isnull=False, needs__isnull=False)
        .order_by("pk")
        .first()
    )


@pytest.fixture
def contract_variables(demo_content) -> dict:
    """Variables of each operation, picked from the demo content the way a front-end would reach them."""
    category = (
        OfferCategory.objects.filter(offers__in=OfferPage.objects.public())
        .annotate(n=Count("offers"))
        .order_by("-n", "pk")
        .first()
    )
    offer = _offer_for_detail()
    store = OfferStore.objects.filter(offer__in=OfferPage.objects.public(), offer__nationwide=False).first()
    mission = Mission.objects.public().filter(addresses__isnull=False, organization__isnull=False).first()
    address = mission.addresses.first()
    page = ContentPage.objects.live().get(slug="carte-jeune-engage")
    for kind in KINDS.values():
        get_backend().rebuild(kind, kind.records())
    return {
        "search_missions": {
            "query": mission.title,
            "near": {"latitude": address.latitude, "longitude": address.longitude, "radiusKm": 50},
        },
        "search_offers": {"filters": {"channel": [offer.channel]}},
        "search_mission_facet_values": {"facet": "department", "first": 5},
        "search_offer_facet_values": {"facet": "category", "filters": {"channel": [offer.channel]}},
        "home_page": {},
        "content_page": {"path": f"/{page.slug}/"},
        "offers_by_category": {"category": category.slug},
        "offers_near_me": {"latitude": store.latitude, "longitude": store.longitude, "radiusKm": 5, "first": 100},
        "offer_detail": {"slug": offer.slug},
        "mission_search": {
            "filters": {
                "domain": [mission.domain.slug],
                "near": {"latitude": address.latitude, "longitude": address.longitude},
            }
        },
        "mission_detail": {"id": str(mission.pk)},
        "recommended_missions": {
            "profile": {
                "age": 20,
                "latitude": address.latitude,
                "longitude": address.longitude,
                "radiusKm": 50,
                "domains": [mission.domain.slug],
                "intent": "FIND_MY_WAY",
            },
        },
        "similar_missions": {"missionId": str(mission.pk)},
        "public_stats": {},
        "filter_taxonomy": {},
        "preview": {"token": make_preview_token(page)},
        "redirect": {"path": "/carte-jeune/"},
        "redirects": {},
        "sitemap": {"kind": "MISSIONS"},
        "site_settings": {},
        "document": {"id": str(Document.objects.get(title=CHARTER_TITLE).pk)},
        "search_pages": {"query": "l'engagement des bénévoles"},
    }


def _listing(body: list[dict], content_type: str) -> dict:
    return next(
        block for block in body if block["__typename"] == "ListingBlock" and block["contentType"] == content_type
    )


#: What each screen must get from the demo: not only "no errors", but the content it is there to show.
EXPECTATIONS = {
    "home_page": lambda data: (
        data["page"]["__typename"] == "HomePage"
        and len(data["page"]["body"]) >= 5
        and _listing(data["page"]["body"], "offers")["offers"]
        and _listing(data["page"]["body"], "missions")["missions"]
        and all(offer["image"]["rendition"]["url"] for offer in _listing(data["page"]["body"], "offers")["offers"])
    ),
    "content_page": lambda data: (
        data["page"]["title"] == "La Carte jeune engagé"
        and [block["__typename"] for block in data["page"]["body"]] == ["HeadingBlock", "ParagraphBlock"]
        and f"{base_url()}/documents/" in data["page"]["body"][1]["html"]
        and data["page"]["ancestors"]
    ),
    "offers_by_category": lambda data: (
        data["offers"]["totalCount"] >= 2
        and len(data["offers"]["edges"]) == min(20, data["offers"]["totalCount"])
        and all(edge["node"]["partner"]["logo"]["rendition"]["url"] for edge in data["offers"]["edges"])
    ),
    "offers_near_me": lambda data: any(
        not edge["node"]["nationwide"] and edge["node"]["stores"] for edge in data["offers"]["edges"]
    ),
    "offer_detail": lambda data: (
        data["offer"]["stores"]
        and data["offer"]["categories"]
        and data["offer"]["needs"]
        and data["offer"]["partner"]["logo"]["rendition"]["url"]
        and data["offer"]["image"]["srcSet"]
    ),
    "mission_search": lambda data: (
        data["missions"]["totalCount"] >= 1 and data["missions"]["edges"][0]["node"]["addresses"]
    ),
    "mission_detail": lambda data: (
        data["mission"]["title"] and data["mission"]["organisation"]["name"] and data["mission"]["addresses"]
    ),
    "filter_taxonomy": lambda data: (
        all(data[key] for key in ("domains", "programmes", "offerCategories", "needs"))
        and sum(domain["missionCount"] for domain in data["domains"]) > 0
        and sum(category["offerCount"] for category in data["offerCategories"]) > 0
    ),
    "search_missions": lambda data: (
        data["searchMissions"]["totalCount"] >= 1
        and data["searchMissions"]["hits"][0]["mission"]["title"]
        and data["searchMissions"]["hits"][0]["distanceKm"] is not None
        and any(facet["values"] for facet in data["searchMissions"]["facets"])
    ),
    "search_offers": lambda data: (
        data["searchOffers"]["totalCount"] >= 1
        and all(hit["offer"]["title"] for hit in data["searchOffers"]["hits"])
        and any(value["selected"] for facet in data["searchOffers"]["facets"] for value in facet["values"])
    ),
    "search_mission_facet_values": lambda data: (
        len(data["searchMissionFacetValues"]["nodes"]) == min(5, data["searchMissionFacetValues"]["totalCount"])
        and all(node["label"] != node["value"] for node in data["searchMissionFacetValues"]["nodes"])
        and data["searchMissionFacetValues"]["hasNextPage"] == (data["searchMissionFacetValues"]["totalCount"] > 5)
    ),
    "search_offer_facet_values": lambda data: (
        data["searchOfferFacetValues"]["totalCount"] >= 1
        and all(node["count"] >= 1 and node["label"] for node in data["searchOfferFacetValues"]["nodes"])
    ),
    "recommended_missions": lambda data: (
        data["recommendedMissions"]["items"]
        and all(item["reasons"] and item["mission"]["title"] for item in data["recommendedMissions"]["items"])
    ),
    "similar_missions": lambda data: data["similarMissions"] and data["similarMissions"][0]["mission"]["title"],
    "public_stats": lambda data: (
        data["publicStats"]["applicationsGoal"] == 2000
        and sum(p["missions"] or 0 for p in data["publicStats"]["missionsByProgramme"]) > 0
    ),
    "preview": lambda data: data["page"]["title"] == "La Carte jeune engagé" and data["page"]["body"],
    "redirect": lambda data: data["redirect"]["targetPath"] == "/carte-jeune-engage/",
    "redirects": lambda data: "/carte-jeune" in [node["oldPath"] for node in data["redirects"]["nodes"]],
    "sitemap": lambda data: (
        len(data["sitemap"]["nodes"]) == Mission.objects.public().count()
        and all(node["lastModified"] for node in data["sitemap"]["nodes"])
    ),
    "site_settings": lambda data: (
        [link["label"] for link in data["siteSettings"]["footerLinks"]] == ["Mentions légales", "Service-Public.fr"]
        and data["siteSettings"]["footerLinks"][0]["url"] == "/mentions-legales/"
        and data["siteSettings"]["socialLinks"]
        and data["siteSettings"]["seo"]["image"]["rendition"]["url"]
        and data["siteSettings"]["banner"]["url"] == "/plateforme-engagement/"
    ),
    "document": lambda data: (
        data["document"]["fileExtension"] == "pdf"
        and data["document"]["fileSize"] > 0
        and data["document"]["url"].endswith(".pdf")
    ),
    "search_pages": lambda data: (
        data["searchPages"]["hits"][0]["page"]["title"] == "La Plateforme de l'engagement"
        and any("<mark>" in highlight["snippet"] for highlight in data["searchPages"]["hits"][0]["highlights"])
    ),
}


def test_every_operation_has_an_expectation_on_the_demo():
    assert {path.stem for path in OPERATIONS} == set(EXPECTATIONS)


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda path: path.stem)
def test_operation_returns_its_content_from_the_demo(path, run_query, contract_variables):
    result = run_query(path.read_text(encoding="utf-8"), contract_variables[path.stem])

    assert result.errors == []
    assert EXPECTATIONS[path.stem](result.data), result.data
