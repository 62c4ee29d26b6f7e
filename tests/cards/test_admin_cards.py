import pytest
from django.contrib.auth.models import Group

from cms.core.roles import CARDS_GROUP
from tests.factories.cards import CardFactory
from tests.factories.users import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

SCREENS = ["/admin/cards/young-people/", "/admin/cards/referents/", "/admin/cards/cards/", "/admin/cards/activations/"]


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
