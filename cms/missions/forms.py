"""Admin form for missions: imported missions belong to their feed, so only moderation is editable here."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm

#: Fields an editor may change on a mission that came from a partner feed.
MODERATION_FIELDS = frozenset({"moderation_status", "moderation_reason"})


class MissionAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_imported:
            for name, field in self.fields.items():
                if name not in MODERATION_FIELDS:
                    field.disabled = True
            for formset in self.formsets.values():
                formset.can_delete = False
                formset.max_num = formset.min_num = len(formset.forms)
                formset.extra = 0
                for form in formset.forms:
                    for field in form.fields.values():
                        field.disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("moderation_status") == "refused" and not (cleaned.get("moderation_reason") or "").strip():
            self.add_error("moderation_reason", "Indiquez le motif du refus.")
        return cleaned
