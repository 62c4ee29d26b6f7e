"""``/v0/mission`` and ``/v0/mission/search``: the engagement API's parameters, shape and errors, by a partner key."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import yaml
from django.test import override_settings
from openapi_schema_validator import OAS30Validator

from cms.missions.models import Mission
from cms.taxonomy.models import Programme
from importers.feeds import import_source
from search.base import get_backend
from search.missions import MISSIONS
from tests.factories.importers import FeedSourceFactory
from tests.factories.missions import MissionAddressFactory
from tests.factories.syndication import DiffusionPartnerFactory, reading_key
from tests.importers.feeds import FIXTURES

SPEC = Path(__file__).with_name("engagement-openapi.yaml")


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: ``no`` (a value of ``remote``) stays a string, as the spec's authors meant."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


@functools.cache
def spec() -> dict:
    return yaml.load(SPEC.read_text(), Loader=_Yaml12Loader)  # noqa: S506 - a safe loader


def validator(path: str, status: str) -> OAS30Validator:
    operation = spec()["paths"][path]["get"]["responses"][status]
    if "$ref" in operation:
        operation = spec()["components"]["responses"][operation["$ref"].rsplit("/", 1)[1]]
    schema = operation["content"]["application/json"]["schema"]
    return OAS30Validator({**schema, "components": spec()["components"]})


def get(client, path="/v0/mission", secret=None, **params):
    headers = {"x-api-key": secret} if secret else {}
    return client.get(path, params, headers=headers)


def titles(body: dict, field="data") -> list[str]:
    return sorted(item["title"] for item in body[field])


def test_the_mission_list_matches_the_engagement_api_schema(client, missions):
    _, secret = reading_key()

    body = get(client, secret=secret).json()

    validator("/v0/mission", "200").validate(body)
    assert (body["total"], body["limit"], body["skip"]) == (2, 25, 0)


def test_every_field_served_is_one_the_engagement_api_declares(client, missions):
    _, secret = reading_key()
    schemas = spec()["components"]["schemas"]
    declared = set(schemas["Mission"]["properties"]) | set(schemas["MissionLegacy"]["allOf"][1]["properties"])

    [item, *_] = get(client, secret=secret).json()["data"]

    assert set(item) <= declared


def test_the_search_with_facets_matches_the_engagement_api_schema(client, missions):
    _, secret = reading_key()

    body = get(client, "/v0/mission/search", secret=secret).json()

    validator("/v0/mission/search", "200").validate(body)
    assert {f["key"] for f in body["facets"]["departmentName"]} == {"Rhône", "Paris"}


def test_comma_separated_and_repeated_values_mean_the_same(client, missions):
    _, secret = reading_key()

    comma = get(client, secret=secret, domain="education,environnement").json()
    repeated = client.get("/v0/mission?domain=education&domain=environnement", headers={"x-api-key": secret}).json()

    assert titles(comma) == titles(repeated) == ["Jardiner à Paris", "Lire à Lyon"]


def test_missions_are_filtered_by_department_name_and_keywords(client, missions):
    _, secret = reading_key()

    assert titles(get(client, secret=secret, departmentName="Rhône").json()) == ["Lire à Lyon"]
    assert titles(get(client, secret=secret, keywords="jardiner").json()) == ["Jardiner à Paris"]


def test_missions_are_found_near_a_point(client, missions):
    _, secret = reading_key()

    body = get(client, secret=secret, lat="48.85", lon="2.35", distance="10km").json()

    assert titles(body) == ["Jardiner à Paris"]


@pytest.fixture
def imported(db) -> Mission:
    """The engagement API's sample feed imported as a partner's feed is (activity « logistique », organisation RNA
    W922000733, legal status « Association »), accepted, still running and indexed, next to a mission of another
    organisation."""
    import_source(FeedSourceFactory(), stream=(FIXTURES / "correct-feed.xml").open("rb"))
    mission = Mission.objects.get()
    Mission.objects.filter(pk=mission.pk).update(moderation_status=Mission.Moderation.ACCEPTED, end_date=None)
    MissionAddressFactory(
        mission__title="Tenir la mairie",
        mission__activities=["accueil-de-public"],
        mission__organization__kind="local_authority",
        mission__organization__rna="",
    )
    get_backend().rebuild(MISSIONS, MISSIONS.records())
    return mission


@pytest.mark.parametrize(
    "params",
    [
        {"activity": "logistique"},
        {"activity": "jardinage,logistique"},
        {"organizationRNA": "W922000733"},
        {"organizationStatusJuridique": "Association"},
        {"organizationStatusJuridique": ["Fondation", "Association loi 1901"]},
    ],
    ids=["activity", "activities-comma", "rna", "legal-status", "legal-statuses-repeated"],
)
def test_activity_rna_and_legal_status_filter_imported_missions(client, imported, params):
    _, secret = reading_key()

    body = get(client, secret=secret, **params).json()

    assert (titles(body), body["total"]) == ([imported.title], 1)


@pytest.mark.parametrize(
    "params",
    [{"activity": "jardinage"}, {"organizationRNA": "W000000000"}, {"organizationStatusJuridique": "Entreprise"}],
    ids=["activity", "rna", "legal-status"],
)
def test_activity_rna_and_legal_status_that_no_mission_has_find_nothing(client, imported, params):
    _, secret = reading_key()

    body = get(client, "/v0/mission/search", secret=secret, **params).json()

    assert (body["hits"], body["total"]) == ([], 0)


def test_limit_and_skip_page_through_the_results(client, missions):
    _, secret = reading_key()

    first = get(client, secret=secret, limit=1).json()
    second = get(client, secret=secret, limit=1, skip=1).json()

    assert len(first["data"]) == len(second["data"]) == 1
    assert first["data"][0]["id"] != second["data"][0]["id"]


def test_the_link_to_apply_goes_through_the_click_redirect_counted_under_the_key(client, missions):
    key, secret = reading_key(DiffusionPartnerFactory())

    [item] = get(client, secret=secret, departmentName="Paris").json()["data"]

    assert item["applicationUrl"].endswith(f"/r/{missions['paris'].pk}/api?src={key.prefix}")


def test_a_partner_key_never_sees_missions_outside_its_rules(client, missions):
    partner = DiffusionPartnerFactory(departments=["69"])
    _, secret = reading_key(partner)

    body = get(client, secret=secret).json()
    asked_elsewhere = get(client, secret=secret, departmentName="Paris").json()

    assert (titles(body), body["total"]) == (["Lire à Lyon"], 1)
    assert (asked_elsewhere["data"], asked_elsewhere["total"]) == ([], 0)


def test_an_excluded_organisation_is_never_served(client, missions):
    partner = DiffusionPartnerFactory()
    partner.excluded_organizations.add(missions["lyon"].organization)
    _, secret = reading_key(partner)

    assert titles(get(client, secret=secret).json()) == ["Jardiner à Paris"]


def test_an_excluded_organisation_is_counted_neither_in_the_total_nor_in_the_facets(client, missions):
    partner = DiffusionPartnerFactory()
    partner.excluded_organizations.add(missions["lyon"].organization)
    _, secret = reading_key(partner)

    body = get(client, "/v0/mission/search", secret=secret).json()

    assert body["total"] == 1
    assert {f["key"]: f["doc_count"] for f in body["facets"]["departmentName"]} == {"Paris": 1}
    assert {f["key"]: f["doc_count"] for f in body["facets"]["domains"]} == {"environnement": 1}


def test_a_partner_limited_to_a_programme_sees_only_it(client, missions):
    partner = DiffusionPartnerFactory()
    partner.programmes.add(Programme.objects.get(slug="benevolat"))
    _, secret = reading_key(partner)

    assert get(client, secret=secret).json()["data"] == []


def test_a_request_without_a_key_gets_the_documented_401(client, db):
    response = get(client)

    assert response.status_code == 401
    validator("/v0/mission", "401").validate(response.json())
    assert response.json()["code"] == "UNAUTHORIZED"
    assert "x-api-key" in response.json()["message"]


def test_an_unknown_key_gets_401(client, db):
    assert get(client, secret="trmp_inconnue-de-nos-services").status_code == 401


def test_a_key_without_the_read_scope_gets_403_in_french(client, db):
    _, secret = reading_key(scopes=["push_missions"], source="pousse")

    response = get(client, secret=secret)

    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert "lire les missions" in response.json()["message"]


def test_bad_parameters_get_the_documented_400_in_french(client, db):
    _, secret = reading_key()

    response = get(client, secret=secret, lat="48.8")

    assert response.status_code == 400
    validator("/v0/mission", "400").validate(response.json())
    assert response.json()["message"] == "« lat » et « lon » vont ensemble."


def test_an_unknown_type_is_refused_in_french(client, db):
    _, secret = reading_key()

    assert get(client, secret=secret, type="astronaute").json()["message"].startswith("Type d'engagement inconnu")


@override_settings(GRAPHQL_RATE_LIMIT="1000/60")
def test_a_key_over_its_rate_gets_429_with_retry_after(client, db):
    _, secret = reading_key(rate_limit=1)
    get(client, secret=secret)

    response = get(client, secret=secret)

    assert response.status_code == 429
    assert response.json()["code"] == "TOO_MANY_REQUESTS"
    assert int(response["Retry-After"]) >= 1


def test_items_served_are_counted_in_the_key_usage(client, missions):
    key, secret = reading_key()

    get(client, secret=secret)

    usage = key.usage.get()
    assert (usage.requests, usage.items) == (1, 2)


def test_a_partner_origin_may_call_from_a_browser(client, missions):
    partner = DiffusionPartnerFactory(allowed_origins=["https://www.info-jeunes.example"])
    _, secret = reading_key(partner)

    allowed = client.get("/v0/mission", headers={"x-api-key": secret, "Origin": "https://www.info-jeunes.example"})
    other = client.get("/v0/mission", headers={"x-api-key": secret, "Origin": "https://ailleurs.example"})

    assert allowed["Access-Control-Allow-Origin"] == "https://www.info-jeunes.example"
    assert "Access-Control-Allow-Origin" not in other
