"""The ``Page`` interface every page type implements: identity, routing, SEO and the tree around a page."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
import strawberry_django
from django.conf import settings
from strawberry import auto, relay
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from cms.core.visibility import publicly_visible
from graphql_api.core.errors import NotFound
from graphql_api.core.execution import ModelField
from graphql_api.core.limits import max_items
from graphql_api.core.paging import FIRST_DESCRIPTION, OFFSET_DESCRIPTION, PAGE_SIZE, page

#: The most ancestors a page has below the site's root: treebeard's ``path`` column holds ``max_length // steplen``
#: levels, the tree's root and the page itself not counted.
ANCESTORS_MAX = Page._meta.get_field("path").max_length // Page.steplen - 2


def rich_text_html(value: str | None) -> str:
    """Stored rich text as HTML for front-ends: internal page and document links become real URLs."""
    return expand_db_html(value or "")


def site_relative_path(page: Page) -> str:
    """The page's path as the front-end routes it: relative to the root of its site (``/`` for the home page)."""
    return path_on_site(page.url_path)


def path_on_site(url_path: str) -> str:
    """A page's ``url_path`` (from the tree's root) relative to the root of its site."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return url_path


@strawberry.type(description="Référencement d'une page.")
class Seo:
    title: str
    description: str
    canonical_url: str


def site_for(hostname: str | None) -> Site:
    """The site named by ``hostname``, or the default site; ``NOT_FOUND`` when there is none."""
    sites = Site.objects.select_related("root_page")
    site = sites.filter(hostname=hostname).first() if hostname else None
    site = site or sites.filter(is_default_site=True).first()
    if site is None:
        raise NotFound(f"Site introuvable : {hostname}." if hostname else "Aucun site n'est configuré.")
    return site


def visible_pages(queryset):
    """The public pages of ``queryset`` (``cms.core.visibility``), as their specific classes."""
    return publicly_visible(queryset).specific()


@strawberry_django.interface(Page, name="Page", field_cls=ModelField)
class PageInterface(relay.Node):
    pk: relay.NodeID[int]  # the global id encodes the primary key (private: not a schema field)
    title: auto
    slug: auto
    first_published_at: datetime.datetime | None
    last_published_at: datetime.datetime | None
    show_in_menus: auto

    database_id: int = strawberry_django.field(
        field_name="pk", field_cls=ModelField, description="Identifiant en base."
    )

    @strawberry_django.field(only=["url_path"], description="Chemin de la page sur le site (« / » pour l'accueil).")
    def url_path(self, root: Page) -> str:
        return site_relative_path(root)

    @strawberry_django.field(only=["title", "seo_title", "search_description", "url_path"])
    def seo(self, root: Page) -> Seo:
        path = site_relative_path(root)
        return Seo(
            title=root.seo_title or root.title,
            description=root.search_description,
            canonical_url=settings.FRONTEND_URL.rstrip("/") + path,
        )

    @strawberry_django.field(only=["path", "depth"], description="La page parente, si elle est publique.")
    def parent(self, root: Page) -> PageInterface | None:
        if root.depth <= 2:
            return None
        return visible_pages(Page.objects.filter(path=root.path[: -Page.steplen])).first()

    @strawberry_django.field(
        only=["path", "depth"], description="Les pages enfants publiées, dans l'ordre du menu, par pages."
    )
    def children(
        self,
        root: Page,
        first: Annotated[int, strawberry.argument(description=FIRST_DESCRIPTION)] = PAGE_SIZE,
        offset: Annotated[int, strawberry.argument(description=OFFSET_DESCRIPTION)] = 0,
    ) -> list[PageInterface]:
        return list(page(visible_pages(Page.objects.child_of(root)), first, offset))

    @strawberry_django.field(
        only=["path", "depth"],
        description=f"Les ancêtres publics, de l'accueil à la parente, {ANCESTORS_MAX} au plus.",
        metadata=max_items(ANCESTORS_MAX),
    )
    def ancestors(self, root: Page) -> list[PageInterface]:
        return list(visible_pages(Page.objects.ancestor_of(root).filter(depth__gte=2)))
