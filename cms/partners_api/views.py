"""Staff rotate a partner key from the admin: a confirmation page, then the new secret shown once."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import DEFAULT_ROTATION_OVERLAP, ApiKey

ROTATE_URL_NAME = "partners_api_rotate_key"


def can_rotate(user) -> bool:
    return user.is_superuser or user.has_perm("partners_api.add_apikey")


class RotationForm(forms.Form):
    overlap_days = forms.IntegerField(
        label="Jours pendant lesquels l'ancienne clé reste valable",
        min_value=0,
        max_value=365,
        initial=DEFAULT_ROTATION_OVERLAP.days,
    )


class RotateKeyView(WagtailAdminTemplateMixin, FormView):
    form_class = RotationForm
    template_name = "wagtailadmin/generic/form.html"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        self.key = get_object_or_404(ApiKey.objects.active(), pk=kwargs["pk"])
        if not can_rotate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"Renouveler la clé « {self.key.name} »"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path, submit_button_label="Renouveler", submit_button_active_label="…", **kwargs
        )

    def form_valid(self, form):
        successor, secret = self.key.rotate(
            overlap=dt.timedelta(days=form.cleaned_data["overlap_days"]), created_by=self.request.user
        )
        messages.success(
            self.request,
            f"Nouvelle clé « {successor.name} » ; l'ancienne reste valable jusqu'au "
            f"{self.key.expires_at:%d/%m/%Y à %H:%M}. "
            f"Copiez-la maintenant, elle ne sera plus jamais affichée : {secret}",
        )
        return redirect("wagtailsnippets_partners_api_apikey:list")
