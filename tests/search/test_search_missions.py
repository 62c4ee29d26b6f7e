"""What a young person gets when searching missions, the same on every backend."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cms.missions.models import Mission
from cms.taxonomy.models import Domain, Programme
from search.base import Near, Sort
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.taxonomy import DomainFactory

from .conftest import counts, pks

LYON = (45.7640, 4.8357)
VILLEURBANNE = (45.7719, 4.8902)  # about 5 km from Lyon
GRENOBLE = (45.1885, 5.7245)  # about 95 km from Lyon
PARIS = (48.8566, 2.3522)


def at(mission, point, **kwargs):
    return MissionAddressFactory(mission=mission, latitude=point[0], longitude=point[1], **kwargs)


def test_accents_and_case_are_ignored(reindex, search_missions):
    mission = MissionFactory(title="Bénévolat au Secours populaire")
    MissionFactory(title="Atelier de lecture")
    reindex()
    assert pks(search_missions("BENEVOLAT")) == [mission.pk]


def test_a_plural_finds_its_word_family(reindex, search_missions):
    mission = MissionFactory(title="Bénévolat dans une épicerie solidaire")
    reindex()
    assert pks(search_missions("bénévoles")) == [mission.pk]


def test_a_title_match_ranks_above_a_description_and_organisation_match(reindex, search_missions):
    in_description = MissionFactory(title="Aide aux devoirs", description_html="<p>Un peu de jardinage aussi.</p>")
    in_organisation = MissionFactory(title="Accueil du public", organization__name="Les jardiniers du quartier")
    in_title = MissionFactory(title="Jardinage partagé au pied des immeubles")
    reindex()
    assert pks(search_missions("jardinage"))[0] == in_title.pk
    assert set(pks(search_missions("jardin"))) == {in_description.pk, in_organisation.pk, in_title.pk}


def test_a_typo_in_the_title_still_finds_the_mission(reindex, search_missions):
    mission = MissionFactory(title="Accompagnement de personnes âgées isolées")
    reindex()
    assert pks(search_missions("acompagnement")) == [mission.pk]


def test_words_nobody_wrote_find_nothing(reindex, search_missions):
    MissionFactory(title="Accompagnement de personnes âgées isolées")
    reindex()
    result = search_missions("astrophysique")
    assert (result.total, result.hits) == (0, [])


@pytest.mark.parametrize(
    ("matching", "other", "filters"),
    [
        ({"programme_slug": "benevolat"}, {}, {"programme": ["benevolat"]}),
        ({"domain_slug": "environnement"}, {}, {"domain": ["environnement", "sante"]}),
        ({"remote": Mission.Remote.POSSIBLE}, {}, {"remote": ["possible"]}),
        ({"source": "jeveuxaider"}, {}, {"source": ["jeveuxaider"]}),
        ({"open_to_minors": True}, {}, {"open_to_minors": True}),
        ({"reduced_mobility_accessible": True}, {}, {"accessible": True}),
        (
            {"start_date": datetime.date(2031, 3, 1)},
            {"start_date": datetime.date(2031, 1, 1)},
            {"start_after": "2031-02-01"},
        ),
        (
            {"start_date": datetime.date(2031, 1, 1)},
            {"start_date": datetime.date(2031, 3, 1)},
            {"start_before": "2031-02-01"},
        ),
        ({"programme_slug": "benevolat"}, {"programme_slug": "snu"}, {"eligible_at_age": 22}),
        ({"open_to_minors": True}, {"open_to_minors": False}, {"eligible_at_age": 16}),
        ({"activities": ["jardinage", "logistique"]}, {"activities": ["animation"]}, {"activity": ["logistique"]}),
    ],
    ids=[
        "programme",
        "domain",
        "remote",
        "source",
        "minors",
        "accessibility",
        "starting-after",
        "starting-before",
        "age",
        "minor-age",
        "activity",
    ],
)
def test_a_filter_keeps_only_the_missions_that_match_it(reindex, search_missions, matching, other, filters):
    def create(fields):
        fields = dict(fields)
        if "programme_slug" in fields:
            fields["programme"] = Programme.objects.get(slug=fields.pop("programme_slug"))
        if "domain_slug" in fields:
            fields["domain"] = Domain.objects.get(slug=fields.pop("domain_slug"))
        return MissionFactory(**fields)

    wanted = create(matching)
    create(other)
    reindex()
    assert pks(search_missions(filters=filters)) == [wanted.pk]


def test_the_organisation_filter_keeps_that_organisation_missions(reindex, search_missions):
    organisation = OrganizationFactory()
    wanted = MissionFactory(organization=organisation)
    MissionFactory()
    reindex()
    assert pks(search_missions(filters={"organization": [organisation.pk]})) == [wanted.pk]


def test_excluded_organisations_are_left_out_of_hits_totals_and_facets(reindex, search_missions):
    excluded = OrganizationFactory()
    MissionFactory(organization=excluded, domain=Domain.objects.get(slug="environnement"))
    kept = MissionFactory(domain=Domain.objects.get(slug="sante"))
    without = MissionFactory(organization=None, domain=Domain.objects.get(slug="sante"))
    reindex()

    result = search_missions(filters={"excluded_organization": [excluded.pk]})

    assert (sorted(pks(result)), result.total) == (sorted([kept.pk, without.pk]), 2)
    assert counts(result, "domain") == {"sante": 2}


@pytest.mark.parametrize(
    "filters",
    [{"department": ["38"]}, {"region": ["auvergne-rhône-alpes"]}, {"city": ["GRENOBLE"]}],
    ids=["department", "region", "city"],
)
def test_a_mission_matches_a_place_filter_when_any_of_its_addresses_does(reindex, search_missions, filters):
    two_cities = MissionFactory()
    at(two_cities, PARIS, postcode="75011", city="Paris", department_code="75", region="Île-de-France")
    at(two_cities, GRENOBLE, postcode="38000", city="Grenoble", department_code="38", region="Auvergne-Rhône-Alpes")
    at(MissionFactory(), PARIS, postcode="75011", city="Paris", department_code="75", region="Île-de-France")
    reindex()
    assert pks(search_missions(filters=filters)) == [two_cities.pk]


def test_missions_near_a_point_are_sorted_by_distance_with_their_distance(reindex, search_missions):
    far = at(MissionFactory(), GRENOBLE).mission
    near = at(MissionFactory(), VILLEURBANNE).mission
    here = at(MissionFactory(), LYON).mission
    at(MissionFactory(), PARIS)
    reindex()
    result = search_missions(near=Near(*LYON, radius_km=120), sort=Sort.DISTANCE)
    assert pks(result) == [here.pk, near.pk, far.pk]
    assert [round(hit.distance_km) for hit in result.hits] == [0, 4, 94]


def test_equal_relevance_near_a_point_puts_the_nearest_mission_first(reindex, search_missions):
    posted = timezone.now() - datetime.timedelta(days=3)
    far = at(MissionFactory(title="Tutorat de collégiens", posted_at=timezone.now()), GRENOBLE).mission
    here = at(MissionFactory(title="Tutorat de collégiens", posted_at=posted), LYON).mission
    near = at(MissionFactory(title="Tutorat de collégiens", posted_at=posted), VILLEURBANNE).mission
    reindex()
    result = search_missions(text="tutorat collégiens", near=Near(*LYON, radius_km=120), sort=Sort.RELEVANCE)
    assert pks(result) == [here.pk, near.pk, far.pk]


def test_a_mission_is_near_when_any_of_its_addresses_is_inside_the_radius(reindex, search_missions):
    mission = MissionFactory()
    at(mission, PARIS)
    at(mission, VILLEURBANNE)
    reindex()
    result = search_missions(near=Near(*LYON, radius_km=20))
    assert pks(result) == [mission.pk]
    assert round(result.hits[0].distance_km) == 4


def test_a_geographic_search_keeps_only_the_missions_that_pass_the_other_filters(reindex, search_missions):
    kept = at(MissionFactory(domain=Domain.objects.get(slug="environnement")), VILLEURBANNE).mission
    at(MissionFactory(domain=Domain.objects.get(slug="sante")), LYON)
    reindex()
    result = search_missions(near=Near(*LYON, radius_km=20), filters={"domain": ["environnement"]})
    assert pks(result) == [kept.pk]
    assert round(result.hits[0].distance_km) == 4


def test_pages_sorted_by_distance_follow_each_other_from_the_closest(reindex, search_missions):
    by_distance = [at(MissionFactory(), (LYON[0] + 0.01 * i, LYON[1])).mission.pk for i in range(5)]
    reindex()
    seen, after = [], None
    while True:
        page = search_missions(near=Near(*LYON, radius_km=20), first=2, after=after)
        seen += pks(page)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == by_distance


def test_full_remote_missions_join_a_geographic_search_only_when_asked(reindex, search_missions):
    local = at(MissionFactory(), LYON).mission
    remote = MissionFactory(remote=Mission.Remote.FULL)
    reindex()
    near = Near(*LYON, radius_km=10)
    assert pks(search_missions(near=near)) == [local.pk]
    assert pks(search_missions(near=near, include_everywhere=True)) == [local.pk, remote.pk]


def test_facets_count_every_match_not_only_the_returned_page(reindex, search_missions):
    environment = Domain.objects.get(slug="environnement")
    MissionFactory.create_batch(3, domain=environment)
    MissionFactory.create_batch(2)
    reindex()
    result = search_missions(first=1)
    assert len(result.hits) == 1
    assert result.total == 5
    assert counts(result, "domain") == {"environnement": 3, "education": 2}


def test_a_facet_ignores_its_own_selection_but_not_the_others(reindex, search_missions):
    environment = Domain.objects.get(slug="environnement")
    benevolat = Programme.objects.get(slug="benevolat")
    MissionFactory.create_batch(3, domain=environment)
    MissionFactory.create_batch(2, domain=environment, programme=benevolat)
    MissionFactory(programme=benevolat)
    reindex()
    result = search_missions(filters={"domain": ["environnement"], "programme": ["benevolat"]})
    assert result.total == 2
    assert counts(result, "domain") == {"environnement": 2, "education": 1}
    assert counts(result, "programme") == {"service-civique": 3, "benevolat": 2}
    assert [(v.value, v.selected) for v in result.facets["domain"]] == [("environnement", True), ("education", False)]


@pytest.mark.parametrize("narrowing", [{}, {"near": Near(*LYON, radius_km=1000)}], ids=["everywhere", "near"])
def test_the_department_facet_counts_a_mission_once_per_department(reindex, search_missions, narrowing):
    mission = MissionFactory()
    at(mission, LYON, department_code="69")
    at(mission, VILLEURBANNE, department_code="69")
    at(mission, PARIS, department_code="75")
    at(MissionFactory(), GRENOBLE, department_code="38")
    reindex()
    assert counts(search_missions(**narrowing), "department") == {"38": 1, "69": 1, "75": 1}
    assert counts(search_missions(filters={"department": ["75"]}, **narrowing), "department") == {
        "38": 1,
        "69": 1,
        "75": 1,
    }


@pytest.mark.parametrize("narrowing", [{}, {"near": Near(*LYON, radius_km=1000)}], ids=["everywhere", "near"])
def test_the_department_and_domain_facets_each_ignore_only_their_own_selection(reindex, search_missions, narrowing):
    environment, education = Domain.objects.get(slug="environnement"), Domain.objects.get(slug="education")
    at(MissionFactory(domain=environment), LYON, department_code="69")
    at(MissionFactory(domain=environment), PARIS, department_code="75")
    MissionFactory(domain=environment)
    at(MissionFactory(domain=education), LYON, department_code="69")
    two_departments = MissionFactory(domain=education)
    at(two_departments, VILLEURBANNE, department_code="69")
    at(two_departments, GRENOBLE, department_code="38")
    reindex()
    result = search_missions(filters={"domain": ["environnement"], "department": ["69"]}, **narrowing)
    assert result.total == 1
    assert counts(result, "domain") == {"education": 2, "environnement": 1}
    assert counts(result, "department") == {"69": 1, "75": 1}


def test_a_mission_without_address_joining_a_geographic_search_counts_in_no_department(reindex, search_missions):
    at(MissionFactory(), LYON, department_code="69")
    MissionFactory(remote=Mission.Remote.FULL)
    reindex()
    result = search_missions(near=Near(*LYON, radius_km=10), include_everywhere=True)
    assert result.total == 2
    assert counts(result, "department") == {"69": 1}
    assert sum(counts(result, "domain").values()) == 2


def test_a_selected_value_with_no_match_left_is_still_listed(reindex, search_missions):
    MissionFactory()
    reindex()
    result = search_missions(filters={"domain": ["sport"], "programme": ["snu"]})
    assert ("sport", 0, True) in [(v.value, v.count, v.selected) for v in result.facets["domain"]]


def test_a_domain_created_after_the_others_is_counted_and_filtered_under_its_slug(reindex, search_missions):
    newcomer = DomainFactory(slug="patrimoine", label="Patrimoine")
    mission = MissionFactory(domain=newcomer, remote=Mission.Remote.FULL)
    MissionFactory()
    reindex()
    result = search_missions(filters={"domain": ["patrimoine"]})
    assert (pks(result), counts(result, "domain")) == ([mission.pk], {"patrimoine": 1, "education": 1})
    assert counts(result, "remote") == {"full": 1}


def test_missions_without_a_domain_or_programme_are_counted_under_no_value(reindex, search_missions):
    MissionFactory(domain=None, programme=None)
    MissionFactory()
    reindex()
    result = search_missions()
    assert (result.total, counts(result, "domain"), counts(result, "programme")) == (
        2,
        {"education": 1},
        {"service-civique": 1},
    )


def test_a_filter_on_a_value_no_term_has_finds_nothing(reindex, search_missions):
    MissionFactory()
    reindex()
    result = search_missions(filters={"domain": ["inconnu"], "remote": ["nulle-part"]})
    assert (result.total, counts(result, "domain"), counts(result, "remote")) == (0, {"inconnu": 0}, {"nulle-part": 0})


def test_missions_can_be_sorted_by_start_date_or_newest(reindex, search_missions):
    today = timezone.localdate()
    later = MissionFactory(start_date=today + datetime.timedelta(days=30), posted_at=timezone.now())
    sooner = MissionFactory(
        start_date=today + datetime.timedelta(days=2), posted_at=timezone.now() - datetime.timedelta(days=3)
    )
    reindex()
    assert pks(search_missions(sort=Sort.START_DATE)) == [sooner.pk, later.pk]
    assert pks(search_missions(sort=Sort.NEWEST)) == [later.pk, sooner.pk]


def test_pages_follow_each_other_without_gaps_or_repeats(reindex, search_missions):
    posted = timezone.now()
    created = {m.pk for m in MissionFactory.create_batch(7, posted_at=posted)}
    reindex()
    seen, after = [], None
    while True:
        page = search_missions(first=3, after=after)
        seen += pks(page)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert len(seen) == 7
    assert set(seen) == created


@pytest.mark.parametrize(
    "hidden",
    [
        {"live": False},
        {"moderation_status": Mission.Moderation.PENDING},
        {"moderation_status": Mission.Moderation.REFUSED, "moderation_reason": "Hors sujet"},
        {"archived_at": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)},
        {"start_date": datetime.date(2020, 1, 1), "end_date": datetime.date(2020, 6, 1)},
    ],
    ids=["draft", "pending", "refused", "archived", "over"],
)
def test_only_live_accepted_current_missions_are_found(reindex, search_missions, hidden):
    visible = MissionFactory(title="Maraude solidaire")
    MissionFactory(title="Maraude solidaire", **hidden)
    reindex()
    assert pks(search_missions("maraude")) == [visible.pk]


def test_the_words_of_a_search_may_be_spread_over_title_organisation_and_description(reindex, search_missions):
    mission = MissionFactory(title="Accueil du public", organization__name="Les jardiniers du quartier")
    MissionFactory(title="Accueil des familles")
    reindex()
    assert pks(search_missions("accueil jardiniers")) == [mission.pk]


def test_stop_words_and_one_letter_words_are_not_required(reindex, search_missions):
    mission = MissionFactory(title="Accueil ferme pédagogique")
    reindex()
    assert pks(search_missions("accueil à la ferme")) == [mission.pk]


def test_a_word_that_matches_finds_no_look_alike(reindex, search_missions):
    sport = MissionFactory(title="Sport pour tous")
    MissionFactory(title="Port de plaisance")
    reindex()
    assert pks(search_missions("sport")) == [sport.pk]


def test_words_of_four_letters_or_more_match_as_prefixes_shorter_ones_do_not(reindex, search_missions):
    mission = MissionFactory(title="Jardinage partagé", description_html="<p>Un potager bio.</p>")
    reindex()
    assert pks(search_missions("jardi")) == [mission.pk]
    assert pks(search_missions("pot bi")) == []


def test_the_title_is_highlighted_whole_and_escaped_alike(reindex, search_missions):
    mission = MissionFactory(title="Jardin d'été / potager partagé", description_html="<p>Rien à voir.</p>")
    reindex()
    [hit] = search_missions("potager").hits
    assert hit.pk == mission.pk
    assert hit.highlight["title"] == "Jardin d&#x27;été / <mark>potager</mark> partagé"


def test_the_description_is_highlighted_as_its_24_words_from_six_before_the_first_match(reindex, search_missions):
    words = " ".join(["atelier"] * 40 + ["compost", "d'été", "/"] + ["atelier"] * 40)
    MissionFactory(title="Atelier", description_html=f"<p>{words}</p>")
    reindex()
    [hit] = search_missions("compost").hits
    after = ["d&#x27;été", "/"] + ["atelier"] * 15
    assert hit.highlight["description"] == " ".join(["atelier"] * 6 + ["<mark>compost</mark>"] + after)


def test_a_match_near_the_end_of_the_description_still_gets_24_words(reindex, search_missions):
    words = " ".join(["atelier"] * 40 + ["compost", "final"])
    MissionFactory(title="Atelier", description_html=f"<p>{words}</p>")
    reindex()
    [hit] = search_missions("compost").hits
    assert hit.highlight["description"] == " ".join(["atelier"] * 22 + ["<mark>compost</mark>", "final"])


def test_a_text_search_sorted_by_date_still_reports_scores(reindex, search_missions):
    MissionFactory(title="Maraude solidaire")
    reindex()
    [hit] = search_missions("maraude", sort=Sort.NEWEST).hits
    assert hit.score > 0
