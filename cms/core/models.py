"""Rows the admin's own bookkeeping needs (content lives in the domain apps)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Invitation(models.Model):
    """The latest invitation sent to an account: its date is part of the link's token (see ``cms.core.invitations``),
    so sending a new one makes every earlier link invalid."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="compte", on_delete=models.CASCADE, related_name="invitation"
    )
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"

    def __str__(self) -> str:
        return f"Invitation de {self.user} ({timezone.localtime(self.sent_at):%d/%m/%Y %H:%M})"
