"""Passwordless sign-in: one-time codes sent to a contact, and the bearer tokens they are exchanged for.

Neither is stored in clear: a code is kept as an HMAC of the contact and the code, a token as an HMAC of its secret.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Audience(models.TextChoices):
    YOUNG_PERSON = "young_person", "Jeune"
    REFERENT = "referent", "Référent"


class SignInCode(models.Model):
    """The code last sent to a contact; a new request replaces it. Burnt after too many wrong attempts."""

    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    audience = models.CharField("espace", max_length=12, choices=Audience.choices)
    contact = models.CharField("contact", max_length=254)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    expires_at = models.DateTimeField("expire le")
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "code de connexion"
        verbose_name_plural = "codes de connexion"
        constraints = [models.UniqueConstraint(fields=["audience", "contact"], name="sign_in_code_one_per_contact")]

    def __str__(self) -> str:
        return f"code n° {self.pk}"


class AccessToken(models.Model):
    """A bearer token of a young person or a referent: expiring, revocable, stored as an HMAC of its secret."""

    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    young_person = models.ForeignKey(
        "cards.YoungPerson", null=True, blank=True, on_delete=models.CASCADE, related_name="access_tokens"
    )
    referent = models.ForeignKey(
        "cards.Referent", null=True, blank=True, on_delete=models.CASCADE, related_name="access_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "jeton de connexion"
        verbose_name_plural = "jetons de connexion"
        constraints = [
            models.CheckConstraint(
                condition=Q(young_person__isnull=False, referent__isnull=True)
                | Q(young_person__isnull=True, referent__isnull=False),
                name="access_token_has_one_holder",
            )
        ]

    def __str__(self) -> str:
        return f"jeton n° {self.pk}"


class CardCheckGrant(models.Model):
    """The partner a key checks cards for at the till (``verifyCard``); the key must also hold the ``verify_cards``
    scope, which is what authorises checking (a grant alone does not)."""

    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    api_key = models.OneToOneField(
        "partners_api.ApiKey", verbose_name="clé d'API", on_delete=models.CASCADE, related_name="card_check_grant"
    )
    partner = models.ForeignKey(
        "offers.PartnerPage", verbose_name="partenaire", on_delete=models.CASCADE, related_name="card_check_grants"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "autorisation de vérifier les cartes"
        verbose_name_plural = "autorisations de vérifier les cartes"

    def __str__(self) -> str:
        return f"{self.api_key} → {self.partner}"

    def clean(self) -> None:
        super().clean()
        from cms.partners_api.models import Scope

        if self.api_key_id is not None and not self.api_key.has_scope(Scope.VERIFY_CARDS):
            raise ValidationError(
                {"api_key": "Donnez d'abord à cette clé le droit « vérifier des cartes » (clés d'API partenaires)."}
            )
