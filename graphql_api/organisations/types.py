"""Organisations publishing missions: public identity only, never their members."""

from __future__ import annotations

import strawberry_django
from strawberry import auto, relay

from cms.organisations.models import Organization
from graphql_api.core.enums import OrganisationKind
from graphql_api.core.execution import ModelField
from graphql_api.images.types import ImageType

from .filters import OrganisationFilter
from .ordering import OrganisationOrder


@strawberry_django.type(
    Organization, name="Organisation", filters=OrganisationFilter, ordering=OrganisationOrder, field_cls=ModelField
)
class OrganisationType(relay.Node):
    pk: relay.NodeID[int]  # the global id encodes the primary key (private: not a schema field)
    name: auto
    slug: auto
    kind: OrganisationKind
    rna: auto
    siren: auto
    description: auto
    url: auto
    logo: ImageType | None
    logo_url: auto
    city: auto
    postcode: auto
    department_code: auto

    database_id: int = strawberry_django.field(
        field_name="pk", field_cls=ModelField, description="Identifiant en base, stable, pour les URL des front-ends."
    )
