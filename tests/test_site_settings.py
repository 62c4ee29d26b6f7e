"""Site settings in the admin: French labels and messages, editorial staff may edit them, every save is announced."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cms.pages.site_settings import SiteSettings
from tests.factories.users import EditorFactory

pytestmark = pytest.mark.django_db


def _site() -> Site:
    return Site.objects.get(is_default_site=True)


def test_editorial_staff_edit_the_settings_under_french_labels(client, home_page):
    client.force_login(EditorFactory())

    response = client.get(reverse("wagtailsettings:edit", args=["pages", "sitesettings", _site().pk]))

    assert response.status_code == 200
    text = response.content.decode()
    for label in ("Bandeau du moment", "Liens du pied de page", "Réseaux sociaux", "Référencement", "Contact"):
        assert label in text


def test_a_banner_ending_before_it_starts_is_refused_in_french(home_page):
    now = timezone.now()
    settings = SiteSettings(site=_site(), banner_text="Bandeau", banner_starts_at=now, banner_ends_at=now)

    with pytest.raises(ValidationError) as raised:
        settings.full_clean()

    assert raised.value.message_dict["banner_ends_at"] == ["La fin d'affichage doit suivre son début."]


def test_a_banner_link_without_text_is_refused_in_french(home_page):
    settings = SiteSettings(site=_site(), banner_url="https://www.example.fr/")

    with pytest.raises(ValidationError) as raised:
        settings.full_clean()

    assert raised.value.message_dict["banner_text"] == ["Un bandeau a besoin d'un texte."]


def test_the_banner_is_shown_from_its_start_until_its_end(home_page):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    settings = SiteSettings(site=_site(), banner_text="Bandeau", banner_starts_at=now, banner_ends_at=now + hour)

    assert [settings.banner_is_shown(at) for at in (now - hour, now, now + hour / 2, now + hour)] == [
        False,
        True,
        True,
        False,
    ]


def test_saving_the_settings_is_announced_to_the_caches(home_page, announced, django_capture_on_commit_callbacks):
    heard = announced(SiteSettings)

    with django_capture_on_commit_callbacks(execute=True):
        settings = SiteSettings.objects.create(site=_site(), contact_email="contact@tremplin.example")

    assert heard == [frozenset({settings.pk})]
