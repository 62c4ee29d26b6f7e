"""Site settings editors change without a deployment: footer and social links, contact details, default SEO and
the banner of the moment. One row per Wagtail site (``BaseSiteSetting``), edited under « Paramètres »; every save is
announced (``cms.core.changes``) so that cached public answers follow at once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from cms.core.blocks import LinkBlock
from cms.core.changes import announce

#: Links the footer may hold, and social networks the site may list: the admin refuses more, and the GraphQL cost
#: estimate charges these lists at these sizes.
FOOTER_LINKS_MAX = 30
SOCIAL_LINKS_MAX = 12

SOCIAL_NETWORKS = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("x", "X (Twitter)"),
    ("linkedin", "LinkedIn"),
    ("youtube", "YouTube"),
    ("tiktok", "TikTok"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
]


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label="réseau", choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock(label="adresse du compte")

    class Meta:
        icon = "site"
        label = "Réseau social"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    footer_links = StreamField(
        [("link", LinkBlock())], verbose_name="liens du pied de page", blank=True, max_num=FOOTER_LINKS_MAX
    )
    social_links = StreamField(
        [("social", SocialLinkBlock())], verbose_name="réseaux sociaux", blank=True, max_num=SOCIAL_LINKS_MAX
    )
    contact_address = models.TextField("adresse postale", blank=True)
    contact_email = models.EmailField("adresse e-mail", blank=True)
    contact_phone = models.CharField("téléphone", max_length=30, blank=True)
    seo_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image de partage par défaut",
        help_text="Montrée quand une page partagée sur les réseaux sociaux n'a pas d'image à elle.",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seo_description = models.TextField(
        "description par défaut",
        blank=True,
        help_text="Description des pages pour les moteurs de recherche, quand une page n'a pas la sienne.",
    )
    banner_text = models.CharField("texte du bandeau", max_length=255, blank=True)
    banner_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page du bandeau",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    banner_url = models.URLField("lien externe du bandeau", blank=True)
    banner_starts_at = models.DateTimeField("afficher à partir du", null=True, blank=True)
    banner_ends_at = models.DateTimeField("afficher jusqu'au", null=True, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("banner_text"), FieldPanel("banner_page"), FieldPanel("banner_url")]
            + [FieldRowPanel([FieldPanel("banner_starts_at"), FieldPanel("banner_ends_at")])],
            heading="Bandeau du moment",
        ),
        FieldPanel("footer_links"),
        FieldPanel("social_links"),
        MultiFieldPanel(
            [FieldPanel("contact_address"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading="Contact",
        ),
        MultiFieldPanel([FieldPanel("seo_image"), FieldPanel("seo_description")], heading="Référencement"),
    ]

    class Meta:
        verbose_name = "réglages du site"
        verbose_name_plural = "réglages des sites"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.banner_page_id and self.banner_url:
            errors["banner_url"] = "Choisissez soit une page, soit un lien externe pour le bandeau."
        if self.banner_starts_at and self.banner_ends_at and self.banner_ends_at <= self.banner_starts_at:
            errors["banner_ends_at"] = "La fin d'affichage doit suivre son début."
        if (self.banner_page_id or self.banner_url or self.banner_starts_at or self.banner_ends_at) and not (
            self.banner_text.strip()
        ):
            errors["banner_text"] = "Un bandeau a besoin d'un texte."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        announce(SiteSettings, [self.pk])

    def banner_is_shown(self, now=None) -> bool:
        """Whether the banner is shown at ``now`` (default: now): it has a text and ``now`` is within its dates."""
        now = now or timezone.now()
        return bool(self.banner_text.strip()) and (
            (self.banner_starts_at is None or self.banner_starts_at <= now)
            and (self.banner_ends_at is None or now < self.banner_ends_at)
        )
