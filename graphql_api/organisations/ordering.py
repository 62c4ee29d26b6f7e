from __future__ import annotations

import strawberry_django
from strawberry import auto

from cms.organisations.models import Organization


@strawberry_django.order_type(Organization)
class OrganisationOrder:
    name: auto
    city: auto
