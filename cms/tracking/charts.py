"""The dashboard's tables and their server-rendered SVG bar charts: no script, no external asset; each bar carries its
figure (``data-value``, written as the table writes it) and a ``<title>`` so the chart reads the same as its table, for
screen readers and for the browser test."""

from __future__ import annotations

import dataclasses

from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH = 180
BAR_HEIGHT = 20
GAP = 6


@dataclasses.dataclass
class Table:
    """One table of the dashboard: what its section shows, what its chart draws and what its CSV export writes."""

    name: str
    caption: str
    headers: list[str]
    rows: list[list]
    #: (label, value) pairs the chart draws: the table's first column and its ``chart_column``.
    chart_column: int | None = None

    def chart(self) -> list[tuple[str, float]]:
        if self.chart_column is None:
            return []
        return [(str(row[0]), row[self.chart_column]) for row in self.rows]


def bar_chart(pairs: list[tuple[str, float]], title: str) -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    top = float(max((value for _, value in pairs), default=0)) or 1
    room = WIDTH - LABEL_WIDTH - 60
    height = max(1, len(pairs)) * (BAR_HEIGHT + GAP)
    bars = format_html_join(
        "",
        '<g class="bar" data-label="{0}" data-value="{1}"><title>{0} : {1}</title>'
        '<text x="{2}" y="{3}" text-anchor="end">{0}</text>'
        '<rect x="{4}" y="{5}" width="{6}" height="{7}" fill="#000091"></rect>'
        '<text x="{8}" y="{3}">{1}</text></g>',
        (
            (
                label,
                localize(value),
                LABEL_WIDTH - 8,
                i * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 5,
                LABEL_WIDTH,
                i * (BAR_HEIGHT + GAP),
                round(room * float(value) / top, 1),
                BAR_HEIGHT,
                LABEL_WIDTH + round(room * float(value) / top, 1) + 6,
            )
            for i, (label, value) in enumerate(pairs)
        ),
    )
    return format_html(
        '<svg class="impact-chart" role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-size="12">{}</svg>',
        title,
        WIDTH,
        height,
        WIDTH,
        height,
        bars,
    )
