from __future__ import annotations

import strawberry_django
from strawberry import auto

from cms.organisations.models import Organization


@strawberry_django.filter_type(Organization)
class OrganisationFilter:
    slug: auto
    kind: auto
    department_code: auto
    city: auto
