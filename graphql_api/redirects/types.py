"""GraphQL types of redirects: one redirect, and a page of them."""

from __future__ import annotations

import strawberry
from django.db.models import QuerySet


@strawberry.type(name="Redirect", description="Une redirection : l'ancien chemin et où il mène.")
class RedirectType:
    old_path: str = strawberry.field(description="Chemin redirigé, relatif au site (« /ancien-chemin »).")
    site: str | None = strawberry.field(description="Nom d'hôte du site ; vide : tous les sites.")
    is_permanent: bool = strawberry.field(description="Redirection permanente (301) ou temporaire (302).")
    target_path: str | None = strawberry.field(
        description="Chemin de la page cible sur son site, si la redirection mène à une page."
    )
    target_url: str | None = strawberry.field(description="Lien externe, si la redirection mène hors du site.")
    target_page_id: int | None = strawberry.field(description="Identifiant en base de la page cible, s'il y en a une.")


@strawberry.type(name="RedirectConnection", description="Une page de redirections.")
class RedirectList:
    nodes: list[RedirectType]
    has_next_page: bool
    counted: strawberry.Private[QuerySet]

    @strawberry.field(description="Nombre total de redirections (compté seulement s'il est demandé).")
    def total_count(self) -> int:
        return self.counted.count()
