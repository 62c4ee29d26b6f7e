from __future__ import annotations

import strawberry_django
from strawberry import auto

from cms.organisations.models import Organization
from graphql_api.core.enums import OrganisationKind


@strawberry_django.filter_type(Organization)
class OrganisationFilter:
    slug: auto
    kind: OrganisationKind | None
    department_code: auto
    city: auto
