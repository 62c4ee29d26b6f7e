"""Invitations: new accounts get an e-mail to choose their password; the link is single use, expires, and staff can
re-send it (which replaces the previous one)."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cms.core.invitations import InvitationTokenGenerator, invitation_link, invite_after_commit, send_invitation
from cms.core.views import RESEND_URL_NAME
from cms.settings.base import tasks_for
from tests.factories.organisations import OrganizationFactory
from tests.factories.users import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-mot-de-passe-solide-42"
INVALID_LINK = "Lien d'invitation invalide"


@pytest.fixture
def invited(db):
    """An account created without a password, as onboarding and the user admin create them."""
    return get_user_model().objects.create_user(username="lea@veloplus.fr", email="lea@veloplus.fr")


def link_in(message) -> str:
    return re.search(r"http://testserver(/admin/invitation/\S+/)", message.body).group(1)


def link_made_days_ago(link: str, user, days: int) -> str:
    """``link`` with a token as valid as its own but minted ``days`` days ago."""

    class Earlier(InvitationTokenGenerator):
        def _now(self):
            return dt.datetime.now() - dt.timedelta(days=days)

    return link.replace(link.rstrip("/").rsplit("/", 1)[1], Earlier().make_token(user))


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the invitation link and submit the password form, as the invited person does."""
    form = client.get(link, follow=True)
    assert form.status_code == 200
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True)


def test_onboarding_a_partner_sends_one_invitation_whose_link_sets_the_password_and_signs_in(
    client, offers_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("onboard_partner", "Vélo Plus", "--user", "lea@veloplus.fr", stdout=StringIO())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea@veloplus.fr"]
    assert "mot de passe" in message.subject
    response = choose_password(client, link_in(message))
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert response.context["user"].username == "lea@veloplus.fr"
    client.logout()
    assert client.login(
        request=RequestFactory().post("/admin/login/"), username="lea@veloplus.fr", password=NEW_PASSWORD
    )


def test_onboarding_from_the_admin_form_sends_the_invitation(client, offers_index, django_capture_on_commit_callbacks):
    client.force_login(EditorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("offers_onboard_partner"), {"name": "Ciné Jeunes", "users": "hugo@cinejeunes.fr"})
    assert [message.to for message in mail.outbox] == [["hugo@cinejeunes.fr"]]


def test_onboarding_again_does_not_invite_existing_accounts_again(offers_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("onboard_partner", "Vélo Plus", "--user", "lea@veloplus.fr", stdout=StringIO())
        call_command("onboard_partner", "Vélo Plus", "--user", "lea@veloplus.fr", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_a_used_link_is_refused_in_french(client, invited):
    send_invitation(invited)
    link = link_in(mail.outbox[0])
    choose_password(client, link)
    client.logout()

    response = client.get(link, follow=True)
    assert INVALID_LINK in response.content.decode()
    assert "new_password1" not in response.content.decode()


def test_an_expired_link_is_refused_in_french(client, invited, settings):
    settings.INVITATION_TIMEOUT_DAYS = 3
    send_invitation(invited)
    response = client.get(link_made_days_ago(link_in(mail.outbox[0]), invited, 4), follow=True)
    assert INVALID_LINK in response.content.decode()


def test_a_link_within_its_lifetime_is_accepted(client, invited, settings):
    settings.INVITATION_TIMEOUT_DAYS = 7
    send_invitation(invited)
    response = choose_password(client, link_made_days_ago(link_in(mail.outbox[0]), invited, 4))
    assert response.context["user"] == invited


def test_a_resent_invitation_replaces_the_previous_link(client, invited):
    send_invitation(invited)
    first = link_in(mail.outbox[0])
    send_invitation(invited)

    assert INVALID_LINK in client.get(first, follow=True).content.decode()
    assert choose_password(client, link_in(mail.outbox[1])).context["user"] == invited


def test_staff_resend_an_invitation_from_the_user_listing(client, invited):
    client.force_login(EditorFactory(is_superuser=True))
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    resend_url = reverse(RESEND_URL_NAME, args=[invited.pk])
    assert resend_url in listing
    assert "Renvoyer l&#x27;invitation" in listing

    confirmation = client.get(resend_url).content.decode()
    assert "Renvoyer une invitation à lea@veloplus.fr" in confirmation
    assert "Envoyer une nouvelle invitation" in confirmation
    assert mail.outbox == []

    response = client.post(resend_url, follow=True)
    assert [message.to for message in mail.outbox] == [["lea@veloplus.fr"]]
    assert "Invitation envoyée à lea@veloplus.fr" in response.content.decode()
    assert invited.invitation.sent_by.is_superuser


def test_people_who_may_not_edit_accounts_cannot_resend_invitations(client, invited):
    client.force_login(EditorFactory())
    response = client.post(reverse(RESEND_URL_NAME, args=[invited.pk]))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert mail.outbox == []


def test_an_account_created_without_a_password_in_the_user_admin_is_invited(
    client, db, django_capture_on_commit_callbacks
):
    client.force_login(EditorFactory(is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailusers_users:add"),
            {
                "username": "nina@asso.example.fr",
                "email": "nina@asso.example.fr",
                "first_name": "Nina",
                "last_name": "Durand",
                "password1": "",
                "password2": "",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    assert [message.to for message in mail.outbox] == [["nina@asso.example.fr"]]
    assert "Bonjour Nina" in mail.outbox[0].body


def test_adding_an_account_without_a_password_to_an_organisation_invites_it(
    invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        OrganizationFactory().members.add(invited)
    assert [message.to for message in mail.outbox] == [["lea@veloplus.fr"]]


def test_adding_an_account_with_a_password_to_an_organisation_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        OrganizationFactory().members.add(UserFactory())
    assert mail.outbox == []


def test_adding_an_invited_account_to_another_organisation_does_not_invite_it_again(
    invited, django_capture_on_commit_callbacks
):
    send_invitation(invited)
    with django_capture_on_commit_callbacks(execute=True):
        OrganizationFactory().members.add(invited)
    assert len(mail.outbox) == 1


def test_forgotten_password_sends_an_invitation_to_an_account_that_never_chose_one(client, invited):
    client.post(reverse("wagtailadmin_password_reset"), {"email": "lea@veloplus.fr"})
    assert len(mail.outbox) == 1
    assert choose_password(client, link_in(mail.outbox[0])).context["user"] == invited


def test_forgotten_password_still_sends_the_usual_reset_to_an_account_with_a_password(client, db):
    UserFactory(email="hugo@cinejeunes.fr")
    client.post(reverse("wagtailadmin_password_reset"), {"email": "hugo@cinejeunes.fr"})
    assert len(mail.outbox) == 1
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body


def test_forgotten_password_sends_one_e_mail_to_an_account_created_with_a_blank_password(client, db):
    user = UserFactory(email="ines@asso.example.fr")
    get_user_model().objects.filter(pk=user.pk).update(password="")  # as Wagtail's user form left them
    client.post(reverse("wagtailadmin_password_reset"), {"email": "ines@asso.example.fr"})
    assert len(mail.outbox) == 1


def test_the_link_is_absolute_and_points_at_the_admin_base_url(invited, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.tremplin.example/"
    assert invitation_link(invited).startswith("https://admin.tremplin.example/admin/invitation/")


@override_settings(TASKS=tasks_for("database"))
def test_an_invitation_leaves_with_the_task_worker_not_with_the_request(
    invited, task_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_after_commit(invited)
    assert mail.outbox == []

    task_worker()

    assert [message.to for message in mail.outbox] == [["lea@veloplus.fr"]]
