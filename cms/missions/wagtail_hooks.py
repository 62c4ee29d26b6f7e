"""Missions in the admin: the permission policy (registered before the view set asks for one) and the snippet."""

from __future__ import annotations

from django.utils import timezone
from wagtail.permissions import register_permission_policy
from wagtail.signals import workflow_approved
from wagtail.snippets.models import register_snippet

from .models import Mission
from .permissions import mission_permission_policy
from .views import MissionViewSet

register_permission_policy(Mission, mission_permission_policy)
register_snippet(MissionViewSet)


def accept_approved_mission(sender, instance, user=None, **kwargs) -> None:
    """A hand-written mission approved through the mission workflow is accepted by moderation, hence public.

    The approval is the editorial team's decision on the mission; recording it as a published revision by the approver
    keeps the mission's row and its latest revision in agreement.
    """
    if instance.base_content_type.model_class() is not Mission:
        return
    mission = Mission.objects.get(pk=instance.object_id)  # as just published, not as cached before approval
    if mission.is_imported:
        return
    if mission.moderation_status == Mission.Moderation.ACCEPTED:
        return
    mission.moderation_status = Mission.Moderation.ACCEPTED
    mission.moderation_reason = ""
    mission.moderated_at = timezone.now()
    mission.save_revision(user=user).publish(user=user, log_action=False)


workflow_approved.connect(accept_approved_mission, dispatch_uid="cms.missions.accept_approved_mission")
