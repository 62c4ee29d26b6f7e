"""Admin sign-in throttling (django-axes): too many wrong passwords lock the account, and the address, for a while.

Each test signs in through Wagtail's login form, from addresses it chooses (``REMOTE_ADDR``, or the address a trusted
proxy forwards), with the default limit of 5 failures.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories.users import EditorFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "mot-de-passe-de-test"
LIMIT = 5
LOCKED = "Trop de tentatives de connexion échouées"


def sign_in(username: str, password: str, address: str = "203.0.113.1", **headers: str):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password}, headers=headers)
    response.signed_in = "_auth_user_id" in client.session
    return response


def assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert not response.signed_in
    assert LOCKED in response.content.decode()


def test_the_right_password_below_the_limit_signs_in():
    editor = EditorFactory()
    for _ in range(LIMIT - 1):
        sign_in(editor.username, "mauvais")

    assert sign_in(editor.username, PASSWORD).signed_in


def test_after_the_limit_of_wrong_passwords_the_right_one_is_refused_with_a_french_message():
    editor = EditorFactory()
    for _ in range(LIMIT):
        sign_in(editor.username, "mauvais")

    assert_locked_out(sign_in(editor.username, PASSWORD))


def test_the_lockout_page_says_for_how_long_and_sets_retry_after():
    editor = EditorFactory()
    for _ in range(LIMIT):
        sign_in(editor.username, "mauvais")

    response = sign_in(editor.username, PASSWORD)

    assert "bloquée pendant 15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"


def test_an_account_is_locked_whatever_address_the_attempts_come_from():
    editor = EditorFactory()
    for n in range(LIMIT):
        sign_in(editor.username, "mauvais", address=f"198.51.100.{n + 1}")

    assert_locked_out(sign_in(editor.username, PASSWORD, address="198.51.100.200"))


def test_an_address_is_locked_whatever_accounts_it_tries():
    editor = EditorFactory()
    for n in range(LIMIT):
        sign_in(f"inconnu{n}@example.fr", "mauvais", address="203.0.113.9")

    assert_locked_out(sign_in(editor.username, PASSWORD, address="203.0.113.9"))


def test_another_account_from_another_address_still_signs_in_during_a_lockout():
    editor, colleague = EditorFactory(), EditorFactory()
    for _ in range(LIMIT):
        sign_in(editor.username, "mauvais", address="203.0.113.9")

    assert sign_in(colleague.username, PASSWORD, address="203.0.113.10").signed_in


def test_the_right_password_signs_in_again_once_the_cool_off_is_over():
    editor = EditorFactory()
    for _ in range(LIMIT):
        sign_in(editor.username, "mauvais")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert sign_in(editor.username, PASSWORD).signed_in


@override_settings(CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_trusted_proxy_the_address_it_forwards_is_locked_not_the_proxy():
    editor = EditorFactory()
    for n in range(LIMIT):
        sign_in(f"inconnu{n}@example.fr", "mauvais", address="10.0.0.1", **{"X-Forwarded-For": "198.51.100.7"})

    assert sign_in(editor.username, PASSWORD, address="10.0.0.1", **{"X-Forwarded-For": "198.51.100.8"}).signed_in
    assert_locked_out(sign_in(editor.username, PASSWORD, address="10.0.0.1", **{"X-Forwarded-For": "198.51.100.7"}))
