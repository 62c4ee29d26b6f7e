"""Onboarding a partner company in one step: its page, its group, its image collection and its users.

New users get an invitation e-mail (see ``cms.core.invitations``) once the onboarding commits.

A partner's people may add and edit offers under their own ``PartnerPage`` only, and cannot publish: their offers go
through the "Revue des offres partenaires" workflow attached to the offers index (see ``cms.core.roles``). Their
images live in their own collection, which they alone (and the editorial team) may add to and choose from.

:func:`onboard_partner` is idempotent: run again with the same arguments, it finds everything in place and changes
nothing; run with a new website, colour or user, it adds just that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from wagtail.models import Collection

from cms.core.invitations import invite_after_commit
from cms.core.roles import ADMIN_ACCESS, grant_collection_permissions, grant_page_permissions, permissions

from .models import OffersIndexPage, PartnerPage, colour_validator

PARTNER_GROUP_PREFIX = "Partenaire — "
PARTNER_PAGE_PERMISSIONS = ("add_page", "change_page")
PARTNER_COLLECTION_PERMISSIONS = ("wagtailimages.add_image", "wagtailimages.choose_image")
NAME_MAX_LENGTH = Group._meta.get_field("name").max_length - len(PARTNER_GROUP_PREFIX)
#: How the summary of a run names the partner page's fields.
FIELD_LABELS = {"website": "site web", "colour": "couleur"}


@dataclass
class Onboarding:
    page: PartnerPage
    group: Group
    collection: Collection
    users: list = field(default_factory=list)
    #: What this run created or changed, in French, for the people running it; empty when all was in place.
    changes: list[str] = field(default_factory=list)


def partner_group_name(partner_name: str) -> str:
    return f"{PARTNER_GROUP_PREFIX}{partner_name}"


def validate(name: str, website: str, colour: str, emails: list[str]) -> None:
    """Every check before any write: bad input is refused with a French message and leaves the database untouched."""
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Indiquez le nom du partenaire."]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [f"Le nom du partenaire ne doit pas dépasser {NAME_MAX_LENGTH} caractères."]
    elif not slugify(name):
        errors["name"] = ["Le nom du partenaire doit contenir au moins une lettre ou un chiffre."]
    if website:
        try:
            URLValidator(schemes=["http", "https"], message="Le site web doit être une adresse http(s) valide.")(
                website
            )
        except ValidationError as exc:
            errors["website"] = exc.messages
    if colour:
        try:
            colour_validator(colour)
        except ValidationError as exc:
            errors["colour"] = exc.messages
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("users", []).append(f"Adresse e-mail invalide : {email!r}.")
    if errors:
        raise ValidationError(errors)


def ensure_partner_page(index: OffersIndexPage, name: str, website: str, colour: str, changes: list[str]):
    page = PartnerPage.objects.child_of(index).filter(slug=slugify(name)).first()
    if page is None:
        page = index.add_child(instance=PartnerPage(title=name, slug=slugify(name), website=website, colour=colour))
        page.save_revision().publish()
        changes.append(f"page partenaire créée : {page.title} (id {page.pk})")
        return page
    had_draft_changes = page.has_unpublished_changes
    page = page.get_latest_revision_as_object()
    updates = {key: value for key, value in (("website", website), ("colour", colour)) if value}
    updates = {key: value for key, value in updates.items() if getattr(page, key) != value}
    if updates:
        for key, value in updates.items():
            setattr(page, key, value)
        revision = page.save_revision()
        changed = ", ".join(sorted(FIELD_LABELS[key] for key in updates))
        if had_draft_changes:  # someone's unpublished changes: leave publishing them to the editorial team
            changes.append(f"brouillon de la page partenaire mis à jour : {changed}")
        else:
            revision.publish()
            changes.append(f"page partenaire mise à jour : {changed}")
    return page


def ensure_collection(name: str, changes: list[str]) -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
        changes.append(f"collection d'images créée : {name}")
    return collection


def ensure_users(emails: list[str], group: Group, changes: list[str]) -> list:
    User = get_user_model()
    users = []
    for email in emails:
        user = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).order_by("pk").first()
        if user is None:
            user = User.objects.create_user(username=email, email=email)  # no password: the invitation sets it
            invite_after_commit(user)
            changes.append(f"utilisateur créé et invité par e-mail : {email}")
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            changes.append(f"{email} ajouté au groupe {group.name}")
        users.append(user)
    return users


@transaction.atomic
def onboard_partner(name: str, *, website: str = "", colour: str = "", user_emails: Iterable[str] = ()) -> Onboarding:
    """Create (or complete) everything a partner company needs to propose offers in the admin.

    Raises ``ValidationError`` (French messages, keyed by argument) before writing anything if the input is bad.
    """
    name, website, colour = name.strip(), website.strip(), colour.strip()
    emails = list(dict.fromkeys(email.strip().lower() for email in user_emails if email.strip()))
    validate(name, website, colour, emails)
    index = OffersIndexPage.objects.order_by("path").first()
    if index is None:
        raise ValidationError("Il n'y a pas d'index des offres : appliquez d'abord les migrations (manage.py migrate).")

    changes: list[str] = []
    page = ensure_partner_page(index, name, website, colour, changes)
    group_name = partner_group_name(page.title)
    group, created = Group.objects.get_or_create(name=group_name)
    if created:
        changes.append(f"groupe créé : {group_name}")
    group.permissions.add(*permissions([ADMIN_ACCESS]))
    grant_page_permissions(group, page, PARTNER_PAGE_PERMISSIONS)
    collection = ensure_collection(group_name, changes)
    grant_collection_permissions(group, collection, PARTNER_COLLECTION_PERMISSIONS)
    users = ensure_users(emails, group, changes)
    return Onboarding(page=page, group=group, collection=collection, users=users, changes=changes)
