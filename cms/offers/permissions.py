"""Which partners and offers a user acts on in the admin, from Wagtail's page permission policy.

Partners' groups hold add/change on their own ``PartnerPage`` only, the editorial team on the whole tree: every
admin form that picks a partner or an offer offers, and accepts, exactly these.
"""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import OfferPage, PartnerPage


def partners_user_may_add_offers_to(user) -> QuerySet[PartnerPage]:
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return PartnerPage.objects.filter(pk__in=pages.values("pk")).order_by("title")


def offers_user_may_change(user) -> QuerySet[OfferPage]:
    """Offers under the user's partner pages (and, as Wagtail has it, offers they created where they may add)."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return OfferPage.objects.filter(pk__in=pages.values("pk")).order_by("title")
