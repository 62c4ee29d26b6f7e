"""Mission search: filters, one mission by id, and what never appears (refused, archived, over, drafts)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cms.missions.models import Mission
from cms.taxonomy.models import Domain, Programme
from tests.factories.missions import MissionAddressFactory, MissionFactory

MISSION_TITLES = """
query Missions($filters: MissionFilter) {
  missions(first: 100, filters: $filters) { totalCount edges { node { title } } }
}
"""

MISSION_BY_ID = """
query Mission($id: ID!) {
  mission(id: $id) { title organisation { name } programme { slug } addresses { city } }
}
"""


def titles(result) -> list[str]:
    assert result.errors == []
    return sorted(edge["node"]["title"] for edge in result.data["missions"]["edges"])


def test_missions_lists_public_missions(run_query):
    MissionFactory(title="Publique")

    assert titles(run_query(MISSION_TITLES)) == ["Publique"]


def test_missions_never_lists_a_refused_mission(run_query):
    MissionFactory(title="Refusée", moderation_status=Mission.Moderation.REFUSED, moderation_reason="Hors sujet")

    assert titles(run_query(MISSION_TITLES)) == []


def test_missions_never_lists_a_pending_mission(run_query):
    MissionFactory(title="En attente", moderation_status=Mission.Moderation.PENDING)

    assert titles(run_query(MISSION_TITLES)) == []


def test_missions_never_lists_an_archived_mission(run_query):
    MissionFactory(title="Archivée").archive()

    assert titles(run_query(MISSION_TITLES)) == []


def test_missions_never_lists_a_draft(run_query):
    MissionFactory(title="Brouillon", live=False)

    assert titles(run_query(MISSION_TITLES)) == []


def test_missions_never_lists_a_mission_that_is_over(run_query):
    MissionFactory(
        title="Terminée",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )

    assert titles(run_query(MISSION_TITLES)) == []


def test_missions_filter_by_programme_and_domain_slugs(run_query):
    MissionFactory(title="Service civique en éducation")
    MissionFactory(title="Bénévolat", programme=Programme.objects.exclude(slug="service-civique").first())
    MissionFactory(title="Autre domaine", domain=Domain.objects.exclude(slug="education").first())

    result = run_query(MISSION_TITLES, {"filters": {"programme": ["service-civique"], "domain": ["education"]}})

    assert titles(result) == ["Service civique en éducation"]


def test_missions_filter_by_remote(run_query):
    MissionFactory(title="À distance", remote=Mission.Remote.FULL)
    MissionFactory(title="Sur place", remote=Mission.Remote.NO)

    assert titles(run_query(MISSION_TITLES, {"filters": {"remote": "FULL"}})) == ["À distance"]


def test_missions_filter_by_department_of_an_address(run_query):
    MissionAddressFactory(mission=MissionFactory(title="Dans le Rhône"))
    MissionAddressFactory(mission=MissionFactory(title="À Paris"), city="Paris", postcode="75011", department_code="75")

    assert titles(run_query(MISSION_TITLES, {"filters": {"department": ["75"]}})) == ["À Paris"]


def test_missions_filter_by_city_ignores_case(run_query):
    MissionAddressFactory(mission=MissionFactory(title="Lyon"))
    MissionAddressFactory(mission=MissionFactory(title="Paris"), city="Paris", department_code="75")

    assert titles(run_query(MISSION_TITLES, {"filters": {"city": "lyon"}})) == ["Lyon"]


def test_missions_filter_by_start_dates(run_query):
    today = timezone.localdate()
    MissionFactory(title="Bientôt", start_date=today + datetime.timedelta(days=3))
    MissionFactory(title="Plus tard", start_date=today + datetime.timedelta(days=60))

    window = {"startsAfter": today.isoformat(), "startsBefore": (today + datetime.timedelta(days=10)).isoformat()}

    assert titles(run_query(MISSION_TITLES, {"filters": window})) == ["Bientôt"]


def test_missions_filter_open_to_minors_and_accessibility(run_query):
    MissionFactory(title="Accessible", open_to_minors=True, reduced_mobility_accessible=True)
    MissionFactory(title="Majeurs seulement", open_to_minors=False, reduced_mobility_accessible=True)

    filters = {"openToMinors": True, "reducedMobilityAccessible": True}

    assert titles(run_query(MISSION_TITLES, {"filters": filters})) == ["Accessible"]


def test_missions_eligible_at_an_age_follow_the_programme_bounds(run_query):
    programme = Programme.objects.get(slug="service-civique")
    programme.min_age, programme.max_age = 16, 25
    programme.save()
    MissionFactory(title="Service civique", open_to_minors=True)

    assert titles(run_query(MISSION_TITLES, {"filters": {"eligibleAtAge": 30}})) == []
    assert titles(run_query(MISSION_TITLES, {"filters": {"eligibleAtAge": 20}})) == ["Service civique"]


def test_missions_eligible_at_a_minor_age_need_missions_open_to_minors(run_query):
    MissionFactory(title="Ouverte aux mineurs", open_to_minors=True)
    MissionFactory(title="Majeurs seulement", open_to_minors=False)

    assert titles(run_query(MISSION_TITLES, {"filters": {"eligibleAtAge": 17}})) == ["Ouverte aux mineurs"]


def test_missions_near_a_point_keep_missions_with_an_address_within_the_radius(run_query):
    MissionAddressFactory(mission=MissionFactory(title="Lyon"))
    MissionAddressFactory(mission=MissionFactory(title="Grenoble"), city="Grenoble", latitude=45.1885, longitude=5.7245)

    near = {"near": {"latitude": 45.76, "longitude": 4.84, "radiusKm": 30}}

    assert titles(run_query(MISSION_TITLES, {"filters": near})) == ["Lyon"]


def test_missions_near_drops_the_corners_of_the_bounding_box(run_query):
    # 0.12° north and 0.17° east of the centre: inside the 15 km bounding box, about 19 km away.
    MissionAddressFactory(mission=MissionFactory(title="Coin"), latitude=45.88, longitude=5.01)

    near = {"near": {"latitude": 45.76, "longitude": 4.84, "radiusKm": 15}}

    assert titles(run_query(MISSION_TITLES, {"filters": near})) == []


def test_missions_eligible_at_an_impossible_age_is_refused(run_query):
    result = run_query(MISSION_TITLES, {"filters": {"eligibleAtAge": 0}})

    assert result.codes == ["BAD_USER_INPUT"]


def test_mission_by_database_id(run_query):
    mission = MissionFactory(title="Lire avec les enfants")
    MissionAddressFactory(mission=mission)

    result = run_query(MISSION_BY_ID, {"id": str(mission.pk)})

    assert result.errors == []
    assert result.data["mission"]["title"] == "Lire avec les enfants"
    assert result.data["mission"]["addresses"] == [{"city": "Lyon"}]


def test_mission_by_global_id(run_query):
    mission = MissionFactory(title="Lire avec les enfants")
    listed = run_query("{ missions(first: 1) { edges { node { id } } } }")
    global_id = listed.data["missions"]["edges"][0]["node"]["id"]

    result = run_query(MISSION_BY_ID, {"id": global_id})

    assert result.data["mission"]["title"] == mission.title


def test_mission_refused_is_not_found(run_query):
    mission = MissionFactory(moderation_status=Mission.Moderation.REFUSED, moderation_reason="Doublon")

    result = run_query(MISSION_BY_ID, {"id": str(mission.pk)})

    assert result.codes == ["NOT_FOUND"]


def test_mission_with_a_malformed_id_is_bad_user_input(run_query):
    result = run_query(MISSION_BY_ID, {"id": "pas-un-identifiant"})

    assert result.codes == ["BAD_USER_INPUT"]
