"""Who may do what in the admin: the editorial team, organisations' members, and the two review workflows.

Roles are data every environment needs (groups, permissions, workflows), so they are applied after each ``migrate`` by
a post_migrate handler (see ``apps.py``) rather than clicked together by hand. :func:`ensure_roles` only adds what is
missing: running it again changes nothing, and permissions an administrator granted by hand are left alone.

- **Équipe éditoriale** moderates and publishes everything: every page permission on the root, every snippet
  permission, the site settings, images and documents in every collection, and the approval step of both workflows.
- **Organisations** is the group of organisations' members: they write missions, only for the organisations they belong
  to (``Organization.members``; see ``cms.missions.permissions``), and submit them to the mission review workflow.
- **Carte jeune — gestion** is the staff that sees people: referents, young people and their recommendation profiles
  (view, add, change), cards
  (view, and change their status through ``cms.cards.lifecycle``), their history and activations (view). No other
  group holds a ``cards`` permission: editors of offers see no one.
- Each partner company gets its own group, page and collection from ``cms.offers.onboarding``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

EDITORIAL_GROUP = "Équipe éditoriale"
ORGANISATIONS_GROUP = "Organisations"
CARDS_GROUP = "Carte jeune — gestion"

OFFER_REVIEW_WORKFLOW = "Revue des offres partenaires"
OFFER_REVIEW_TASK = "Validation éditoriale des offres"
MISSION_REVIEW_WORKFLOW = "Revue des missions"
MISSION_REVIEW_TASK = "Validation éditoriale des missions"

ADMIN_ACCESS = "wagtailadmin.access_admin"
#: Editorial staff change the footer, social links, contact details, default SEO and banner of each site.
SITE_SETTINGS_PERMISSION = "pages.change_sitesettings"
EDITORIAL_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")
EDITORIAL_MEDIA_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtailimages.delete_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtaildocs.delete_document",
)
ORGANISATION_MEMBER_PERMISSIONS = (ADMIN_ACCESS, "missions.add_mission", "missions.change_mission")
CARDS_STAFF_PERMISSIONS = (
    ADMIN_ACCESS,
    "cards.view_referent",
    "cards.add_referent",
    "cards.change_referent",
    "cards.view_youngperson",
    "cards.add_youngperson",
    "cards.change_youngperson",
    "cards.view_recommendationprofile",
    "cards.add_recommendationprofile",
    "cards.change_recommendationprofile",
    "cards.view_card",
    "cards.change_card",
    "cards.view_cardevent",
    "cards.view_activation",
)


def permissions(labels: Iterable[str]) -> list[Permission]:
    """``Permission`` rows for ``"app_label.codename"`` labels; a missing one is a programming error, not a skip."""
    labels = list(labels)
    condition = Q(pk__in=[])
    for label in labels:
        app_label, codename = label.split(".", 1)
        condition |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(condition).select_related("content_type"))
    missing = set(labels) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise LookupError(f"Unknown permissions: {', '.join(sorted(missing))}")
    return found


def snippet_permissions() -> list[Permission]:
    """Every permission (add, change, delete, view, publish, lock…) on every registered snippet model."""
    from wagtail.snippets.models import get_snippet_models

    content_types = ContentType.objects.get_for_models(*get_snippet_models(), for_concrete_models=False)
    return list(Permission.objects.filter(content_type__in=content_types.values()))


def grant_page_permissions(group: Group, page: Page, codenames: Iterable[str]) -> None:
    page_type = ContentType.objects.get_for_model(Page)
    for permission in Permission.objects.filter(content_type=page_type, codename__in=list(codenames)):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_collection_permissions(group: Group, collection: Collection, labels: Iterable[str]) -> None:
    for permission in permissions(labels):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def ensure_review_workflow(name: str, task_name: str, reviewers: Group) -> Workflow:
    """A one-step workflow whose step is approved by ``reviewers``; created once, then only completed if needed."""
    workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
    task.groups.add(reviewers)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count())
    return workflow


def editorial_group() -> Group:
    return Group.objects.get_or_create(name=EDITORIAL_GROUP)[0]


@transaction.atomic
def ensure_roles() -> None:
    """Create or complete the editorial and organisation groups and the partner offer and mission workflows.

    Parts that hang on content (the root page, the root collection, the offers index) are skipped while that content
    does not exist, e.g. on a flushed test database; the next run completes them.
    """
    from cms.missions.models import Mission
    from cms.offers.models import OffersIndexPage

    editorial = editorial_group()
    editorial.permissions.add(*permissions([ADMIN_ACCESS, SITE_SETTINGS_PERMISSION]), *snippet_permissions())
    root_page = Page.get_first_root_node()
    if root_page is not None:
        grant_page_permissions(editorial, root_page, EDITORIAL_PAGE_PERMISSIONS)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        grant_collection_permissions(editorial, root_collection, EDITORIAL_MEDIA_PERMISSIONS)

    members, _ = Group.objects.get_or_create(name=ORGANISATIONS_GROUP)
    members.permissions.add(*permissions(ORGANISATION_MEMBER_PERMISSIONS))

    cards_staff, _ = Group.objects.get_or_create(name=CARDS_GROUP)
    cards_staff.permissions.add(*permissions(CARDS_STAFF_PERMISSIONS))

    offer_review = ensure_review_workflow(OFFER_REVIEW_WORKFLOW, OFFER_REVIEW_TASK, editorial)
    offers_index = OffersIndexPage.objects.order_by("path").first()
    if offers_index is not None and not WorkflowPage.objects.filter(page=offers_index).exists():
        WorkflowPage.objects.create(page=offers_index, workflow=offer_review)

    mission_review = ensure_review_workflow(MISSION_REVIEW_WORKFLOW, MISSION_REVIEW_TASK, editorial)
    mission_type = ContentType.objects.get_for_model(Mission)
    if not WorkflowContentType.objects.filter(content_type=mission_type).exists():
        WorkflowContentType.objects.create(content_type=mission_type, workflow=mission_review)


def sync_organisations_group(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed on ``Organization.members``: members of any organisation belong to the "Organisations" group.

    Adding someone to an organisation is then all it takes to let them write its missions; removing them from their
    last organisation takes the group away again.
    """
    if action == "pre_clear":
        if not reverse:
            instance._members_before_clear = list(instance.members.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        user_ids = [instance.pk]
    elif action == "post_clear":
        user_ids = getattr(instance, "_members_before_clear", [])
    else:
        user_ids = list(pk_set or ())
    if not user_ids:
        return
    from django.contrib.auth import get_user_model

    group = Group.objects.filter(name=ORGANISATIONS_GROUP).first()
    if group is None:  # roles not applied (a flushed test database): there is no group to join
        return
    users = get_user_model().objects.filter(pk__in=user_ids)
    group.user_set.add(*users.filter(organizations__isnull=False).distinct())
    group.user_set.remove(*users.filter(organizations__isnull=True))
