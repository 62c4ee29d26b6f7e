"""Editorial pages for decoupled front-ends: the home page, content pages and one page per programme."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.core.blocks import BODY_BLOCKS_MAX, body_blocks
from cms.core.preview import HeadlessPreviewMixin

from .site_settings import SiteSettings

__all__ = ["ContentPage", "HomePage", "ProgrammePage", "SiteSettings"]

HEADLESS_TEMPLATE = "headless_page.html"


class HomePage(HeadlessPreviewMixin, Page):
    intro = models.TextField("accroche", blank=True)
    body = StreamField(body_blocks(), verbose_name="contenu", blank=True, max_num=BODY_BLOCKS_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    api_fields = ["title", "intro", "body"]

    template = HEADLESS_TEMPLATE
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ContentPage", "pages.ProgrammePage", "offers.OffersIndexPage"]

    class Meta:
        verbose_name = "page d'accueil"


class ContentPage(HeadlessPreviewMixin, Page):
    intro = models.TextField("chapô", blank=True)
    body = StreamField(body_blocks(), verbose_name="contenu", blank=True, max_num=BODY_BLOCKS_MAX)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    api_fields = ["title", "intro", "body"]

    template = HEADLESS_TEMPLATE
    parent_page_types = ["pages.HomePage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage"]

    class Meta:
        verbose_name = "page de contenu"
        verbose_name_plural = "pages de contenu"


class ProgrammePage(HeadlessPreviewMixin, Page):
    """Describes a dispositif for young people; its facts (ages, allowance) come from the Programme snippet."""

    programme = models.OneToOneField(
        "taxonomy.Programme", verbose_name="dispositif", on_delete=models.PROTECT, related_name="page"
    )
    intro = models.TextField("chapô", blank=True)
    body = StreamField(body_blocks(), verbose_name="contenu", blank=True, max_num=BODY_BLOCKS_MAX)

    content_panels = [*Page.content_panels, FieldPanel("programme"), FieldPanel("intro"), FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    api_fields = ["title", "programme", "intro", "body"]

    template = HEADLESS_TEMPLATE
    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "page dispositif"
        verbose_name_plural = "pages dispositif"
