import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cms.cards.models import CardStatus, YoungPerson
from cms.cards.signin import issue_token
from tests.factories.cards import CardFactory, ReferentFactory, YoungPersonFactory
from tests.factories.taxonomy import ProgrammeFactory

pytestmark = pytest.mark.django_db

MY_YOUNG_PEOPLE = """
query ($status: CardStatus, $search: String, $limit: Int, $offset: Int) {
  myYoungPeople(status: $status, search: $search, limit: $limit, offset: $offset) {
    totalCount
    items { lastName card { status } }
  }
}"""
INVITE = "mutation ($csv: String!) { inviteYoungPeople(csv: $csv) { invited reinvited errors } }"
SUSPEND = """
mutation ($number: String!, $reason: String!) { suspendCard(cardNumber: $number, reason: $reason) {
  status history { action reason actor } } }"""
REACTIVATE = """
mutation ($number: String!, $reason: String!, $end: Date) {
  reactivateCard(cardNumber: $number, reason: $reason, programmeEndDate: $end) { status validUntil } }"""

HEADER = "email;telephone;prenom;nom;date_de_naissance;dispositif;fin_du_dispositif"


@pytest.fixture
def referent():
    return ReferentFactory()


@pytest.fixture
def token(referent):
    return issue_token(referent)


def birth(years: int) -> str:
    today = timezone.localdate()
    return f"{today.day:02d}/{today.month:02d}/{today.year - years - 1}"


def end_date() -> str:
    return f"{timezone.localdate() + datetime.timedelta(days=200):%d/%m/%Y}"


def test_a_referent_sees_only_the_young_people_they_follow(gql, referent, token):
    CardFactory(young_person__referent=referent, young_person__last_name="Suivi")
    CardFactory(young_person__last_name="Autre")

    body, _ = gql(MY_YOUNG_PEOPLE, token=token)

    assert body["data"]["myYoungPeople"] == {
        "totalCount": 1,
        "items": [{"lastName": "Suivi", "card": {"status": "ACTIVE"}}],
    }


def test_young_people_are_filtered_by_card_status_and_paginated(gql, referent, token):
    for name in ("Alpha", "Bravo", "Charlie"):
        CardFactory(young_person__referent=referent, young_person__last_name=name)
    CardFactory(status=CardStatus.SUSPENDED, young_person__referent=referent, young_person__last_name="Delta")

    body, _ = gql(MY_YOUNG_PEOPLE, {"status": "ACTIVE", "limit": 2, "offset": 1}, token=token)

    page = body["data"]["myYoungPeople"]
    assert page["totalCount"] == 3
    assert [item["lastName"] for item in page["items"]] == ["Bravo", "Charlie"]


def test_young_people_are_found_by_name(gql, referent, token):
    CardFactory(young_person__referent=referent, young_person__last_name="Benali")
    CardFactory(young_person__referent=referent, young_person__last_name="Durand")

    body, _ = gql(MY_YOUNG_PEOPLE, {"search": "bena"}, token=token)

    assert [item["lastName"] for item in body["data"]["myYoungPeople"]["items"]] == ["Benali"]


def test_a_page_larger_than_allowed_is_refused_in_french(gql, token):
    body, _ = gql(MY_YOUNG_PEOPLE, {"limit": 1000}, token=token)

    assert body["errors"][0]["message"] == "Une page contient au plus 100 éléments (« myYoungPeople » en demande 1000)."


def test_a_csv_invites_its_rows_and_reports_malformed_ones_and_duplicates(
    gql, referent, token, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(slug="cej", label="Contrat d'engagement jeune")
    rows = [
        HEADER,
        f"ines@example.fr;;Inès;Benali;{birth(19)};cej;{end_date()}",
        f";06 12 34 56 78;Tom;Petit;{birth(22)};Contrat d'engagement jeune;{end_date()}",
        f"pas-une-adresse;;Jo;Faux;{birth(20)};cej;{end_date()}",
        f"INES@example.fr;;Inès;Benali;{birth(19)};cej;{end_date()}",
        f"vieux@example.fr;;Max;Vieux;{birth(30)};cej;{end_date()}",
        f"sans@example.fr;;Sans;Date;;cej;{end_date()}",
        f"x@example.fr;;X;Y;{birth(20)};inconnu;{end_date()}",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        body, _ = gql(INVITE, {"csv": "\n".join(rows)}, token=token)

    report = body["data"]["inviteYoungPeople"]
    assert (report["invited"], report["reinvited"]) == (2, 0)
    assert report["errors"] == [
        "Ligne 4 : e-mail : Adresse e-mail invalide.",
        "Ligne 5 : doublon de la ligne 2, ignorée.",
        "Ligne 6 : date de naissance : La carte est réservée aux jeunes de 18 à 25 ans.",
        "Ligne 7 : champ(s) manquant(s) : date de naissance",
        "Ligne 8 : dispositif inconnu « inconnu »",
    ]
    invited = YoungPerson.objects.filter(referent=referent).select_related("card")
    assert {(p.email, p.phone, p.card.status, p.programme_id) for p in invited} == {
        ("ines@example.fr", "", "invited", programme.pk),
        ("", "+33612345678", "invited", programme.pk),
    }
    assert [message.to for message in mail.outbox] == [["ines@example.fr"]]


def test_a_csv_sent_twice_imports_no_one_twice_and_resends_waiting_invitations(gql, referent, token):
    ProgrammeFactory(slug="cej")
    csv = "\n".join([HEADER, f"ines@example.fr;;Inès;Benali;{birth(19)};cej;{end_date()}"])
    gql(INVITE, {"csv": csv}, token=token)

    body, _ = gql(INVITE, {"csv": csv}, token=token)

    assert body["data"]["inviteYoungPeople"] == {"invited": 0, "reinvited": 1, "errors": []}
    assert YoungPerson.objects.count() == 1


def test_someone_else_already_enrolled_is_reported_not_imported(gql, token):
    ProgrammeFactory(slug="cej")
    YoungPersonFactory(email="ines@example.fr")
    csv = "\n".join([HEADER, f"ines@example.fr;;Inès;Benali;{birth(19)};cej;{end_date()}"])

    body, _ = gql(INVITE, {"csv": csv}, token=token)

    assert body["data"]["inviteYoungPeople"]["errors"] == ["Ligne 2 : cette personne est déjà inscrite, ignorée."]


def test_a_referent_suspends_a_card_they_follow_with_a_reason(gql, referent, token):
    card = CardFactory(young_person__referent=referent)

    body, _ = gql(SUSPEND, {"number": card.number, "reason": "Absences répétées"}, token=token)

    result = body["data"]["suspendCard"]
    assert result["status"] == "SUSPENDED"
    assert result["history"][-1] == {"action": "SUSPENDED", "reason": "Absences répétées", "actor": "REFERENT"}


def test_a_referent_cannot_touch_a_card_they_do_not_follow(gql, token):
    card = CardFactory()

    body, _ = gql(SUSPEND, {"number": card.number, "reason": "Motif"}, token=token)

    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_a_referent_reactivates_an_expired_card_by_extending_the_programme(gql, referent, token):
    card = CardFactory(status=CardStatus.EXPIRED, young_person__referent=referent)
    end = timezone.localdate() + datetime.timedelta(days=90)

    body, _ = gql(
        REACTIVATE, {"number": card.number, "reason": "Prolongation du CEJ", "end": end.isoformat()}, token=token
    )

    assert body["data"]["reactivateCard"]["status"] == "ACTIVE"


def test_an_impossible_change_of_status_is_refused_in_french(gql, referent, token):
    card = CardFactory(young_person__referent=referent)

    body, _ = gql(REACTIVATE, {"number": card.number, "reason": "Motif"}, token=token)

    assert body["errors"][0]["message"] == "Seule une carte suspendue ou expirée peut être réactivée."


INVITE_ONE = "mutation ($input: YoungPersonInvitationInput!) { inviteYoungPerson(input: $input) { invited errors } }"


def one(**changes) -> dict:
    today = timezone.localdate()
    return {
        "email": "nour@example.fr",
        "firstName": "Nour",
        "lastName": "Haddad",
        "birthDate": today.replace(year=today.year - 21, day=min(today.day, 28)).isoformat(),
        "programme": "cej",
        "programmeEndDate": (today + datetime.timedelta(days=100)).isoformat(),
        **changes,
    }


def test_a_referent_invites_one_young_person(gql, referent, token):
    ProgrammeFactory(slug="cej")

    body, _ = gql(INVITE_ONE, {"input": one()}, token=token)

    assert body["data"]["inviteYoungPerson"] == {"invited": 1, "errors": []}
    assert YoungPerson.objects.get(email="nour@example.fr").card.status == CardStatus.INVITED


def test_inviting_one_young_person_reports_problems_without_a_line_number(gql, token):
    ProgrammeFactory(slug="cej")

    body, _ = gql(INVITE_ONE, {"input": one(email="", phone="")}, token=token)

    assert body["data"]["inviteYoungPerson"]["errors"] == [
        "e-mail : Indiquez une adresse e-mail ou un numéro de téléphone."
    ]


def test_the_referent_list_takes_a_fixed_number_of_queries(gql, referent, token, django_assert_max_num_queries):
    for _ in range(5):
        CardFactory(young_person__referent=referent)

    with django_assert_max_num_queries(3):
        body, _ = gql(MY_YOUNG_PEOPLE, token=token)

    assert body["data"]["myYoungPeople"]["totalCount"] == 5
