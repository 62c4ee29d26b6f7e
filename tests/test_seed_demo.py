"""``seed_demo`` on PostgreSQL: what it creates, that it is valid by the models' own rules, and that it is repeatable.

The demo is the session's shared one (``demo`` in tests/conftest.py): seeded once, rolled back at the end, never seen
by tests that do not ask for it.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse

from cms.core.demo.cards import REFERENT_EMAIL
from cms.core.demo.data import PARTNERS
from cms.core.demo.missions import generate_missions
from cms.core.demo.seed import MEMBER_USERNAME, PARTNER_USERNAME, demo_exists, reset_demo, seed_demo
from cms.core.geo import department_from_postcode
from cms.missions.models import Mission, MissionAddress
from cms.offers.models import OfferPage, OffersIndexPage, PartnerPage, PromoCode
from cms.organisations.models import Organization
from cms.pages.models import ContentPage, HomePage, ProgrammePage
from cms.taxonomy.models import Domain, Programme
from tests.conftest import DEMO_ADMIN_PASSWORD as ADMIN_PASSWORD
from tests.conftest import DEMO_MEMBER_PASSWORD as MEMBER_PASSWORD
from tests.conftest import DEMO_MISSIONS as N_MISSIONS
from tests.conftest import DEMO_PARTNER_PASSWORD as PARTNER_PASSWORD
from tests.factories.organisations import OrganizationFactory
from tests.validation import validation_errors


@pytest.fixture
def seeded(demo_content):
    return demo_content


def test_seed_demo_creates_a_dozen_partners_with_five_offers_each(seeded):
    assert PartnerPage.objects.count() == 12
    assert set(PartnerPage.objects.annotate(n=Count("offers")).values_list("n", flat=True)) == {5}


def test_seed_demo_offers_cover_every_kind_channel_and_discount_type(seeded):
    offers = OfferPage.objects.all()
    assert {o.kind for o in offers} == set(OfferPage.Kind.values)
    assert {o.channel for o in offers} == set(OfferPage.Channel.values)
    assert {o.discount_type for o in offers} == set(OfferPage.DiscountType.values)


def test_every_demo_offer_is_valid_by_its_own_clean(seeded):
    offers = OfferPage.objects.all()
    assert offers
    assert {offer.title: errors for offer in offers if (errors := validation_errors(offer.full_clean))} == {}


def test_every_demo_store_has_coordinates_and_the_department_of_its_postcode(seeded):
    offers_with_stores = OfferPage.objects.filter(stores__isnull=False).distinct()
    assert offers_with_stores.exists()
    for offer in offers_with_stores:
        for store in offer.stores.all():
            assert validation_errors(lambda store=store: store.full_clean(exclude=["offer"])) == {}
            assert store.department_code == department_from_postcode(store.postcode).code


def test_only_code_offers_get_promo_codes(seeded):
    kinds = set(PromoCode.objects.values_list("offer__kind", flat=True))
    assert kinds == {OfferPage.Kind.CODE}
    assert not OfferPage.objects.filter(kind=OfferPage.Kind.CODE, promo_codes__isnull=True).exists()


def test_demo_promo_codes_are_unique(seeded):
    codes = list(PromoCode.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))


def test_demo_pages_are_published_with_a_revision(seeded):
    pages = [*PartnerPage.objects.all(), *OfferPage.objects.all(), *ContentPage.objects.all()]
    pages += [*ProgrammePage.objects.all(), HomePage.objects.get()]
    assert all(page.live and page.live_revision_id and page.first_published_at for page in pages)


def test_seed_demo_creates_one_programme_page_per_programme(seeded):
    assert ProgrammePage.objects.count() == Programme.objects.count()


def test_home_page_body_uses_every_editorial_block_kind(seeded):
    kinds = {block.block_type for block in HomePage.objects.get().body}
    assert {"heading", "paragraph", "call_to_action", "faq", "listing"} <= kinds


def test_partners_and_offers_have_generated_images(seeded):
    assert not PartnerPage.objects.filter(logo__isnull=True).exists()
    assert not OfferPage.objects.filter(image__isnull=True).exists()
    logo = PartnerPage.objects.first().logo
    assert (logo.width, logo.height) == (256, 256)


def test_seed_demo_creates_thirty_organisations_and_the_requested_missions(seeded):
    assert seeded.counts["organisations"] == Organization.objects.count() == 30
    assert seeded.counts["missions"] == Mission.objects.count() == N_MISSIONS


def test_every_demo_mission_has_one_to_three_addresses(seeded):
    counts = set(Mission.objects.annotate(n=Count("addresses")).values_list("n", flat=True))
    assert counts <= {1, 2, 3}
    assert len(counts) > 1


def test_demo_addresses_carry_the_department_and_region_of_their_postcode(seeded):
    for address in MissionAddress.objects.all():
        department = department_from_postcode(address.postcode)
        assert (address.department_code, address.department_name, address.region) == (
            department.code,
            department.name,
            department.region,
        )


def test_most_demo_missions_are_public_and_some_are_pending_refused_or_archived(seeded):
    assert Mission.objects.public().count() > N_MISSIONS * 0.75
    statuses = Counter(Mission.objects.values_list("moderation_status", flat=True))
    assert statuses[Mission.Moderation.PENDING]
    assert statuses[Mission.Moderation.REFUSED]
    assert Mission.objects.filter(archived_at__isnull=False).exists()


def test_every_demo_mission_is_valid_by_its_own_clean(seeded):
    missions = Mission.objects.all()
    assert missions
    invalid = {
        mission.title: errors
        for mission in missions
        if (errors := validation_errors(lambda mission=mission: mission.full_clean(exclude=["client_id"])))
    }
    assert invalid == {}


def test_demo_missions_have_a_plain_text_description(seeded):
    assert not Mission.objects.filter(description_text="").exists()


def test_seed_demo_creates_a_superuser_with_the_given_password(seeded):
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(ADMIN_PASSWORD)
    assert seeded.admin_password == ADMIN_PASSWORD


def test_the_demo_partner_signs_in_and_sees_only_its_own_partner_page(seeded, client):
    assert client.login(
        request=RequestFactory().post("/admin/login/"), username=PARTNER_USERNAME, password=PARTNER_PASSWORD
    )
    index = OffersIndexPage.objects.get()
    response = client.get(reverse("wagtailadmin_explore", args=[index.pk]), follow=True)
    own = PartnerPage.objects.get(slug=PARTNERS[0].slug)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_explore", args=[own.pk])
    assert {page.pk for page in response.context["pages"]} == {page.pk for page in own.get_children()}


def test_the_demo_partner_may_add_offers_under_its_page_only(seeded):
    user = get_user_model().objects.get(username=PARTNER_USERNAME)
    own, other = (PartnerPage.objects.get(slug=partner.slug) for partner in PARTNERS[:2])
    assert own.permissions_for_user(user).can_add_subpage()
    assert not other.permissions_for_user(user).can_add_subpage()


def test_the_demo_organisation_member_signs_in_and_sees_its_organisation_missions(seeded, client):
    assert client.login(
        request=RequestFactory().post("/admin/login/"), username=MEMBER_USERNAME, password=MEMBER_PASSWORD
    )
    member = get_user_model().objects.get(username=MEMBER_USERNAME)
    organisation = member.organizations.get()
    response = client.get(reverse(Mission.snippet_viewset.get_url_name("list")))
    assert response.status_code == 200
    listed = {mission.organization_id for mission in response.context["object_list"]}
    assert listed <= {organisation.pk}


def test_the_report_lists_the_partner_and_member_accounts_with_their_passwords(seeded):
    assert [(account.username, account.password) for account in seeded.accounts] == [
        (PARTNER_USERNAME, PARTNER_PASSWORD),
        (MEMBER_USERNAME, MEMBER_PASSWORD),
    ]


def test_seed_demo_skips_when_demo_content_exists(seeded):
    report = seed_demo(n_missions=10)
    assert report.skipped
    assert Mission.objects.count() == N_MISSIONS


def test_seed_demo_skipping_still_creates_a_missing_admin_account(seeded):
    get_user_model().objects.filter(username="admin").delete()
    report = seed_demo(n_missions=10, admin_password="nouveau-mot-de-passe-42")
    assert report.skipped
    assert get_user_model().objects.get(username="admin").check_password("nouveau-mot-de-passe-42")


def test_reset_demo_deletes_demo_content_and_keeps_content_made_by_hand(seeded):
    hand_made = OrganizationFactory()
    reset_demo()
    assert not demo_exists()
    assert not PartnerPage.objects.exists()
    assert not Mission.objects.exists()
    assert not ProgrammePage.objects.exists()
    assert list(Organization.objects.all()) == [hand_made]
    assert HomePage.objects.filter(live=True).exists()


def test_mission_generation_is_reproducible_with_the_same_seed(seeded):
    def titles(seed: int) -> list[str]:
        rows = generate_missions(
            random.Random(seed),
            20,
            organisation_ids=[1, 2],
            programmes=Programme.objects.all(),
            domains=Domain.objects.all(),
        )
        return [mission.title for mission, _ in rows]

    assert titles(7) == titles(7)
    assert titles(7) != titles(8)


def test_demo_pictures_draw_french_accents_rather_than_missing_glyph_boxes():
    from cms.core.demo.images import demo_font

    font, text = demo_font(40, "Mobilité")

    missing = bytes(font.getmask("\ue000"))
    assert text == "Mobilité"
    assert all(bytes(font.getmask(letter)) != missing for letter in "éèàçÉ")


def test_every_demo_mission_takes_place_in_the_city_its_title_names(seeded):
    missions = Mission.objects.filter(addresses__isnull=False).distinct().prefetch_related("addresses")
    assert missions
    elsewhere = {m.title: [a.city for a in m.addresses.all() if a.city not in m.title] for m in missions}
    assert {title: cities for title, cities in elsewhere.items() if cities} == {}


def test_demo_offer_titles_speak_of_products_in_the_plural_their_article_needs():
    from cms.core.demo.data import PARTNERS

    singular = [p for partner in PARTNERS for p in partner.products if not p.split()[0].endswith(("s", "x"))]
    assert singular == []


def test_every_demo_mission_comes_from_an_organisation_working_in_its_domain(seeded):
    from cms.core.demo.data import ORGANISATIONS

    domains_of = {name: domains for name, _kind, domains in ORGANISATIONS}
    missions = Mission.objects.filter(organization__isnull=False).select_related("organization", "domain")
    assert missions
    misfits = {
        m.title: m.organization.name
        for m in missions
        if m.domain.slug not in domains_of[m.organization.name.split(" — ")[0]]
    }
    assert misfits == {}


def test_seed_demo_seeds_a_referent_and_young_people_in_every_card_status(seeded):
    from cms.cards.models import Card, CardEvent, CardStatus

    statuses = set(Card.objects.filter(young_person__referent__email=REFERENT_EMAIL).values_list("status", flat=True))
    reactivated = CardEvent.objects.filter(action=CardEvent.Action.REACTIVATED).exists()

    assert statuses == set(CardStatus.values)
    assert reactivated
    assert seeded.counts["activations"] >= 3


def test_the_report_lists_the_card_sign_ins(seeded):
    contacts = [contact for _, contact in seeded.card_sign_ins]

    assert contacts[0] == REFERENT_EMAIL
    assert "lea.active@tremplin.example" in contacts
