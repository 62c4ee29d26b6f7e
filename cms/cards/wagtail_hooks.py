"""Staff screens for the people of the card: referents, young people, cards and their history, activations.

These are model view sets, not snippets: the editorial team holds every snippet permission (``cms.core.roles``), and
an editor of offers must not see people. Only holders of the ``cards`` permissions (the card staff group, see
``cms.core.roles.CARDS_GROUP``, and superusers) see these menus and screens.
"""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .admin_views import STATUS_URL_NAME, CardIndexView, CardStatusView, YoungPersonCreateView
from .models import Activation, Card, CardCheckGrant, RecommendationProfile, Referent, YoungPerson
from .views import OfferUsageView, may_see_usage

USAGE_URL_NAME = "cards_offer_usage"


class ReferentViewSet(ModelViewSet):
    name = "cards_referents"
    url_prefix = "cards/referents"
    model = Referent
    icon = "user"
    menu_label = "Référents"
    list_display = ["__str__", "email", "structure_kind", "structure_department", "active"]
    list_filter = ["structure_kind", "active"]
    search_fields = ["last_name", "first_name", "email", "structure_name"]
    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldPanel("email"),
        MultiFieldPanel(
            [FieldPanel("structure_kind"), FieldPanel("structure_name"), FieldPanel("structure_department")],
            heading="Structure",
        ),
        FieldPanel("active"),
    ]


class YoungPersonViewSet(ModelViewSet):
    name = "cards_young_people"
    url_prefix = "cards/young-people"
    model = YoungPerson
    icon = "user"
    menu_label = "Jeunes"
    list_display = ["__str__", "programme", "programme_end_date", "referent", "card"]
    list_filter = ["programme", "card__status"]
    search_fields = ["last_name", "first_name", "email", "phone"]
    inspect_view_enabled = True
    add_view_class = YoungPersonCreateView
    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("birth_date"),
        FieldRowPanel([FieldPanel("programme"), FieldPanel("programme_end_date")]),
        FieldPanel("referent"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        MultiFieldPanel(
            [FieldPanel("offer_categories"), FieldPanel("needs"), FieldPanel("domains")], heading="Centres d'intérêt"
        ),
    ]


class RecommendationProfileViewSet(ModelViewSet):
    """What young people told the mission recommendation (the rest of their profile is on « Jeunes »)."""

    name = "cards_recommendation_profiles"
    url_prefix = "cards/recommendation-profiles"
    model = RecommendationProfile
    icon = "search"
    menu_label = "Profils de recherche"
    list_display = ["young_person", "intent", "radius_km", "remote_accepted", "updated_at"]
    list_filter = ["intent", "remote_accepted", "accessibility_needs"]
    search_fields = ["young_person__last_name", "young_person__first_name"]
    copy_view_enabled = False
    panels = [
        FieldPanel("young_person"),
        FieldRowPanel([FieldPanel("intent"), FieldPanel("radius_km")]),
        FieldRowPanel([FieldPanel("hours_per_week"), FieldPanel("start_date")]),
        FieldRowPanel([FieldPanel("remote_accepted"), FieldPanel("accessibility_needs")]),
    ]


class CardViewSet(ModelViewSet):
    name = "cards_cards"
    url_prefix = "cards/cards"
    model = Card
    icon = "tag"
    menu_label = "Cartes"
    list_display = ["number", "young_person", "status", "valid_until", "status_changed_at"]
    list_filter = ["status"]
    search_fields = ["number"]
    inspect_view_enabled = True
    inspect_view_fields = ["number", "young_person", "status", "valid_until", "invited_at", "status_changed_at"]
    index_view_class = CardIndexView
    copy_view_enabled = False
    exclude_form_fields = ["young_person"]  # a card is never moved to someone else; its status has its own screen


class ActivationViewSet(ModelViewSet):
    name = "cards_activations"
    url_prefix = "cards/activations"
    model = Activation
    icon = "doc-full"
    menu_label = "Activations"
    list_display = ["offer", "partner", "kind", "created_at", "used_at"]
    list_filter = ["kind"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["declared_saving"]


class CardCheckGrantViewSet(ModelViewSet):
    """Partner API keys allowed to check cards at the till (``verifyCard``); superusers only (no role grants it)."""

    name = "cards_check_grants"
    url_prefix = "cards/check-grants"
    model = CardCheckGrant
    icon = "key"
    menu_label = "Vérification en caisse"
    list_display = ["api_key", "partner", "created_at"]
    form_fields = ["api_key", "partner"]
    copy_view_enabled = False


class CardsViewSetGroup(ModelViewSetGroup):
    menu_label = "Carte jeune"
    menu_icon = "user"
    menu_order = 220
    items = (
        ReferentViewSet,
        YoungPersonViewSet,
        RecommendationProfileViewSet,
        CardViewSet,
        ActivationViewSet,
        CardCheckGrantViewSet,
    )


@hooks.register("register_admin_viewset")
def register_cards_viewsets():
    return CardsViewSetGroup()


@hooks.register("register_admin_urls")
def register_usage_url():
    return [
        path("cards/offer-usage/", OfferUsageView.as_view(), name=USAGE_URL_NAME),
        path("cards/cards/<int:pk>/status/", CardStatusView.as_view(), name=STATUS_URL_NAME),
    ]


class OfferUsageMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_usage(request.user)


@hooks.register("register_admin_menu_item")
def register_usage_menu_item():
    return OfferUsageMenuItem("Utilisation des offres", reverse(USAGE_URL_NAME), icon_name="tag", order=230)
