"""``searchPages``: the site search over editorial pages (``search.pages``), hits carrying the pages themselves."""

from __future__ import annotations

import strawberry
from wagtail.models import Page

from graphql_api.core.errors import BadUserInput
from graphql_api.core.limits import max_items
from graphql_api.core.pagination import check_page
from graphql_api.pages.interface import PageInterface, site_for
from search.pages import HIGHLIGHTED_FIELDS as HIGHLIGHTED_PAGE_FIELDS
from search.pages import search_pages

from .types import SearchHighlight


@strawberry.type(name="PageHit")
class PageHitType:
    page: PageInterface = strawberry.field(description="La page, comme partout ailleurs dans l'API.")
    score: float
    highlights: list[SearchHighlight] = strawberry.field(
        description="Extraits du titre (title), de l'accroche (intro) et du contenu (body) où les mots sont trouvés, "
        f"{len(HIGHLIGHTED_PAGE_FIELDS)} au plus.",
        metadata=max_items(len(HIGHLIGHTED_PAGE_FIELDS)),
    )


@strawberry.type(
    name="PageSearchConnection",
    description="Une page de résultats ; la taille de page (`first`) s'applique aux `hits`, au plus 100.",
)
class PageSearchResultType:
    hits: list[PageHitType]
    total_count: int
    has_next_page: bool


@strawberry.type
class Query:
    @strawberry.field(
        description="Recherche dans les pages éditoriales publiées (accueil, pages de contenu, pages dispositif) : "
        "titre, accroche et texte du contenu, en français (accents, pluriels, élisions), avec extraits."
    )
    def search_pages(
        self, query: str, site: str | None = None, first: int = 10, offset: int = 0
    ) -> PageSearchResultType:
        check_page(first, offset)
        result = search_pages(site_for(site).root_page, query, first, offset)
        if result is None:
            raise BadUserInput("Indiquez au moins un mot de deux lettres à chercher.", argument="query")
        pages = {page.pk: page for page in Page.objects.filter(pk__in=[hit.pk for hit in result.hits]).specific()}
        hits = [
            PageHitType(
                page=pages[hit.pk],
                score=hit.score,
                highlights=[SearchHighlight(field=field, snippet=snippet) for field, snippet in hit.highlight.items()],
            )
            for hit in result.hits
            if hit.pk in pages
        ]
        return PageSearchResultType(hits=hits, total_count=result.total, has_next_page=result.has_next_page)
