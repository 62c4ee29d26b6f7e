"""Views of the card: the partners' admin screen of the use of their offers (counts and codes left, never who), and
the unsubscribe page of reminder e-mails."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.offers.permissions import offers_user_may_change

from .reminders import unsubscribe
from .usage import usage_for_user


def may_see_usage(user) -> bool:
    return user.is_active and offers_user_may_change(user).exists()


class OfferUsageView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cards/offer_usage.html"
    page_title = "Utilisation de vos offres"
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_usage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rows": usage_for_user(self.request.user)}


LABELS = {"expiry": "les rappels d'expiration de votre carte", "digest": "la lettre hebdomadaire des nouvelles offres"}


@csrf_exempt
def unsubscribe_view(request, token: str):
    """One-click unsubscribe from an e-mail's link (GET, or POST for ``List-Unsubscribe-Post`` clients)."""
    kind = unsubscribe(token)
    return render(
        request,
        "cards/unsubscribed.html",
        {"kind": kind, "label": LABELS.get(kind)},
        status=200 if kind else 400,
    )
