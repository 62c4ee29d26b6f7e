import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.missions.models import HAND_WRITTEN_SOURCE, Mission, MissionAddress
from tests.factories.missions import MissionAddressFactory, MissionFactory

pytestmark = pytest.mark.django_db


def test_public_missions_exclude_refused_pending_archived_unpublished_and_finished_ones():
    visible = MissionFactory()
    MissionFactory(moderation_status=Mission.Moderation.REFUSED, moderation_reason="Doublon")
    MissionFactory(moderation_status=Mission.Moderation.PENDING)
    MissionFactory(archived_at=timezone.now())
    MissionFactory(live=False)
    MissionFactory(
        start_date=timezone.localdate() - datetime.timedelta(days=60),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert list(Mission.objects.public()) == [visible]


def test_the_plain_text_description_is_derived_from_the_html_on_save():
    mission = MissionFactory(description_html="<p>Aider &agrave; la <strong>collecte</strong></p><p>alimentaire</p>")
    assert mission.description_text == "Aider à la collecte\nalimentaire"


def test_archiving_is_a_soft_delete_and_restoring_brings_the_mission_back():
    mission = MissionFactory()
    mission.archive()
    assert Mission.objects.filter(pk=mission.pk).exists()
    assert not Mission.objects.public().filter(pk=mission.pk).exists()
    mission.restore()
    assert Mission.objects.public().filter(pk=mission.pk).exists()


def test_a_mission_is_unique_per_source_and_client_id():
    MissionFactory(source="jeveuxaider", client_id="42")
    with pytest.raises(ValidationError):
        MissionFactory.build(source="jeveuxaider", client_id="42").validate_constraints()


def test_hand_written_missions_are_not_imported_ones():
    assert not MissionFactory(source=HAND_WRITTEN_SOURCE).is_imported
    assert MissionFactory(source="jeveuxaider").is_imported


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"places": 0}, "places", "Le nombre de places doit être supérieur à zéro."),
        (
            {"start_date": datetime.date(2026, 5, 1), "end_date": datetime.date(2026, 4, 1)},
            "end_date",
            "La date de fin doit être postérieure à la date de début.",
        ),
        (
            {"moderation_status": Mission.Moderation.REFUSED, "moderation_reason": ""},
            "moderation_reason",
            "Indiquez le motif du refus.",
        ),
    ],
)
def test_inconsistent_missions_are_refused_with_a_french_reason(changes, field, message):
    mission = MissionFactory.build(**changes)
    with pytest.raises(ValidationError) as excinfo:
        mission.clean()
    assert excinfo.value.message_dict[field] == [message]


def test_an_address_with_a_latitude_out_of_range_is_refused():
    address = MissionAddressFactory.build(latitude=123.0)
    with pytest.raises(ValidationError) as excinfo:
        address.clean()
    assert "latitude" in excinfo.value.message_dict


def test_an_address_saved_with_only_a_postcode_carries_its_department_name_and_region():
    address = MissionAddressFactory(postcode="20190", department_code="", department_name="", region="")

    address.refresh_from_db()
    assert (address.department_code, address.department_name, address.region) == ("2A", "Corse-du-Sud", "Corse")


def test_a_known_department_code_given_with_an_address_wins_over_its_postcode():
    address = MissionAddressFactory(postcode="69002", department_code="2b", region="")

    address.refresh_from_db()
    assert address.department_code == "2B"


def test_the_migration_gives_addresses_written_before_the_rule_their_department():
    from importlib import import_module

    from django.apps import apps

    address = MissionAddressFactory(postcode="97400")
    MissionAddress.objects.filter(pk=address.pk).update(department_code="", department_name="", region="")

    import_module("cms.missions.migrations.0006_addresses_carry_their_department").fill_departments(apps, None)

    address.refresh_from_db()
    assert (address.department_code, address.region) == ("974", "La Réunion")
