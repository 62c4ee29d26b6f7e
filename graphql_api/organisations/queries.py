"""Organisations: a paginated directory and one organisation by id or slug."""

from __future__ import annotations

import strawberry
import strawberry_django

from cms.organisations.models import Organization
from graphql_api.core.errors import BadUserInput, NotFound
from graphql_api.core.ids import database_id
from graphql_api.core.optimizer import optimize
from graphql_api.core.pagination import CountedListConnection

from .types import OrganisationType


@strawberry.type
class Query:
    organisations: CountedListConnection[OrganisationType] = strawberry_django.connection(
        description="Organisations, 100 par page au plus."
    )

    @strawberry_django.field(description="Une organisation par identifiant ou par slug.")
    def organisation(
        self,
        info: strawberry.Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
    ) -> OrganisationType:
        if (id is None) == (slug is None):
            raise BadUserInput("Indiquez soit id, soit slug.")
        lookup = {"pk": database_id(id, "Organisation")} if id is not None else {"slug": slug}
        try:
            return optimize(Organization.objects.filter(**lookup), info).get()
        except Organization.DoesNotExist as exc:
            raise NotFound("Organisation introuvable.") from exc
