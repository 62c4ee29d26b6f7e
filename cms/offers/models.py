"""Carte jeune engagé: partner companies and their offers, as a page tree.

``OffersIndexPage`` → ``PartnerPage`` (one per partner company, the unit of permission) → ``OfferPage``. Putting each
partner's offers under its own page lets Wagtail's page permissions and workflows do the access control: a partner's
group gets add/change on its page only, and its submissions go through the "Partner offer review" workflow.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from cms.core.blocks import CONDITION_BLOCKS_MAX, STEP_BLOCKS_MAX, condition_blocks, step_blocks
from cms.core.geo import department_from_postcode, validate_coordinates
from cms.core.preview import HeadlessPreviewMixin
from cms.core.visibility import PublicPageManager, PublicPageQuerySet, publicly_visible, register_rule

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "La couleur doit être au format hexadécimal, par ex. #1a2b3c.")

HEADLESS_TEMPLATE = "headless_page.html"
#: The most stores an offer lists (an offer valid in more shops is ``nationwide``): enforced by the admin form and the
#: CSV import, declared to the GraphQL cost estimate.
OFFER_STORES_MAX = 50


class OffersIndexPage(HeadlessPreviewMixin, Page):
    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    template = HEADLESS_TEMPLATE
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["offers.PartnerPage"]

    class Meta:
        verbose_name = "index des offres"


class PartnerPage(HeadlessPreviewMixin, Page):
    """A partner company; its users may only work under this page."""

    description = RichTextField("description", blank=True, features=["bold", "italic", "link", "ul"])
    website = models.URLField("site web", max_length=500, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="logo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    colour = models.CharField("couleur", max_length=7, blank=True, validators=[colour_validator])

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("website"), FieldPanel("colour")]),
        FieldPanel("logo"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("description")]

    api_fields = ["title", "description", "website", "logo", "colour"]

    objects = PublicPageManager()

    template = HEADLESS_TEMPLATE
    parent_page_types = ["offers.OffersIndexPage"]
    subpage_types = ["offers.OfferPage"]

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"


class OfferQuerySet(PublicPageQuerySet):
    """``public()`` (from :class:`~cms.core.visibility.PublicPageQuerySet`) adds the offer's own rule to the page's:
    valid today, and published under its partner (:func:`offer_rule`)."""

    def currently_valid(self, on=None) -> OfferQuerySet:
        return self.filter(currently_valid_q(on=on))

    def searchable(self) -> OfferQuerySet:
        """What the search index holds: public offers, and those whose validity is still to come.

        The index applies the validity window on the day of each query (``visible_from``/``visible_until``), so an
        upcoming offer is found from its first day without a reindex; expired ones leave the index when next read.
        """
        today = timezone.localdate()
        return publicly_visible(self, type_rules=False).filter(
            under_its_partner_q() & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        )


def currently_valid_q(prefix: str = "", on=None) -> Q:
    """Offers valid on ``on`` (today by default); ``prefix`` reaches them from another model or a GraphQL filter."""
    today = on or timezone.localdate()
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today})) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


def under_its_partner_q(prefix: str = "") -> Q:
    """The offer sits below the partner it names: the partner is then public whenever the offer is (its ancestors'
    rule), and ``offer.partner`` can never lead to a hidden partner, even if the link fell out of step with the tree.
    """
    return Q(path__startswith=F(f"{prefix}partner__path"))


def offer_rule(prefix: str) -> Q:
    return currently_valid_q(prefix) & under_its_partner_q(prefix)


class OfferPage(HeadlessPreviewMixin, Page):
    class Kind(models.TextChoices):
        CODE = "code", "Code promo unique"
        VOUCHER = "voucher", "Bon à présenter en magasin (code-barres)"
        CARD = "card", "Présentation de la carte en magasin"
        LINK = "link", "Lien en ligne"

    class Channel(models.TextChoices):
        ONLINE = "online", "En ligne"
        IN_STORE = "in_store", "En magasin"
        BOTH = "both", "En ligne et en magasin"

    class DiscountType(models.TextChoices):
        PERCENT = "percent", "Pourcentage"
        AMOUNT = "amount", "Montant en euros"
        FIXED_PRICE = "fixed_price", "Prix fixe"
        FREE = "free", "Gratuit"

    class UsageRule(models.TextChoices):
        ONCE = "once", "Une seule fois"
        EVERY_N_DAYS = "every_n_days", "Une fois tous les N jours"
        UNLIMITED = "unlimited", "Sans limite"

    partner = models.ForeignKey(
        PartnerPage,
        verbose_name="partenaire",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    subtitle = models.CharField("sous-titre", max_length=255, blank=True)
    description = RichTextField("description", blank=True, features=["bold", "italic", "link", "ul", "ol"])
    categories = ParentalManyToManyField(
        "taxonomy.OfferCategory", verbose_name="catégories", blank=True, related_name="offers"
    )
    needs = ParentalManyToManyField("taxonomy.Need", verbose_name="besoins", blank=True, related_name="offers")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField("type d'offre", max_length=10, choices=Kind.choices, default=Kind.CODE)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    link_url = models.URLField("lien de l'offre", max_length=1000, blank=True)
    barcode_value = models.CharField("valeur du code-barres", max_length=100, blank=True)
    discount_type = models.CharField(
        "type de réduction", max_length=12, choices=DiscountType.choices, default=DiscountType.PERCENT
    )
    discount_value = models.DecimalField(
        "valeur de la réduction",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    estimated_saving = models.DecimalField(
        "économie estimée par utilisation (€)",
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    valid_from = models.DateField("valable à partir du", null=True, blank=True)
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True, db_index=True)
    usage_rule = models.CharField(
        "règle d'utilisation", max_length=15, choices=UsageRule.choices, default=UsageRule.UNLIMITED
    )
    usage_interval_days = models.PositiveSmallIntegerField(
        "intervalle (jours)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    nationwide = models.BooleanField("valable partout en France", default=False)
    conditions = StreamField(condition_blocks(), verbose_name="conditions", blank=True, max_num=CONDITION_BLOCKS_MAX)
    how_to_use = StreamField(step_blocks(), verbose_name="mode d'emploi", blank=True, max_num=STEP_BLOCKS_MAX)

    objects = PageManager.from_queryset(OfferQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("description"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("categories"), FieldPanel("needs")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("channel")]),
                FieldPanel("link_url"),
                FieldPanel("barcode_value"),
            ],
            heading="Activation",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("discount_type"), FieldPanel("discount_value")]),
                FieldPanel("estimated_saving"),
            ],
            heading="Réduction",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
                FieldRowPanel([FieldPanel("usage_rule"), FieldPanel("usage_interval_days")]),
            ],
            heading="Validité et utilisation",
        ),
        FieldPanel("conditions"),
        FieldPanel("how_to_use"),
        FieldPanel("nationwide"),
        InlinePanel("stores", heading="Magasins participants", label="magasin", max_num=OFFER_STORES_MAX),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle", boost=2),
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("channel"),
        index.FilterField("partner"),
    ]

    api_fields = [
        "title",
        "subtitle",
        "description",
        "partner",
        "categories",
        "needs",
        "image",
        "kind",
        "channel",
        "link_url",
        "discount_type",
        "discount_value",
        "estimated_saving",
        "valid_from",
        "valid_until",
        "usage_rule",
        "usage_interval_days",
        "nationwide",
        "conditions",
        "how_to_use",
        "stores",
    ]

    template = HEADLESS_TEMPLATE
    parent_page_types = ["offers.PartnerPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "offre"
        verbose_name_plural = "offres"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "La date de fin de validité doit être postérieure à la date de début."
        if self.discount_type == self.DiscountType.FREE:
            pass
        elif self.discount_value is None:
            errors["discount_value"] = "Indiquez la valeur de la réduction."
        elif self.discount_type == self.DiscountType.PERCENT and not 0 < self.discount_value <= 100:
            errors["discount_value"] = "Un pourcentage de réduction doit être compris entre 0 et 100."
        if self.kind == self.Kind.LINK and not self.link_url:
            errors["link_url"] = "Une offre en ligne doit avoir un lien."
        if self.kind == self.Kind.VOUCHER and not self.barcode_value:
            errors["barcode_value"] = "Un bon en magasin doit avoir un code-barres."
        if self.usage_rule == self.UsageRule.EVERY_N_DAYS and not self.usage_interval_days:
            errors["usage_interval_days"] = "Indiquez l'intervalle en jours entre deux utilisations."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None:
            self.partner_id = parent.pk
        return super().save(*args, **kwargs)

    @property
    def is_currently_valid(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or self.valid_until >= today
        )


register_rule(OfferPage, offer_rule)


class OfferStore(Orderable):
    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="stores")
    name = models.CharField("nom du magasin", max_length=255)
    street = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=255, blank=True)
    department_code = models.CharField("département", max_length=3, blank=True, editable=False)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("street"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "magasin"
        verbose_name_plural = "magasins"
        indexes = [models.Index(fields=["latitude", "longitude"], name="offer_store_geo_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name

    def clean(self) -> None:
        super().clean()
        validate_coordinates(self.latitude, self.longitude)

    def save(self, *args, **kwargs):
        department = department_from_postcode(self.postcode)
        self.department_code = department.code if department else ""
        super().save(*args, **kwargs)


class PromoCode(models.Model):
    """One unique code of a ``code`` offer; handed to one young person at activation."""

    offer = models.ForeignKey(OfferPage, verbose_name="offre", on_delete=models.CASCADE, related_name="promo_codes")
    code = models.CharField("code", max_length=100)
    expires_on = models.DateField("expire le", null=True, blank=True)
    assigned_at = models.DateTimeField("attribué le", null=True, blank=True)
    created_at = models.DateTimeField("importé le", auto_now_add=True)

    class Meta:
        verbose_name = "code promo"
        verbose_name_plural = "codes promo"
        constraints = [models.UniqueConstraint(fields=["offer", "code"], name="promo_code_unique_per_offer")]
        indexes = [models.Index(fields=["offer", "assigned_at"], name="promo_code_available_idx")]

    def __str__(self) -> str:
        return self.code
