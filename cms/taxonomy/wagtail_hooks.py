from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Domain, Need, OfferCategory, Programme


class DomainViewSet(SnippetViewSet):
    model = Domain
    icon = "tag"
    list_display = ["label", "slug"]
    search_fields = ["label"]


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "tag"
    list_display = ["label", "slug", "min_age", "max_age"]
    search_fields = ["label"]


class OfferCategoryViewSet(SnippetViewSet):
    model = OfferCategory
    icon = "tag"
    list_display = ["label", "slug"]
    search_fields = ["label"]


class NeedViewSet(SnippetViewSet):
    model = Need
    icon = "tag"
    list_display = ["label", "slug"]
    search_fields = ["label"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = "Taxonomie"
    menu_icon = "tag"
    menu_order = 300
    items = (DomainViewSet, ProgrammeViewSet, OfferCategoryViewSet, NeedViewSet)


register_snippet(TaxonomyViewSetGroup)
