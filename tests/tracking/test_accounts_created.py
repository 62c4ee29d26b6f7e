"""``account_created`` events: one per young person's account, wherever it is opened, counted in the aggregates and
published where accounts make sense (public statistics, the staff's dashboard)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cms.cards.invitations import invite_csv, invite_rows
from cms.core.roles import CARDS_GROUP
from cms.tracking.aggregates import aggregate_day
from cms.tracking.models import DailyStat, Event, Kind
from tests.factories.cards import ReferentFactory, years_ago
from tests.factories.missions import MissionFactory
from tests.factories.taxonomy import ProgrammeFactory
from tests.factories.users import EditorFactory, OrganisationMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_STATS = "{ publicStats { accountsCreated minimumPublished } }"


def row(email: str, programme) -> dict[str, str]:
    return {
        "email": email,
        "first_name": "Inès",
        "last_name": "Moreau",
        "birth_date": years_ago(20).isoformat(),
        "programme": programme.slug,
        "programme_end_date": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat(),
    }


def accounts() -> list[Event]:
    return list(Event.objects.filter(kind=Kind.ACCOUNT_CREATED))


def test_an_invitation_records_the_account_with_the_person_reference_and_nothing_else(
    django_capture_on_commit_callbacks,
):
    referent = ReferentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        report = invite_rows(referent, [row("ines@example.fr", ProgrammeFactory())], first_line=None)

    [event] = accounts()
    person = report.invited[0]
    assert (event.user_id, event.channel, event.source) == (person.pk, "site", "referent")
    assert (event.visitor, event.mission_id, event.offer_id, event.token, event.status) == ("", None, None, "", "")


def test_a_repeated_invitation_opens_no_second_account(django_capture_on_commit_callbacks):
    referent, programme = ReferentFactory(), ProgrammeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invite_rows(referent, [row("ines@example.fr", programme)], first_line=None)

    with django_capture_on_commit_callbacks(execute=True):
        report = invite_rows(referent, [row("ines@example.fr", programme)], first_line=None)

    assert len(report.reinvited) == 1
    assert len(accounts()) == 1


def test_a_csv_invitation_records_one_account_per_person(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory()
    lines = ["email,prenom,nom,date_de_naissance,dispositif,fin_du_dispositif"]
    for n in range(3):
        values = row(f"jeune{n}@example.fr", programme)
        lines.append(
            f"{values['email']},Inès,Moreau,{values['birth_date']},{programme.slug},{values['programme_end_date']}"
        )

    with django_capture_on_commit_callbacks(execute=True):
        report = invite_csv(ReferentFactory(), "\n".join(lines))

    assert sorted(event.user_id for event in accounts()) == sorted(person.pk for person in report.invited)


def test_staff_opening_an_account_in_the_admin_record_it_as_theirs(client, django_capture_on_commit_callbacks):
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=CARDS_GROUP))
    client.force_login(staff)
    programme = ProgrammeFactory()
    form = {
        "first_name": "Inès",
        "last_name": "Moreau",
        "email": "ines@example.fr",
        "phone": "",
        "birth_date": years_ago(20).isoformat(),
        "programme": programme.pk,
        "programme_end_date": "2030-01-01",
        "postcode": "69002",
        "city": "Lyon",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/cards/young-people/new/", form)

    assert response.status_code == 302
    [event] = accounts()
    assert event.source == "staff"


def test_accounts_are_counted_in_the_daily_aggregates(django_capture_on_commit_callbacks):
    referent, programme = ReferentFactory(), ProgrammeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invite_rows(referent, [row(f"jeune{n}@example.fr", programme) for n in range(2)])

    aggregate_day(timezone.localdate())

    stat = DailyStat.objects.get(kind=Kind.ACCOUNT_CREATED)
    assert (stat.count, stat.visitors, stat.channel, stat.mission_id) == (2, 2, "site", None)


def accounts_stat(count: int) -> None:
    DailyStat.objects.create(
        day=timezone.localdate(), kind=Kind.ACCOUNT_CREATED, channel="site", source="referent", count=count, visitors=0
    )


def test_public_statistics_publish_accounts_created_above_the_threshold(client, settings):
    settings.STATS_MIN_COUNT = 10
    accounts_stat(42)

    data = client.post("/graphql/", {"query": PUBLIC_STATS}, "application/json").json()["data"]["publicStats"]
    html = " ".join(client.get("/stats/").content.decode().split())

    assert data["accountsCreated"] == 42
    assert "42 comptes de jeunes créés" in html


def test_public_statistics_hide_a_small_number_of_accounts(client, settings):
    settings.STATS_MIN_COUNT = 10
    accounts_stat(3)

    data = client.post("/graphql/", {"query": PUBLIC_STATS}, "application/json").json()["data"]["publicStats"]
    html = client.get("/stats/").content.decode()

    assert data["accountsCreated"] is None
    assert re.search(r"Moins de 10\s+comptes de jeunes créés", html)


def test_staff_see_accounts_created_on_the_dashboard_and_organisations_members_do_not(client):
    accounts_stat(7)
    member = OrganisationMemberFactory(organisation=MissionFactory().organization)

    client.force_login(EditorFactory())
    staff_html = " ".join(client.get(reverse("tracking_impact")).content.decode().split())
    client.force_login(member)
    member_html = client.get(reverse("tracking_impact")).content.decode()

    assert "7 comptes de jeunes créés" in staff_html
    assert "comptes de jeunes créés" not in member_html


def test_an_account_event_does_not_change_the_click_and_application_figures(client):
    accounts_stat(7)

    client.force_login(EditorFactory())
    html = " ".join(client.get(reverse("tracking_impact")).content.decode().split())

    assert "0 candidatures générées (0 % de l'objectif), 0 clics" in html
