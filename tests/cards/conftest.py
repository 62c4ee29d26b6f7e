"""The card's API over HTTP, as front-ends call it: ``gql(query, variables, token=…)`` → (JSON body, response)."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail

from cms.cards import sms


@pytest.fixture(autouse=True)
def _fresh_counters_and_outboxes(settings):
    from django.core.cache import caches

    caches[settings.GRAPHQL_RATE_LIMIT_CACHE].clear()
    settings.CARDS_SMS_SENDER = "cms.cards.sms.MemorySmsSender"
    sms.outbox.clear()


@pytest.fixture
def gql(client):
    def run(query: str, variables: dict | None = None, *, token: str | None = None, headers: dict | None = None):
        extra = dict(headers or {})
        if token:
            extra["Authorization"] = f"Bearer {token}"
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            headers=extra,
        )
        return response.json(), response

    return run


def last_code() -> str:
    """The 6-digit code of the last message sent (e-mail or SMS)."""
    texts = [message.body for message in mail.outbox] + [text for _, text in sms.outbox]
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


REQUEST_CODE = """
mutation ($contact: String!, $audience: SignInAudience) {
  requestSignInCode(contact: $contact, audience: $audience) { message }
}"""
VERIFY_CODE = """
mutation ($contact: String!, $code: String!, $audience: SignInAudience) {
  verifySignInCode(contact: $contact, code: $code, audience: $audience) { token expiresAt }
}"""


@pytest.fixture
def sign_in(gql, django_capture_on_commit_callbacks):
    """``sign_in("jeune@example.fr")`` → a bearer token, through the real code exchange."""

    def run(contact: str, audience: str = "YOUNG_PERSON") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            gql(REQUEST_CODE, {"contact": contact, "audience": audience})
        body, _ = gql(VERIFY_CODE, {"contact": contact, "code": last_code(), "audience": audience})
        return body["data"]["verifySignInCode"]["token"]

    return run


@pytest.fixture
def card_staff(client):
    """A member of the card staff group, signed in to the admin with ``client``."""
    from django.contrib.auth.models import Group

    from cms.core.roles import CARDS_GROUP
    from tests.factories.users import UserFactory

    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=CARDS_GROUP))
    client.force_login(staff)
    return staff
