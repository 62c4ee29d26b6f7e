"""Admin views for invitations: choosing a password from an invitation link, and staff re-sending one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.views.generic import FormView
from wagtail.admin.views.account import PasswordResetConfirmView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from .invitations import invitation_token_generator, invite

RESEND_URL_NAME = "core_resend_invitation"


class InvitationConfirmView(PasswordResetConfirmView):
    """Wagtail's "set your new password" step, for invitation tokens; the new password signs the person in."""

    template_name = "core/invitation_confirm.html"
    token_generator = invitation_token_generator
    post_reset_login = True
    # django-axes comes first among the authentication backends; the session is Django's own.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("wagtailadmin_home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est enregistré : bienvenue !")
        return response


def can_invite(request_user, user) -> bool:
    """Staff who may edit accounts may invite any active account with an e-mail address."""
    policy = policy_registry.get_by_type(get_user_model())
    return bool(user.email) and user.is_active and policy.user_has_permission(request_user, "change")


class ResendInvitationView(WagtailAdminTemplateMixin, FormView):
    """A confirmation page, then a fresh invitation (the previous link stops working)."""

    form_class = forms.Form
    template_name = "wagtailadmin/generic/form.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.invited = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        if not can_invite(request.user, self.invited):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"Renvoyer une invitation à {self.invited.email}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label="Envoyer une nouvelle invitation",
            submit_button_active_label="Envoi…",
            **kwargs,
        )

    def form_valid(self, form):
        invite(self.invited, sent_by=self.request.user)
        messages.success(
            self.request,
            f"Invitation envoyée à {self.invited.email} : le lien précédent ne fonctionne plus.",
        )
        return redirect("wagtailusers_users:index")
