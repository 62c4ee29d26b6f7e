"""The missions snippet in the admin.

Wagtail's generic views check model permissions only ("may change missions"), so every view that works on one mission
(edit, delete, history, preview, revisions, locking, workflow actions…) is wrapped here to ask the permission policy
about that very mission: an organisation's member gets a 403 on another organisation's mission, whatever the URL.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cms.core.choosers import ScopedSnippetViewSet, sql_search_form

from .forms import MissionAdminForm
from .models import ALL_MISSIONS_PERMISSION, Mission
from .permissions import mission_permission_policy

#: Any of these on a given mission lets a user open its views (the views check the exact action themselves).
INSTANCE_ACTIONS = ("change", "view", "delete", "publish")


class MissionViewSet(ScopedSnippetViewSet):
    model = Mission
    icon = "globe"
    menu_label = "Missions"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["title", "organization", "programme", "domain", "moderation_status", "source", "archived_at"]
    list_filter = ["moderation_status", "programme", "domain", "source", "remote"]
    search_fields = ["title"]
    list_per_page = 50
    permission_policy = mission_permission_policy

    def chooser_queryset(self, user):
        """Choosers (the modals of forms that point at a mission) offer public missions and the user's own."""
        return Mission.objects.visible_to(user)

    def chooser_filter_form_class(self, user):
        if user.has_perm(ALL_MISSIONS_PERMISSION):  # every mission: the search backend can do it all
            return None
        return sql_search_form("title")  # the search backend cannot apply visible_to's organisation filter

    def get_edit_handler(self):
        """The model's tabs, built on ``MissionAdminForm`` (a view set's ``base_form_class`` is ignored by Wagtail
        once the model defines an ``edit_handler``)."""
        handler = self.model.edit_handler
        return type(handler)(**{**handler.clone_kwargs(), "base_form_class": MissionAdminForm}).bind_to_model(
            self.model
        )

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(request.user, INSTANCE_ACTIONS)

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        policy = self.permission_policy

        @wraps(view)
        def checked_view(request, *args, **view_kwargs):
            if "pk" in view_kwargs:
                mission = get_object_or_404(Mission, pk=unquote(str(view_kwargs["pk"])))
                if not policy.user_has_any_permission_for_instance(request.user, INSTANCE_ACTIONS, mission):
                    raise PermissionDenied
            return view(request, *args, **view_kwargs)

        return checked_view
