"""The missions snippet in the admin."""

from __future__ import annotations

from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import MissionAdminForm
from .models import Mission


class MissionViewSet(SnippetViewSet):
    model = Mission
    icon = "globe"
    menu_label = "Missions"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["title", "organization", "programme", "domain", "moderation_status", "source", "archived_at"]
    list_filter = ["moderation_status", "programme", "domain", "source", "remote"]
    search_fields = ["title"]
    list_per_page = 50
    base_form_class = MissionAdminForm
