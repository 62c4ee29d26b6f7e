"""Accounts in the admin: invitations sent when staff create an account without a password, and re-sent on demand."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from .invitations import invite_after_commit, needs_invitation
from .views import RESEND_URL_NAME, ResendInvitationView, can_invite


@hooks.register("register_admin_urls")
def register_invitation_urls():
    return [path("comptes/<int:pk>/invitation/", ResendInvitationView.as_view(), name=RESEND_URL_NAME)]


@hooks.register("after_create_user")
def invite_created_user(request, user):
    if not user.password:  # left blank in the form: mark it unusable, as accounts created in code are
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if needs_invitation(user):
        invite_after_commit(user, sent_by=request.user)


@hooks.register("register_user_listing_buttons")
def resend_invitation_button(user, request_user):
    if can_invite(request_user, user):
        yield Button("Renvoyer l'invitation", reverse(RESEND_URL_NAME, args=[user.pk]), icon_name="mail", priority=50)
