"""Admin for partner API keys: staff create them (the secret is shown once, in the confirmation) and revoke them."""

from django.contrib import messages
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView

from cms.core.choosers import ScopedSnippetViewSet

from .models import ApiKey
from .views import ROTATE_URL_NAME, RotateKeyView, can_rotate


class ApiKeyCreateView(CreateView):
    def save_instance(self):
        instance = self.form.instance
        secret = instance.set_new_secret()
        instance.created_by = self.request.user
        instance = super().save_instance()
        messages.success(
            self.request,
            f"Clé « {instance.name} » créée. Copiez-la maintenant, elle ne sera plus jamais affichée : {secret}",
        )
        return instance

    def get_success_message(self, instance):
        return None  # said above, with the secret


class ApiKeyViewSet(ScopedSnippetViewSet):
    model = ApiKey
    icon = "key"
    menu_label = "Clés d'API partenaires"
    menu_order = 260
    add_to_admin_menu = True
    add_view_class = ApiKeyCreateView
    list_display = [
        "name",
        "partner",
        "scopes",
        "source",
        "prefix",
        "active",
        "expires_at",
        "rate_limit",
        "last_used_at",
    ]
    list_filter = ["active", "source", "partner"]
    search_fields = ["name", "source"]


register_snippet(ApiKeyViewSet)


@hooks.register("register_admin_urls")
def register_rotation_url():
    return [path("cles-api/<int:pk>/renouveler/", RotateKeyView.as_view(), name=ROTATE_URL_NAME)]


@hooks.register("register_snippet_listing_buttons")
def rotate_key_button(snippet, user, next_url=None):
    if isinstance(snippet, ApiKey) and snippet.active and can_rotate(user):
        yield Button("Renouveler", reverse(ROTATE_URL_NAME, args=[snippet.pk]), icon_name="key", priority=60)
