"""The impact dashboard in the Wagtail admin, and the CSV export of each of its tables."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import localize

from .charts import bar_chart
from .impact import impact, scope_for


def _csv(table) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{table.name}.csv"'
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(table.headers)
    # Euros as the page writes them (decimal comma), which spreadsheets set to French read as numbers.
    writer.writerows([localize(cell) if isinstance(cell, Decimal) else cell for cell in row] for row in table.rows)
    return response


def dashboard(request: HttpRequest) -> HttpResponse:
    """Applications, clicks and rates of the missions, activations and savings of the offers the person may see
    (everything for staff)."""
    data = impact(scope_for(request.user), timezone.localdate())
    tables = data.tables
    export = request.GET.get("export")
    if export is not None:
        table = next((t for t in tables if t.name == export), None)
        if table is None:
            raise Http404("Tableau inconnu.")
        return _csv(table)
    sections = [(t, bar_chart(t.chart(), t.caption) if t.chart_column is not None else None) for t in tables]
    return render(request, "tracking/impact_dashboard.html", {"impact": data, "sections": sections})
