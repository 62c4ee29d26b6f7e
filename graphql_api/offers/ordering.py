from __future__ import annotations

import strawberry_django
from strawberry import auto

from cms.offers.models import OfferPage


@strawberry_django.order_type(OfferPage)
class OfferOrder:
    title: auto
    first_published_at: auto
    valid_until: auto
    estimated_saving: auto
