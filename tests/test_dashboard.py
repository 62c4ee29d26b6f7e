"""The dashboard puts first what staff must deal with: reviews waiting for them, failing feeds, refused missions."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from cms.core.roles import MISSION_REVIEW_WORKFLOW
from cms.missions.models import Mission
from cms.offers.onboarding import onboard_partner
from tests.factories.importers import FeedSourceFactory
from tests.factories.missions import MissionFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.users import EditorFactory, OrganisationMemberFactory

pytestmark = pytest.mark.django_db


def dashboard(client, user) -> BeautifulSoup:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel_text(soup: BeautifulSoup, panel_id: str) -> str:
    panel = soup.select_one(f"#{panel_id}-section")
    return " ".join(panel.get_text(" ").split()) if panel else ""


@pytest.fixture
def submitted_mission(db):
    member = OrganisationMemberFactory(organisation=OrganizationFactory())
    mission = MissionFactory(organization=member.organizations.get(), live=False)
    mission.save_revision(user=member)
    Workflow.objects.get(name=MISSION_REVIEW_WORKFLOW).start(mission, member)
    return mission


@pytest.fixture
def refused_missions(db):
    return MissionFactory.create_batch(2, moderation_status=Mission.Moderation.REFUSED, moderation_reason="Hors sujet.")


@pytest.fixture
def failing_feed(db):
    return FeedSourceFactory(name="Flux des Jeunes Solidaires", failing_since=timezone.now())


def test_staff_see_the_missions_waiting_for_their_review_first(client, submitted_mission):
    soup = dashboard(client, EditorFactory())
    assert "1 mission en attente de votre validation" in panel_text(soup, "to-do")
    panels = [panel.get("id") for panel in soup.select("section.w-panel")]
    assert panels[0] == "to-do-section"


def test_staff_see_the_refused_missions_count_linked_to_the_filtered_listing(client, refused_missions):
    soup = dashboard(client, EditorFactory())
    link = next(a for a in soup.select("#to-do-section a") if "missions refusées" in a.get_text())
    assert " ".join(link.get_text().split()) == "2 missions refusées"
    assert link["href"] == reverse(Mission.snippet_viewset.get_url_name("list")) + "?moderation_status=refused"


def test_staff_see_failing_feeds_linked_to_their_import_history(client, failing_feed):
    soup = dashboard(client, EditorFactory())
    assert "Flux des Jeunes Solidaires — en échec depuis le" in panel_text(soup, "failing-feeds")
    link = soup.select_one("#failing-feeds-section li a")
    assert link["href"] == reverse("wagtailsnippets_importers_importrun:list") + f"?source={failing_feed.pk}"


def test_staff_are_told_when_no_feed_fails(client, db):
    soup = dashboard(client, EditorFactory())
    assert "Aucun flux en erreur" in panel_text(soup, "failing-feeds")


def test_a_partner_sees_neither_feeds_nor_refused_missions(client, offers_index, refused_missions, failing_feed):
    partner = onboard_partner("Vélo Plus", user_emails=["lea@veloplus.fr"]).users[0]
    soup = dashboard(client, partner)
    assert soup.select_one("#failing-feeds-section") is None
    assert soup.select_one("#to-do-section") is None


def test_an_organisation_member_sees_neither_feeds_nor_refused_missions(client, refused_missions, failing_feed):
    soup = dashboard(client, OrganisationMemberFactory(organisation=OrganizationFactory()))
    assert soup.select_one("#failing-feeds-section") is None
    assert "refusée" not in panel_text(soup, "to-do")
