"""Pages by id, path or slug (per site), lists of pages, menus, and previews of drafts with a signed token."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry
import strawberry_django
from django.apps import apps
from wagtail.models import Page, Site

from cms.core.visibility import publicly_visible
from graphql_api.core.errors import BadUserInput, NotFound
from graphql_api.core.ids import database_id
from graphql_api.core.paging import FIRST_DESCRIPTION, OFFSET_DESCRIPTION, PAGE_SIZE, page
from graphql_api.core.preview import previewed_object

from .interface import PageInterface, site_for, visible_pages

MAX_PAGES = 100


@strawberry.enum(description="Types de page.")
class PageKind(enum.Enum):
    HOME = "pages.HomePage"
    CONTENT = "pages.ContentPage"
    PROGRAMME = "pages.ProgrammePage"
    OFFERS_INDEX = "offers.OffersIndexPage"
    PARTNER = "offers.PartnerPage"
    OFFER = "offers.OfferPage"


def _url_path(site: Site, path: str) -> str:
    root = site.root_page
    relative = "/".join(part for part in path.strip().split("/") if part)
    return root.url_path + (relative + "/" if relative else "")


@strawberry.type
class Query:
    @strawberry_django.field(
        description="Une page publiée par id, chemin (urlPath, relatif au site) ou slug ; "
        "ou le dernier brouillon d'une page avec previewToken."
    )
    def page(
        self,
        id: strawberry.ID | None = None,
        url_path: str | None = None,
        slug: str | None = None,
        site: str | None = None,
        preview_token: str | None = None,
    ) -> PageInterface:
        if preview_token:
            return previewed_object(preview_token, Page)
        given = [value for value in (id, url_path, slug) if value is not None]
        if len(given) != 1:
            raise BadUserInput("Indiquez exactement un de id, urlPath ou slug.")
        the_site = site_for(site)
        queryset = visible_pages(Page.objects.descendant_of(the_site.root_page, inclusive=True))
        if id is not None:
            queryset = queryset.filter(pk=database_id(id, "Page"))
        elif url_path is not None:
            queryset = queryset.filter(url_path=_url_path(the_site, url_path))
        else:
            queryset = queryset.filter(slug=slug)
        page = queryset.first()
        if page is None:
            raise NotFound("Page introuvable.")
        return page

    @strawberry_django.field(description="Pages publiées d'un type et/ou sous une page, 100 au plus.")
    def pages(
        self,
        type: PageKind | None = None,
        parent_id: strawberry.ID | None = None,
        site: str | None = None,
        in_menu: bool | None = None,
        limit: int = 20,
    ) -> list[PageInterface]:
        if not 0 < limit <= MAX_PAGES:
            raise BadUserInput(f"limit doit être compris entre 1 et {MAX_PAGES}.", argument="limit")
        the_site = site_for(site)
        queryset = Page.objects.descendant_of(the_site.root_page, inclusive=True)
        if type is not None:
            queryset = queryset.type(apps.get_model(type.value))
        if parent_id is not None:
            parent = publicly_visible(Page.objects.filter(pk=database_id(parent_id, "Page"))).first()
            if parent is None:
                raise NotFound("Page parente introuvable.")
            queryset = queryset.child_of(parent)
        if in_menu is not None:
            queryset = queryset.filter(show_in_menus=in_menu)
        return list(visible_pages(queryset.order_by("path"))[:limit])

    @strawberry_django.field(
        description="Le menu principal d'un site : ses pages de premier niveau « dans les menus »."
    )
    def menu(
        self,
        site: str | None = None,
        first: Annotated[int, strawberry.argument(description=FIRST_DESCRIPTION)] = PAGE_SIZE,
        offset: Annotated[int, strawberry.argument(description=OFFSET_DESCRIPTION)] = 0,
    ) -> list[PageInterface]:
        root = site_for(site).root_page
        return list(page(visible_pages(Page.objects.child_of(root).filter(show_in_menus=True)), first, offset))
