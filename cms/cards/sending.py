"""Messages to young people and referents: by e-mail (Django's mail backend) or SMS (``cms.cards.sms``).

Messages are sent by a background task (``django_tasks``: run at once by its immediate backend, by a worker where the
runtime has one), after the transaction that decided them commits.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task

from .sms import send_sms


@task()
def deliver(kind: str, contact: str, subject: str, text: str) -> None:
    if kind == "email":
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [contact])
    else:
        send_sms(contact, text)


def send_message(kind: str, contact: str, subject: str, text: str) -> None:
    """Send ``text`` to an e-mail address (``kind="email"``) or a phone number (``"phone"``) once committed."""
    transaction.on_commit(lambda: deliver.enqueue(kind, contact, subject, text))
