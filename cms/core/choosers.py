"""Snippet choosers offering a user only what their snippet view set says they may choose.

Wagtail's snippet choosers list every object of the model to anyone in the admin, whatever their permissions on it:
partners and organisations' members would read every organisation, API key and feed there. A view set built on
:class:`ScopedSnippetViewSet` answers the chooser's listing, search and "chosen" steps from its
:meth:`~ScopedSnippetViewSet.chooser_queryset`: by default the objects of a model the user holds a permission on.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

#: Holding any of these on a model lets a user choose its objects.
CHOOSER_ACTIONS = ("add", "change", "delete", "view")


class SqlSearchFilterForm(BaseFilterForm):
    """Chooser search on one text field in SQL, for querysets the search backend cannot filter (joins to members)."""

    search_field = "title"
    q = forms.CharField(label="Rechercher", required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(**{f"{self.search_field}__icontains": query})
            self.is_searching, self.search_query = True, query
        return objects


def sql_search_form(field: str) -> type[SqlSearchFilterForm]:
    return type(f"SqlSearchOn{field.title()}FilterForm", (SqlSearchFilterForm,), {"search_field": field})


class ScopedChooserMixin:
    def scoped_objects(self) -> QuerySet:
        return self.model_class.snippet_viewset.chooser_queryset(self.request.user)

    def get_filter_form_class(self):
        return self.model_class.snippet_viewset.chooser_filter_form_class(self.request.user) or (
            super().get_filter_form_class()
        )

    def get_object_list(self):
        return self.scoped_objects()

    def get_object(self, pk):
        return self.scoped_objects().get(pk=pk)

    def get_objects(self, pks):
        return self.scoped_objects().filter(pk__in=pks)


class ScopedChooseView(ScopedChooserMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooserMixin, ChooseResultsView):
    pass


class ScopedChosenView(ScopedChooserMixin, SnippetChosenView):
    pass


class ScopedChosenMultipleView(ScopedChooserMixin, SnippetChosenMultipleView):
    pass


class ScopedSnippetChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class ScopedSnippetViewSet(SnippetViewSet):
    chooser_viewset_class = ScopedSnippetChooserViewSet

    def chooser_queryset(self, user) -> QuerySet:
        """What ``user`` may pick in this model's chooser: every object if they hold a permission on the model."""
        return self.permission_policy.instances_user_has_any_permission_for(user, CHOOSER_ACTIONS)

    def chooser_filter_form_class(self, user) -> type[BaseFilterForm] | None:
        """The chooser's search form for ``user``; None for Wagtail's (through the search backend)."""
        return None
