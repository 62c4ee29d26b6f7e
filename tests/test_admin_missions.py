"""Missions in the Wagtail admin: organisations' members write their own organisations' missions only, hand-written
missions go through editorial review, imported missions only take moderation changes."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from cms.core.roles import MISSION_REVIEW_TASK
from cms.missions.models import HAND_WRITTEN_SOURCE, Mission
from cms.missions.permissions import mission_permission_policy
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.users import EditorFactory, OrganisationMemberFactory

pytestmark = pytest.mark.django_db


def mission_url(name: str, *args) -> str:
    return reverse(Mission.snippet_viewset.get_url_name(name), args=args)


def assert_permission_denied(response) -> None:
    """Wagtail's admin answers PermissionDenied (a 403 for XHR) with a redirect to the dashboard and an error."""
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert [message.level_tag for message in get_messages(response.wsgi_request)][-1] == "error"


def form_data(client, url: str):
    """What the browser would post back from the create or edit form at ``url``, untouched."""
    response = client.get(url)
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


@pytest.fixture
def organisation():
    return OrganizationFactory(name="Les Restos du Quartier")


@pytest.fixture
def other_organisation():
    return OrganizationFactory(name="Club de Rugby Solidaire")


@pytest.fixture
def member(organisation):
    return OrganisationMemberFactory(organisation=organisation)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory())
    return client


def hand_written(organisation, **fields) -> Mission:
    return MissionFactory(source=HAND_WRITTEN_SOURCE, organization=organisation, **fields)


def write_mission(client, organisation, action: str | None, title="Distribuer des repas le samedi", **changes):
    """Fill in the create form and press a button: ``action-submit``, ``action-publish``, or None to save a draft."""
    data = form_data(client, mission_url("add"))
    data.update(
        {
            "title": title,
            "organization": str(organisation.pk) if organisation else "",
            "description_html": "<p>Préparer et servir des repas chauds.</p>",
            **changes,
        }
    )
    if action:
        data[action] = "1"
    return client.post(mission_url("add"), data)


# Organisations' members and their own missions


def test_an_organisation_member_lists_only_their_organisations_missions(member_client, organisation):
    hand_written(organisation, title="Aide aux devoirs au local")
    hand_written(OrganizationFactory(), title="Entraîner les moins de 12 ans")
    content = member_client.get(mission_url("list")).content.decode()
    assert "Aide aux devoirs au local" in content
    assert "Entraîner les moins de 12 ans" not in content


def test_the_listings_search_results_are_limited_the_same_way(member_client, organisation):
    hand_written(organisation, title="Aide aux devoirs au local")
    hand_written(OrganizationFactory(), title="Aide aux devoirs au club")
    content = member_client.get(mission_url("list_results"), {"q": "devoirs"}).content.decode()
    assert "Aide aux devoirs au local" in content
    assert "Aide aux devoirs au club" not in content


def test_the_mission_chooser_offers_public_missions_and_the_members_own_drafts(member_client, organisation):
    hand_written(organisation, title="Brouillon de notre association", live=False)
    MissionFactory(title="Mission publique d'ailleurs")
    MissionFactory(title="Brouillon d'ailleurs", live=False)
    chooser = Mission.snippet_viewset.chooser_viewset
    content = member_client.get(reverse(chooser.get_url_name("choose_results"))).content.decode()
    assert "Brouillon de notre association" in content
    assert "Mission publique d&#x27;ailleurs" in content
    assert "Brouillon d&#x27;ailleurs" not in content


def test_searching_the_mission_chooser_keeps_to_what_the_member_may_see(member_client, organisation):
    hand_written(organisation, title="Brouillon de notre association", live=False)
    MissionFactory(title="Brouillon d'ailleurs", live=False)
    chooser = Mission.snippet_viewset.chooser_viewset
    content = member_client.get(reverse(chooser.get_url_name("choose_results")), {"q": "brouillon"}).content.decode()
    assert "Brouillon de notre association" in content
    assert "Brouillon d&#x27;ailleurs" not in content


def test_the_mission_chooser_will_not_hand_out_another_organisations_draft(member_client):
    draft = MissionFactory(title="Brouillon d'ailleurs", live=False)
    chooser = Mission.snippet_viewset.chooser_viewset
    response = member_client.get(reverse(chooser.get_url_name("chosen"), args=[draft.pk]))
    assert response.status_code == 404


def test_the_editorial_team_lists_every_mission(editor_client, organisation):
    hand_written(organisation, title="Aide aux devoirs au local")
    MissionFactory(title="Entraîner les moins de 12 ans")
    content = editor_client.get(mission_url("list")).content.decode()
    assert "Aide aux devoirs au local" in content
    assert "Entraîner les moins de 12 ans" in content


def test_an_organisation_member_can_open_their_organisations_mission(member_client, organisation):
    mission = hand_written(organisation)
    assert member_client.get(mission_url("edit", mission.pk)).status_code == 200


@pytest.mark.parametrize("view", ["edit", "history", "usage", "delete", "workflow_history"])
def test_an_organisation_member_cannot_open_another_organisations_mission(member_client, other_organisation, view):
    mission = hand_written(other_organisation)
    assert_permission_denied(member_client.get(mission_url(view, mission.pk)))


def test_another_organisations_mission_is_a_403_for_scripts(member_client, other_organisation):
    mission = hand_written(other_organisation)
    response = member_client.get(mission_url("edit", mission.pk), headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403


def test_an_organisation_member_cannot_change_another_organisations_mission(member_client, other_organisation):
    mission = hand_written(other_organisation, title="Entraîner les moins de 12 ans")
    response = member_client.post(
        mission_url("edit", mission.pk),
        {"title": "Piraté", "organization": other_organisation.pk, "description_html": "x", "action-submit": "1"},
    )
    assert_permission_denied(response)
    assert Mission.objects.get(pk=mission.pk).get_latest_revision_as_object().title == "Entraîner les moins de 12 ans"


def test_an_organisation_member_cannot_lock_another_organisations_mission(member_client, other_organisation):
    mission = hand_written(other_organisation)
    assert_permission_denied(member_client.post(mission_url("lock", mission.pk)))
    assert not Mission.objects.get(pk=mission.pk).locked


def test_the_create_form_offers_only_the_members_organisations(member_client, member, organisation):
    second = OrganizationFactory(name="Épicerie Solidaire")
    second.members.add(member)
    OrganizationFactory(name="Club de Rugby Solidaire")
    soup = WagtailTestUtils.get_soup(member_client.get(mission_url("add")).content)
    options = {option.get_text(strip=True) for option in soup.select("select[name=organization] option")}
    assert options == {"---------", "Les Restos du Quartier", "Épicerie Solidaire"}


def test_a_member_cannot_create_a_mission_for_another_organisation(member_client, other_organisation):
    response = write_mission(member_client, other_organisation, "action-submit")
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Mission.objects.filter(title="Distribuer des repas le samedi").exists()


def test_a_member_must_say_which_organisation_even_for_a_draft(member_client):
    response = write_mission(member_client, None, None)
    assert response.status_code == 200
    assert "Choisissez l&#x27;organisation qui propose la mission." in response.content.decode()
    assert not Mission.objects.exists()


def test_a_member_submits_a_new_mission_for_editorial_review(member_client, organisation):
    response = write_mission(member_client, organisation, "action-submit")
    assert response.status_code == 302
    mission = Mission.objects.get(title="Distribuer des repas le samedi")
    assert (mission.source, mission.organization) == (HAND_WRITTEN_SOURCE, organisation)
    assert not mission.live
    assert mission.current_workflow_task.name == MISSION_REVIEW_TASK


def test_a_member_posting_publish_only_saves_a_draft(member_client, organisation):
    write_mission(member_client, organisation, "action-publish")
    mission = Mission.objects.get(title="Distribuer des repas le samedi")
    assert not mission.live
    assert not mission.workflow_in_progress


def test_a_member_cannot_moderate_their_own_mission(member_client, organisation):
    write_mission(member_client, organisation, "action-submit", moderation_status=Mission.Moderation.ACCEPTED)
    mission = Mission.objects.get(title="Distribuer des repas le samedi")
    assert mission.get_latest_revision_as_object().moderation_status == Mission.Moderation.PENDING


def test_a_member_cannot_approve_their_own_mission(member_client, organisation):
    write_mission(member_client, organisation, "action-submit")
    mission = Mission.objects.get(title="Distribuer des repas le samedi")
    task_state = mission.current_workflow_task_state
    response = member_client.post(mission_url("workflow_action", mission.pk, "approve", task_state.pk), {"comment": ""})
    assert_permission_denied(response)
    assert not Mission.objects.get(pk=mission.pk).live


def test_editorial_approval_puts_a_submitted_mission_live_and_public(client, member, organisation):
    client.force_login(member)
    write_mission(client, organisation, "action-submit")
    mission = Mission.objects.get(title="Distribuer des repas le samedi")
    task_state = mission.current_workflow_task_state
    client.force_login(EditorFactory())
    response = client.post(mission_url("workflow_action", mission.pk, "approve", task_state.pk), {"comment": ""})
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.live
    assert mission.moderation_status == Mission.Moderation.ACCEPTED
    assert mission.get_latest_revision_as_object().moderation_status == Mission.Moderation.ACCEPTED
    assert list(Mission.objects.public()) == [mission]


def test_editorial_rejection_keeps_a_submitted_mission_offline(client, member, organisation):
    client.force_login(member)
    write_mission(client, organisation, "action-submit")
    mission = Mission.objects.get(title="Distribuer des repas le samedi")
    task_state = mission.current_workflow_task_state
    client.force_login(EditorFactory())
    client.post(mission_url("workflow_action", mission.pk, "reject", task_state.pk), {"comment": "Date manquante."})
    mission.refresh_from_db()
    assert not mission.live
    assert mission.moderation_status == Mission.Moderation.PENDING


def test_the_people_who_may_act_on_a_mission_are_editors_and_its_organisations_members(member, organisation):
    editor = EditorFactory()
    OrganisationMemberFactory(organisation=OrganizationFactory())
    mission = hand_written(organisation)
    users = mission_permission_policy.users_with_any_permission_for_instance(["change"], mission)
    assert set(users) == {editor, member}


# Imported missions


@pytest.fixture
def imported():
    mission = MissionFactory(source="jeveuxaider", title="Collecte alimentaire", moderation_status="pending")
    MissionAddressFactory(mission=mission, city="Lyon")
    return mission


def test_an_imported_mission_only_takes_moderation_changes(editor_client, imported):
    data = form_data(editor_client, mission_url("edit", imported.pk))
    data.update(
        {
            "title": "Titre changé à la main",
            "description_html": "<p>Autre description</p>",
            "places": "99",
            "moderation_status": Mission.Moderation.REFUSED,
            "moderation_reason": "Mission déjà pourvue.",
            "action-publish": "1",
        }
    )
    response = editor_client.post(mission_url("edit", imported.pk), data)
    assert response.status_code == 302
    mission = Mission.objects.get(pk=imported.pk)
    assert (mission.title, mission.places) == ("Collecte alimentaire", 2)
    assert "Autre description" not in mission.description_html
    assert (mission.moderation_status, mission.moderation_reason) == ("refused", "Mission déjà pourvue.")
    assert mission.moderated_at is not None


def test_an_imported_missions_addresses_cannot_be_added_or_removed(editor_client, imported):
    data = form_data(editor_client, mission_url("edit", imported.pk))
    data.update(
        {
            "addresses-0-DELETE": "1",
            "addresses-1-city": "Marseille",
            "addresses-1-postcode": "13001",
            "addresses-1-ORDER": "2",
            "addresses-TOTAL_FORMS": "2",
            "action-publish": "1",
        }
    )
    editor_client.post(mission_url("edit", imported.pk), data)
    assert list(imported.addresses.values_list("city", flat=True)) == ["Lyon"]


def test_refusing_an_imported_mission_needs_a_reason(editor_client, imported):
    data = form_data(editor_client, mission_url("edit", imported.pk))
    data.update({"moderation_status": Mission.Moderation.REFUSED, "moderation_reason": " ", "action-publish": "1"})
    response = editor_client.post(mission_url("edit", imported.pk), data)
    assert response.status_code == 200
    assert "Indiquez le motif du refus." in response.content.decode()
    assert Mission.objects.get(pk=imported.pk).moderation_status == Mission.Moderation.PENDING
