from __future__ import annotations

import strawberry_django
from strawberry import auto

from cms.missions.models import Mission


@strawberry_django.order_type(Mission)
class MissionOrder:
    posted_at: auto
    start_date: auto
    end_date: auto
    title: auto
