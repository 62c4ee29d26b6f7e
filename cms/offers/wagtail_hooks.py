"""Onboarding a partner from the admin: the ``onboard_partner`` command as a form, for editorial staff.

The form sits behind a "Intégrer un partenaire" button on the offers index; whoever may add and publish partner pages
there (the editorial team) may use it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button

from .models import OffersIndexPage
from .onboarding import NAME_MAX_LENGTH, onboard_partner

ONBOARDING_URL_NAME = "offers_onboard_partner"


def can_onboard_partners(user) -> bool:
    index = OffersIndexPage.objects.order_by("path").first()
    if index is None:
        return False
    permissions = index.permissions_for_user(user)
    return permissions.can_add_subpage() and permissions.can_publish_subpage()


class PartnerOnboardingForm(forms.Form):
    name = forms.CharField(label="Nom du partenaire", max_length=NAME_MAX_LENGTH)
    website = forms.CharField(label="Site web", required=False, help_text="Adresse http ou https.")
    colour = forms.CharField(label="Couleur", required=False, help_text="Format hexadécimal, par ex. #1a2b3c.")
    users = forms.CharField(
        label="Comptes à rattacher",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une adresse e-mail par ligne ; chaque nouveau compte reçoit une invitation par e-mail "
        "pour choisir son mot de passe.",
    )


class PartnerOnboardingView(WagtailAdminTemplateMixin, FormView):
    form_class = PartnerOnboardingForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = "Intégrer un partenaire"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not can_onboard_partners(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label="Intégrer le partenaire",
            submit_button_active_label="Intégration…",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = onboard_partner(
                data["name"], website=data["website"], colour=data["colour"], user_emails=data["users"].split()
            )
        except ValidationError as exc:  # keyed by the form's own field names, or not keyed at all
            form.add_error(None, exc)
            return self.form_invalid(form)
        summary = "; ".join(result.changes) or "tout était déjà en place"
        messages.success(self.request, f"Partenaire « {result.page.title} » : {summary}.")
        return redirect("wagtailadmin_explore", result.page.pk)


@hooks.register("register_admin_urls")
def register_onboarding_url():
    return [path("partenaires/integrer/", PartnerOnboardingView.as_view(), name=ONBOARDING_URL_NAME)]


@hooks.register("register_page_header_buttons")
def onboarding_button(page, user, view_name=None, next_url=None):
    if page.specific_class is OffersIndexPage and can_onboard_partners(user):
        yield Button("Intégrer un partenaire", reverse(ONBOARDING_URL_NAME), icon_name="group", priority=80)
