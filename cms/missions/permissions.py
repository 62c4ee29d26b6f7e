"""Missions in the admin: model permissions say *what* a user may do, ``Mission.objects.editable_by`` says *on which*.

Organisations' members hold add/change on missions (group "Organisations"), which Django reads as "every mission";
this policy narrows every per-instance decision and every instance listing to the missions of the organisations the
user belongs to. The editorial team (see ``ALL_MISSIONS_PERMISSION``) keeps every mission.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import ALL_MISSIONS_PERMISSION, Mission


class MissionPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action: str, instance: Mission) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance: Mission) -> bool:
        if not self.user_has_any_permission(user, actions):
            return False
        if instance.pk is None:  # a mission being created: the form limits its organisation
            return True
        return self.model.objects.editable_by(user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Mission]:
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.model.objects.editable_by(user)

    def users_with_any_permission_for_instance(self, actions, instance: Mission):
        """Users who may act on ``instance``: those reaching every mission, and members of its organisation."""
        staff = self._get_users_with_any_permission_codenames([ALL_MISSIONS_PERMISSION.split(".", 1)[1]])
        reach = Q(pk__in=staff.values("pk"))
        if instance.organization_id:
            reach |= Q(organizations=instance.organization_id)
        return self.users_with_any_permission(actions).filter(reach).distinct()


mission_permission_policy = MissionPermissionPolicy(Mission)
