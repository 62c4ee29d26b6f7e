"""API keys of partners who push their missions one by one (GraphQL mutations) instead of, or besides, a feed.

Wagtail's own ``APIToken`` authenticates a *user*; a partner key speaks for a publisher ``source`` (the ``source`` of
the missions it may write) and optionally one organisation, so it is a model of its own. Only an HMAC of the secret is
stored; the secret is shown once, when the key is created. The first characters (``prefix``) are kept in clear to find
the key and to let people recognise it in the admin.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from wagtail.admin.panels import FieldPanel

from cms.missions.models import HAND_WRITTEN_SOURCE

KEY_PREFIX = "trmp_"
#: Characters of the key kept in clear: ``trmp_`` plus 8 random characters.
PREFIX_LENGTH = len(KEY_PREFIX) + 8
_HMAC_SALT = "tremplin.partners_api.apikey"
#: ``last_used_at`` is written at most this often, so that a busy partner does not write the row on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return salted_hmac(_HMAC_SALT, secret, algorithm="sha256").hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(active=True)

    def authenticate(self, secret: str) -> ApiKey | None:
        """The active key whose secret is ``secret`` (compared in constant time), else None; notes when it was used."""
        secret = (secret or "").strip()
        if not secret.startswith(KEY_PREFIX) or len(secret) <= PREFIX_LENGTH:
            return None
        if not (secret.isascii() and secret.isprintable()):  # never a key (URL-safe base64); NUL breaks the lookup
            return None
        digest = hash_secret(secret)
        for key in self.active().filter(prefix=secret[:PREFIX_LENGTH]).select_related("organization"):
            if constant_time_compare(key.key_hash, digest):
                key.touch()
                return key
        return None


class ApiKey(models.Model):
    name = models.CharField("nom", max_length=255, help_text="Pour reconnaître la clé : partenaire, usage…")
    source = models.SlugField(
        "source",
        max_length=100,
        help_text="Source des missions que la clé peut créer, modifier et archiver (Mission.source).",
    )
    organization = models.ForeignKey(
        "organisations.Organization",
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text="Facultatif : les missions créées avec cette clé lui sont rattachées, et elle ne touche qu'à elles.",
    )
    prefix = models.CharField("début de la clé", max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    active = models.BooleanField("active", default=True, help_text="Décochez pour révoquer la clé.")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ApiKeyQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("source"), FieldPanel("organization"), FieldPanel("active")]

    class Meta:
        verbose_name = "clé d'API partenaire"
        verbose_name_plural = "clés d'API partenaires"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def clean(self) -> None:
        super().clean()
        if self.source == HAND_WRITTEN_SOURCE:
            raise ValidationError(
                {"source": f"« {HAND_WRITTEN_SOURCE} » est réservé aux missions écrites dans Tremplin."}
            )

    def set_new_secret(self) -> str:
        """Give the key a fresh secret and return it: the only moment it can be read."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = secret[:PREFIX_LENGTH]
        self.key_hash = hash_secret(secret)
        return secret

    @classmethod
    def create_key(cls, *, name: str, source: str, organization=None, created_by=None) -> tuple[ApiKey, str]:
        """Create and save a key; returns it with its secret (never stored, never shown again)."""
        key = cls(name=name, source=source, organization=organization, created_by=created_by)
        secret = key.set_new_secret()
        key.full_clean()
        key.save()
        return key, secret

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_PRECISION:
            self.last_used_at = now
            ApiKey.objects.filter(pk=self.pk).update(last_used_at=now)

    def revoke(self) -> None:
        self.active = False
        self.save(update_fields=["active"])
