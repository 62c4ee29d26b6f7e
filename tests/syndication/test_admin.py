"""Diffusion partners in the Wagtail admin: staff edit them and copy the widget snippet; usage is shown per partner."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from cms.syndication.models import DiffusionPartner, KeyUsage
from cms.syndication.wagtail_hooks import usage_visible_to
from tests.factories.syndication import DiffusionPartnerFactory, reading_key
from tests.factories.users import EditorFactory, OrganisationMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_partner_with_its_rules_from_the_admin(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_syndication_diffusionpartner:add"),
        {
            "name": "Ville de Lyon",
            "contact_name": "Service jeunesse",
            "contact_email": "jeunesse@lyon.example",
            "allowed_origins": "https://www.lyon.example",
            "regions": ["Auvergne-Rhône-Alpes"],
            "departments": "",
            "sources": "",
            "widget_content": "missions",
            "primary_colour": "#1d4ed8",
            "default_radius_km": "20",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    partner = DiffusionPartner.objects.get()
    assert partner.allowed_origins == ["https://www.lyon.example"]
    assert "69" in partner.department_codes()


def test_an_origin_with_a_path_is_refused_in_french(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_syndication_diffusionpartner:add"),
        {
            "name": "X",
            "allowed_origins": "https://www.lyon.example/jeunes",
            "widget_content": "missions",
            "primary_colour": "#1d4ed8",
            "default_radius_km": "20",
        },
    )

    assert "est pas une origine (ex. https://www.exemple.fr, sans chemin)" in response.content.decode()


def test_the_edit_page_shows_the_widget_snippet_to_copy(admin_client):
    partner = DiffusionPartnerFactory()

    page = admin_client.get(reverse("wagtailsnippets_syndication_diffusionpartner:edit", args=[partner.pk]))

    assert f"/widget/{partner.public_id}/" in page.content.decode()
    assert "Code à copier" in page.content.decode()


def test_a_partner_account_sees_only_the_usage_of_its_own_keys(db):
    mine, other = DiffusionPartnerFactory(), DiffusionPartnerFactory()
    member = UserFactory()
    mine.members.add(member)
    today = dt.date.today()
    KeyUsage.objects.create(key=reading_key(mine)[0], day=today, requests=3)
    KeyUsage.objects.create(key=reading_key(other)[0], day=today, requests=5)

    assert [row.requests for row in usage_visible_to(member)] == [3]


def test_a_partner_account_sees_the_clicks_and_applications_of_its_keys_in_the_admin(client):
    partner = DiffusionPartnerFactory()
    member = UserFactory()
    member.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_keyusage")
    )
    partner.members.add(member)
    KeyUsage.objects.create(key=reading_key(partner)[0], day=dt.date.today(), requests=9, clicks=4, applications=2)
    client.force_login(member)

    response = client.get(reverse("wagtailsnippets_syndication_keyusage:list"))

    rows = response.context["object_list"]
    assert response.status_code == 200
    assert [(row.clicks, row.applications) for row in rows] == [(4, 2)]
    assert {"Clics", "Candidatures"} <= set(re.findall(r"Clics|Candidatures", response.content.decode()))


def test_staff_see_the_usage_of_every_key(db):
    staff = EditorFactory()
    staff.user_permissions.add(Permission.objects.get(codename="change_diffusionpartner"))
    KeyUsage.objects.create(key=reading_key(DiffusionPartnerFactory())[0], day=dt.date.today(), requests=3)
    KeyUsage.objects.create(key=reading_key(DiffusionPartnerFactory())[0], day=dt.date.today(), requests=5)

    assert sorted(row.requests for row in usage_visible_to(staff)) == [3, 5]


def test_staff_rotate_a_key_from_the_admin_and_see_the_new_secret_once(admin_client):
    key, old_secret = reading_key()

    response = admin_client.post(reverse("partners_api_rotate_key", args=[key.pk]), {"overlap_days": "3"}, follow=True)

    key.refresh_from_db()
    message = next(iter(response.context["messages"])).message
    assert key.replaced_by is not None
    assert key.replaced_by.prefix in message
    assert (key.expires_at - timezone.now()).days in (2, 3)


def test_the_key_listing_offers_to_rotate_an_active_key(admin_client):
    key, _ = reading_key()

    page = admin_client.get(reverse("wagtailsnippets_partners_api_apikey:list"))

    assert reverse("partners_api_rotate_key", args=[key.pk]) in page.content.decode()


def test_an_account_without_the_right_cannot_rotate_a_key(client):
    key, _ = reading_key()
    client.force_login(OrganisationMemberFactory())

    response = client.post(reverse("partners_api_rotate_key", args=[key.pk]), {"overlap_days": "3"})

    assert response.status_code in (302, 403)
    key.refresh_from_db()
    assert key.replaced_by is None
