"""Push API: partners write their missions through /graphql/ with an API key, with the feeds' normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from graphql import parse, validate

from cms.core import changes
from cms.core.changes import contents_changed
from cms.missions.models import MISSION_ADDRESSES_MAX, MISSION_LIST_ITEMS_MAX, Mission
from cms.partners_api.models import ApiKey
from graphql_api.schema import schema
from tests.factories.missions import MissionFactory
from tests.factories.organisations import OrganizationFactory

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations" / "partners"
CREATE_MISSION = (OPERATIONS / "create_mission.graphql").read_text(encoding="utf-8")
UPDATE_MISSION = (OPERATIONS / "update_mission.graphql").read_text(encoding="utf-8")
ARCHIVE_MISSION = (OPERATIONS / "archive_mission.graphql").read_text(encoding="utf-8")

MISSION_INPUT = {
    "title": "Accompagner des enfants vers la lecture",
    "description": "<p>Animer des ateliers de lecture.</p><script>alert(1)</script>",
    "applicationUrl": "https://www.example.org/missions/a",
    "startAt": "01/03/2027",
    "endAt": "2027-06-30",
    "places": 2,
    "remote": "hybride",
    "domain": "education",
    "openToMinors": True,
    "addresses": [
        {"street": "12 rue de la République", "postalCode": "69002", "city": "Lyon", "lat": 45.764, "lon": 4.8357}
    ],
    "organizationName": "Lire et faire lire",
    "organizationClientId": "org-lire",
}


@pytest.fixture
def key_secret() -> str:
    return ApiKey.create_key(name="Lire et faire lire", source="lire-et-faire-lire")[1]


def graphql(
    client, query: str, variables: dict, secret: str | None = None, header: str = "Authorization", status: int = 200
) -> dict:
    headers = {}
    if secret is not None:
        headers = {header: f"Bearer {secret}" if header == "Authorization" else secret}
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json", headers=headers
    )
    assert response.status_code == status
    return response.json()


def codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def create(client, secret, client_id="a", **fields) -> dict:
    return graphql(client, CREATE_MISSION, {"clientId": client_id, "input": {**MISSION_INPUT, **fields}}, secret)


def test_a_partner_creates_a_public_mission_normalised_like_a_feed_entry(client, key_secret):
    body = create(client, key_secret)

    assert body["data"]["createMission"]["created"] is True
    assert body["data"]["createMission"]["public"] is True
    mission = Mission.objects.get(source="lire-et-faire-lire", client_id="a")
    assert mission.description_html == "<p>Animer des ateliers de lecture.</p>"
    assert (str(mission.start_date), str(mission.end_date), mission.remote) == ("2027-03-01", "2027-06-30", "possible")
    assert mission.domain.slug == "education"
    assert [(a.city, a.department_code) for a in mission.addresses.all()] == [("Lyon", "69")]
    assert mission.organization.name == "Lire et faire lire"


def test_the_key_may_come_in_an_x_api_key_header(client, key_secret):
    body = graphql(client, CREATE_MISSION, {"clientId": "a", "input": MISSION_INPUT}, key_secret, header="X-Api-Key")

    assert body["data"]["createMission"]["created"] is True


def test_without_a_key_nothing_is_written_and_the_error_is_unauthenticated(client):
    body = create(client, None)

    assert codes(body) == ["UNAUTHENTICATED"]
    assert not Mission.objects.exists()


def test_a_revoked_key_is_refused(client, key_secret):
    ApiKey.objects.get().revoke()

    body = graphql(client, CREATE_MISSION, {"clientId": "a", "input": MISSION_INPUT}, key_secret, status=401)

    assert codes(body) == ["UNAUTHENTICATED"]
    assert not Mission.objects.exists()


def test_an_invalid_mission_is_refused_with_french_reasons_per_field_and_not_stored(client, key_secret):
    body = create(client, key_secret, title="Bénévolat", places=0, endAt="01/01/2027")

    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["reasons"] == [
        {"field": "title", "message": "Titre trop court : « Bénévolat » ne compte qu'un mot."},
        {"field": "places", "message": "Nombre de places invalide (0) : il doit être supérieur à zéro."},
        {"field": "endAt", "message": "La date de fin (01/01/2027) précède la date de début (01/03/2027)."},
    ]
    assert not Mission.objects.exists()


def reasons(body: dict) -> list[dict]:
    return body["errors"][0]["extensions"]["reasons"]


def test_a_client_id_too_long_to_store_is_refused_not_cut(client, key_secret):
    body = create(client, key_secret, client_id="x" * 300)

    assert codes(body) == ["BAD_USER_INPUT"]
    assert reasons(body) == [
        {"field": "clientId", "message": "Identifiant (clientId) trop long : 300 caractères pour 255 au maximum."}
    ]
    assert not Mission.objects.exists()


@pytest.mark.parametrize(
    ("operation", "variables"),
    [(UPDATE_MISSION, {"input": {"places": 5}}), (ARCHIVE_MISSION, {})],
    ids=["update", "archive"],
)
def test_an_update_or_archive_with_a_client_id_too_long_says_why_rather_than_not_found(
    client, key_secret, operation, variables
):
    body = graphql(client, operation, {"clientId": "x" * 256, **variables}, key_secret)

    assert codes(body) == ["BAD_USER_INPUT"]
    assert reasons(body)[0]["field"] == "clientId"


def test_a_mission_with_more_addresses_than_allowed_is_refused_and_not_stored(client, key_secret):
    address = {"postalCode": "69002", "city": "Lyon", "lat": 45.764, "lon": 4.8357}

    body = create(client, key_secret, addresses=[address] * (MISSION_ADDRESSES_MAX + 1))

    assert codes(body) == ["BAD_USER_INPUT"]
    assert reasons(body) == [
        {"field": "addresses", "message": f"Trop d'adresses : 51 pour {MISSION_ADDRESSES_MAX} au maximum."}
    ]
    assert not Mission.objects.exists()


def test_thousands_of_addresses_are_refused_before_the_mission_is_even_read(client, key_secret):
    address = {"postalCode": "69002", "city": "Lyon", "lat": 45.764, "lon": 4.8357}

    body = create(client, key_secret, addresses=[address] * 5000)

    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["limit"] == "listLength"
    assert not Mission.objects.exists()


def test_a_mission_with_too_many_tags_is_refused(client, key_secret):
    body = create(client, key_secret, tags=[f"étiquette {i}" for i in range(MISSION_LIST_ITEMS_MAX + 1)])

    assert reasons(body) == [
        {"field": "tags", "message": "Trop d'éléments dans « étiquettes » : 51 pour 50 au maximum."}
    ]


def test_an_organisation_client_id_too_long_is_refused_not_cut(client, key_secret):
    body = create(client, key_secret, organizationClientId="o" * 300)

    assert reasons(body)[0]["field"] == "organizationClientId"
    assert not Mission.objects.exists()


def test_creating_a_mission_that_exists_is_refused(client, key_secret):
    create(client, key_secret)

    body = create(client, key_secret, title="Une autre mission de lecture")

    assert codes(body) == ["BAD_USER_INPUT"]
    assert Mission.objects.get().title == MISSION_INPUT["title"]


def test_an_update_changes_only_the_fields_sent(client, key_secret):
    create(client, key_secret)

    body = graphql(client, UPDATE_MISSION, {"clientId": "a", "input": {"places": 5, "tags": ["lecture"]}}, key_secret)

    assert body["data"]["updateMission"]["public"] is True
    mission = Mission.objects.get()
    assert (mission.places, mission.tags, mission.title) == (5, ["lecture"], MISSION_INPUT["title"])
    assert mission.organization.name == "Lire et faire lire"
    assert [a.city for a in mission.addresses.all()] == ["Lyon"]


def test_an_update_that_breaks_the_mission_is_refused_and_changes_nothing(client, key_secret):
    create(client, key_secret)

    body = graphql(client, UPDATE_MISSION, {"clientId": "a", "input": {"title": None, "places": 9}}, key_secret)

    assert body["errors"][0]["extensions"]["reasons"] == [{"field": "title", "message": "Titre manquant."}]
    assert (Mission.objects.get().title, Mission.objects.get().places) == (MISSION_INPUT["title"], 2)


def test_updating_an_unknown_mission_is_not_found(client, key_secret):
    body = graphql(client, UPDATE_MISSION, {"clientId": "nope", "input": {"places": 5}}, key_secret)

    assert codes(body) == ["NOT_FOUND"]


def test_a_key_never_reaches_the_missions_of_another_source(client, key_secret):
    MissionFactory(source="autre-partenaire", client_id="a", title="Mission d'un autre partenaire")

    body = graphql(client, UPDATE_MISSION, {"clientId": "a", "input": {"title": "Mission détournée"}}, key_secret)

    assert codes(body) == ["NOT_FOUND"]
    assert Mission.objects.get(source="autre-partenaire").title == "Mission d'un autre partenaire"


def test_a_key_tied_to_an_organisation_is_forbidden_the_missions_of_other_organisations(client):
    mine, other = OrganizationFactory(), OrganizationFactory()
    MissionFactory(source="reseau", client_id="b", organization=other)
    secret = ApiKey.create_key(name="Antenne", source="reseau", organization=mine)[1]

    body = graphql(client, ARCHIVE_MISSION, {"clientId": "b"}, secret)

    assert codes(body) == ["FORBIDDEN"]
    assert Mission.objects.get(client_id="b").archived_at is None


def test_a_key_tied_to_an_organisation_attaches_its_missions_to_it(client):
    mine = OrganizationFactory()
    secret = ApiKey.create_key(name="Antenne", source="reseau", organization=mine)[1]

    create(client, secret)

    assert Mission.objects.get(source="reseau").organization == mine


def test_archiving_takes_the_mission_out_of_the_public_and_an_update_brings_it_back(client, key_secret):
    create(client, key_secret)

    archived = graphql(client, ARCHIVE_MISSION, {"clientId": "a"}, key_secret)["data"]["archiveMission"]
    assert (archived["archived"], archived["public"]) == (True, False)
    assert not Mission.objects.public().exists()

    graphql(client, UPDATE_MISSION, {"clientId": "a", "input": {"places": 3}}, key_secret)
    assert Mission.objects.public().count() == 1


def test_a_refusal_by_staff_survives_a_pushed_update(client, key_secret):
    create(client, key_secret)
    Mission.objects.update(moderation_status="refused", moderation_reason="Hors charte.", moderated_by_staff=True)

    body = graphql(client, UPDATE_MISSION, {"clientId": "a", "input": {"places": 3}}, key_secret)

    assert body["data"]["updateMission"]["moderationStatus"] == "refused"
    assert Mission.objects.get().places == 3


def test_a_pushed_change_is_announced_to_the_search_index_after_commit(
    client, key_secret, django_capture_on_commit_callbacks
):
    heard: list[frozenset] = []

    def listener(sender, pks, **kwargs):
        if sender is Mission:
            heard.append(pks)

    changes._batch().clear()  # earlier tests' announcements died with their rolled-back transactions
    contents_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            create(client, key_secret)
    finally:
        contents_changed.disconnect(listener)

    assert heard == [frozenset({Mission.objects.get().pk})]


def test_mutation_answers_are_never_cached(client, key_secret):
    response = client.post(
        "/graphql/",
        {"query": CREATE_MISSION, "variables": {"clientId": "a", "input": MISSION_INPUT}},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key_secret}"},
    )

    assert "no-store" in response["Cache-Control"]


def test_mutations_are_refused_over_get(client, key_secret):
    response = client.get(
        "/graphql/", {"query": ARCHIVE_MISSION, "variables": '{"clientId": "a"}'}, HTTP_AUTHORIZATION=key_secret
    )

    assert response.status_code == 400
    assert not Mission.objects.exists()


@pytest.mark.parametrize("path", sorted(OPERATIONS.glob("*.graphql")), ids=lambda path: path.stem)
def test_partner_operation_is_valid_against_the_schema(path):
    assert validate(schema._schema, parse(path.read_text(encoding="utf-8"))) == []


def test_create_api_key_command_prints_a_secret_that_authenticates(capsys):
    call_command("create_api_key", "Flux Lyon", "lyon-benevolat")

    secret = capsys.readouterr().out.strip()
    key = ApiKey.objects.authenticate(secret)
    assert (key.source, key.last_used_at is not None) == ("lyon-benevolat", True)
    assert secret not in (key.key_hash, key.prefix)


def test_a_key_cannot_write_hand_written_missions():
    with pytest.raises(Exception, match="réservé"):
        ApiKey.create_key(name="Intrus", source="tremplin")
