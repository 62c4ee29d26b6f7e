import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Task,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from cms.core.roles import (
    EDITORIAL_GROUP,
    MISSION_REVIEW_WORKFLOW,
    OFFER_REVIEW_WORKFLOW,
    ORGANISATIONS_GROUP,
    ensure_roles,
)
from cms.missions.models import HAND_WRITTEN_SOURCE, Mission
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.users import EditorFactory, OrganisationMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def roles_snapshot() -> dict:
    return {
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "group permissions": Group.permissions.through.objects.count(),
        "page permissions": GroupPagePermission.objects.count(),
        "collection permissions": GroupCollectionPermission.objects.count(),
        "permissions": Permission.objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": Task.objects.count(),
        "workflow tasks": WorkflowTask.objects.count(),
        "workflow pages": WorkflowPage.objects.count(),
        "workflow content types": WorkflowContentType.objects.count(),
        "task groups": GroupApprovalTask.groups.through.objects.count(),
    }


def test_applying_the_roles_again_changes_nothing():
    before = roles_snapshot()
    ensure_roles()
    assert roles_snapshot() == before


def test_migrate_applies_the_roles_and_running_it_again_changes_nothing():
    before = roles_snapshot()
    call_command("migrate", verbosity=0)
    assert {EDITORIAL_GROUP, ORGANISATIONS_GROUP} <= set(before["groups"])
    assert roles_snapshot() == before


def test_roles_deleted_by_hand_come_back_on_the_next_run():
    Group.objects.filter(name=EDITORIAL_GROUP).delete()
    ensure_roles()
    editor = EditorFactory()
    assert OfferPageFactory().permissions_for_user(editor).can_publish()


def test_the_editorial_team_can_publish_lock_and_delete_any_page(home_page):
    permissions = home_page.permissions_for_user(EditorFactory())
    assert permissions.can_publish()
    assert permissions.can_lock()
    assert permissions.can_delete()


def test_the_editorial_team_holds_every_snippet_permission():
    editor = EditorFactory()
    for permission in (
        "missions.publish_mission",
        "missions.delete_mission",
        "organisations.change_organization",
        "taxonomy.add_domain",
        "taxonomy.change_programme",
        "taxonomy.delete_need",
        "wagtailadmin.access_admin",
    ):
        assert editor.has_perm(permission), permission


def test_partner_offers_are_reviewed_by_the_editorial_team():
    workflow = OfferPageFactory().get_workflow()
    assert workflow.name == OFFER_REVIEW_WORKFLOW
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [EDITORIAL_GROUP]


def test_hand_written_missions_are_reviewed_by_the_editorial_team():
    workflow = MissionFactory(source=HAND_WRITTEN_SOURCE).get_workflow()
    assert workflow.name == MISSION_REVIEW_WORKFLOW
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [EDITORIAL_GROUP]


def test_organisation_members_may_write_missions_but_not_publish_them():
    member = OrganisationMemberFactory(organisation=OrganizationFactory())
    assert member.has_perm("missions.add_mission")
    assert member.has_perm("missions.change_mission")
    assert not member.has_perm("missions.publish_mission")
    assert not member.has_perm("missions.delete_mission")


def test_joining_an_organisation_puts_a_user_in_the_organisations_group():
    user = UserFactory()
    OrganizationFactory().members.add(user)
    assert user.groups.filter(name=ORGANISATIONS_GROUP).exists()


def test_adding_an_organisation_from_the_user_side_also_grants_the_group():
    user = UserFactory()
    user.organizations.add(OrganizationFactory())
    assert user.groups.filter(name=ORGANISATIONS_GROUP).exists()


def test_leaving_ones_last_organisation_leaves_the_organisations_group():
    first, second = OrganizationFactory(), OrganizationFactory()
    member = OrganisationMemberFactory(organisation=first)
    second.members.add(member)
    first.members.remove(member)
    assert member.groups.filter(name=ORGANISATIONS_GROUP).exists()
    second.members.clear()
    assert not member.groups.filter(name=ORGANISATIONS_GROUP).exists()


def test_missions_outside_the_members_organisations_are_out_of_reach():
    organisation = OrganizationFactory()
    member = OrganisationMemberFactory(organisation=organisation)
    own = MissionFactory(organization=organisation)
    MissionFactory()
    assert list(Mission.objects.editable_by(member)) == [own]
