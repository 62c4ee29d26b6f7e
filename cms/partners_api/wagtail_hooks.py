"""Admin for partner API keys: staff create them (the secret is shown once, in the confirmation) and revoke them."""

from django.contrib import messages
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView

from cms.core.choosers import ScopedSnippetViewSet

from .models import ApiKey


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
