"""The impact dashboard in the admin: staff see everything, organisations' members their own figures only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cms.core.roles import ADMIN_ACCESS
from tests.factories.missions import MissionFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.users import EditorFactory, OrganisationMemberFactory, UserFactory
from tests.tracking.figures import stat

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    ours, theirs = OrganizationFactory(name="Les Jardins Partagés"), OrganizationFactory(name="Sport pour Tous")
    garden = MissionFactory(organization=ours, title="Cultiver un potager solidaire")
    football = MissionFactory(organization=theirs, title="Entraîner une équipe de football")
    stat(garden, "click", 40)
    stat(garden, "application", 10)
    stat(football, "click", 30, channel="widget")
    stat(football, "application", 3, channel="widget")
    return ours


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("tracking_impact"), params)


def test_staff_see_every_figure_with_progress_to_the_goal(client, history):
    html = " ".join(page(client, EditorFactory()).content.decode().split())

    assert "13 candidatures générées (1 % de l'objectif), 70 clics" in html
    assert "Cultiver un potager solidaire" in html
    assert "Entraîner une équipe de football" in html
    assert "Organisations qui génèrent le plus de candidatures" in html


def test_an_organisations_member_sees_only_their_organisations_figures(client, history):
    member = OrganisationMemberFactory(organisation=history)

    html = " ".join(page(client, member).content.decode().split())

    assert "10 candidatures générées" in html
    assert "Cultiver un potager solidaire" in html
    assert "football" not in html
    assert "Organisations qui génèrent le plus" not in html


def test_a_partners_person_sees_no_figure(client, history):
    from django.contrib.auth.models import Permission

    person = UserFactory()
    app, codename = ADMIN_ACCESS.split(".")
    person.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))

    html = page(client, person).content.decode()

    assert "Aucun chiffre n'est rattaché à votre compte" in html
    assert "potager" not in html


def test_each_table_exports_as_csv(client, history):
    response = page(client, EditorFactory(), export="canaux")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Disposition"] == 'attachment; filename="impact-canaux.csv"'
    assert lines[0] == "Canal;Clics;Candidatures;Taux clic → candidature"
    assert "Site Tremplin;40;10;25.0 %" in lines
    assert "Widget;30;3;10.0 %" in lines


def test_an_unknown_export_is_not_found(client, history):
    assert page(client, EditorFactory(), export="secret").status_code == 404


def test_the_dashboard_needs_a_signed_in_person(client):
    response = client.get(reverse("tracking_impact"))

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
