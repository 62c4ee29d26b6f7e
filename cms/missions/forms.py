"""Admin form for missions.

- Imported missions belong to their feed: only their moderation fields are editable here.
- Organisations' members write missions for their own organisations only, and do not moderate: the organisation field
  lists only their organisations (and must be filled, or the mission would be out of their reach), moderation fields
  are read-only.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from cms.organisations.models import Organization

from .models import ALL_MISSIONS_PERMISSION

#: Fields an editor may change on a mission that came from a partner feed.
MODERATION_FIELDS = frozenset({"moderation_status", "moderation_reason"})


class MissionAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_imported:
            self.make_read_only_except_moderation()
        user = self.for_user
        self.own_organisations_only = user is not None and not user.has_perm(ALL_MISSIONS_PERMISSION)
        if self.own_organisations_only:
            self.limit_to_own_organisations(user)

    def make_read_only_except_moderation(self) -> None:
        for name, field in self.fields.items():
            if name not in MODERATION_FIELDS:
                field.disabled = True
        for formset in self.formsets.values():
            # No new rows offered; and every field of every row, DELETE and ORDER included, disabled: Django then
            # ignores whatever is posted for them, so rows can be neither changed, added nor deleted. (DELETE stays:
            # InlinePanel expects it on every row.)
            formset.extra = 0
            formset.max_num = formset.min_num = formset.initial_form_count()
            for form in formset.forms:
                for field in form.fields.values():
                    field.disabled = True

    def limit_to_own_organisations(self, user) -> None:
        for name in MODERATION_FIELDS & self.fields.keys():
            self.fields[name].disabled = True
        field = self.fields.get("organization")
        if field is not None and not field.disabled:
            # A plain list of the user's few organisations rather than a chooser over every organisation.
            field.widget = forms.Select()
            field.queryset = Organization.objects.for_user(user)

    def save(self, commit=True):
        if MODERATION_FIELDS & set(self.changed_data):
            self.instance.moderated_at = timezone.now()
            self.instance.moderated_by_staff = True
        return super().save(commit=commit)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("moderation_status") == "refused" and not (cleaned.get("moderation_reason") or "").strip():
            self.add_error("moderation_reason", "Indiquez le motif du refus.")
        organization_field = self.fields.get("organization")
        if (
            self.own_organisations_only
            and organization_field is not None
            and not organization_field.disabled
            and not cleaned.get("organization")
            and "organization" not in self.errors
        ):
            # Checked here rather than with ``required``: Wagtail relaxes required fields when saving a draft, and a
            # draft without an organisation would be out of its author's reach at once.
            self.add_error("organization", "Choisissez l'organisation qui propose la mission.")
        return cleaned
