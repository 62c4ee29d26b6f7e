"""``impactStats``: the dashboard's figures in GraphQL, from the same computation, for whom may see them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from graphql import parse, validate

from cms.cards.models import ActivationDailyStat, CardDailyStat
from cms.offers.onboarding import onboard_partner
from graphql_api.schema import schema
from tests.factories.missions import MissionFactory
from tests.factories.offers import PartnerPageFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.users import EditorFactory, OrganisationMemberFactory, UserFactory
from tests.tracking.figures import stat

pytestmark = pytest.mark.django_db

IMPACT_STATS = (
    Path(__file__).resolve().parents[2] / "frontend_contract" / "operations" / "staff" / "impact_stats.graphql"
).read_text(encoding="utf-8")


def saved(partner, count: int, euros: str) -> None:
    ActivationDailyStat.objects.create(
        day=timezone.localdate(), partner_id=partner.pk, activations=count, used=0, saving=Decimal(euros)
    )


@pytest.fixture
def history(offers_index):
    ours = OrganizationFactory(name="Les Jardins Partagés")
    garden = MissionFactory(organization=ours, title="Cultiver un potager solidaire")
    football = MissionFactory(organization=OrganizationFactory(name="Sport pour Tous"), title="Football")
    stat(garden, "click", 40)
    stat(garden, "application", 10)
    stat(football, "click", 30, channel="widget")
    stat(football, "application", 3, channel="widget")
    bookshop = onboard_partner("Librairie du Centre", user_emails=["stock@librairie.example.fr"]).page
    saved(bookshop, 4, "30.00")
    saved(PartnerPageFactory(title="Épicerie Bio"), 6, "51.00")
    CardDailyStat.objects.create(day=timezone.localdate(), active_cards=42)
    return ours


def ask(client, user=None) -> dict:
    if user is not None:
        client.force_login(user)
    response = client.post("/graphql/", json.dumps({"query": IMPACT_STATS}), content_type="application/json")
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_operation_is_valid_against_the_schema():
    assert validate(schema._schema, parse(IMPACT_STATS)) == []


def test_staff_get_every_figure_of_the_dashboard(client, history):
    stats = ask(client, EditorFactory())["data"]["impactStats"]

    assert (stats["everything"], stats["applications"], stats["clicks"], stats["applicationsGoal"]) == (
        True,
        13,
        70,
        2000,
    )
    assert {"label": "Widget", "clicks": 30, "applications": 3, "rate": 0.1} in stats["channels"]
    assert len(stats["weeks"]) == 12
    assert [o["label"] for o in stats["topOrganisations"]] == ["Les Jardins Partagés", "Sport pour Tous"]
    assert (stats["cards"]["eurosSaved"], stats["cards"]["activeCards"]) == ("81.00", 42)
    assert [p["label"] for p in stats["cards"]["byPartner"]] == ["Épicerie Bio", "Librairie du Centre"]


def test_an_organisation_s_member_gets_their_organisation_s_figures_only(client, history):
    stats = ask(client, OrganisationMemberFactory(organisation=history))["data"]["impactStats"]

    assert (stats["everything"], stats["applications"], stats["clicks"]) == (False, 10, 40)
    assert [m["label"] for m in stats["topMissions"]] == ["Cultiver un potager solidaire"]
    assert stats["topOrganisations"] == []
    assert stats["cards"] is None


def test_a_partner_s_person_gets_their_offers_figures_only(client, history):
    stats = ask(client, UserFactory(username="stock@librairie.example.fr"))["data"]["impactStats"]

    assert stats["applications"] == 0
    assert stats["cards"]["eurosSaved"] == "30.00"
    assert stats["cards"]["activeCards"] is None
    assert [p["label"] for p in stats["cards"]["byPartner"]] == ["Librairie du Centre"]


def test_an_anonymous_caller_is_asked_to_sign_in_in_french(client, history):
    error = ask(client)["errors"][0]

    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == "Connectez-vous à l'administration de Tremplin pour voir les chiffres d'impact."


def test_someone_without_figures_is_refused_in_french(client, history):
    error = ask(client, UserFactory())["errors"][0]

    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["message"].startswith("Les chiffres d'impact sont réservés à l'équipe Tremplin")


#: Session and user, permissions, the mission figures (totals, weeks, channels, programmes and their labels, top
#: missions and organisations with their names) and the card's (totals, categories, months, partners, active cards).
IMPACT_QUERIES = 19


def test_impact_stats_read_aggregates_in_a_fixed_number_of_queries(client, history, django_assert_max_num_queries):
    client.force_login(EditorFactory())

    with django_assert_max_num_queries(IMPACT_QUERIES):
        body = client.post("/graphql/", json.dumps({"query": IMPACT_STATS}), content_type="application/json").json()

    assert body["data"]["impactStats"]["everything"] is True
