from wagtail.snippets.models import register_snippet

from cms.core.choosers import ScopedSnippetViewSet, sql_search_form

from .models import Organization


class OrganizationViewSet(ScopedSnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = "Organisations"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "city", "department_code"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def chooser_queryset(self, user):
        """Organisations' members choose among their own organisations; staff among all."""
        return Organization.objects.for_user(user)

    def chooser_filter_form_class(self, user):
        if user.is_superuser or user.has_perm("organisations.change_organization"):
            return None
        return sql_search_form("name")  # the search backend cannot apply for_user's join to members


register_snippet(OrganizationViewSet)
