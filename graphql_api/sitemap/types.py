"""GraphQL types of the sitemap: the kinds it lists, an entry, and a page of entries."""

from __future__ import annotations

import datetime
import enum

import strawberry
from django.db.models import QuerySet


@strawberry.enum(description="Ce que liste une page du plan du site.")
class SitemapKind(enum.Enum):
    PAGES = "pages"
    OFFERS = "offers"
    PARTNERS = "partners"
    MISSIONS = "missions"


@strawberry.type(name="SitemapEntry", description="Une adresse publique et sa dernière modification.")
class SitemapEntry:
    database_id: int = strawberry.field(description="Identifiant en base (celui que l'API accepte partout).")
    slug: str | None = strawberry.field(description="Slug de la page ; vide pour une mission.")
    url_path: str | None = strawberry.field(
        description="Chemin de la page sur son site ; vide pour une mission (le front-end la route par identifiant)."
    )
    last_modified: datetime.datetime | None = strawberry.field(
        description="Dernière publication (pages) ou modification (missions)."
    )


@strawberry.type(
    name="SitemapConnection",
    description="Une page du plan du site, dans l'ordre des identifiants ; la suivante commence après endCursor.",
)
class SitemapPage:
    nodes: list[SitemapEntry]
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="À passer en after pour lire la page suivante.")
    counted: strawberry.Private[QuerySet]

    @strawberry.field(description="Nombre total d'adresses de ce type (compté seulement s'il est demandé).")
    def total_count(self) -> int:
        return self.counted.count()
