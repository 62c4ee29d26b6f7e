"""Invitations: the e-mail that lets a new account choose its password.

Accounts created for partners' people (``cms.offers.onboarding``), by staff in the user admin, or for organisations'
members have no usable password, and Django's password reset ignores such accounts. Each gets an invitation instead:
an e-mail with a link to choose a password, valid ``INVITATION_TIMEOUT_DAYS`` days and good for one use (the token
hashes the password and the last login, which both change once it is used). The token also hashes the date of the
latest :class:`~cms.core.models.Invitation`, so a re-sent invitation replaces the previous link.

:func:`send_invitation` is the one place that sends; it runs as a background task (:func:`deliver_invitation`,
retried when the mail server fails): :func:`invite` queues it at once, and callers that run in a transaction use
:func:`invite_after_commit` so that no e-mail leaves for an account that was rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from wagtail.admin.forms.auth import PasswordResetForm

from .background import background_task, enqueue_on_commit
from .models import Invitation

INVITATION_URL_NAME = "invitation_confirm"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens with their own lifetime and bound to the account's latest invitation."""

    key_salt = "cms.core.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        sent_at = Invitation.objects.filter(user=user).values_list("sent_at", flat=True).first()
        return f"{super()._make_hash_value(user, timestamp)}{sent_at.isoformat() if sent_at else ''}"

    def check_token(self, user, token: str) -> bool:
        """Django's check, against ``INVITATION_TIMEOUT_DAYS`` rather than the global ``PASSWORD_RESET_TIMEOUT``."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.INVITATION_TIMEOUT_DAYS * 24 * 3600


invitation_token_generator = InvitationTokenGenerator()


def invitation_link(user) -> str:
    """The absolute link that lets ``user`` choose a password (valid until the next invitation or first use)."""
    path = reverse(
        INVITATION_URL_NAME,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def send_invitation(user, *, sent_by=None) -> None:
    """Record a new invitation for ``user`` (earlier links stop working) and e-mail them the link, in French."""
    Invitation.objects.update_or_create(user=user, defaults={"sent_at": timezone.now(), "sent_by": sent_by})
    context = {
        "user": user,
        "link": invitation_link(user),
        "days": settings.INVITATION_TIMEOUT_DAYS,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "login_url": f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{reverse('wagtailadmin_login')}",
    }
    subject = render_to_string("core/invitation_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject, render_to_string("core/invitation_email.txt", context), to=[user.email or user.username]
    )
    message.attach_alternative(render_to_string("core/invitation_email.html", context), "text/html")
    message.send()


@background_task
def deliver_invitation(user_id: int, sent_by_id: int | None = None) -> bool:
    """The task behind :func:`invite`: :func:`send_invitation` to the account ``user_id`` if it still exists."""
    users = get_user_model()._default_manager
    user = users.filter(pk=user_id).first()
    if user is None:
        return False
    send_invitation(user, sent_by=users.filter(pk=sent_by_id).first() if sent_by_id else None)
    return True


def invite(user, *, sent_by=None) -> None:
    """Queue the invitation of ``user`` now (the account is already committed)."""
    deliver_invitation.enqueue(user.pk, sent_by.pk if sent_by else None)


def invite_after_commit(user, *, sent_by=None) -> None:
    """Queue the invitation of ``user`` once the current transaction commits (at once outside a transaction)."""
    enqueue_on_commit(deliver_invitation, user.pk, sent_by.pk if sent_by else None)


def needs_invitation(user) -> bool:
    """Whether ``user`` can only get in through an invitation: active, reachable, and without a usable password."""
    return user.is_active and bool(user.email) and not (user.password and user.has_usable_password())


def invite_new_organisation_members(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed on ``Organization.members``: a member added without a password and never invited is invited."""
    if action != "post_add":
        return
    user_ids = [instance.pk] if reverse else list(pk_set or ())
    users = get_user_model().objects.filter(pk__in=user_ids, invitation__isnull=True)
    for user in users:
        if needs_invitation(user):
            invite_after_commit(user)


class InvitingPasswordResetForm(PasswordResetForm):
    """ "Mot de passe oublié ?" for every account: those without a usable password get a fresh invitation, which
    Django's own form would silently skip."""

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        email = self.cleaned_data["email"]
        for user in get_user_model()._default_manager.filter(email__iexact=email, is_active=True):
            if not user.has_usable_password():  # the others just got Django's reset e-mail
                invite(user)
