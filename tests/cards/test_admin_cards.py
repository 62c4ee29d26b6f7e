import pytest
from django.contrib.auth.models import Group

from cms.core.roles import CARDS_GROUP
from tests.factories.cards import CardFactory
from tests.factories.users import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

SCREENS = [
    "/admin/cards/young-people/",
    "/admin/cards/referents/",
    "/admin/cards/recommendation-profiles/",
    "/admin/cards/cards/",
    "/admin/cards/activations/",
]


@pytest.mark.parametrize("url", SCREENS)
def test_an_editor_of_offers_does_not_reach_people(client, url):
    CardFactory()
    client.force_login(EditorFactory())

    response = client.get(url)

    assert response.status_code in (302, 403)


def test_an_editor_of_offers_has_no_card_menu(client):
    client.force_login(EditorFactory())

    response = client.get("/admin/")

    assert "Carte jeune" not in response.content.decode()


@pytest.mark.parametrize("url", SCREENS)
def test_card_staff_see_people(client, url):
    card = CardFactory()
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=CARDS_GROUP))
    client.force_login(staff)

    response = client.get(url)

    assert response.status_code == 200
    if "young-people" in url:
        assert card.young_person.last_name in response.content.decode()


def test_only_superusers_grant_partner_keys_the_right_to_verify_cards(client):
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=CARDS_GROUP))
    client.force_login(staff)

    response = client.get("/admin/cards/check-grants/")

    assert response.status_code in (302, 403)


def test_card_staff_suspend_a_card_with_a_reason_recorded_as_theirs(client, card_staff):
    card = CardFactory()

    response = client.post(f"/admin/cards/cards/{card.pk}/status/", {"action": "suspend", "reason": "Fraude"})

    assert response.status_code == 302
    card.refresh_from_db()
    event = card.events.last()
    assert (card.status, event.actor_kind, event.actor_user, event.reason) == (
        "suspended",
        "staff",
        card_staff,
        "Fraude",
    )


def test_an_impossible_change_is_shown_in_french_on_the_form(client, card_staff):
    card = CardFactory()

    response = client.post(f"/admin/cards/cards/{card.pk}/status/", {"action": "reactivate", "reason": "Erreur"})

    assert response.status_code == 200
    assert "Seule une carte suspendue ou expirée peut être réactivée." in response.content.decode()


def test_the_card_listing_offers_the_status_screen(client, card_staff):
    card = CardFactory()

    response = client.get("/admin/cards/cards/")

    assert f"/admin/cards/cards/{card.pk}/status/" in response.content.decode()


def test_an_editor_cannot_change_a_cards_status(client):
    card = CardFactory()
    client.force_login(EditorFactory())

    response = client.post(f"/admin/cards/cards/{card.pk}/status/", {"action": "suspend", "reason": "x"})

    assert response.status_code in (302, 403)
    card.refresh_from_db()
    assert card.status == "active"


def test_a_card_cannot_be_moved_to_someone_else_in_the_admin(client, card_staff):
    card = CardFactory()

    response = client.get(f"/admin/cards/cards/edit/{card.pk}/")

    assert response.status_code == 200
    assert 'name="young_person"' not in response.content.decode()
