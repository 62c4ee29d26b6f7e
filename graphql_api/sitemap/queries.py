"""``sitemap``: every public URL a front-end lists in its ``sitemap.xml``, with its last change, one kind at a time.

Each kind reads its public rows through the one rule of its domain (``cms.core.visibility`` for pages, offers and
partners; ``MissionQuerySet.public`` for missions), so nothing a visitor could not open is listed. Pages are read by
keyset on the primary key (``id > after``, the primary key index, no ``OFFSET``): a page of the hundreds of thousands
of missions costs the same at the end of the list as at its start. Rows are read as tuples, not model instances;
``totalCount`` is counted only when asked for.
"""

from __future__ import annotations

import strawberry
from django.db.models import QuerySet
from wagtail.models import Page

from cms.core.visibility import publicly_visible
from cms.missions.models import Mission
from cms.offers.models import OfferPage, PartnerPage
from graphql_api.core.errors import BadUserInput
from graphql_api.core.limits import max_page_size
from graphql_api.core.pagination import check_page
from graphql_api.pages.interface import path_on_site, site_for

from .types import SitemapEntry, SitemapKind, SitemapPage

#: Entries a sitemap page may hold: a few scalars each, and sitemap files hold up to 50,000 URLs.
SITEMAP_PAGE_MAX = 1000
#: The largest primary key a cursor may name (a bigint).
_MAX_ID = 2**63 - 1


def _public_rows(kind: SitemapKind, site: str | None) -> QuerySet:
    """The public rows of ``kind`` (pages under the site's root), as a queryset ordered by primary key."""
    if kind is SitemapKind.MISSIONS:
        return Mission.objects.public().order_by("pk")
    root = site_for(site).root_page
    if kind is SitemapKind.OFFERS:
        pages = OfferPage.objects.public()
    elif kind is SitemapKind.PARTNERS:
        pages = PartnerPage.objects.public()
    else:  # offers and partners have kinds of their own: each URL is listed once
        pages = publicly_visible(Page.objects.not_type(OfferPage, PartnerPage))
    return pages.descendant_of(root, inclusive=True).order_by("pk")


def _after(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    text = cursor.strip()
    if not (text.isascii() and text.isdigit() and int(text) <= _MAX_ID):
        raise BadUserInput("Curseur de pagination invalide (« after ») : reprenez un endCursor reçu.", argument="after")
    return int(text)


@strawberry.type
class Query:
    @strawberry.field(
        description=f"Le plan du site : les adresses publiques d'un type, {SITEMAP_PAGE_MAX} par page au plus.",
        metadata=max_page_size(SITEMAP_PAGE_MAX),
    )
    def sitemap(
        self, kind: SitemapKind, site: str | None = None, first: int = SITEMAP_PAGE_MAX, after: str | None = None
    ) -> SitemapPage:
        check_page(first, cap=SITEMAP_PAGE_MAX)
        last = _after(after)
        queryset = _public_rows(kind, site)
        page = queryset.filter(pk__gt=last) if last is not None else queryset
        if kind is SitemapKind.MISSIONS:
            rows = [(pk, None, None, changed) for pk, changed in page.values_list("pk", "updated_at")[: first + 1]]
        else:
            rows = list(page.values_list("pk", "slug", "url_path", "last_published_at")[: first + 1])
        entries = [
            SitemapEntry(
                database_id=pk,
                slug=slug,
                url_path=path_on_site(url_path) if url_path is not None else None,
                last_modified=changed,
            )
            for pk, slug, url_path, changed in rows[:first]
        ]
        return SitemapPage(
            nodes=entries,
            has_next_page=len(rows) > first,
            end_cursor=str(entries[-1].database_id) if entries else None,
            counted=queryset,
        )
