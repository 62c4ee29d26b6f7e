"""``seed_demo``: a realistic, reproducible sample of everything Tremplin holds, published through Wagtail.

Pages go through ``save_revision().publish()`` so that they have revisions and history like edited pages;
organisations and missions are bulk-inserted (there are hundreds) and announced to listeners in one batch.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Collection, Page
from wagtail.search.backends import get_search_backends

from cms.core.changes import announce
from cms.missions.models import Mission
from cms.offers.models import OffersIndexPage, PartnerPage, PromoCode
from cms.offers.onboarding import onboard_partner
from cms.organisations.models import Organization
from cms.pages.models import ContentPage, HomePage, ProgrammePage
from cms.taxonomy.models import Domain, Need, OfferCategory, Programme

from .cards import card_sign_ins, reset_cards, seed_cards
from .data import PARTNERS
from .images import DEMO_COLLECTION, create_image, initials
from .missions import DEMO_SOURCE, build_organisations, generate_missions, load_missions
from .offers import generate_offer, promo_code_rows

SEED = 20_240_601
ADMIN_USERNAME = "admin"
#: The demo's partner person (in the first partner's group) and organisation member (of the first organisation).
PARTNER_USERNAME = "partenaire@tremplin.example"
MEMBER_USERNAME = "membre@tremplin.example"
OFFERS_PER_PARTNER = 5
CONTENT_PAGES = (
    (
        "carte-jeune-engage",
        "La Carte jeune engagé",
        "Des réductions chez nos partenaires pour les jeunes qui s'engagent.",
        "La Carte jeune engagé est gratuite. Elle est proposée aux jeunes en service civique, aux sapeurs-pompiers "
        "volontaires, aux réservistes et à tous ceux qui s'engagent au service de l'intérêt général.",
    ),
    (
        "plateforme-engagement",
        "La Plateforme de l'engagement",
        "Toutes les missions d'engagement, près de chez vous.",
        "La plateforme rassemble les missions publiées par les associations, les collectivités et les services "
        "publics : bénévolat, service civique, réserve civique et bien d'autres.",
    ),
    (
        "mentions-legales",
        "Mentions légales",
        "Éditeur, hébergeur et données personnelles.",
        "Ce site de démonstration est édité à des fins de test. Aucune donnée personnelle réelle n'y est traitée.",
    ),
)


@dataclass
class DemoAccount:
    """An account to sign in with, so that a newcomer sees each role's admin at once."""

    role: str  # in French, as printed: "administrateur", "partenaire (…)", "membre d'organisation (…)"
    username: str
    password: str | None = None  # None when the account already existed and was left alone


@dataclass
class SeedReport:
    """What ``seed_demo`` did, for the command to print and for tests to check."""

    counts: dict[str, int] = field(default_factory=dict)
    admin_username: str = ADMIN_USERNAME
    admin_password: str | None = None  # None when the account already existed and was left alone
    skipped: bool = False
    #: The partner's and the organisation member's accounts (the admin's is above).
    accounts: list[DemoAccount] = field(default_factory=list)
    #: (who, contact) of the card's demo people, who sign in with a code sent to that contact.
    card_sign_ins: list[tuple[str, str]] = field(default_factory=list)


def demo_exists() -> bool:
    return (
        Mission.objects.filter(client_id__startswith=f"{DEMO_SOURCE}-").exists()
        or PartnerPage.objects.filter(slug__in=[p.slug for p in PARTNERS]).exists()
    )


def reset_demo() -> None:
    """Delete what a previous ``seed_demo`` created; content created by hand is left alone."""
    with transaction.atomic():
        reset_cards()
        Mission.objects.filter(client_id__startswith=f"{DEMO_SOURCE}-").delete()
        Organization.objects.filter(source=DEMO_SOURCE).delete()
        for page in PartnerPage.objects.filter(slug__in=[p.slug for p in PARTNERS]):
            page.delete()
        for page in ContentPage.objects.filter(slug__in=[slug for slug, *_ in CONTENT_PAGES], depth=3):
            page.delete()
        for page in ProgrammePage.objects.filter(slug=F("programme__slug")):
            page.delete()
        Image.objects.filter(collection__name=DEMO_COLLECTION).delete()
        Collection.objects.filter(name=DEMO_COLLECTION, depth=2).delete()


def publish(page: Page) -> Page:
    """Publish ``page`` the way an editor does, so that it has a revision and a first publication date."""
    page.save_revision().publish()
    return page


def _ensure_account(username: str, password: str | None, *, reset: bool, superuser: bool = False):
    """The account ``username`` with ``password`` (random when None); returns it and the password it was given,
    or None for the password when the account existed and ``reset`` is false (its password is left alone)."""
    User = get_user_model()  # noqa: N806
    user = User.objects.filter(username=username).first()
    if user is not None and not reset:
        return user, None
    password = password or secrets.token_urlsafe(12)
    email = username if "@" in username else f"{username}@tremplin.example"
    user = user or User(username=username, email=email)
    user.set_password(password)
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    user.save()
    return user, password


def _ensure_admin(password: str | None, *, reset: bool) -> str | None:
    return _ensure_account(ADMIN_USERNAME, password, reset=reset, superuser=True)[1]


def _ensure_role_accounts(partner_password: str | None, member_password: str | None, *, reset: bool) -> list:
    """The demo partner person (first partner's group, through onboarding) and organisation member (first demo
    organisation); skipped while their partner page or organisation does not exist."""
    accounts = []
    partner = PARTNERS[0]
    if PartnerPage.objects.filter(slug=partner.slug).exists():
        user, password = _ensure_account(PARTNER_USERNAME, partner_password, reset=reset)
        onboard_partner(partner.name, user_emails=[user.email])  # finds the account: no invitation is sent
        accounts.append(DemoAccount(f"partenaire ({partner.name})", PARTNER_USERNAME, password))
    organisation = Organization.objects.filter(source=DEMO_SOURCE).order_by("pk").first()
    if organisation is not None:
        user, password = _ensure_account(MEMBER_USERNAME, member_password, reset=reset)
        organisation.members.add(user)
        accounts.append(DemoAccount(f"membre d'organisation ({organisation.name})", MEMBER_USERNAME, password))
    return accounts


def _seed_offers(rng: random.Random, today: datetime.date) -> dict[str, int]:
    index_page = OffersIndexPage.objects.get()
    categories = {c.slug: c for c in OfferCategory.objects.all()}
    needs = {n.slug: n for n in Need.objects.all()}
    banners = {
        slug: create_image(f"Illustration {c.label}", f"demo-{slug}.png", c.label, "#334155", (800, 450))
        for slug, c in list(categories.items())[:6]
    }
    n_offers = n_codes = n_stores = 0
    for partner in PARTNERS:
        logo = create_image(
            f"Logo {partner.name}", f"logo-{partner.slug}.png", initials(partner.name), partner.colour, (256, 256)
        )
        partner_page = PartnerPage(
            title=partner.name,
            slug=partner.slug,
            description=f"<p>{partner.description}</p>",
            website=partner.website,
            logo=logo,
            colour=partner.colour,
        )
        index_page.add_child(instance=partner_page)
        publish(partner_page)
        for index in range(OFFERS_PER_PARTNER):
            banner = banners.get(partner.category)
            draft = generate_offer(
                rng,
                partner,
                index,
                categories=categories,
                needs=needs,
                today=today,
                image_id=banner.pk if banner and index % 2 == 0 else logo.pk,
            )
            offer = draft.page
            offer.stores = draft.stores
            offer.categories.set(draft.categories)
            offer.needs.set(draft.needs)
            partner_page.add_child(instance=offer)
            publish(offer)
            PromoCode.objects.bulk_create(promo_code_rows(offer, draft.codes, expires_on=offer.valid_until))
            n_offers += 1
            n_codes += len(draft.codes)
            n_stores += len(draft.stores)
    return {"partners": len(PARTNERS), "offers": n_offers, "promo_codes": n_codes, "stores": n_stores}


def _home_body(offers_index: Page, categories: list[OfferCategory], domains: list[Domain]) -> str:
    """The home page's StreamField in its stored JSON form: one block of every kind the front-ends render."""
    return json.dumps(
        [
            {"type": "heading", "value": {"text": "S'engager et en être récompensé", "level": "h2"}},
            {
                "type": "paragraph",
                "value": "<p>Trouvez une mission près de chez vous, puis profitez des réductions de nos partenaires "
                "grâce à la <b>Carte jeune engagé</b>.</p>",
            },
            {
                "type": "call_to_action",
                "value": {"label": "Voir les offres", "page": offers_index.pk, "url": "", "style": "primary"},
            },
            {
                "type": "listing",
                "value": {
                    "title": "Les bons plans du moment",
                    "content_type": "offers",
                    "offer_category": categories[0].pk,
                    "need": None,
                    "domain": None,
                    "programme": None,
                    "department_code": "",
                    "limit": 6,
                },
            },
            {
                "type": "listing",
                "value": {
                    "title": "Missions pour l'environnement",
                    "content_type": "missions",
                    "offer_category": None,
                    "need": None,
                    "domain": domains[0].pk,
                    "programme": None,
                    "department_code": "",
                    "limit": 6,
                },
            },
            {
                "type": "faq",
                "value": {
                    "title": "Questions fréquentes",
                    "items": [
                        {
                            "question": "Qui peut obtenir la Carte jeune engagé ?",
                            "answer": "<p>Les jeunes de 16 à 30 ans engagés dans un dispositif reconnu : service "
                            "civique, réserve, sapeurs-pompiers volontaires, SNU…</p>",
                        },
                        {
                            "question": "Les offres sont-elles cumulables ?",
                            "answer": "<p>Sauf mention contraire, une offre n'est pas cumulable avec d'autres "
                            "promotions.</p>",
                        },
                        {
                            "question": "Comment candidater à une mission ?",
                            "answer": "<p>Ouvrez la mission et suivez le lien de candidature de l'organisation.</p>",
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "label": "Découvrir le service civique",
                    "page": None,
                    "url": "https://www.service-civique.gouv.fr/",
                    "style": "secondary",
                },
            },
        ]
    )


def _seed_editorial(programmes: list[Programme]) -> dict[str, int]:
    home = HomePage.objects.get(depth=2)
    offers_index = OffersIndexPage.objects.get()
    categories = list(OfferCategory.objects.all())
    domains = list(Domain.objects.filter(slug="environnement")) or list(Domain.objects.all())
    home.intro = "Des réductions pour les jeunes engagés et des missions pour s'engager près de chez soi."
    home.body = _home_body(offers_index, categories, domains)
    publish(home)
    for slug, title, intro, text in CONTENT_PAGES:
        page = ContentPage(
            title=title,
            slug=slug,
            intro=intro,
            body=json.dumps(
                [
                    {"type": "heading", "value": {"text": title, "level": "h2"}},
                    {"type": "paragraph", "value": f"<p>{text}</p>"},
                ]
            ),
        )
        home.add_child(instance=page)
        publish(page)
    for programme in programmes:
        if ProgrammePage.objects.filter(programme=programme).exists():
            continue  # an editor already wrote this one
        page = ProgrammePage(
            title=programme.label,
            slug=programme.slug,
            programme=programme,
            intro=programme.description,
            body=json.dumps(
                [
                    {"type": "heading", "value": {"text": "Pour qui ?", "level": "h2"}},
                    {"type": "paragraph", "value": f"<p>{_eligibility(programme)}</p>"},
                    {"type": "heading", "value": {"text": "Durée et indemnisation", "level": "h2"}},
                    {"type": "paragraph", "value": f"<p>{programme.duration_text}. {programme.allowance_text}.</p>"},
                ]
            ),
        )
        home.add_child(instance=page)
        publish(page)
    return {"content_pages": len(CONTENT_PAGES), "programme_pages": len(programmes)}


def _eligibility(programme: Programme) -> str:
    if programme.min_age and programme.max_age:
        return f"De {programme.min_age} à {programme.max_age} ans."
    if programme.min_age:
        return f"Dès {programme.min_age} ans."
    return "Ouvert à tous."


def seed_demo(
    *,
    n_missions: int = 500,
    n_organisations: int = 30,
    reset: bool = False,
    admin_password: str | None = None,
    partner_password: str | None = None,
    member_password: str | None = None,
    seed: int = SEED,
) -> SeedReport:
    """Create the demo content, or do nothing (``skipped``) when it exists and ``reset`` is false.

    Passwords not given come from ``DEMO_ADMIN_PASSWORD``, ``DEMO_PARTNER_PASSWORD`` and ``DEMO_MEMBER_PASSWORD``,
    else are random; the report holds them for the command to print.
    """
    admin_password = admin_password or os.environ.get("DEMO_ADMIN_PASSWORD")
    partner_password = partner_password or os.environ.get("DEMO_PARTNER_PASSWORD")
    member_password = member_password or os.environ.get("DEMO_MEMBER_PASSWORD")
    if demo_exists():
        if not reset:  # still make sure there are accounts to log in with
            with transaction.atomic():
                return SeedReport(
                    skipped=True,
                    admin_password=_ensure_admin(admin_password, reset=False),
                    accounts=_ensure_role_accounts(partner_password, member_password, reset=False),
                    card_sign_ins=card_sign_ins(),
                )
        reset_demo()
    rng = random.Random(seed)
    today = timezone.localdate()
    report = SeedReport()
    with transaction.atomic():
        report.admin_password = _ensure_admin(admin_password, reset=reset)
        programmes = list(Programme.objects.all())
        report.counts.update(_seed_editorial(programmes))
        report.counts.update(_seed_offers(rng, today))

        organisations = Organization.objects.bulk_create(build_organisations(rng, n_organisations))
        mission_ids = load_missions(
            generate_missions(
                rng,
                n_missions,
                organisation_ids=[o.pk for o in organisations],
                programmes=programmes,
                domains=list(Domain.objects.all()),
                hand_written_share=0.05,
                today=today,
            )
        )
        report.counts["organisations"] = len(organisations)
        report.counts["missions"] = len(mission_ids)
        report.counts["images"] = Image.objects.filter(collection__name=DEMO_COLLECTION).count()
        for backend in get_search_backends():
            backend.add_bulk(Organization, organisations)
            backend.add_bulk(Mission, list(Mission.objects.filter(pk__in=mission_ids)))
        announce(Organization, [o.pk for o in organisations])
        announce(Mission, mission_ids)
        report.accounts = _ensure_role_accounts(partner_password, member_password, reset=reset)
        report.counts.update(seed_cards(today))
        report.card_sign_ins = card_sign_ins()
    return report
