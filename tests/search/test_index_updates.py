"""The index follows publishing, unpublishing, editing, moderating, archiving and importing, after commit."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cms.core.changes import announce, contents_changed
from cms.missions.models import Mission
from search.base import InvalidSearch, SearchQuery, encode_cursor
from search.indexing import KINDS, update
from search.models import MissionDocument, MissionPlace, MissionText
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.taxonomy import DomainFactory, ProgrammeFactory

from .conftest import pks


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens inside as if its transaction committed: announcements are delivered."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def test_an_unpublished_offer_disappears_from_results(backend, committed, search_offers):
    with committed():
        offer = OfferPageFactory(title="Place de concert")
    assert pks(search_offers("concert")) == [offer.pk]
    with committed():
        offer.unpublish()
    assert search_offers("concert").total == 0


def test_a_published_offer_appears_in_results(backend, committed, search_offers):
    with committed():
        offer = OfferPageFactory(title="Place de concert", live=False)
    assert search_offers("concert").total == 0
    with committed():
        offer.save_revision().publish()
    assert pks(search_offers("concert")) == [offer.pk]


def test_an_edited_mission_is_found_by_its_new_title(backend, committed, search_missions):
    with committed():
        mission = MissionFactory(title="Collecte alimentaire")
    with committed():
        mission.title = "Distribution de repas"
        mission.save()
    assert search_missions("collecte").total == 0
    assert pks(search_missions("repas")) == [mission.pk]


def test_moderation_and_archiving_take_a_mission_out(backend, committed, search_missions):
    with committed():
        refused, archived = MissionFactory.create_batch(2, title="Collecte alimentaire")
    assert search_missions("collecte").total == 2
    with committed():
        refused.moderation_status = Mission.Moderation.REFUSED
        refused.moderation_reason = "Doublon"
        refused.save()
        archived.archive()
    assert search_missions("collecte").total == 0


def test_a_rolled_back_change_is_never_indexed(backend, search_missions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        MissionFactory(title="Collecte alimentaire")
    assert search_missions("collecte").total == 0


def test_an_import_announcing_bulk_writes_is_indexed(backend, committed, search_missions):
    organisation = OrganizationFactory()
    Mission.objects.bulk_create(MissionFactory.build_batch(3, title="Chantier nature", organization=organisation))
    with committed():
        announce(Mission, [m.pk for m in Mission.objects.filter(title="Chantier nature")])
    assert search_missions("chantier").total == 3


def test_search_reindex_rebuilds_every_kind_and_says_how_many(backend, search_missions, capsys):
    MissionFactory.create_batch(2)
    OfferPageFactory()
    call_command("search_reindex", verbosity=0)
    assert "missions : 2 document(s) indexé(s)." in capsys.readouterr().out
    assert search_missions().total == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (SearchQuery(filters={"colour": ["bleu"]}), "Filtre inconnu : « colour »."),
        (
            SearchQuery(filters={"start_after": "demain"}),
            "Le filtre « start_after » attend une date au format AAAA-MM-JJ.",
        ),
        (
            SearchQuery(filters={"organization": ["abc"]}),
            "Le filtre « organization » attend des identifiants numériques.",
        ),
        (SearchQuery(filters={"eligible_at_age": 300}), "L'âge doit être compris entre 1 et 120 ans."),
        (SearchQuery(after="pas-un-curseur"), "Curseur de pagination invalide."),
        (SearchQuery(after=encode_cursor(-3)), "Curseur de pagination invalide."),
        (SearchQuery(after=encode_cursor(10_001)), "Curseur de pagination invalide."),
        (SearchQuery(after=encode_cursor(40, [{"_score": 1}])), "Curseur de pagination invalide."),
        (SearchQuery(after=encode_cursor(40, [])), "Curseur de pagination invalide."),
        (SearchQuery(first=500), "Le nombre de résultats par page doit être compris entre 1 et 100."),
        (SearchQuery(sort="distance"), "Le tri par distance demande un point de recherche."),
        (SearchQuery(facets=("couleur",)), "Facette inconnue : « couleur »."),
    ],
)
def test_a_malformed_query_is_refused_with_a_french_message(backend, query, message):
    with pytest.raises(InvalidSearch) as excinfo:
        backend.search(KINDS["missions"], query)
    assert str(excinfo.value) == message


def test_a_renamed_domain_makes_its_missions_findable_by_the_new_label(backend, committed, search_missions):
    domain = DomainFactory(slug="ecologie", label="Écologie")
    with committed():
        mission = MissionFactory(title="Chantier du samedi", domain=domain)
    assert search_missions("biodiversité").total == 0
    with committed():
        domain.label = "Biodiversité"
        domain.save()
    assert pks(search_missions("biodiversité")) == [mission.pk]


def test_a_programme_whose_slug_changes_moves_its_missions_to_the_new_facet_value(backend, committed, search_missions):
    programme = ProgrammeFactory(slug="ancien-dispositif")
    with committed():
        mission = MissionFactory(programme=programme)
    with committed():
        programme.slug = "nouveau-dispositif"
        programme.save()
    assert pks(search_missions(filters={"programme": ["nouveau-dispositif"]})) == [mission.pk]
    assert search_missions(filters={"programme": ["ancien-dispositif"]}).total == 0


def test_a_programme_whose_ages_change_updates_who_is_eligible(backend, committed, search_missions):
    programme = ProgrammeFactory(min_age=16, max_age=25)
    with committed():
        mission = MissionFactory(programme=programme)
    assert pks(search_missions(filters={"eligible_at_age": 28})) == []
    with committed():
        programme.max_age = 30
        programme.save()
    assert pks(search_missions(filters={"eligible_at_age": 28})) == [mission.pk]


def test_reordering_a_domain_reindexes_none_of_its_missions(backend, committed, search_missions):
    domain = DomainFactory(label="Culture")
    with committed():
        MissionFactory(domain=domain)
    heard: list[type] = []
    contents_changed.connect(lambda sender, **kwargs: heard.append(sender), weak=False, dispatch_uid="test.reorder")
    try:
        with committed():
            domain.position = 42
            domain.save()
    finally:
        contents_changed.disconnect(dispatch_uid="test.reorder")
    # The term itself is announced (cached answers list terms in order); none of its missions is.
    assert Mission not in heard


def test_records_of_dense_ids_leave_out_the_missions_between_them_not_asked_for(db):
    first, between, last = MissionFactory.create_batch(3, title="Collecte alimentaire")

    records = list(KINDS["missions"].records([first.pk, last.pk]))

    assert [record["pk"] for record in records] == [first.pk, last.pk]
    assert between.pk not in {record["pk"] for record in records}


def test_records_of_scattered_ids_are_the_searchable_ones_among_them(db):
    missions = MissionFactory.create_batch(3, title="Collecte alimentaire")
    hidden = MissionFactory(title="Collecte refusée", moderation_status=Mission.Moderation.REFUSED)
    wanted = [missions[0].pk, hidden.pk, missions[2].pk + 1000]

    records = list(KINDS["missions"].records(wanted))

    assert [record["pk"] for record in records] == [missions[0].pk]


def test_an_update_replaces_existing_documents_and_their_places(backend, search_missions):
    mission = MissionFactory(title="Collecte alimentaire")
    MissionAddressFactory(mission=mission)
    update(KINDS["missions"], [mission.pk], backend)
    Mission.objects.filter(pk=mission.pk).update(title="Distribution de repas")
    mission.addresses.update(postcode="75004", city="Paris", department_code="75", region="Île-de-France")

    update(KINDS["missions"], [mission.pk], backend)

    assert search_missions("collecte").total == 0
    assert pks(search_missions("repas", filters={"department": ["75"]})) == [mission.pk]
    assert search_missions(filters={"department": ["69"]}).total == 0


def test_a_deleted_mission_leaves_nothing_behind_in_the_index(backend, committed, search_missions):
    with committed():
        mission = MissionFactory(title="Collecte alimentaire")
        MissionAddressFactory(mission=mission)
    assert pks(search_missions("collecte")) == [mission.pk]
    pk = mission.pk

    with committed():
        mission.delete()

    assert search_missions("collecte").total == 0
    # The database index's tables carry no foreign-key constraint: the deletion itself must have removed its rows.
    assert not MissionDocument.objects.filter(pk=pk).exists()
    assert not MissionText.objects.filter(document_id=pk).exists()
    assert not MissionPlace.objects.filter(document_id=pk).exists()


def test_the_database_backend_refuses_a_cursor_of_sort_values(database_backend):
    with pytest.raises(InvalidSearch, match="Curseur de pagination invalide."):
        database_backend.search(KINDS["missions"], SearchQuery(after=encode_cursor(20, [1761989400000, 17])))
