"""Admin screen of partners' people: the use of their offers (counts and codes left, never who)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.offers.permissions import offers_user_may_change

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
