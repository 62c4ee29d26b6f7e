"""Redirects editors create in the admin (and Wagtail creates when a page moves or changes slug), for front-ends to
honour: the list of a site's redirects and a single look-up by path at request time.

A redirect to a page is only exposed while that page is public (``cms.core.visibility``): a redirect must not reveal
the path of a draft, an expired offer or a restricted page. A redirect's site is its own or, when it has none, every
site; a site's own redirect wins over an all-sites one with the same path.
"""

from __future__ import annotations

import strawberry
from django.db.models import F, Q, QuerySet
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from cms.core.visibility import publicly_visible
from graphql_api.core.errors import BadUserInput
from graphql_api.core.pagination import check_page
from graphql_api.pages.interface import site_for, site_relative_path

from .types import RedirectList, RedirectType

#: The longest path ``redirect(path:)`` accepts (``Redirect.old_path`` holds 255 characters).
MAX_PATH_LENGTH = 255


def exposed_redirects(site: Site) -> QuerySet[Redirect]:
    """The redirects of ``site`` (its own and every site's) whose target is a public page or an external link."""
    public_pages = publicly_visible(Page.objects.all()).values("pk")
    target_is_public = Q(redirect_page__isnull=True, redirect_link__gt="") | Q(redirect_page__in=public_pages)
    return Redirect.objects.filter(Q(site=site) | Q(site__isnull=True)).filter(target_is_public)


def _as_type(redirect: Redirect) -> RedirectType:
    page = redirect.redirect_page
    target_path = None
    if page is not None:
        route = redirect.redirect_page_route_path.strip("/")
        target_path = site_relative_path(page) + (route + "/" if route else "")
    return RedirectType(
        old_path=redirect.old_path,
        site=redirect.site.hostname if redirect.site else None,
        is_permanent=redirect.is_permanent,
        target_path=target_path,
        target_url=None if page is not None else redirect.redirect_link,
        target_page_id=redirect.redirect_page_id,
    )


def _rows(queryset: QuerySet[Redirect]) -> QuerySet[Redirect]:
    return queryset.select_related("site", "redirect_page").only(
        "old_path",
        "is_permanent",
        "redirect_link",
        "redirect_page_route_path",
        "site__hostname",
        "redirect_page__url_path",
    )


@strawberry.type
class Query:
    @strawberry.field(description="Les redirections d'un site (celles de tous les sites comprises), par ancien chemin.")
    def redirects(self, site: str | None = None, first: int = 100, offset: int = 0) -> RedirectList:
        check_page(first, offset)
        queryset = exposed_redirects(site_for(site))
        rows = list(
            _rows(queryset).order_by("old_path", F("site").asc(nulls_last=True), "pk")[offset : offset + first + 1]
        )
        return RedirectList(
            nodes=[_as_type(redirect) for redirect in rows[:first]], has_next_page=len(rows) > first, counted=queryset
        )

    @strawberry.field(
        description="La redirection d'un chemin sur un site, à consulter à chaque requête ; vide s'il n'y en a pas."
    )
    def redirect(self, path: str, site: str | None = None) -> RedirectType | None:
        if not path.strip() or len(path) > MAX_PATH_LENGTH:
            raise BadUserInput(f"path doit être un chemin de 1 à {MAX_PATH_LENGTH} caractères.", argument="path")
        old_path = Redirect.normalise_path(path)
        queryset = exposed_redirects(site_for(site)).filter(old_path=old_path)
        redirect = _rows(queryset).order_by(F("site").asc(nulls_last=True), "pk").first()
        return _as_type(redirect) if redirect is not None else None
