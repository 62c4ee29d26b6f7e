"""The impact dashboard's figures, read from daily aggregates and reported applications (never raw events).

A *scope* says whose figures a person may see: everything for staff (superusers and the editorial team), their own
organisations' missions for organisations' members, their own partners' offers for partners' people (activations and
savings, ``impact_cards``), nothing for anyone else. :func:`impact` computes every figure once, as plain values: the
admin page draws its tables (each also its chart and its CSV export) from them, ``impactStats`` returns them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db.models import Q, Sum

from cms.cards.models import ActivationDailyStat
from cms.missions.models import ALL_MISSIONS_PERMISSION, Mission
from cms.offers.permissions import partners_user_may_add_offers_to
from cms.organisations.models import Organization
from cms.taxonomy.models import Programme

from .charts import Table
from .impact_cards import CardFigures, card_figures, card_tables
from .models import Channel, DailyStat, Kind

WEEKS = 12
TOP = 10


@dataclasses.dataclass(frozen=True)
class Scope:
    """Whose figures: everything (staff), or some organisations' missions and some partners' offers."""

    everything: bool
    organization_ids: tuple[int, ...] = ()
    partner_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.everything and not self.organization_ids and not self.partner_ids

    @property
    def missions(self) -> bool:
        """Whether mission figures (applications, clicks) are in the scope."""
        return self.everything or bool(self.organization_ids)

    @property
    def cards(self) -> bool:
        """Whether card figures (activations, savings) are in the scope."""
        return self.everything or bool(self.partner_ids)

    def stats(self):
        rows = DailyStat.objects.all()
        return rows if self.everything else rows.filter(organization_id__in=self.organization_ids)

    def card_stats(self):
        rows = ActivationDailyStat.objects.all()
        return rows if self.everything else rows.filter(partner_id__in=self.partner_ids)


def scope_for(user) -> Scope:
    """Staff (superusers, the editorial team) see everything; organisations' members their organisations' missions;
    partners' people their partners' offers; anyone else nothing."""
    if not user.is_authenticated:
        return Scope(everything=False)
    if user.is_superuser or user.has_perm(ALL_MISSIONS_PERMISSION):
        return Scope(everything=True)
    return Scope(
        everything=False,
        organization_ids=tuple(user.organizations.values_list("pk", flat=True)),
        partner_ids=tuple(partners_user_may_add_offers_to(user).values_list("pk", flat=True)),
    )


@dataclasses.dataclass
class Counts:
    """Clicks and applications of one channel, programme, mission or organisation."""

    key: str | int | None
    label: str
    clicks: int
    applications: int

    @property
    def rate(self) -> float | None:
        """Applications per click, None without clicks."""
        return self.applications / self.clicks if self.clicks else None

    def row(self) -> list:
        return [self.label, self.clicks, self.applications, rate_text(self.clicks, self.applications)]


def rate_text(clicks: int, applications: int) -> str:
    return f"{100 * applications / clicks:.1f} %" if clicks else "–"


_COUNTS = {
    "clicks": Sum("count", filter=Q(kind=Kind.CLICK), default=0),
    "applications": Sum("count", filter=Q(kind=Kind.APPLICATION), default=0),
}
_RATE_HEADERS = ["Clics", "Candidatures", "Taux clic → candidature"]


def weekly(scope: Scope, today: dt.date) -> list[tuple[dt.date, int]]:
    """Applications of the last ``WEEKS`` weeks, by the Monday starting them."""
    monday = today - dt.timedelta(days=today.weekday())
    first = monday - dt.timedelta(weeks=WEEKS - 1)
    by_day = scope.stats().filter(kind=Kind.APPLICATION, day__gte=first).values("day").annotate(n=Sum("count"))
    weeks = {first + dt.timedelta(weeks=i): 0 for i in range(WEEKS)}
    for row in by_day:
        weeks[row["day"] - dt.timedelta(days=row["day"].weekday())] += row["n"]
    return list(weeks.items())


def by_channel(scope: Scope) -> list[Counts]:
    found = {row["channel"]: row for row in scope.stats().values("channel").annotate(**_COUNTS)}
    empty = {"clicks": 0, "applications": 0}
    return [
        Counts(channel, str(label), found.get(channel, empty)["clicks"], found.get(channel, empty)["applications"])
        for channel, label in Channel.choices
    ]


def by_programme(scope: Scope) -> list[Counts]:
    labels = dict(Programme.objects.values_list("pk", "label"))
    found = scope.stats().values("programme_id").annotate(**_COUNTS).order_by("-applications", "programme_id")
    return [
        Counts(r["programme_id"], labels.get(r["programme_id"], "Sans dispositif"), r["clicks"], r["applications"])
        for r in found
        if r["clicks"] or r["applications"]
    ]


def top_missions(scope: Scope) -> list[Counts]:
    found = list(
        scope.stats()
        .exclude(mission_id=None)
        .values("mission_id")
        .annotate(**_COUNTS)
        .order_by("-applications", "-clicks", "mission_id")[:TOP]
    )
    titles = dict(Mission.objects.filter(pk__in=[r["mission_id"] for r in found]).values_list("pk", "title"))
    return [
        Counts(
            r["mission_id"], titles.get(r["mission_id"], f"Mission {r['mission_id']}"), r["clicks"], r["applications"]
        )
        for r in found
    ]


def top_organisations(scope: Scope) -> list[Counts]:
    found = list(
        scope.stats()
        .exclude(organization_id=None)
        .values("organization_id")
        .annotate(**_COUNTS)
        .order_by("-applications", "-clicks", "organization_id")[:TOP]
    )
    names = dict(Organization.objects.filter(pk__in=[r["organization_id"] for r in found]).values_list("pk", "name"))
    return [
        Counts(r["organization_id"], names.get(r["organization_id"], "?"), r["clicks"], r["applications"])
        for r in found
    ]


@dataclasses.dataclass
class Impact:
    """Every figure of the dashboard for one scope: what the admin page, its CSV exports and ``impactStats`` show."""

    scope: Scope
    applications: int
    clicks: int
    goal: int
    weeks: list[tuple[dt.date, int]]
    channels: list[Counts]
    programmes: list[Counts]
    missions: list[Counts]
    organisations: list[Counts]
    cards: CardFigures | None
    #: Young people's accounts opened (``account_created``): staff only, accounts belong to no organisation.
    accounts: int | None = None

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.applications / self.goal)) if self.goal else 0

    @property
    def rate(self) -> str:
        return rate_text(self.clicks, self.applications)

    @property
    def tables(self) -> list[Table]:
        tables = []
        if self.scope.missions:
            weeks = [[f"{week:%d/%m}", count] for week, count in self.weeks]
            tables += [
                Table("semaines", "Candidatures par semaine (12 dernières)", ["Semaine du", "Candidatures"], weeks, 1),
                Table("canaux", "Candidatures par canal", ["Canal", *_RATE_HEADERS], _rows(self.channels), 2),
                Table(
                    "dispositifs",
                    "Candidatures par dispositif",
                    ["Dispositif", *_RATE_HEADERS],
                    _rows(self.programmes),
                    2,
                ),
                Table(
                    "missions",
                    "Missions qui génèrent le plus de candidatures",
                    ["Mission", *_RATE_HEADERS],
                    _rows(self.missions),
                ),
            ]
        if self.scope.everything:
            tables.append(
                Table(
                    "organisations",
                    "Organisations qui génèrent le plus de candidatures",
                    ["Organisation", *_RATE_HEADERS],
                    _rows(self.organisations),
                )
            )
        if self.cards is not None:
            tables += card_tables(self.cards)
        return tables


def _rows(counts: list[Counts]) -> list[list]:
    return [c.row() for c in counts]


def impact(scope: Scope, today: dt.date) -> Impact:
    """The figures ``scope`` may see, read from the daily aggregates: the one computation behind the dashboard, its
    CSV exports and ``impactStats``."""
    missions = scope.missions
    # Accounts belong to no organisation: staff only, counted in the same statement as the totals.
    accounts = {"accounts": Sum("count", filter=Q(kind=Kind.ACCOUNT_CREATED), default=0)} if scope.everything else {}
    totals = scope.stats().aggregate(**_COUNTS, **accounts) if missions else {"applications": 0, "clicks": 0}
    return Impact(
        scope=scope,
        applications=totals["applications"],
        clicks=totals["clicks"],
        goal=settings.APPLICATIONS_GOAL,
        weeks=weekly(scope, today) if missions else [],
        channels=by_channel(scope) if missions else [],
        programmes=by_programme(scope) if missions else [],
        missions=top_missions(scope) if missions else [],
        organisations=top_organisations(scope) if scope.everything else [],
        cards=card_figures(scope, today) if scope.cards else None,
        accounts=totals.get("accounts"),
    )
