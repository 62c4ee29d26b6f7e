"""The admin speaks French: key pages show no English word that slipped through (labels, messages, empty values)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from wagtail.models import Site

from cms.missions.models import Mission
from cms.offers.models import OffersIndexPage
from cms.offers.onboarding import Onboarding, onboard_partner
from importers.models import FeedSource
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(Password|colour|None)\b")


def visible_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in [*soup(["script", "style", "template"]), *soup.select("[hidden]")]:
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


@dataclass
class World:
    velo: Onboarding
    pages: dict[str, str]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module in a transaction rolled back at its end; each test runs in a savepoint on top."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    offers_index = OffersIndexPage.objects.get()
    velo = onboard_partner("Vélo Plus", user_emails=["lea@veloplus.fr"])
    offer = OfferPageFactory(parent=velo.page)
    mission = MissionFactory()
    user = velo.users[0]
    return World(
        velo,
        {
            "tableau de bord": reverse("wagtailadmin_home"),
            "explorateur": reverse("wagtailadmin_explore", args=[offers_index.pk]),
            "modification d'offre": reverse("wagtailadmin_pages:edit", args=[offer.pk]),
            "missions": reverse(Mission.snippet_viewset.get_url_name("list")),
            "modification de mission": reverse(Mission.snippet_viewset.get_url_name("edit"), args=[mission.pk]),
            "recherche": reverse("wagtailadmin_pages:search") + "?q=v%C3%A9lo",
            "comptes": reverse("wagtailusers_users:index") + "?q=lea",
            "modification de compte": reverse("wagtailusers_users:edit", args=[user.pk]),
            "création de compte": reverse("wagtailusers_users:add"),
            "intégration d'un partenaire": reverse("offers_onboard_partner"),
            "mon compte": reverse("wagtailadmin_account"),
            "groupe": reverse("wagtailusers_groups:edit", args=[velo.group.pk]),
            "flux partenaires": reverse(FeedSource.snippet_viewset.get_url_name("add")),
            "alertes des flux": reverse("importers_warnings"),
            "missions refusées": reverse("importers_refused_missions"),
            "réglages du site": reverse("wagtailsettings:edit", args=["pages", "sitesettings", Site.objects.get().pk]),
        },
    )


@pytest.mark.parametrize(
    "page",
    [
        "tableau de bord",
        "explorateur",
        "modification d'offre",
        "missions",
        "modification de mission",
        "recherche",
        "comptes",
        "modification de compte",
        "création de compte",
        "intégration d'un partenaire",
        "mon compte",
        "groupe",
        "flux partenaires",
        "alertes des flux",
        "missions refusées",
        "réglages du site",
    ],
)
def test_key_admin_pages_show_no_english_to_staff(client, world, page):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(world.pages[page])
    assert response.status_code == 200
    text = visible_text(response)
    assert [text[max(0, m.start() - 80) : m.end() + 40] for m in ENGLISH.finditer(text)] == []


@pytest.mark.parametrize("page", ["tableau de bord", "explorateur", "recherche", "mon compte"])
def test_key_admin_pages_show_no_english_to_a_partner(client, world, page):
    client.force_login(world.velo.users[0])
    response = client.get(world.pages[page], follow=True)
    assert response.status_code == 200
    text = visible_text(response)
    assert [text[max(0, m.start() - 80) : m.end() + 40] for m in ENGLISH.finditer(text)] == []


@pytest.mark.parametrize("url_name", ["wagtailadmin_login", "wagtailadmin_password_reset"])
def test_the_sign_in_pages_show_no_english(client, url_name):
    response = client.get(reverse(url_name))
    assert ENGLISH.findall(visible_text(response)) == []


def test_onboarding_again_names_the_changed_fields_in_french(client, world):
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(reverse("offers_onboard_partner"), {"name": "Vélo Plus", "colour": "#ff8800"})
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Partenaire « Vélo Plus » : page partenaire mise à jour : couleur."
    ]
