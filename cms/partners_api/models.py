"""API keys of partners who push their missions one by one (GraphQL mutations) instead of, or besides, a feed.

Wagtail's own ``APIToken`` authenticates a *user*; a partner key speaks for a publisher ``source`` (the ``source`` of
the missions it may write) and optionally one organisation, so it is a model of its own. Only an HMAC of the secret is
stored; the secret is shown once, when the key is created. The first characters (``prefix``) are kept in clear to find
the key and to let people recognise it in the admin.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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


#: Requests per minute a key may send unless staff set another rate on it.
DEFAULT_RATE_LIMIT = 600
#: How long a rotated key keeps working next to its successor unless told otherwise.
DEFAULT_ROTATION_OVERLAP = dt.timedelta(days=14)


class Scope(models.TextChoices):
    """What a key may do; a request outside its key's scopes is refused with 403."""

    READ_MISSIONS = "read_missions", "lire les missions"
    READ_OFFERS = "read_offers", "lire les offres"
    PUSH_MISSIONS = "push_missions", "publier des missions"
    REPORT_APPLICATIONS = "report_applications", "déclarer des candidatures"
    VERIFY_CARDS = "verify_cards", "vérifier des cartes"


def default_scopes() -> list[str]:
    """Keys made before scopes existed pushed missions: that stays the default of a key made without scopes."""
    return [Scope.PUSH_MISSIONS.value]


def hash_secret(secret: str) -> str:
    return salted_hmac(_HMAC_SALT, secret, algorithm="sha256").hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        """Keys not revoked and, for a rotated key, still within its overlap period."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()), active=True)

    def authenticate(self, secret: str) -> ApiKey | None:
        """The active key whose secret is ``secret`` (compared in constant time), else None; notes when it was used."""
        secret = (secret or "").strip()
        if not secret.startswith(KEY_PREFIX) or len(secret) <= PREFIX_LENGTH:
            return None
        if not (secret.isascii() and secret.isprintable()):  # never a key (URL-safe base64); NUL breaks the lookup
            return None
        digest = hash_secret(secret)
        for key in self.active().filter(prefix=secret[:PREFIX_LENGTH]).select_related("organization", "partner"):
            if constant_time_compare(key.key_hash, digest):
                key.touch()
                return key
        return None


class ApiKey(models.Model):
    name = models.CharField("nom", max_length=255, help_text="Pour reconnaître la clé : partenaire, usage…")
    source = models.SlugField(
        "source",
        max_length=100,
        blank=True,
        help_text="Source des missions que la clé peut créer, modifier et archiver (Mission.source). "
        "Obligatoire pour publier des missions.",
    )
    scopes = ArrayField(
        models.CharField(max_length=30, choices=Scope.choices),
        verbose_name="droits",
        default=default_scopes,
        help_text="Ce que la clé permet ; toute autre demande est refusée (403).",
    )
    partner = models.ForeignKey(
        "syndication.DiffusionPartner",
        verbose_name="partenaire de diffusion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text="Les lectures faites avec la clé sont limitées aux règles de diffusion de ce partenaire.",
    )
    rate_limit = models.PositiveIntegerField(
        "requêtes par minute",
        default=DEFAULT_RATE_LIMIT,
        help_text="Au-delà, les requêtes reçoivent une réponse 429 avec l'en-tête Retry-After.",
    )
    expires_at = models.DateTimeField(
        "valable jusqu'au",
        null=True,
        blank=True,
        help_text="Vide : sans limite. Fixé lors d'un renouvellement, pour laisser au partenaire le temps de changer.",
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="remplacée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
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

    panels = [
        FieldPanel("name"),
        FieldPanel("partner"),
        FieldPanel("scopes", widget=forms.CheckboxSelectMultiple(choices=Scope.choices)),
        FieldPanel("source"),
        FieldPanel("organization"),
        FieldPanel("rate_limit"),
        FieldPanel("expires_at"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = "clé d'API partenaire"
        verbose_name_plural = "clés d'API partenaires"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def clean(self) -> None:
        super().clean()
        if Scope.PUSH_MISSIONS in self.scopes and not self.source:
            raise ValidationError({"source": "Indiquez la source des missions que cette clé publie."})
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

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @classmethod
    def create_key(
        cls,
        *,
        name: str,
        source: str = "",
        organization=None,
        created_by=None,
        scopes: list[str] | None = None,
        partner=None,
        rate_limit: int = DEFAULT_RATE_LIMIT,
    ) -> tuple[ApiKey, str]:
        """Create and save a key; returns it with its secret (never stored, never shown again)."""
        key = cls(
            name=name,
            source=source,
            organization=organization,
            created_by=created_by,
            scopes=list(scopes) if scopes is not None else default_scopes(),
            partner=partner,
            rate_limit=rate_limit,
        )
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

    def rotate(self, *, overlap: dt.timedelta = DEFAULT_ROTATION_OVERLAP, created_by=None) -> tuple[ApiKey, str]:
        """Issue a successor with the same rights; this key keeps working for ``overlap``, then stops.

        Returns the new key and its secret (shown once). The partner switches to the new secret at its own pace
        within the overlap; past it, only the new one authenticates.
        """
        successor, secret = ApiKey.create_key(
            name=self.name,
            source=self.source,
            organization=self.organization,
            created_by=created_by,
            scopes=self.scopes,
            partner=self.partner,
            rate_limit=self.rate_limit,
        )
        deadline = timezone.now() + overlap
        if self.expires_at is None or self.expires_at > deadline:
            self.expires_at = deadline
        self.replaced_by = successor
        self.save(update_fields=["expires_at", "replaced_by"])
        return successor, secret
