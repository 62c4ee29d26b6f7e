"""The admin panel that hands a partner the HTML to paste in its site to embed its widget."""

from __future__ import annotations

from wagtail.admin.panels import Panel


class WidgetSnippetPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "syndication/widget_snippet_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["snippet"] = self.instance.widget_snippet() if self.instance and self.instance.pk else ""
            return context
