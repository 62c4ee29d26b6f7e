from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from cms.core.dashboard import DashboardLine, DashboardSummaryPanel

from . import views
from .models import FeedSource

register_snippet(views.ImportsViewSetGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("imports/alertes/", views.warnings_view, name="importers_warnings"),
        path("imports/missions-refusees/", views.refused_missions_view, name="importers_refused_missions"),
        path("imports/codes-promo/", views.PromoCodesUploadView.as_view(), name="importers_promo_codes_upload"),
        path("imports/offres/", views.OffersUploadView.as_view(), name="importers_offers_upload"),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return views._is_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_warnings_menu_item():
    return StaffMenuItem("Alertes des flux", reverse("importers_warnings"), icon_name="warning", order=251)


@hooks.register("register_admin_menu_item")
def register_refused_menu_item():
    return MenuItem("Missions refusées", reverse("importers_refused_missions"), icon_name="warning", order=252)


@hooks.register("register_admin_menu_item")
def register_upload_menu_items():
    return MenuItem("Importer des codes promo", reverse("importers_promo_codes_upload"), icon_name="upload", order=253)


@hooks.register("register_admin_menu_item")
def register_offers_upload_menu_item():
    return MenuItem("Importer des offres", reverse("importers_offers_upload"), icon_name="upload", order=254)


@hooks.register("construct_homepage_panels")
def failing_feeds_panel(request, panels) -> None:
    """Staff see the feeds whose imports fail, each linked to its import history."""
    if not views._is_staff(request.user):
        return
    history = reverse("wagtailsnippets_importers_importrun:list")
    lines = [
        DashboardLine(
            source.name,
            f"{history}?source={source.pk}",
            detail=f"en échec depuis le {timezone.localtime(source.failing_since):%d/%m/%Y à %H:%M}",
        )
        for source in FeedSource.objects.active().filter(failing_since__isnull=False).order_by("failing_since")
    ]
    panels.append(
        DashboardSummaryPanel(
            "failing_feeds",
            "Flux en erreur",
            lines,
            order=110,
            empty="Aucun flux en erreur : tous les imports passent.",
        )
    )
