"""Admin screens: feed sources and their run history, staff warnings, refused missions, CSV uploads.

Uploads are processed in the request (bulk, one transaction, a few seconds for the largest files); feed imports are
never started from a view: they need the network and run from ``import_feeds``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import IndexView, SnippetViewSetGroup

from cms.core.choosers import ScopedSnippetViewSet
from cms.missions.models import Mission

from .forms import OfferUploadForm, PromoCodeUploadForm
from .locking import mark_interrupted_runs
from .models import FeedSource, ImportRun
from .offers_csv import OfferImportError, import_offers
from .promo_codes import PromoCodeImportError, import_promo_codes


class RunHistoryColumn(Column):
    def get_value(self, instance):
        url = reverse("wagtailsnippets_importers_importrun:list") + f"?source={instance.pk}"
        return format_html('<a href="{}">Historique</a>', url)


class FeedSourceViewSet(ScopedSnippetViewSet):
    model = FeedSource
    icon = "download"
    menu_label = "Flux partenaires"
    list_display = [
        "name",
        "format",
        "active",
        "last_run_at",
        "failing_since",
        RunHistoryColumn("history", label="Imports"),
    ]
    list_filter = ["format", "active"]
    search_fields = ["name", "publisher_name"]


class ImportRunIndexView(IndexView):
    """The run history, where a run whose process was killed shows as interrupted rather than running forever."""

    def get_base_queryset(self):
        mark_interrupted_runs()
        return super().get_base_queryset()


class ImportRunViewSet(ScopedSnippetViewSet):
    model = ImportRun
    index_view_class = ImportRunIndexView
    icon = "history"
    menu_label = "Historique des imports"
    list_display = ["source", "started_at", "status", "seen", "created", "updated", "unchanged", "archived", "refused"]
    list_filter = ["source", "status"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "source",
        "started_at",
        "finished_at",
        "status",
        "complete",
        "seen",
        "created",
        "updated",
        "unchanged",
        "archived",
        "restored",
        "refused",
        "message",
        "warnings",
        "errors",
    ]


class ImportsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Imports"
    menu_icon = "download"
    menu_order = 250
    items = (FeedSourceViewSet, ImportRunViewSet)


def _is_staff(user) -> bool:
    return user.is_superuser or user.has_perm("importers.view_feedsource")


def warnings_view(request):
    """Feeds staff should look at: failing, empty, or refusing many missions."""
    if not _is_staff(request.user):
        raise PermissionDenied
    sources = FeedSource.objects.with_warnings().prefetch_related("runs")
    return render(
        request,
        "importers/warnings.html",
        {"sources": sources, "page_title": "Alertes des flux", "header_title": "Alertes des flux"},
    )


def refused_missions_view(request):
    """Refused imported missions, for the organisations the user acts for (all for staff)."""
    missions = (
        Mission.objects.editable_by(request.user)
        .filter(moderation_status=Mission.Moderation.REFUSED, archived_at__isnull=True)
        .select_related("organization")
        .order_by("source", "client_id")[:500]
    )
    return render(
        request,
        "importers/refused.html",
        {"missions": missions, "page_title": "Missions refusées", "header_title": "Missions refusées"},
    )


class UploadView(WagtailAdminTemplateMixin, FormView):
    """A CSV upload in the admin's form layout: the file is imported whole or not at all, errors are listed."""

    template_name = "wagtailadmin/generic/form.html"
    header_icon = "upload"
    refused_message: str

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label="Importer",
            submit_button_active_label="Import en cours…",
            **kwargs,
        )

    def import_file(self, data: dict) -> str:
        """Import the upload and say what was imported, in French; a refused file raises with its ``errors``."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            summary = self.import_file(form.cleaned_data)
        except (PromoCodeImportError, OfferImportError) as exc:
            for error in exc.errors[:50]:
                messages.error(self.request, error)
            messages.error(self.request, self.refused_message)
            return self.form_invalid(form)
        messages.success(self.request, summary)
        return redirect(self.request.path)


class PromoCodesUploadView(UploadView):
    form_class = PromoCodeUploadForm
    page_title = "Importer des codes promo"
    refused_message = "Fichier refusé : aucun code n'a été importé."

    def import_file(self, data: dict) -> str:
        offer = data["offer"]
        report = import_promo_codes(offer, data["file"])
        return (
            f"{report.created} code(s) importé(s) pour « {offer.title} » ; "
            f"{len(report.duplicates)} doublon(s) ignoré(s)."
        )


class OffersUploadView(UploadView):
    form_class = OfferUploadForm
    page_title = "Importer des offres"
    refused_message = "Fichier refusé : aucune offre n'a été importée."

    def import_file(self, data: dict) -> str:
        partner = data["partner"]
        report = import_offers(partner, data["file"], publish=data["publish"])
        return (
            f"{report.offers} offre(s) et {report.stores} magasin(s) importés pour « {partner.title} » ; "
            f"{len(report.duplicates)} doublon(s) ignoré(s)."
        )
