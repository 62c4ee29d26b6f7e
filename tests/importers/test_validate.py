from importers.records import NormaliseContext, normalise_mission
from importers.validate import refusal_reasons

from .feeds import mission

CONTEXT = NormaliseContext(domain_ids={"education": 1, "autre": 2}, programme_ids={})


def reasons(**fields):
    return refusal_reasons(normalise_mission(mission("a", **fields), CONTEXT))


def test_a_complete_mission_has_no_refusal_reason():
    assert reasons() == []


def test_a_missing_title_is_refused():
    assert reasons(title=None) == ["Titre manquant."]


def test_a_description_over_20000_characters_is_refused():
    assert reasons(description="mot " * 5001) == [
        "Description trop longue : 20\u202f003 caractères pour 20\u202f000 au maximum."
    ]


def test_an_end_date_before_the_start_date_is_refused():
    assert reasons(startAt="01/07/2027", endAt="30/06/2027") == [
        "La date de fin (30/06/2027) précède la date de début (01/07/2027)."
    ]


def test_an_unreadable_date_is_refused_with_the_field_named():
    assert reasons(startAt="le 3 mars") == ["Date de début : date illisible « le 3 mars »."]


def test_invalid_coordinates_are_refused_with_the_address_named():
    addresses = [{"city": "Lyon", "lat": "145.7", "lon": "204.8"}]

    assert reasons(addresses=addresses) == ["Adresse 1 : coordonnées hors limites (145.7, 204.8)."]


def test_an_application_url_that_is_not_http_is_refused():
    assert reasons(applicationUrl="javascript:alert(1)") == [
        "Lien de candidature : lien invalide « javascript:alert(1) »."
    ]


def test_mojibake_in_the_title_is_refused_as_an_encoding_error():
    assert reasons(title="Aider Ã  la bibliothÃ¨que") == [
        "Erreur d'encodage dans le champ « titre » (caractères illisibles)."
    ]


def test_an_organisation_given_as_a_nested_value_is_read_without_error():
    context = NormaliseContext(domain_ids={"education": 1, "autre": 2}, programme_ids={})
    record = normalise_mission(mission("a", organizationName="Asso", organizationCity={"name": "Lyon"}), context)
    again = normalise_mission(mission("b", organizationName="Asso", organizationCity={"name": "Lyon"}), context)
    assert record.organization.fields["name"] == "Asso"
    assert again.organization is record.organization
