"""SMS senders: the one ``CARDS_SMS_SENDER`` names sends every text message (sign-in codes, invitations).

A sender is a class with ``send(phone, text)``. :class:`ConsoleSmsSender` (the default, for development and the
demo) prints the message; :class:`MemorySmsSender` keeps it in :data:`outbox` (tests). A production provider is one
more class with the same method, named in the setting.
"""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsSender:
    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS pour {phone} : {text}\n")
        sys.stdout.flush()


#: What :class:`MemorySmsSender` sent, as (phone, text) pairs.
outbox: list[tuple[str, str]] = []


class MemorySmsSender:
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    sender: SmsSender = import_string(settings.CARDS_SMS_SENDER)()
    sender.send(phone, text)
