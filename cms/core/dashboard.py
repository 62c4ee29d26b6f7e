"""Dashboard panels that say, in a few counted lines, what staff should deal with first.

Each domain registers its own panel with Wagtail's ``construct_homepage_panels`` hook (missions in ``cms.missions``,
feeds in ``importers``); this module only gives them one look.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.admin.ui.components import Component


@dataclass
class DashboardLine:
    label: str
    url: str
    count: int | None = None  # None for a line that is a named item rather than a count
    detail: str = ""


class DashboardSummaryPanel(Component):
    """A dashboard panel of linked lines; ``empty`` is what it says when there are none."""

    template_name = "core/dashboard_panel.html"

    def __init__(self, name: str, heading: str, lines: list[DashboardLine], *, order: int, empty: str = "") -> None:
        self.name = name
        self.heading = heading
        self.lines = lines
        self.order = order
        self.empty = empty

    def get_context_data(self, parent_context=None) -> dict:
        return {
            "panel_id": self.name.replace("_", "-"),
            "heading": self.heading,
            "lines": self.lines,
            "empty": self.empty,
        }
