"""Partners in the Wagtail admin: onboarding, isolation from other partners, offers going through editorial review."""

import logging
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.core.roles import OFFER_REVIEW_TASK
from cms.offers.models import OfferPage, PartnerPage
from cms.offers.onboarding import onboard_partner
from tests.factories.offers import OfferPageFactory
from tests.factories.users import EditorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def velo(offers_index):
    return onboard_partner("Vélo Plus", website="https://www.veloplus.example.fr", user_emails=["lea@veloplus.fr"])


@pytest.fixture
def cine(offers_index):
    return onboard_partner("Ciné Jeunes", user_emails=["hugo@cinejeunes.fr"])


@pytest.fixture
def velo_client(client, velo):
    client.force_login(velo.users[0])
    return client


def offer_form(title: str, slug: str, **changes) -> dict:
    """What the admin's offer form posts for an in-store offer of 30 % (no stores, conditions or steps)."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "subtitle": "",
            "description": rich_text("<p>Sur tous les vélos de ville.</p>"),
            "image": "",
            "kind": OfferPage.Kind.CARD,
            "channel": OfferPage.Channel.IN_STORE,
            "link_url": "",
            "barcode_value": "",
            "discount_type": OfferPage.DiscountType.PERCENT,
            "discount_value": "30",
            "estimated_saving": "45",
            "valid_from": "",
            "valid_until": "",
            "usage_rule": OfferPage.UsageRule.UNLIMITED,
            "usage_interval_days": "",
            "conditions": streamfield([]),
            "how_to_use": streamfield([]),
            "nationwide": "on",
            "stores": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            **changes,
        }
    )


def assert_permission_denied(response) -> None:
    """Wagtail's admin answers PermissionDenied (a 403 for XHR) with a redirect to the dashboard and an error."""
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert [message.level_tag for message in get_messages(response.wsgi_request)][-1] == "error"


def add_offer_url(partner_page) -> str:
    return reverse("wagtailadmin_pages:add", args=["offers", "offerpage", partner_page.pk])


def submit_offer(client, partner_page, title="-30 % sur les vélos", slug="velos-30", action="action-submit"):
    response = client.post(add_offer_url(partner_page), {**offer_form(title, slug), action: "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return OfferPage.objects.get(slug=slug)


# Onboarding


def test_onboarding_creates_a_published_partner_page_under_the_offers_index(velo, offers_index):
    page = PartnerPage.objects.get(pk=velo.page.pk)
    assert page.get_parent().pk == offers_index.pk
    assert page.live
    assert (page.title, page.website) == ("Vélo Plus", "https://www.veloplus.example.fr")


def test_the_partner_group_may_add_and_change_offers_under_its_own_page_only(velo):
    assert velo.group.name == "Partenaire — Vélo Plus"
    granted = GroupPagePermission.objects.filter(group=velo.group)
    assert sorted(granted.values_list("page_id", "permission__codename")) == [
        (velo.page.pk, "add_page"),
        (velo.page.pk, "change_page"),
    ]
    assert velo.group.permissions.filter(codename="access_admin").exists()


def test_the_partner_has_its_own_image_collection_to_add_to_and_choose_from(velo):
    user = velo.users[0]
    policy = CollectionOwnershipPermissionPolicy(get_image_model(), auth_model=get_image_model())
    assert list(policy.collections_user_has_permission_for(user, "add")) == [velo.collection]
    assert list(policy.collections_user_has_permission_for(user, "choose")) == [velo.collection]
    assert velo.collection.get_parent() == Collection.get_first_root_node()


def test_onboarding_creates_accounts_without_passwords_in_the_partner_group(velo):
    (user,) = velo.users
    assert (user.username, user.email) == ("lea@veloplus.fr", "lea@veloplus.fr")
    assert not user.has_usable_password()
    assert list(user.groups.all()) == [velo.group]


def test_onboarding_attaches_an_existing_account_instead_of_creating_another(velo, cine):
    again = onboard_partner("Ciné Jeunes", user_emails=["LEA@veloplus.fr"])
    assert again.users == velo.users
    assert set(velo.users[0].groups.all()) == {velo.group, cine.group}


def test_onboarding_the_same_partner_twice_changes_nothing(offers_index, capsys):
    arguments = ["onboard_partner", "Vélo Plus", "--colour", "#0a7f5a", "--user", "lea@veloplus.fr"]
    call_command(*arguments)
    counts = (
        PartnerPage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        PartnerPage.objects.get().revisions.count(),
    )
    capsys.readouterr()
    call_command(*arguments)
    assert "déjà en place" in capsys.readouterr().out
    assert (
        PartnerPage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        PartnerPage.objects.get().revisions.count(),
    ) == counts


def test_the_command_prints_only_its_summary_and_no_log_lines(offers_index, caplog, capsys):
    caplog.set_level(logging.INFO)
    call_command("onboard_partner", "Vélo Plus", "--user", "lea@veloplus.fr")
    assert [record.getMessage() for record in caplog.records] == []
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "Partenaire « Vélo Plus » prêt."
    assert all(line.startswith("- ") for line in lines[:-1])


def test_the_command_shows_log_lines_with_verbosity_2(offers_index, caplog):
    caplog.set_level(logging.INFO)
    call_command("onboard_partner", "Vélo Plus", verbosity=2, stdout=StringIO())
    assert any(record.name == "django_tasks" for record in caplog.records)


def test_onboarding_again_with_a_new_colour_updates_the_live_partner_page(velo):
    onboard_partner("Vélo Plus", colour="#ff8800")
    assert PartnerPage.objects.get(pk=velo.page.pk).colour == "#ff8800"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--colour", "rouge"], "La couleur doit être au format hexadécimal"),
        (["--website", "ftp://veloplus.fr"], "Le site web doit être une adresse http(s) valide."),
        (["--user", "pas-une-adresse"], "Adresse e-mail invalide : 'pas-une-adresse'."),
    ],
)
def test_onboarding_with_bad_input_says_why_in_french_and_creates_nothing(offers_index, arguments, message):
    groups = Group.objects.count()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("onboard_partner", "Vélo Plus", *arguments)
    assert not PartnerPage.objects.exists()
    assert Group.objects.count() == groups


# Isolation


def test_a_partner_exploring_the_offers_index_only_sees_its_own_page(velo_client, offers_index, velo, cine):
    response = velo_client.get(reverse("wagtailadmin_explore", args=[offers_index.pk]), follow=True)
    content = response.content.decode()
    assert response.status_code == 200
    assert velo.page.title in content
    assert cine.page.title not in content


def test_a_partner_cannot_browse_another_partners_page(velo_client, velo, cine):
    OfferPageFactory(parent=cine.page, title="Une place offerte")
    response = velo_client.get(reverse("wagtailadmin_explore", args=[cine.page.pk]), follow=True)
    assert "Une place offerte" not in response.content.decode()


def test_the_explorer_menu_lists_no_other_partner(velo_client, offers_index, velo, cine):
    response = velo_client.get(
        reverse("wagtailadmin_api:pages:listing"), {"child_of": offers_index.pk, "for_explorer": 1}
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [velo.page.pk]


def test_a_partner_cannot_open_another_partners_offer(velo_client, cine):
    offer = OfferPageFactory(parent=cine.page)
    response = velo_client.get(reverse("wagtailadmin_pages:edit", args=[offer.pk]))
    assert_permission_denied(response)


def test_a_partner_opening_another_partners_offer_from_a_script_gets_a_403(velo_client, cine):
    offer = OfferPageFactory(parent=cine.page)
    response = velo_client.get(
        reverse("wagtailadmin_pages:edit", args=[offer.pk]), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403


def test_a_partner_cannot_change_another_partners_offer(velo_client, cine):
    offer = OfferPageFactory(parent=cine.page, title="Une place offerte")
    response = velo_client.post(
        reverse("wagtailadmin_pages:edit", args=[offer.pk]), {**offer_form("Piraté", offer.slug), "action-publish": "1"}
    )
    assert_permission_denied(response)
    assert OfferPage.objects.get(pk=offer.pk).get_latest_revision_as_object().title == "Une place offerte"


def test_a_partner_cannot_add_an_offer_under_another_partner(velo_client, cine):
    response = velo_client.post(add_offer_url(cine.page), {**offer_form("Intrus", "intrus"), "action-submit": "1"})
    assert_permission_denied(response)
    assert not OfferPage.objects.filter(slug="intrus").exists()


# Moderation


def test_a_partner_submits_a_new_offer_for_editorial_review(velo_client, velo):
    offer = submit_offer(velo_client, velo.page)
    assert offer.get_parent().pk == velo.page.pk
    assert not offer.live
    assert offer.workflow_in_progress
    assert offer.current_workflow_task.name == OFFER_REVIEW_TASK


def test_a_partner_posting_publish_only_saves_a_draft(velo_client, velo):
    offer = submit_offer(velo_client, velo.page, action="action-publish")
    assert not offer.live
    assert not OfferPage.objects.public().filter(pk=offer.pk).exists()


def test_a_partner_cannot_approve_its_own_offer(velo_client, velo):
    offer = submit_offer(velo_client, velo.page)
    task_state = offer.current_workflow_task_state
    response = velo_client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[offer.pk, "approve", task_state.pk]), {"comment": ""}
    )
    assert_permission_denied(response)
    assert not OfferPage.objects.get(pk=offer.pk).live


def test_an_editor_approving_a_submitted_offer_puts_it_live(client, velo_client, velo):
    offer = submit_offer(velo_client, velo.page)
    task_state = offer.current_workflow_task_state
    client.force_login(EditorFactory())
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[offer.pk, "approve", task_state.pk]),
        {"comment": "Parfait, merci !"},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.live
    assert not offer.workflow_in_progress
    assert OfferPage.objects.public().filter(pk=offer.pk).exists()


def test_an_editor_asking_for_changes_keeps_the_offer_offline(client, velo_client, velo):
    offer = submit_offer(velo_client, velo.page)
    task_state = offer.current_workflow_task_state
    client.force_login(EditorFactory())
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[offer.pk, "reject", task_state.pk]),
        {"comment": "Précisez les conditions."},
    )
    offer.refresh_from_db()
    assert not offer.live
    assert offer.current_workflow_state.status == "needs_changes"


# Onboarding from the admin


def test_editors_get_the_onboarding_form(client, offers_index):
    client.force_login(EditorFactory())
    response = client.get(reverse("offers_onboard_partner"))
    assert response.status_code == 200
    assert "Nom du partenaire" in response.content.decode()


def test_an_editor_onboards_a_partner_from_the_admin(client, offers_index):
    client.force_login(EditorFactory())
    response = client.post(
        reverse("offers_onboard_partner"),
        {"name": "Vélo Plus", "website": "", "colour": "#0a7f5a", "users": "lea@veloplus.fr\nhugo@veloplus.fr"},
    )
    page = PartnerPage.objects.get(title="Vélo Plus")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[page.pk])
    group = Group.objects.get(name="Partenaire — Vélo Plus")
    assert sorted(group.user_set.values_list("email", flat=True)) == ["hugo@veloplus.fr", "lea@veloplus.fr"]


def test_the_onboarding_form_says_what_is_wrong_in_french_and_creates_nothing(client, offers_index):
    client.force_login(EditorFactory())
    response = client.post(reverse("offers_onboard_partner"), {"name": "Vélo Plus", "colour": "rouge", "users": ""})
    assert response.status_code == 200
    assert "La couleur doit être au format hexadécimal" in response.content.decode()
    assert not PartnerPage.objects.exists()


def test_partners_cannot_onboard_partners(velo_client):
    assert_permission_denied(velo_client.get(reverse("offers_onboard_partner")))


def test_the_offers_index_shows_editors_the_onboarding_button(client, offers_index):
    client.force_login(EditorFactory())
    response = client.get(reverse("wagtailadmin_explore", args=[offers_index.pk]))
    assert reverse("offers_onboard_partner") in response.content.decode()
