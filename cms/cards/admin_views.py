"""Staff change a card's status from the admin, through the same lifecycle as referents (who, when, why recorded), and
open young people's accounts by hand (counted like invitations)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import lifecycle
from .models import Card, CardEvent

STATUS_URL_NAME = "cards_card_status"
CHANGE_PERMISSION = "cards.change_card"


class CardStatusForm(forms.Form):
    action = forms.ChoiceField(
        label="Action", choices=[("suspend", "Suspendre la carte"), ("reactivate", "Réactiver la carte")]
    )
    reason = forms.CharField(label="Motif", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    programme_end_date = forms.DateField(
        label="Nouvelle fin du dispositif",
        required=False,
        help_text="Pour réactiver une carte expirée : la fin prolongée du dispositif.",
    )


class CardStatusView(WagtailAdminTemplateMixin, FormView):
    form_class = CardStatusForm
    template_name = "wagtailadmin/generic/form.html"
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        self.card = get_object_or_404(Card.objects.select_related("young_person"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"Statut de la carte {self.card.number} ({self.card.get_status_display().lower()})"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse(STATUS_URL_NAME, args=[self.card.pk]),
            submit_button_label="Enregistrer",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        actor = lifecycle.staff(self.request.user)
        try:
            if data["action"] == "suspend":
                lifecycle.suspend(self.card, actor, data["reason"])
            else:
                lifecycle.reactivate(self.card, actor, data["reason"], programme_end_date=data["programme_end_date"])
        except lifecycle.TransitionRefused as refused:
            messages.error(self.request, str(refused))  # the generic form template shows no non-field errors
            return self.form_invalid(form)
        messages.success(self.request, f"Carte {self.card.number} : {self.card.get_status_display().lower()}.")
        return redirect("cards_cards:index")


class CardIndexView(IndexView):
    """The card listing, with « Changer le statut » for staff who may change cards."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(CHANGE_PERMISSION):
            url = reverse(STATUS_URL_NAME, args=[instance.pk])
            buttons.append(MenuItem("Changer le statut", url=url, icon_name="edit", priority=15))
        return buttons


class YoungPersonCreateView(CreateView):
    """Staff open a young person's account by hand (without a card): counted like invitations (``account_created``,
    source ``staff``)."""

    def save_instance(self):
        instance = super().save_instance()
        transaction.on_commit(partial(lifecycle.record_account_created, instance.pk, CardEvent.ActorKind.STAFF))
        return instance
