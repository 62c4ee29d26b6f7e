import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from cms.missions.models import Mission
from cms.offers.models import OfferPage, PromoCode
from cms.offers.onboarding import onboard_partner
from cms.partners_api.models import ApiKey
from importers.feeds import import_source
from importers.models import ImportRun
from tests.factories.importers import FeedSourceFactory
from tests.factories.offers import OfferPageFactory, PartnerPageFactory

from .feeds import mission, xml_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "motdepasse")
    client.force_login(user)
    return client


def test_staff_see_failing_feeds_in_the_warning_list(admin_client):
    failing = FeedSourceFactory(name="Flux en panne")
    import_source(failing, stream=io.BytesIO(b"<source>"))
    FeedSourceFactory(name="Flux en forme")

    page = admin_client.get(reverse("importers_warnings"))

    assert page.status_code == 200
    assert "Flux en panne" in page.content.decode()
    assert "Flux en forme" not in page.content.decode()


def test_the_run_history_shows_a_run_whose_process_was_killed_as_interrupted(admin_client):
    dead = ImportRun.objects.create(source=FeedSourceFactory(name="Flux coupé"))

    page = admin_client.get(reverse("wagtailsnippets_importers_importrun:list"))

    assert page.status_code == 200
    assert "Interrompu (processus arrêté)" in page.content.decode()
    dead.refresh_from_db()
    assert dead.status == ImportRun.Status.INTERRUPTED


def test_the_warning_list_is_for_staff_only(client):
    user = get_user_model().objects.create_user("editrice", "e@example.org", "motdepasse")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(reverse("importers_warnings"))

    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


def test_refused_missions_are_listed_with_their_reasons(admin_client):
    import_source(FeedSourceFactory(), stream=io.BytesIO(xml_feed(mission("a", description=None))))

    page = admin_client.get(reverse("importers_refused_missions"))

    assert "Description manquante." in page.content.decode()


def test_the_run_history_of_a_source_is_listed(admin_client):
    source = FeedSourceFactory()
    import_source(source, stream=io.BytesIO(xml_feed(mission("a"))))

    page = admin_client.get(reverse("wagtailsnippets_importers_importrun:list") + f"?source={source.pk}")

    assert page.status_code == 200
    assert ImportRun.objects.filter(source=source).count() == 1
    assert "Réussi" in page.content.decode()


def test_feed_sources_are_listed_with_a_link_to_their_history(admin_client):
    FeedSourceFactory(name="Flux du réseau")

    page = admin_client.get(reverse("wagtailsnippets_importers_feedsource:list"))

    assert "Flux du réseau" in page.content.decode()
    assert "Historique" in page.content.decode()


def test_promo_codes_are_uploaded_from_the_admin(admin_client):
    offer = OfferPageFactory(kind=OfferPage.Kind.CODE)
    upload = SimpleUploadedFile("codes.csv", b"code;expires_on\nCJE-1;31/12/2027\nCJE-2;\nCJE-1;\n")

    response = admin_client.post(
        reverse("importers_promo_codes_upload"), {"offer": offer.pk, "file": upload}, follow=True
    )

    assert sorted(PromoCode.objects.values_list("code", flat=True)) == ["CJE-1", "CJE-2"]
    assert "2 code(s) importé(s)" in response.content.decode()
    assert "1 doublon(s) ignoré(s)" in response.content.decode()


def test_a_bad_promo_code_file_shows_its_errors_and_imports_nothing(admin_client):
    offer = OfferPageFactory(kind=OfferPage.Kind.CODE)
    upload = SimpleUploadedFile("codes.csv", b"code;expires_on\nCJE-1;31/12/2027\nCJE-2;32/13/2027\n")

    response = admin_client.post(reverse("importers_promo_codes_upload"), {"offer": offer.pk, "file": upload})

    assert "Ligne 3 : date illisible" in response.content.decode()
    assert not PromoCode.objects.exists()


def test_offers_are_uploaded_from_the_admin(admin_client):
    partner = PartnerPageFactory()
    upload = SimpleUploadedFile(
        "offres.csv",
        "title;discount_value;store_name;store_postcode;store_city\n"
        "-15 % sur les vélos;15;Magasin Bellecour;69002;Lyon\n".encode(),
    )

    admin_client.post(reverse("importers_offers_upload"), {"partner": partner.pk, "file": upload})

    assert OfferPage.objects.child_of(partner).get().stores.get().city == "Lyon"


def test_imported_missions_are_not_listed_as_refused_when_accepted(admin_client):
    import_source(FeedSourceFactory(), stream=io.BytesIO(xml_feed(mission("a"))))

    page = admin_client.get(reverse("importers_refused_missions"))

    assert Mission.objects.get().moderation_status == "accepted"
    assert "Aucune mission refusée." in page.content.decode()


def test_a_refusal_decided_in_the_admin_survives_the_next_import_that_changes_the_mission(admin_client):
    source = FeedSourceFactory(slug="jeveuxaider")
    import_source(source, stream=io.BytesIO(xml_feed(mission("a"))))
    imported = Mission.objects.get(client_id="a")
    edit_url = reverse(Mission.snippet_viewset.get_url_name("edit"), args=[imported.pk])
    data = querydict_from_html(admin_client.get(edit_url).content.decode(), form_id="w-editor-form")
    data.update({"moderation_status": "refused", "moderation_reason": "Mission déjà pourvue.", "action-publish": "1"})
    assert admin_client.post(edit_url, data).status_code == 302

    import_source(source, stream=io.BytesIO(xml_feed(mission("a", title="Lire des contes aux enfants"))))

    kept = Mission.objects.get(pk=imported.pk)
    assert kept.title == "Lire des contes aux enfants"
    assert (kept.moderation_status, kept.moderation_reason) == ("refused", "Mission déjà pourvue.")


def test_staff_create_a_partner_api_key_in_the_admin_and_see_its_secret_once(admin_client):
    add_url = reverse(ApiKey.snippet_viewset.get_url_name("add"))

    response = admin_client.post(
        add_url,
        {
            "name": "Lire et faire lire",
            "source": "lire-et-faire-lire",
            "scopes": ["push_missions"],
            "rate_limit": "600",
            "active": "on",
        },
    )

    assert response.status_code == 302
    shown = admin_client.get(response.url).content.decode()
    secret = re.search(r"trmp_[\w-]+", shown).group(0)
    key = ApiKey.objects.authenticate(secret)
    assert (key.name, key.created_by.username) == ("Lire et faire lire", "admin")
    assert secret not in admin_client.get(response.url).content.decode()


# Partners' upload forms


@pytest.fixture
def partners(offers_index):
    velo = onboard_partner("Vélo Plus", user_emails=["lea@veloplus.fr"])
    cine = onboard_partner("Ciné Jeunes", user_emails=["hugo@cinejeunes.fr"])
    return velo, cine


@pytest.fixture
def partner_client(client, partners):
    client.force_login(partners[0].users[0])
    return client


def choices(response, field: str) -> list[str]:
    """The labels a form's drop-down offers, empty choice left out."""
    return [label for value, label in response.context["form"].fields[field].choices if value]


def test_a_partners_promo_code_form_offers_only_its_own_offers(partner_client, partners):
    velo, cine = partners
    OfferPageFactory(parent=velo.page, title="Casque offert", kind=OfferPage.Kind.CODE)
    OfferPageFactory(parent=cine.page, title="Place de ciné en avant-première", kind=OfferPage.Kind.CODE, live=False)

    response = partner_client.get(reverse("importers_promo_codes_upload"))

    assert choices(response, "offer") == ["Casque offert"]
    assert "avant-première" not in response.content.decode()


def test_a_partners_offer_form_offers_only_its_own_partner(partner_client, partners):
    response = partner_client.get(reverse("importers_offers_upload"))

    assert choices(response, "partner") == ["Vélo Plus"]
    assert "Ciné Jeunes" not in response.content.decode()


def test_staff_upload_forms_offer_every_partner(admin_client, partners):
    response = admin_client.get(reverse("importers_offers_upload"))

    assert choices(response, "partner") == ["Ciné Jeunes", "Vélo Plus"]


def test_the_upload_forms_use_the_admins_form_layout(partner_client):
    response = partner_client.get(reverse("importers_offers_upload"))

    assert 'id="w-editor-form"' in response.content.decode()
    assert "wagtailadmin/generic/form.html" in [template.name for template in response.templates]


def test_a_partner_posting_another_partners_offer_is_refused_and_imports_no_code(partner_client, partners):
    offer = OfferPageFactory(parent=partners[1].page, kind=OfferPage.Kind.CODE)
    upload = SimpleUploadedFile("codes.csv", b"code;expires_on\nCJE-1;31/12/2027\n")

    response = partner_client.post(reverse("importers_promo_codes_upload"), {"offer": offer.pk, "file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["offer"]
    assert not PromoCode.objects.exists()


def test_a_partner_posting_another_partner_is_refused_and_imports_no_offer(partner_client, partners):
    upload = SimpleUploadedFile("offres.csv", "title;discount_value\n-15 % sur les vélos;15\n".encode())

    response = partner_client.post(reverse("importers_offers_upload"), {"partner": partners[1].page.pk, "file": upload})

    assert response.context["form"].errors["partner"]
    assert not OfferPage.objects.exists()


def test_a_partners_uploaded_offers_stay_drafts_for_review_even_when_publishing_is_posted(partner_client, partners):
    upload = SimpleUploadedFile("offres.csv", "title;discount_value\n-15 % sur les vélos;15\n".encode())

    partner_client.post(
        reverse("importers_offers_upload"), {"partner": partners[0].page.pk, "file": upload, "publish": "on"}
    )

    assert not OfferPage.objects.child_of(partners[0].page).get().live
