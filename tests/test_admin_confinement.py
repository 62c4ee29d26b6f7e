"""Partners and organisations' members see only their own content on every admin screen that lists or chooses content.

The enumeration walks every admin URL name the resolver knows: each is either a listing (opened as partner A and as an
organisation's member, next to partner B's and another organisation's content, whose titles must never show) or
classified as not a listing. A URL name the test does not know fails it, so a new screen cannot slip through.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Workflow

from cms.core.roles import OFFER_REVIEW_WORKFLOW
from cms.missions.models import Mission
from cms.offers.models import OfferPage
from cms.offers.onboarding import onboard_partner
from cms.partners_api.models import ApiKey
from tests.factories.cards import CardFactory
from tests.factories.images import ImageFactory
from tests.factories.importers import FeedSourceFactory
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.users import EditorFactory, OrganisationMemberFactory

pytestmark = pytest.mark.django_db

#: Names of partner B's, another organisation's and the staff's content, which partner A and the member never see.
OTHERS = (
    "Ciné Jeunes",
    "Place de ciné secrète",
    "Séance Ciné en ligne",
    "Affiche Ciné secrète",
    "Programme Ciné secret",
    "Mission du club",
    "Club de rugby discret",
    "Clé du réseau discret",
    "Flux du réseau discret",
    "Jeune Ciné discret",
)
#: Queries each listing is also opened with, so that search and filtered results are checked too.
QUERIES = ("", "?q=ciné", "?search=ciné", "?q=mission")


@dataclass
class World:
    velo: object
    cine: object
    own_offer: OfferPage
    other_offer: OfferPage
    member: object
    own_mission: Mission
    other_mission: Mission


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module in a transaction rolled back at its end; each test runs in a savepoint on top (the
    tests only read it, but for the users they sign in)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    velo = onboard_partner("Vélo Plus", user_emails=["lea@veloplus.fr"])
    cine = onboard_partner("Ciné Jeunes", user_emails=["hugo@cinejeunes.fr"])
    hugo = cine.users[0]
    own_offer = OfferPageFactory(parent=velo.page, title="Casque Vélo offert", kind=OfferPage.Kind.CODE, live=False)
    own_offer.save_revision(user=velo.users[0])
    other_offer = OfferPageFactory(
        parent=cine.page, title="Place de ciné secrète", kind=OfferPage.Kind.CODE, live=False
    )
    other_offer.save_revision(user=hugo)
    Workflow.objects.get(name=OFFER_REVIEW_WORKFLOW).start(other_offer, hugo)
    OfferPageFactory(parent=cine.page, title="Séance Ciné en ligne").save_revision(user=hugo).publish()
    OfferPage.objects.filter(pk=other_offer.pk).update(locked=True, locked_by=hugo)
    cine.page.unpublish()
    ImageFactory(title="Affiche Ciné secrète", collection=cine.collection, uploaded_by_user=hugo)
    ImageFactory(title="Photo Vélo", collection=velo.collection, uploaded_by_user=velo.users[0])
    get_document_model().objects.create(
        title="Programme Ciné secret", file=ContentFile(b"%PDF-1.4", name="programme.pdf"), collection=cine.collection
    )
    organisation = OrganizationFactory(name="Les Restos du Quartier")
    member = OrganisationMemberFactory(organisation=organisation)
    own_mission = MissionFactory(title="Mission des Restos", organization=organisation, live=False)
    other_mission = MissionFactory(
        title="Mission du club", organization=OrganizationFactory(name="Club de rugby discret"), live=False
    )
    key = ApiKey(name="Clé du réseau discret", source="reseau-discret")
    key.set_new_secret()
    key.save()
    FeedSourceFactory(name="Flux du réseau discret")
    CardFactory(young_person__last_name="Jeune Ciné discret")
    return World(velo, cine, own_offer, other_offer, member, own_mission, other_mission)


def page_kwargs(world: World) -> dict:
    return {"parent_page_id": world.cine.page.pk}


def page_type_kwargs(world: World) -> dict:
    return {"content_type_app_name": "offers", "content_type_model_name": "offerpage"}


def no_kwargs(world: World) -> dict:
    return {}


#: Listing URL names, with the arguments they are opened with (another partner's page where one is asked for).
LISTINGS = {
    "wagtailadmin_home": no_kwargs,
    "wagtailadmin_explore_root": no_kwargs,
    "wagtailadmin_explore": page_kwargs,
    "wagtailadmin_explore_results": page_kwargs,
    "wagtailadmin_pages:search": no_kwargs,
    "wagtailadmin_pages:search_results": no_kwargs,
    "wagtailadmin_pages:type_use": page_type_kwargs,
    "wagtailadmin_pages:type_use_results": page_type_kwargs,
    "wagtailadmin_pages:choose_parent": lambda world: {"app_label": "offers", "model_name": "offerpage"},
    "wagtailadmin_choose_page": no_kwargs,
    "wagtailadmin_choose_page_child": page_kwargs,
    "wagtailadmin_choose_page_search": no_kwargs,
    "wagtailadmin_api:pages:listing": no_kwargs,
    "wagtailadmin_api:pages:find": no_kwargs,
    "wagtailadmin_api:images:listing": no_kwargs,
    "wagtailadmin_api:images:find": no_kwargs,
    "wagtailadmin_api:documents:listing": no_kwargs,
    "wagtailadmin_api:documents:find": no_kwargs,
    "wagtailadmin_tag_autocomplete": no_kwargs,
    "wagtailadmin_collections:index": no_kwargs,
    "wagtailadmin_workflows:index": no_kwargs,
    "wagtailadmin_workflows:index_results": no_kwargs,
    "wagtailadmin_workflows:task_index": no_kwargs,
    "wagtailadmin_workflows:task_index_results": no_kwargs,
    "wagtailadmin_workflows:task_chooser": no_kwargs,
    "wagtailadmin_workflows:task_chooser_results": no_kwargs,
    "wagtailadmin_reports:locked_pages": no_kwargs,
    "wagtailadmin_reports:locked_pages_results": no_kwargs,
    "wagtailadmin_reports:workflow": no_kwargs,
    "wagtailadmin_reports:workflow_results": no_kwargs,
    "wagtailadmin_reports:workflow_tasks": no_kwargs,
    "wagtailadmin_reports:workflow_tasks_results": no_kwargs,
    "wagtailadmin_reports:site_history": no_kwargs,
    "wagtailadmin_reports:site_history_results": no_kwargs,
    "wagtailadmin_reports:aging_pages": no_kwargs,
    "wagtailadmin_reports:aging_pages_results": no_kwargs,
    "wagtailadmin_reports:page_types_usage": no_kwargs,
    "wagtailadmin_reports:page_types_usage_results": no_kwargs,
    "wagtailforms:index": no_kwargs,
    "wagtailforms:index_results": no_kwargs,
    "wagtailredirects:index": no_kwargs,
    "wagtailredirects:index_results": no_kwargs,
    "wagtailsnippets:index": no_kwargs,
    "wagtaildocs:index": no_kwargs,
    "wagtaildocs:index_results": no_kwargs,
    "wagtaildocs_chooser:choose": no_kwargs,
    "wagtaildocs_chooser:choose_results": no_kwargs,
    "wagtailimages:index": no_kwargs,
    "wagtailimages:index_results": no_kwargs,
    "wagtailimages_chooser:choose": no_kwargs,
    "wagtailimages_chooser:choose_results": no_kwargs,
    "wagtailsites:index": no_kwargs,
    "wagtailsites:index_results": no_kwargs,
    "wagtailusers_users:index": no_kwargs,
    "wagtailusers_users:index_results": no_kwargs,
    "wagtailusers_groups:index": no_kwargs,
    "wagtailusers_groups:index_results": no_kwargs,
    "importers_warnings": no_kwargs,
    "importers_refused_missions": no_kwargs,
    "importers_promo_codes_upload": no_kwargs,
    "importers_offers_upload": no_kwargs,
    "cards_offer_usage": no_kwargs,
    "tracking_impact": no_kwargs,
}

#: The card's model view sets (people: only the card staff group has permissions on them).
CARD_VIEWSETS = (
    "cards_referents",
    "cards_young_people",
    "cards_recommendation_profiles",
    "cards_cards",
    "cards_activations",
    "cards_check_grants",
)
CARD_OBJECT_VIEWS = ("add", "edit", "delete", "usage", "history", "history_results", "copy", "inspect")
for _viewset in CARD_VIEWSETS:
    LISTINGS |= {f"{_viewset}:index": no_kwargs, f"{_viewset}:index_results": no_kwargs}

#: Snippet models in the admin: their list and chooser views are listings, their other views act on one object.
SNIPPETS = (
    "taxonomy_domain",
    "taxonomy_programme",
    "taxonomy_offercategory",
    "taxonomy_need",
    "organisations_organization",
    "missions_mission",
    "partners_api_apikey",
    "syndication_diffusionpartner",
    "syndication_keyusage",
    "importers_feedsource",
    "importers_importrun",
)
for _snippet in SNIPPETS:
    LISTINGS |= {
        f"wagtailsnippets_{_snippet}:list": no_kwargs,
        f"wagtailsnippets_{_snippet}:list_results": no_kwargs,
        f"wagtailsnippetchoosers_{_snippet}:choose": no_kwargs,
        f"wagtailsnippetchoosers_{_snippet}:choose_results": no_kwargs,
    }

#: Snippet views on one object or a form: Wagtail (and ``MissionViewSet`` for missions) checks the object's permissions.
SNIPPET_OBJECT_VIEWS = {
    "wagtailsnippets": {
        "add",
        "edit",
        "delete",
        "usage",
        "history",
        "history_results",
        "copy",
        "inspect",
        "preview_on_add",
        "preview_on_edit",
        "revisions_view",
        "revisions_revert",
        "revisions_compare",
        "revisions_unschedule",
        "unpublish",
        "lock",
        "unlock",
        "workflow_action",
        "collect_workflow_action_data",
        "confirm_workflow_cancellation",
        "workflow_history",
        "workflow_history_detail",
        "workflow_preview",
    },
    "wagtailsnippetchoosers": {"chosen", "chosen_multiple", "create"},
}

#: Admin URL names that list nothing: one object's views (permission-checked on that object), forms, actions, assets.
NOT_LISTINGS = {
    # the card's view sets on one object (model permissions), and a card's status form (cards.change_card)
    *(f"{viewset}:{view}" for viewset in CARD_VIEWSETS for view in CARD_OBJECT_VIEWS),
    "cards_card_status",
    # invitations: a confirmation page about one account (staff only), and the link an invited person follows
    "core_resend_invitation",
    # rotating one partner key (staff only)
    "partners_api_rotate_key",
    "invitation_confirm",
    # one page, image, document, collection, workflow, redirect, site, user or group (checked on that object)
    *(
        f"wagtailadmin_pages:{name}"
        for name in (
            "add",
            "preview_on_add",
            "usage",
            "edit",
            "preview_on_edit",
            "view_draft",
            "add_subpage",
            "delete",
            "unpublish",
            "convert_alias",
            "move",
            "move_confirm",
            "set_page_position",
            "copy",
            "workflow_action",
            "collect_workflow_action_data",
            "confirm_workflow_cancellation",
            "workflow_preview",
            "set_privacy",
            "lock",
            "unlock",
            "revisions_index",
            "revisions_view",
            "revisions_revert",
            "revisions_unschedule",
            "revisions_compare",
            "workflow_history",
            "workflow_history_detail",
            "history",
            "history_results",
        )
    ),
    "wagtailadmin_api:pages:detail",
    "wagtailadmin_api:pages:action",
    "wagtailadmin_api:images:detail",
    "wagtailadmin_api:documents:detail",
    "wagtail_bulk_action",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailadmin_tag_model_autocomplete",
    "wagtailadmin_collections:add",
    "wagtailadmin_collections:edit",
    "wagtailadmin_collections:delete",
    "wagtailadmin_collections:set_privacy",
    *(
        f"wagtailadmin_workflows:{name}"
        for name in (
            "add",
            "enable",
            "disable",
            "edit",
            "usage",
            "usage_results",
            "remove",
            "add_task",
            "select_task_type",
            "edit_task",
            "disable_task",
            "enable_task",
            "task_chooser_create",
            "task_chosen",
        )
    ),
    "wagtailforms:list_submissions",
    "wagtailforms:list_submissions_results",
    "wagtailforms:delete_submissions",
    "wagtailredirects:add",
    "wagtailredirects:edit",
    "wagtailredirects:delete",
    "wagtailredirects:start_import",
    "wagtailredirects:process_import",
    "wagtailsettings:edit",
    "wagtailsettings:preview_on_edit",
    "wagtailembeds:chooser",
    "wagtailembeds:chooser_upload",
    *(
        f"wagtaildocs:{name}"
        for name in (
            "add",
            "edit",
            "delete",
            "add_multiple",
            "edit_multiple",
            "create_multiple_from_uploaded_document",
            "delete_multiple",
            "delete_upload_multiple",
            "document_usage",
        )
    ),
    "wagtaildocs_chooser:create",
    *(
        f"wagtailimages:{name}"
        for name in (
            "edit",
            "delete",
            "url_generator",
            "url_generator_output",
            "preview",
            "add",
            "image_usage",
            "add_multiple",
            "edit_multiple",
            "create_multiple_from_uploaded_image",
            "delete_multiple",
            "delete_upload_multiple",
        )
    ),
    "wagtailimages_chooser:create",
    *(
        f"{namespace}:{name}"
        for namespace in ("wagtailsites", "wagtailusers_users", "wagtailusers_groups")
        for name in ("add", "edit", "delete", "history", "history_results", "usage", "copy")
        if (namespace, name) != ("wagtailusers_groups", "copy")
    ),
    "offers_onboard_partner",
    # the account, signing in and out, and the admin's own machinery
    "wagtailadmin_account",
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_dismissibles",
    "wagtailadmin_editing_sessions:ping",
    "wagtailadmin_editing_sessions:release",
    "wagtailadmin_block_preview",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_error_test",
}


def other_image(world: World):
    return get_image_model().objects.get(collection=world.cine.collection)


def other_document(world: World):
    return get_document_model().objects.get(collection=world.cine.collection)


#: Choosers' "chosen" steps, which answer with the title of the object (or objects) whose id they are given.
CHOSEN = {
    "wagtailadmin_choose_page_chosen_multiple": lambda world: ({}, f"?id={world.other_offer.pk}"),
    "wagtailimages_chooser:chosen": lambda world: ({"pk": other_image(world).pk}, ""),
    "wagtailimages_chooser:chosen_multiple": lambda world: ({}, f"?id={other_image(world).pk}"),
    "wagtailimages_chooser:select_format": lambda world: ({"image_id": other_image(world).pk}, ""),
    "wagtaildocs_chooser:chosen": lambda world: ({"pk": other_document(world).pk}, ""),
    "wagtaildocs_chooser:chosen_multiple": lambda world: ({}, f"?id={other_document(world).pk}"),
    "wagtailsnippetchoosers_missions_mission:chosen": lambda world: ({"pk": world.other_mission.pk}, ""),
    "wagtailsnippetchoosers_missions_mission:chosen_multiple": lambda world: ({}, f"?id={world.other_mission.pk}"),
}


def admin_url_names() -> set[str]:
    """Every named URL under the admin's root, namespaces included."""

    def walk(patterns, namespace, route):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix, route + str(pattern.pattern))
            elif pattern.name and (route + str(pattern.pattern)).startswith("admin/"):
                yield namespace + pattern.name

    return set(walk(get_resolver().url_patterns, "", ""))


def is_snippet_object_view(name: str) -> bool:
    namespace, _, action = name.partition(":")
    prefix, _, model = namespace.partition("_")
    return model in SNIPPETS and action in SNIPPET_OBJECT_VIEWS.get(prefix, ())


def shows(content: str, title: str) -> bool:
    """Whether a response shows ``title``, as HTML or as JSON (which escapes accented letters)."""
    return title in content or json.dumps(title)[1:-1] in content


def others_shown(content: str) -> list[str]:
    return [title for title in OTHERS if shows(content, title)]


def test_every_admin_url_name_is_classified_as_a_listing_or_not():
    unclassified = sorted(
        name
        for name in admin_url_names()
        if name not in LISTINGS and name not in CHOSEN and name not in NOT_LISTINGS and not is_snippet_object_view(name)
    )
    assert unclassified == [], f"Admin URLs neither checked nor classified as not a listing: {unclassified}"


@pytest.mark.parametrize("who", ["partner", "organisation member"])
def test_no_admin_listing_shows_others_content(client, world, who):
    client.force_login(world.velo.users[0] if who == "partner" else world.member)
    leaks = []
    for name, kwargs in sorted(LISTINGS.items()):
        url = reverse(name, kwargs=kwargs(world))
        for query in QUERIES:
            response = client.get(url + query)
            assert response.status_code < 500, f"{url}{query}: {response.status_code}"
            if shown := others_shown(response.content.decode()):
                leaks.append(f"{name} ({url}{query}): {', '.join(shown)}")
    assert leaks == []


@pytest.mark.parametrize("who", ["partner", "organisation member"])
def test_no_chooser_tells_the_title_of_others_content_from_its_id(client, world, who):
    client.force_login(world.velo.users[0] if who == "partner" else world.member)
    leaks = []
    for name, arguments in sorted(CHOSEN.items()):
        kwargs, query = arguments(world)
        response = client.get(reverse(name, kwargs=kwargs) + query)
        assert response.status_code < 500, f"{name}: {response.status_code}"
        if shown := others_shown(response.content.decode()):
            leaks.append(f"{name}: {', '.join(shown)}")
    assert leaks == []


@pytest.mark.parametrize(
    ("name", "kwargs", "query", "own"),
    [
        ("wagtailadmin_explore", lambda world: {"parent_page_id": world.velo.page.pk}, "", "Casque Vélo offert"),
        ("wagtailadmin_pages:search", no_kwargs, "?q=casque", "Casque Vélo offert"),
        ("wagtailadmin_choose_page_search", no_kwargs, "?q=casque", "Casque Vélo offert"),
        ("wagtailadmin_choose_page_child", lambda world: {"parent_page_id": world.velo.page.pk}, "", "Casque Vélo"),
        ("wagtailadmin_pages:type_use", page_type_kwargs, "", "Casque Vélo offert"),
        ("wagtailadmin_reports:page_types_usage", no_kwargs, "", "Casque Vélo offert"),
        ("wagtailimages:index", no_kwargs, "", "Photo Vélo"),
        ("wagtailimages_chooser:choose", no_kwargs, "", "Photo Vélo"),
        ("wagtailadmin_api:images:listing", no_kwargs, "", "Photo Vélo"),
        ("importers_promo_codes_upload", no_kwargs, "", "Casque Vélo offert"),
        ("importers_offers_upload", no_kwargs, "", "Vélo Plus"),
    ],
)
def test_a_partners_listings_show_its_own_content(client, world, name, kwargs, query, own):
    client.force_login(world.velo.users[0])
    response = client.get(reverse(name, kwargs=kwargs(world)) + query)
    assert shows(response.content.decode(), own)


@pytest.mark.parametrize(
    ("name", "own"),
    [
        ("wagtailsnippets_missions_mission:list", "Mission des Restos"),
        ("wagtailsnippetchoosers_missions_mission:choose", "Mission des Restos"),
        ("importers_refused_missions", "Aucune mission refusée."),
    ],
)
def test_an_organisation_members_listings_show_its_own_missions(client, world, name, own):
    client.force_login(world.member)
    assert shows(client.get(reverse(name)).content.decode(), own)


def test_browsing_the_page_chooser_into_another_partners_page_is_not_found(client, world):
    client.force_login(world.velo.users[0])
    response = client.get(reverse("wagtailadmin_choose_page_child", args=[world.cine.page.pk]))
    assert response.status_code == 404


def test_the_page_chooser_search_finds_no_other_partners_draft(client, world):
    client.force_login(world.velo.users[0])
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "place"})
    assert others_shown(response.content.decode()) == []


def test_the_editorial_team_still_chooses_every_page(client, world):
    client.force_login(EditorFactory())
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "place"})
    assert shows(response.content.decode(), "Place de ciné secrète")
