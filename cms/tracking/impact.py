"""The impact dashboard's figures, read from daily aggregates and reported applications (never raw events).

A *scope* says whose figures a person may see: everything for staff (superusers and the editorial team), their own
organisations' missions for organisations' members, nothing else for anyone else (partners' figures come with the
card's offers). Each table is also what its chart draws and what its CSV export writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db.models import Q, Sum

from cms.missions.models import ALL_MISSIONS_PERMISSION, Mission
from cms.organisations.models import Organization
from cms.taxonomy.models import Programme

from .models import Channel, DailyStat, Kind

WEEKS = 12
TOP = 10


@dataclasses.dataclass(frozen=True)
class Scope:
    everything: bool
    organization_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.everything and not self.organization_ids

    def stats(self):
        rows = DailyStat.objects.all()
        return rows if self.everything else rows.filter(organization_id__in=self.organization_ids)


def scope_for(user) -> Scope:
    if user.is_superuser or user.has_perm(ALL_MISSIONS_PERMISSION):
        return Scope(everything=True)
    return Scope(everything=False, organization_ids=tuple(user.organizations.values_list("pk", flat=True)))


@dataclasses.dataclass
class Table:
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


def _rate(clicks: int, applications: int) -> str:
    return f"{100 * applications / clicks:.1f} %" if clicks else "–"


_COUNTS = {
    "clicks": Sum("count", filter=Q(kind=Kind.CLICK), default=0),
    "applications": Sum("count", filter=Q(kind=Kind.APPLICATION), default=0),
}


def weekly(scope: Scope, today: dt.date) -> Table:
    monday = today - dt.timedelta(days=today.weekday())
    first = monday - dt.timedelta(weeks=WEEKS - 1)
    by_day = scope.stats().filter(kind=Kind.APPLICATION, day__gte=first).values("day").annotate(n=Sum("count"))
    weeks = {first + dt.timedelta(weeks=i): 0 for i in range(WEEKS)}
    for row in by_day:
        weeks[row["day"] - dt.timedelta(days=row["day"].weekday())] += row["n"]
    rows = [[f"{week:%d/%m}", count] for week, count in weeks.items()]
    return Table("semaines", "Candidatures par semaine (12 dernières)", ["Semaine du", "Candidatures"], rows, 1)


def by_channel(scope: Scope) -> Table:
    labels = dict(Channel.choices)
    found = {row["channel"]: row for row in scope.stats().values("channel").annotate(**_COUNTS)}
    rows = []
    for channel, label in labels.items():
        row = found.get(channel, {"clicks": 0, "applications": 0})
        rows.append([label, row["clicks"], row["applications"], _rate(row["clicks"], row["applications"])])
    headers = ["Canal", "Clics", "Candidatures", "Taux clic → candidature"]
    return Table("canaux", "Candidatures par canal", headers, rows, 2)


def by_programme(scope: Scope) -> Table:
    labels = dict(Programme.objects.values_list("pk", "label"))
    found = scope.stats().values("programme_id").annotate(**_COUNTS).order_by("-applications", "programme_id")
    rows = [
        [labels.get(row["programme_id"], "Sans dispositif"), row["clicks"], row["applications"]]
        + [_rate(row["clicks"], row["applications"])]
        for row in found
        if row["clicks"] or row["applications"]
    ]
    headers = ["Dispositif", "Clics", "Candidatures", "Taux clic → candidature"]
    return Table("dispositifs", "Candidatures par dispositif", headers, rows, 2)


def top_missions(scope: Scope) -> Table:
    found = list(
        scope.stats()
        .exclude(mission_id=None)
        .values("mission_id")
        .annotate(**_COUNTS)
        .order_by("-applications", "-clicks", "mission_id")[:TOP]
    )
    titles = Mission.objects.in_bulk([row["mission_id"] for row in found])
    rows = [
        [
            titles[row["mission_id"]].title if row["mission_id"] in titles else f"Mission {row['mission_id']}",
            row["clicks"],
            row["applications"],
            _rate(row["clicks"], row["applications"]),
        ]
        for row in found
    ]
    headers = ["Mission", "Clics", "Candidatures", "Taux clic → candidature"]
    return Table("missions", "Missions qui génèrent le plus de candidatures", headers, rows)


def top_organisations(scope: Scope) -> Table:
    found = list(
        scope.stats()
        .exclude(organization_id=None)
        .values("organization_id")
        .annotate(**_COUNTS)
        .order_by("-applications", "-clicks", "organization_id")[:TOP]
    )
    names = dict(Organization.objects.filter(pk__in=[r["organization_id"] for r in found]).values_list("pk", "name"))
    rows = [
        [names.get(r["organization_id"], "?"), r["clicks"], r["applications"], _rate(r["clicks"], r["applications"])]
        for r in found
    ]
    headers = ["Organisation", "Clics", "Candidatures", "Taux clic → candidature"]
    return Table("organisations", "Organisations qui génèrent le plus de candidatures", headers, rows)


@dataclasses.dataclass
class Impact:
    scope: Scope
    applications: int
    clicks: int
    goal: int
    tables: list[Table]
    #: Young people's accounts opened (``account_created``): staff only, accounts belong to no organisation.
    accounts: int | None = None

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.applications / self.goal)) if self.goal else 0

    @property
    def rate(self) -> str:
        return _rate(self.clicks, self.applications)


def impact(scope: Scope, today: dt.date) -> Impact:
    accounts = {"accounts": Sum("count", filter=Q(kind=Kind.ACCOUNT_CREATED), default=0)} if scope.everything else {}
    totals = scope.stats().aggregate(**_COUNTS, **accounts)
    tables = [weekly(scope, today), by_channel(scope), by_programme(scope), top_missions(scope)]
    if scope.everything:
        tables.append(top_organisations(scope))
    return Impact(
        scope, totals["applications"], totals["clicks"], settings.APPLICATIONS_GOAL, tables, totals.get("accounts")
    )
