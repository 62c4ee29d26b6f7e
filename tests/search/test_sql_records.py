"""Mission documents built by PostgreSQL (``search.missions.sql_records``) are the ones Python records give.

Each test indexes the same missions twice, once from the Python records (``kind.records`` then ``upsert``) and once
from the content tables (``refresh_from_tables``), and compares every stored column, the weighted tsvector included.
"""

from __future__ import annotations

import json

from django.db import connection

from cms.missions.models import Mission, MissionAddress
from cms.taxonomy.models import Programme
from search.backends.database import DatabaseBackend
from search.missions import MISSIONS
from search.models import COPIED_MISSION_COLUMNS
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.organisations import OrganizationFactory


def _stored(pks: list[int]) -> dict[int, tuple]:
    """Every column of the documents of ``pks``, their text and their places (in order), as the tables hold them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_jsonb(d) - 'search_vector', d.search_vector::text, to_jsonb(t) FROM search_missiondocument d "
            "JOIN search_missiontext t ON t.document_id = d.mission_id WHERE d.mission_id = ANY(%s)",
            [pks],
        )
        documents = {}
        for document, vector, text in cursor.fetchall():
            document = json.loads(document)
            documents[document["mission_id"]] = (document, vector, json.loads(text))
        cursor.execute(
            "SELECT document_id, to_jsonb(p) - 'id' FROM search_missionplace p WHERE document_id = ANY(%s) ORDER BY id",
            [pks],
        )
        places: dict[int, list] = {}
        for pk, place in cursor.fetchall():
            places.setdefault(pk, []).append(json.loads(place))
    return {pk: (*row, places.get(pk, [])) for pk, row in documents.items()}


def _both_ways(pks: list[int]) -> tuple[dict, dict]:
    backend = DatabaseBackend()
    backend.upsert(MISSIONS, list(MISSIONS.records(pks)))
    from_python = _stored(pks)
    backend.delete(MISSIONS, pks)
    assert _stored(pks) == {}
    assert backend.refresh_from_tables(MISSIONS, pks)
    return from_python, _stored(pks)


def _address(mission: Mission, **fields) -> MissionAddress:
    """An address stored with exactly ``fields`` (no derivation on save), after the factory's defaults."""
    address = MissionAddressFactory(mission=mission)
    MissionAddress.objects.filter(pk=address.pk).update(**fields)
    return address


def test_accented_titles_and_names_fold_in_sql_as_in_python(db):
    organization = OrganizationFactory(name="Œuvre d’Éducation Populaire — Ærø")
    mission = MissionFactory(
        title="Cœur à l’ouvrage : ÉTÉ SOLIDAIRE ß İstanbul Ⅻ ＡＢ",
        organization=organization,
        description_html="<p>Déjà vu · naïve café</p>",
    )
    _address(mission, city="  Saint-Étienne-du-Rouvray ", region="Île-de-France")
    from_python, from_sql = _both_ways([mission.pk])
    assert from_sql == from_python
    # Folded word by word: the "’" that folding drops still separates "l" from "ouvrage".
    assert from_sql[mission.pk][2]["title_folded"] == "coeur a l ouvrage ete solidaire istanbul xii ab"


def test_activities_are_stored_alike_and_a_malformed_value_as_none(db):
    listed = MissionFactory(activities=["logistique", "Animation, Valorisation"])
    malformed = MissionFactory()
    Mission.objects.filter(pk=malformed.pk).update(activities={"pas": "une liste"})
    from_python, from_sql = _both_ways([listed.pk, malformed.pk])
    assert from_sql == from_python
    assert from_sql[listed.pk][0]["activities"] == ["logistique", "Animation, Valorisation"]
    assert from_sql[malformed.pk][0]["activities"] == []


def _saved_address(mission: Mission, **fields) -> MissionAddress:
    """An address written through the model, as the admin and the importers write them."""
    return MissionAddressFactory(mission=mission, **fields)


def test_corsican_overseas_and_four_digit_postcodes_give_the_same_departments(db):
    mission = MissionFactory()
    for postcode in ("20000", "20200", "97400", "97500", "1000", " 75 004 "):
        _saved_address(mission, postcode=postcode, department_code="", region="")
    from_python, from_sql = _both_ways([mission.pk])
    assert from_sql == from_python
    assert from_sql[mission.pk][0]["department_key"] == "01,2A,2B,75,974"


def test_a_department_code_given_wins_over_the_postcode_and_an_unknown_one_falls_back_to_it(db):
    mission = MissionFactory()
    _saved_address(mission, postcode="69002", department_code="2B", region="")
    _saved_address(mission, postcode="33000", department_code="XX", region="Région donnée")
    _saved_address(mission, postcode="", department_code="", region="", city="", latitude=None, longitude=None)
    from_python, from_sql = _both_ways([mission.pk])
    assert from_sql == from_python
    assert from_sql[mission.pk][0]["department_key"] == "2B,33"


def test_both_builds_read_the_department_stored_with_the_address_and_derive_none(db):
    mission = MissionFactory()
    _address(mission, postcode="69002", department_code="", region="")  # written around the model: no department
    from_python, from_sql = _both_ways([mission.pk])
    assert from_sql == from_python
    assert from_sql[mission.pk][0]["department_key"] == ""


def test_missions_without_programme_domain_organisation_or_address_match(db):
    bare = MissionFactory(programme=None, domain=None, organization=None, remote=Mission.Remote.FULL)
    hybrid = MissionFactory(remote=Mission.Remote.POSSIBLE, end_date=None, start_date=None)
    from_python, from_sql = _both_ways([bare.pk, hybrid.pk])
    assert from_sql == from_python
    assert from_sql[bare.pk][0]["everywhere"] is True
    assert from_sql[bare.pk][3] == []


def test_several_addresses_keep_their_order_and_a_repeated_department_counts_once(db):
    mission = MissionFactory()
    _address(mission, sort_order=2, postcode="13001", department_code="13", city="Marseille")
    _address(mission, sort_order=0, postcode="69002", department_code="69", city="Lyon")
    _address(mission, sort_order=1, postcode="69003", department_code="69", city="Lyon 3e")
    from_python, from_sql = _both_ways([mission.pk])
    assert from_sql == from_python
    assert [place["city"] for place in from_sql[mission.pk][3]] == ["lyon", "lyon 3e", "marseille"]


def test_missions_that_are_not_searchable_get_no_document_from_sql(db):
    visible = MissionFactory()
    refused = MissionFactory(moderation_status=Mission.Moderation.REFUSED)
    from_python, from_sql = _both_ways([visible.pk, refused.pk])
    assert from_sql == from_python
    assert set(from_sql) == {visible.pk}


def test_a_database_that_folds_differently_gets_documents_from_python_records(db, monkeypatch):
    from search.backends import database
    from search.indexing import update

    monkeypatch.setattr(database.writing, "fold", lambda text: text.upper())  # as a "C" ctype's lower() would differ
    mission = MissionFactory(title="Été solidaire")
    backend = DatabaseBackend()
    assert backend.refresh_from_tables(MISSIONS, [mission.pk]) is False
    monkeypatch.undo()

    update(MISSIONS, [mission.pk], backend)

    assert _stored([mission.pk])[mission.pk][2]["title_folded"] == "ete solidaire"


def test_the_sql_strips_exactly_what_python_strip_removes():
    from search.missions import _WHITESPACE

    assert set(_WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_places_carry_their_missions_filter_columns_built_either_way(db):
    programme = Programme.objects.filter(min_age__isnull=False, max_age__isnull=False).first()
    mission = MissionFactory(programme=programme, open_to_minors=True, reduced_mobility_accessible=True)
    _address(mission, city="Lyon")
    _address(mission, city="Villeurbanne")
    for stored in _both_ways([mission.pk]):
        document, _, _, places = stored[mission.pk]
        copied = {name: document[name] for name in COPIED_MISSION_COLUMNS}
        assert copied["min_age"] is not None
        assert copied["domain_code"] is not None
        assert copied["accessible"] is True
        assert [{name: place[name] for name in COPIED_MISSION_COLUMNS} for place in places] == [copied, copied]
