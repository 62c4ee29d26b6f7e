import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from cms.cards import sms
from cms.cards.models import AccessToken, CardStatus, SignInCode
from tests.cards.conftest import REQUEST_CODE, VERIFY_CODE, last_code
from tests.factories.cards import CardFactory, ReferentFactory

pytestmark = pytest.mark.django_db

ME = "query { me { profile { firstName } card { number status } } }"
REFERENT = "query { myReferentProfile { structureName } }"


@pytest.fixture
def request_code(gql, django_capture_on_commit_callbacks):
    def run(contact: str, audience: str = "YOUNG_PERSON", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return gql(REQUEST_CODE, {"contact": contact, "audience": audience}, **kwargs)

    return run


def test_a_known_email_receives_a_six_digit_code_stored_only_as_a_hash(request_code):
    CardFactory(young_person__email="lea@example.fr")

    request_code("Lea@Example.fr")

    code = last_code()
    assert mail.outbox[-1].to == ["lea@example.fr"]
    stored = SignInCode.objects.get()
    assert code not in stored.code_hash
    assert len(stored.code_hash) == 64


def test_a_known_phone_receives_its_code_by_sms(request_code):
    CardFactory(young_person__phone="+33612345678", young_person__email="")

    request_code("06 12 34 56 78")

    assert sms.outbox[-1][0] == "+33612345678"
    assert len(last_code()) == 6


def test_the_answer_never_tells_whether_a_contact_exists(request_code):
    CardFactory(young_person__email="lea@example.fr")

    known, _ = request_code("lea@example.fr")
    unknown, _ = request_code("personne@example.fr")

    assert known == unknown
    assert len(mail.outbox) == 1


def test_the_right_code_gives_a_token_that_opens_me(gql, sign_in):
    card = CardFactory(young_person__email="lea@example.fr")

    token = sign_in("lea@example.fr")
    body, _ = gql(ME, token=token)

    assert body["data"]["me"]["card"] == {"number": card.number, "status": "ACTIVE"}


def test_signing_in_activates_an_invited_card_whose_profile_is_complete(gql, sign_in):
    card = CardFactory(status=CardStatus.INVITED, young_person__email="lea@example.fr")

    sign_in("lea@example.fr")

    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_five_wrong_codes_burn_the_code(gql, request_code):
    CardFactory(young_person__email="lea@example.fr")
    request_code("lea@example.fr")
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"

    answers = [gql(VERIFY_CODE, {"contact": "lea@example.fr", "code": wrong})[0] for _ in range(5)]
    right, _ = gql(VERIFY_CODE, {"contact": "lea@example.fr", "code": code})

    assert answers[3]["errors"][0]["message"].startswith("Code incorrect")
    assert answers[4]["errors"][0]["message"].startswith("Trop d'essais")
    assert right["errors"][0]["message"].startswith("Code incorrect")


def test_a_code_expires_after_ten_minutes(gql, request_code):
    CardFactory(young_person__email="lea@example.fr")
    request_code("lea@example.fr")
    SignInCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    body, _ = gql(VERIFY_CODE, {"contact": "lea@example.fr", "code": last_code()})

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_code_requests_are_throttled_per_contact(request_code, settings):
    settings.CARDS_SIGNIN_RATE_PER_CONTACT = "3/900"
    CardFactory(young_person__email="lea@example.fr")

    answers = [request_code("lea@example.fr")[0] for _ in range(4)]

    assert [bool(a.get("errors")) for a in answers] == [False, False, False, True]
    assert answers[3]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert len(mail.outbox) == 3


def test_code_requests_are_throttled_per_address_whatever_the_contact(request_code, settings):
    settings.CARDS_SIGNIN_RATE_PER_IP = "2/900"

    answers = [request_code(f"inconnu{n}@example.fr")[0] for n in range(3)]

    assert answers[2]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_a_revoked_token_no_longer_opens_me(gql, sign_in):
    CardFactory(young_person__email="lea@example.fr")
    token = sign_in("lea@example.fr")

    gql("mutation { signOut }", token=token)
    body, _ = gql(ME, token=token)

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_tokens_are_stored_hashed_and_a_tampered_one_is_refused(gql, sign_in):
    CardFactory(young_person__email="lea@example.fr")
    token = sign_in("lea@example.fr")

    body, _ = gql(ME, token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))

    assert not AccessToken.objects.filter(token_hash__contains=token.split(":")[0]).exists()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_an_expired_token_is_refused(gql, sign_in):
    CardFactory(young_person__email="lea@example.fr")
    token = sign_in("lea@example.fr")
    AccessToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    body, _ = gql(ME, token=token)

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_referents_sign_in_the_same_way_to_their_own_space(gql, sign_in):
    ReferentFactory(email="conseil@ml.example.fr", structure_name="Mission locale de Lyon")

    token = sign_in("conseil@ml.example.fr", audience="REFERENT")
    body, _ = gql(REFERENT, token=token)

    assert body["data"]["myReferentProfile"] == {"structureName": "Mission locale de Lyon"}


def test_a_young_persons_token_does_not_open_the_referent_space(gql, sign_in):
    CardFactory(young_person__email="lea@example.fr")

    body, _ = gql(REFERENT, token=sign_in("lea@example.fr"))

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_personal_answers_are_never_cached(gql, sign_in):
    CardFactory(young_person__email="lea@example.fr")

    _, response = gql(ME, token=sign_in("lea@example.fr"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_me_is_refused_over_get(client, sign_in):
    CardFactory(young_person__email="lea@example.fr")
    token = sign_in("lea@example.fr")

    response = client.get("/graphql/", {"query": ME}, headers={"Authorization": f"Bearer {token}"})

    assert response.json()["errors"][0]["message"] == "Les opérations de la Carte jeune engagé s'envoient en POST."
    assert "no-store" in response["Cache-Control"]


def test_signing_in_logs_no_contact_and_no_code(gql, request_code, caplog):
    CardFactory(young_person__email="lea@example.fr", young_person__phone="+33612345678")

    with caplog.at_level(logging.DEBUG):
        request_code("lea@example.fr")
        gql(VERIFY_CODE, {"contact": "lea@example.fr", "code": last_code()})
        request_code("+33612345678")

    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert "lea@example.fr" not in logged
    assert "612345678" not in logged
    assert last_code() not in logged
