"""Admin for diffusion partners (staff) and the usage of their keys (staff, and each partner's own accounts)."""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.snippets.models import register_snippet

from cms.core.choosers import ScopedSnippetViewSet

from .models import DiffusionPartner, KeyUsage

#: Holders of this permission see the usage of every partner's keys.
STAFF_PERMISSION = "syndication.change_diffusionpartner"


class DiffusionPartnerViewSet(ScopedSnippetViewSet):
    model = DiffusionPartner
    icon = "site"
    menu_label = "Partenaires de diffusion"
    menu_order = 265
    add_to_admin_menu = True
    list_display = ["name", "contact_email", "widget_content", "created_at"]
    search_fields = ["name", "contact_name", "contact_email"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "allowed_origins", "sources", "regions", "departments"]


def usage_visible_to(user) -> QuerySet:
    """Usage rows ``user`` may read: all for staff, those of their partners' keys for a partner's accounts."""
    rows = KeyUsage.objects.select_related("key", "key__partner")
    if user.is_superuser or user.has_perm(STAFF_PERMISSION):
        return rows
    return rows.filter(key__partner__members=user)


class KeyUsageViewSet(ScopedSnippetViewSet):
    model = KeyUsage
    icon = "history"
    menu_label = "Utilisation des clés"
    menu_order = 266
    add_to_admin_menu = True
    list_display = ["key", "day", "requests", "items", "clicks", "applications"]
    list_filter = ["day", "key__partner"]

    def get_queryset(self, request):
        return usage_visible_to(request.user)


register_snippet(DiffusionPartnerViewSet)
register_snippet(KeyUsageViewSet)
