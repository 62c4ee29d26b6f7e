"""Every way to reach an offer, a partner, a page or a mission through ``/graphql/`` × every way it can be hidden.

Each case builds a small world with a visible twin of each kind of object, hides one object in one way, and asks one
access path for it: the twin must come back (the path works), the hidden object (its slug or title) never, nor the
hidden partner an offer names. The last tests list every field of the schema that returns one of those types: a
field that no access path here covers fails them until it is added to the matrix (and so goes through
``cms.core.visibility`` or ``MissionQuerySet.public``).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLUnionType, get_named_type, is_abstract_type
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from cms.cards.signin import issue_token
from cms.missions.models import Mission
from cms.offers.models import OfferPage, OffersIndexPage
from cms.pages.models import ContentPage
from cms.taxonomy.models import Domain, Need, OfferCategory
from graphql_api.schema import schema
from search.base import get_backend
from search.indexing import KINDS
from tests.factories.cards import RecommendationProfileFactory
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PartnerPageFactory
from tests.factories.pages import ContentPageFactory

pytestmark = pytest.mark.django_db

LYON = {"latitude": 45.7578, "longitude": 4.8320, "radiusKm": 20}
#: The types the public visibility rules guard; any field returning one of them must be covered here.
GUARDED = {"Offer", "Partner", "Page", "HomePage", "ContentPage", "ProgrammePage", "OffersIndexPage", "Mission"}


@dataclasses.dataclass
class Target:
    """What a path looks for: the page (offer, partner or content page) or mission, and the strings that show it."""

    markers: list[str]
    page: Page | None = None
    offer: OfferPage | None = None
    mission: Mission | None = None


@dataclasses.dataclass
class World:
    home: Page
    index: OffersIndexPage
    category: OfferCategory
    need: Need
    domain: Domain
    visible: dict[str, Target] = dataclasses.field(default_factory=dict)
    hidden: dict[tuple[str, str], Target] = dataclasses.field(default_factory=dict)


# --- Objects and the ways to hide them ---------------------------------------------------------------------------


def _offer(world: World, parent: Page, name: str, **fields) -> OfferPage:
    offer = OfferPageFactory(parent=parent, slug=f"{name}-offre", title=f"Offre {name}", nationwide=False, **fields)
    offer.categories.add(world.category)
    offer.needs.add(world.need)
    offer.save()
    OfferStoreFactory(offer=offer, latitude=LYON["latitude"], longitude=LYON["longitude"])
    return offer


def _partner(world: World, name: str, parent: Page | None = None):
    return PartnerPageFactory(slug=f"{name}-partenaire", title=f"Partenaire {name}", parent=parent or world.index)


def _restrict(page: Page, how: str) -> None:
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=how, password="secret")
    if how == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.get_or_create(name="Testeurs")[0])


def _hidden_index(world: World, name: str) -> OffersIndexPage:
    index = OffersIndexPage(title=f"Offres {name}", slug=f"{name}-offres")
    world.home.add_child(instance=index)
    return index


RESTRICTIONS = {
    "password": PageViewRestriction.PASSWORD,
    "login": PageViewRestriction.LOGIN,
    "groups": PageViewRestriction.GROUPS,
}


def _offer_kind(how: str) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        name = f"cachee-offer-{how}"
        visible_partner = world.visible["offer"].page.get_parent()
        today = timezone.localdate()
        if how == "draft":
            offer = _offer(world, visible_partner, name, live=False)
        elif how == "expired":
            offer = _offer(world, visible_partner, name, valid_until=today - datetime.timedelta(days=1))
        elif how == "future":
            offer = _offer(world, visible_partner, name, valid_from=today + datetime.timedelta(days=1))
        elif how in RESTRICTIONS:
            offer = _offer(world, visible_partner, name)
            _restrict(offer, RESTRICTIONS[how])
        elif how == "stale-partner-link":  # below a visible partner, naming a hidden one
            offer = _offer(world, visible_partner, name)
            hidden = _partner(world, name)
            hidden.unpublish()
            OfferPage.objects.filter(pk=offer.pk).update(partner=hidden)
            return Target(markers=[offer.slug, hidden.slug], page=offer, offer=offer)
        else:
            partner = _partner(world, name, _hidden_index(world, name) if how == "unpublished-index" else None)
            offer = _offer(world, partner, name)
            if how == "unpublished-partner":
                partner.unpublish()
            elif how == "restricted-partner":
                _restrict(partner, PageViewRestriction.PASSWORD)
            else:
                partner.get_parent().unpublish()
            return Target(markers=[offer.slug, partner.slug], page=offer, offer=offer)
        return Target(markers=[offer.slug], page=offer, offer=offer)

    return make


def _partner_kind(how: str) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        name = f"cachee-partner-{how}"
        partner = _partner(world, name, _hidden_index(world, name) if how == "unpublished-index" else None)
        offer = _offer(world, partner, name)
        if how == "unpublished":
            partner.unpublish()
        elif how in RESTRICTIONS:
            _restrict(partner, RESTRICTIONS[how])
        else:
            partner.get_parent().unpublish()
        return Target(markers=[partner.slug, offer.slug], page=partner, offer=offer)

    return make


def _page_kind(how: str) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        name = f"cachee-page-{how}"
        if how == "draft":
            page = ContentPageFactory(slug=f"{name}-page", title=name, show_in_menus=True, live=False)
        elif how in RESTRICTIONS:
            page = ContentPageFactory(slug=f"{name}-page", title=name, show_in_menus=True)
            _restrict(page, RESTRICTIONS[how])
        else:
            parent = ContentPageFactory(slug=f"{name}-section", title=f"{name} section", show_in_menus=True)
            page = ContentPageFactory(parent=parent, slug=f"{name}-page", title=name, show_in_menus=True)
            if how == "unpublished-parent":
                parent.unpublish()
            else:
                _restrict(parent, PageViewRestriction.LOGIN)
            return Target(markers=[page.slug, parent.slug], page=page)
        return Target(markers=[page.slug], page=page)

    return make


def _mission_kind(how: str) -> Callable[[World], Target]:
    def make(world: World) -> Target:
        title = f"Mission cachee-{how}"
        today = timezone.localdate()
        fields = {
            "refused": {"moderation_status": Mission.Moderation.REFUSED, "moderation_reason": "Hors charte."},
            "pending": {"moderation_status": Mission.Moderation.PENDING},
            "archived": {"archived_at": timezone.now()},
            "over": {"start_date": today - datetime.timedelta(days=30), "end_date": today - datetime.timedelta(days=1)},
            "draft": {"live": False},
        }[how]
        mission = MissionFactory(title=title, domain=world.domain, **fields)
        MissionAddressFactory(mission=mission, latitude=LYON["latitude"], longitude=LYON["longitude"])
        return Target(markers=[title], mission=mission)

    return make


HIDDEN: dict[str, dict[str, Callable[[World], Target]]] = {
    "offer": {
        how: _offer_kind(how)
        for how in (
            "draft",
            "expired",
            "future",
            *RESTRICTIONS,
            "unpublished-partner",
            "restricted-partner",
            "unpublished-index",
            "stale-partner-link",
        )
    },
    "partner": {how: _partner_kind(how) for how in ("unpublished", *RESTRICTIONS, "unpublished-index")},
    "page": {how: _page_kind(how) for how in ("draft", *RESTRICTIONS, "unpublished-parent", "restricted-parent")},
    "mission": {how: _mission_kind(how) for how in ("refused", "pending", "archived", "over", "draft")},
}


def _build_world() -> World:
    """The visible twins (an offer of a partner, a content page in the menu, a mission: each found by every path),
    then one hidden object of each kind beside them, and the search index built from the database."""
    world = World(
        home=Page.objects.get(depth=2),
        index=OffersIndexPage.objects.get(),
        category=OfferCategory.objects.order_by("pk").first(),
        need=Need.objects.order_by("pk").first(),
        domain=Domain.objects.get(slug="education"),
    )
    partner = _partner(world, "visible")
    offer = _offer(world, partner, "visible")
    world.visible["offer"] = Target(markers=[offer.slug, partner.slug], page=offer, offer=offer)
    world.visible["partner"] = Target(markers=[partner.slug], page=partner, offer=offer)
    page = ContentPageFactory(slug="visible-page", title="visible", show_in_menus=True)
    world.visible["page"] = Target(markers=[page.slug], page=page)
    mission = MissionFactory(title="Mission visible", domain=world.domain)
    MissionAddressFactory(mission=mission, latitude=LYON["latitude"], longitude=LYON["longitude"])
    world.visible["mission"] = Target(markers=[mission.title], mission=mission)
    for domain, kinds in HIDDEN.items():
        for how, make in kinds.items():
            world.hidden[domain, how] = make(world)
    for kind in KINDS.values():
        get_backend("database").rebuild(kind, kind.records())
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at its end; each test runs in a savepoint on top."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def matrix(world, db, settings) -> World:
    settings.SEARCH_BACKEND = "database"
    return world


# --- Access paths --------------------------------------------------------------------------------------------------


def _post(client, query: str, **variables) -> dict:
    body = json.dumps({"query": query, "variables": variables})
    return client.post("/graphql/", body, content_type="application/json").json()


def _site_path(page: Page) -> str:
    return page.url_path.removeprefix("/accueil/")


PAGE_FIELDS = "slug ... on Offer { partner { slug } } ... on Partner { offers { slug } }"
OFFER_FIELDS = "slug partner { slug databaseId }"


@dataclasses.dataclass
class Path:
    domains: tuple[str, ...]
    covers: tuple[str, ...]
    run: Callable[..., dict]


def _offers_filtered(filters: Callable[[Target], dict]) -> Callable[..., dict]:
    def run(client, world, target, settings):
        data = _post(
            client,
            "query($f: OfferFilter) { offers(first: 100, filters: $f) {"
            f" totalCount edges {{ node {{ {OFFER_FIELDS} }} }} }} }}",
            f=filters(target),
        )
        connection = data["data"]["offers"]
        assert connection["totalCount"] == len(connection["edges"])
        return data

    return run


def _search_offers(text: Callable[[Target], str] | None = None, filters: Callable[[Target], dict] | None = None):
    def run(client, world, target, settings):
        data = _post(
            client,
            "query($q: String, $f: OfferSearchFilters) { searchOffers(query: $q, filters: $f, first: 100) {"
            f" totalCount hits {{ offer {{ {OFFER_FIELDS} }} }} facets {{ name values {{ value label count }} }} }} }}",
            q=text(target) if text else None,
            f=filters(target) if filters else None,
        )
        result = data["data"]["searchOffers"]
        facets = {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in result["facets"]}
        assert result["totalCount"] == len(result["hits"])
        assert facets["category"].get(world.category.slug, 0) == len(result["hits"])
        # Counts of a facet ignore its own filter: the visible partner may be counted beside a selected hidden one.
        assert {int(value) for value, count in facets["partner"].items() if count} <= {world.visible["partner"].page.pk}
        return data

    return run


def _search_missions(text: Callable[[Target], str] | None = None):
    def run(client, world, target, settings):
        data = _post(
            client,
            "query($q: String) { searchMissions(query: $q, first: 100) {"
            " totalCount hits { mission { title } } facets { name values { value label count } } } }",
            q=text(target) if text else None,
        )
        result = data["data"]["searchMissions"]
        domains = next(facet for facet in result["facets"] if facet["name"] == "domain")["values"]
        assert result["totalCount"] == len(result["hits"])
        assert sum(value["count"] for value in domains) == len(result["hits"])
        return data

    return run


def _recommended_missions(client, world, target, settings):
    profile = {"latitude": LYON["latitude"], "longitude": LYON["longitude"], "radiusKm": 20}
    query = "query($p: RecommendationProfileInput!) { recommendedMissions(profile: $p, first: 20) {"
    return _post(client, query + " items { mission { title } } } }", p=profile)


def _person_near_lyon():
    """A young person in Lyon who stored a recommendation profile (20 km), followed by a referent."""
    near = {"young_person__latitude": LYON["latitude"], "young_person__longitude": LYON["longitude"]}
    return RecommendationProfileFactory(radius_km=LYON["radiusKm"], **near).young_person


def _recommended_missions_for(whom: str):
    """``recommendedMissions`` without a profile: the signed-in young person's stored one, or a referent's for a
    young person they follow."""

    def run(client, world, target, settings):
        person = _person_near_lyon()
        if whom == "self":
            query, variables, token = "{ recommendedMissions(first: 20) {", {}, issue_token(person)
        else:
            query = "query($p: ID!) { recommendedMissions(forPerson: $p, first: 20) {"
            variables, token = {"p": str(person.pk)}, issue_token(person.referent)
        body = json.dumps({"query": query + " items { mission { title } } } }", "variables": variables})
        headers = {"Authorization": f"Bearer {token}"}
        return client.post("/graphql/", body, content_type="application/json", headers=headers).json()

    return run


def _recommended_offers(client, world, target, settings):
    """Offers recommended to a cardholder in Lyon (every offer of the world has a store there)."""
    from cms.cards.signin import issue_token
    from tests.factories.cards import CardFactory

    person = CardFactory(young_person__latitude=LYON["latitude"], young_person__longitude=LYON["longitude"])
    token = issue_token(person.young_person)
    body = json.dumps({"query": f"{{ recommendedOffers(first: 20) {{ items {{ offer {{ {OFFER_FIELDS} }} }} }} }}"})
    headers = {"Authorization": f"Bearer {token}"}
    return client.post("/graphql/", body, content_type="application/json", headers=headers).json()


def _similar_missions(client, world, target, settings):
    """Missions similar to a visible mission of the same domain and place (not indexed: only read as the source)."""
    source = MissionFactory(title="Mission source", domain=world.domain)
    MissionAddressFactory(mission=source, latitude=LYON["latitude"], longitude=LYON["longitude"])
    query = "query($id: ID!) { similarMissions(missionId: $id, first: 20) { mission { title } } }"
    return _post(client, query, id=str(source.pk))


def _with_body(world: World, blocks: list[dict]) -> str:
    """A visible content page whose body holds ``blocks``; returns its slug."""
    page = ContentPageFactory(slug=f"vitrine-{ContentPage.objects.count()}", body=json.dumps(blocks))
    return page.slug


def _listing(content_type: str):
    def run(client, world, target, settings):
        value = {"title": "", "content_type": content_type, "limit": 24}
        value |= {"offer_category": world.category.pk} if content_type == "offers" else {"domain": world.domain.pk}
        slug = _with_body(world, [{"type": "listing", "value": value}])
        fields = f"offers {{ {OFFER_FIELDS} }}" if content_type == "offers" else "missions { title }"
        query = (
            "query($s: String) { page(slug: $s) { ... on ContentPage { body {"
            f" ... on ListingBlock {{ {fields} }} }} }} }} }}"
        )
        return _post(client, query, s=slug)

    return run


def _call_to_action(client, world, target, settings):
    value = {"label": "Voir", "page": target.page.pk, "url": "", "style": "primary"}
    slug = _with_body(world, [{"type": "call_to_action", "value": value}])
    query = (
        "query($s: String) { page(slug: $s) { ... on ContentPage { body {"
        f" ... on CallToActionBlock {{ url page {{ {PAGE_FIELDS} }} }} }} }} }} }}"
    )
    return _post(client, query, s=slug)


def _redirected(query: str) -> Callable[..., dict]:
    """A redirect from an old path to the target page, then ``query`` (given that path as ``$p`` if it uses it)."""

    def run(client, world, target, settings):
        Redirect.add_redirect(f"/ancien-{target.page.pk}", target.page)
        return _post(client, query, **({"p": f"/ancien-{target.page.pk}/"} if "$p" in query else {}))

    return run


SITEMAP_OF_PAGES = """{
  pages: sitemap(kind: PAGES) { totalCount nodes { slug urlPath } }
  offers: sitemap(kind: OFFERS) { totalCount nodes { slug urlPath } }
  partners: sitemap(kind: PARTNERS) { totalCount nodes { slug urlPath } }
}"""


def _sitemap_of_missions(client, world, target, settings):
    """The sitemap names missions by id: the answer is given back with the title of each mission it lists."""
    data = _post(client, "{ sitemap(kind: MISSIONS) { totalCount nodes { databaseId } } }")
    ids = [node["databaseId"] for node in data["data"]["sitemap"]["nodes"]]
    assert data["data"]["sitemap"]["totalCount"] == len(ids)
    return {"listed": list(Mission.objects.filter(pk__in=ids).values_list("title", flat=True))}


def _page_type(target: Target) -> str:
    return {"OfferPage": "OFFER", "PartnerPage": "PARTNER", "ContentPage": "CONTENT"}[type(target.page).__name__]


PAGES = ("offer", "partner", "page")
OFFERS = ("offer", "partner")
PATHS: dict[str, Path] = {
    # The Page interface, for offers, partners and content pages.
    "page-by-id": Path(
        PAGES,
        ("Query.page",),
        lambda c, w, t, s: _post(c, f"query($id: ID) {{ page(id: $id) {{ {PAGE_FIELDS} }} }}", id=str(t.page.pk)),
    ),
    "page-by-slug": Path(
        PAGES,
        ("Query.page",),
        lambda c, w, t, s: _post(c, f"query($s: String) {{ page(slug: $s) {{ {PAGE_FIELDS} }} }}", s=t.page.slug),
    ),
    "page-by-path": Path(
        PAGES,
        ("Query.page",),
        lambda c, w, t, s: _post(
            c, f"query($p: String) {{ page(urlPath: $p) {{ {PAGE_FIELDS} }} }}", p=_site_path(t.page)
        ),
    ),
    "pages-of-its-type": Path(
        PAGES,
        ("Query.pages",),
        lambda c, w, t, s: _post(
            c, f"query($t: PageKind) {{ pages(type: $t, limit: 100) {{ {PAGE_FIELDS} }} }}", t=_page_type(t)
        ),
    ),
    "pages-under-its-parent": Path(
        PAGES,
        ("Query.pages",),
        lambda c, w, t, s: _post(
            c,
            f"query($p: ID) {{ pages(parentId: $p, limit: 100) {{ {PAGE_FIELDS} }} }}",
            p=str(t.page.get_parent().pk),
        ),
    ),
    "children-of-its-parent": Path(
        PAGES,
        ("Query.page", "Page.children"),
        lambda c, w, t, s: _post(
            c, f"query($id: ID) {{ page(id: $id) {{ children {{ {PAGE_FIELDS} }} }} }}", id=str(t.page.get_parent().pk)
        ),
    ),
    "every-page-with-its-parent-and-ancestors": Path(
        PAGES,
        ("Query.pages", "Page.parent", "Page.ancestors"),
        lambda c, w, t, s: _post(
            c, f"{{ pages(limit: 100) {{ {PAGE_FIELDS} parent {{ slug }} ancestors {{ slug }} }} }}"
        ),
    ),
    "call-to-action-block": Path(PAGES, ("Query.page", "CallToActionBlock.page"), _call_to_action),
    "menu": Path(("page",), ("Query.menu",), lambda c, w, t, s: _post(c, f"{{ menu {{ {PAGE_FIELDS} }} }}")),
    "redirects": Path(
        PAGES,
        ("Query.redirects",),
        _redirected("{ redirects(first: 100) { totalCount nodes { oldPath targetPath } } }"),
    ),
    "redirect-by-path": Path(
        PAGES,
        ("Query.redirect",),
        _redirected("query($p: String!) { redirect(path: $p) { oldPath targetPath } }"),
    ),
    "sitemap": Path(PAGES, ("Query.sitemap",), lambda c, w, t, s: _post(c, SITEMAP_OF_PAGES)),
    "search-pages-by-title": Path(
        ("page",),
        ("Query.searchPages", "PageHit.page"),
        lambda c, w, t, s: _post(
            c,
            "query($q: String!) { searchPages(query: $q, first: 100) {"
            f" totalCount hits {{ page {{ {PAGE_FIELDS} }} }} }} }}",
            q=t.page.title,
        ),
    ),
    # Offers and their partners.
    "offer-by-id": Path(
        OFFERS,
        ("Query.offer", "Offer.partner"),
        lambda c, w, t, s: _post(c, f"query($id: ID) {{ offer(id: $id) {{ {OFFER_FIELDS} }} }}", id=str(t.offer.pk)),
    ),
    "offer-by-slug": Path(
        OFFERS,
        ("Query.offer", "Offer.partner"),
        lambda c, w, t, s: _post(c, f"query($s: String) {{ offer(slug: $s) {{ {OFFER_FIELDS} }} }}", s=t.offer.slug),
    ),
    "offers": Path(OFFERS, ("Query.offers", "OfferEdge.node", "Offer.partner"), _offers_filtered(lambda t: {})),
    "offers-by-category": Path(
        OFFERS, ("Query.offers",), _offers_filtered(lambda t: {"category": [c.slug for c in t.offer.categories.all()]})
    ),
    "offers-by-need": Path(
        OFFERS, ("Query.offers",), _offers_filtered(lambda t: {"need": [n.slug for n in t.offer.needs.all()]})
    ),
    "offers-by-partner": Path(
        OFFERS, ("Query.offers",), _offers_filtered(lambda t: {"partner": t.offer.get_parent().slug})
    ),
    "offers-currently-valid": Path(OFFERS, ("Query.offers",), _offers_filtered(lambda t: {"currentlyValid": True})),
    "offers-near": Path(OFFERS, ("Query.offers",), _offers_filtered(lambda t: {"near": LYON})),
    "offers-by-kind-channel-nationwide": Path(
        OFFERS,
        ("Query.offers",),
        _offers_filtered(lambda t: {"kind": "CARD", "channel": "IN_STORE", "nationwide": False}),
    ),
    "offers-not-or": Path(
        OFFERS,
        ("Query.offers",),
        _offers_filtered(lambda t: {"NOT": {"kind": "VOUCHER"}, "OR": {"channel": "ONLINE"}}),
    ),
    "partners-with-their-offers": Path(
        OFFERS,
        ("Query.partners", "Partner.offers"),
        lambda c, w, t, s: _post(c, "{ partners { slug offers { slug } } }"),
    ),
    "partner-with-its-offers": Path(
        OFFERS,
        ("Query.partner", "Partner.offers"),
        lambda c, w, t, s: _post(
            c, "query($s: String!) { partner(slug: $s) { slug offers { slug } } }", s=t.offer.get_parent().slug
        ),
    ),
    "search-offers": Path(OFFERS, ("Query.searchOffers", "OfferHit.offer", "Offer.partner"), _search_offers()),
    "recommended-offers": Path(OFFERS, ("Query.recommendedOffers", "RecommendedOffer.offer"), _recommended_offers),
    "search-offers-by-text": Path(OFFERS, ("Query.searchOffers",), _search_offers(text=lambda t: t.offer.title)),
    "search-offers-by-partner": Path(
        OFFERS,
        ("Query.searchOffers",),
        _search_offers(filters=lambda t: {"partner": [str(t.offer.get_parent().pk), str(t.offer.partner_id)]}),
    ),
    "offer-counts-of-terms": Path(
        OFFERS,
        ("Query.offerCategories", "Query.needs"),
        lambda c, w, t, s: _only_one_counted(
            _post(c, "{ offerCategories { slug offerCount } needs { slug offerCount } }"),
            {"offerCategories": w.category.slug, "needs": w.need.slug},
        ),
    ),
    "listing-block-of-offers": Path(OFFERS, ("Query.page", "ListingBlock.offers"), _listing("offers")),
    # Missions.
    "mission-by-id": Path(
        ("mission",),
        ("Query.mission",),
        lambda c, w, t, s: _post(c, "query($id: ID) { mission(id: $id) { title } }", id=str(t.mission.pk)),
    ),
    "missions": Path(
        ("mission",),
        ("Query.missions", "MissionEdge.node"),
        lambda c, w, t, s: _post(c, "{ missions(first: 100) { totalCount edges { node { title } } } }"),
    ),
    "missions-filtered": Path(
        ("mission",),
        ("Query.missions",),
        lambda c, w, t, s: _post(
            c,
            "query($f: MissionFilter) { missions(first: 100, filters: $f) { totalCount edges { node { title } } } }",
            f={"domain": [w.domain.slug], "department": ["69"], "near": LYON, "NOT": {"remote": "FULL"}},
        ),
    ),
    "search-missions": Path(("mission",), ("Query.searchMissions", "MissionHit.mission"), _search_missions()),
    "search-missions-by-text": Path(
        ("mission",), ("Query.searchMissions",), _search_missions(text=lambda t: t.mission.title)
    ),
    "mission-counts-of-terms": Path(
        ("mission",),
        ("Query.domains", "Query.programmes"),
        lambda c, w, t, s: _only_one_counted(
            _post(c, "{ domains { slug missionCount } programmes { slug missionCount } }"),
            {"domains": w.domain.slug, "programmes": "service-civique"},
        ),
    ),
    "sitemap-of-missions": Path(("mission",), ("Query.sitemap",), _sitemap_of_missions),
    "listing-block-of-missions": Path(("mission",), ("Query.page", "ListingBlock.missions"), _listing("missions")),
    "recommended-missions": Path(
        ("mission",), ("Query.recommendedMissions", "RecommendedMission.mission"), _recommended_missions
    ),
    "recommended-missions-of-a-signed-in-young-person": Path(
        ("mission",), ("Query.recommendedMissions",), _recommended_missions_for("self")
    ),
    "recommended-missions-for-a-followed-young-person": Path(
        ("mission",), ("Query.recommendedMissions",), _recommended_missions_for("referent")
    ),
    "similar-missions": Path(("mission",), ("Query.similarMissions",), _similar_missions),
}


def _only_one_counted(data: dict, terms: dict[str, str]) -> dict:
    """Every hidden item shares the visible twin's terms: each of those terms counts the twin alone."""
    for field, slug in terms.items():
        counts = {term["slug"]: term.get("offerCount", term.get("missionCount")) for term in data["data"][field]}
        assert counts[slug] == 1, data
    return data


CASES = [
    pytest.param(domain, how, path, id=f"{domain}-{how}-via-{path}")
    for domain, kinds in HIDDEN.items()
    for how in kinds
    for path, spec in PATHS.items()
    if domain in spec.domains
]
VISIBLE_CASES = [
    pytest.param(domain, path, id=f"{domain}-via-{path}")
    for domain in HIDDEN
    for path, spec in PATHS.items()
    if domain in spec.domains
]


@pytest.mark.parametrize(("domain", "path"), VISIBLE_CASES)
def test_each_path_reaches_the_visible_twin_beside_the_hidden_objects(client, matrix, settings, domain, path):
    visible = matrix.visible[domain]
    answer = json.dumps(PATHS[path].run(client, matrix, visible, settings))
    if not path.endswith("counts-of-terms"):  # counts name no item: the path checks its counts itself
        assert all(marker in answer for marker in visible.markers), answer
    for hidden in matrix.hidden.values():
        assert not [marker for marker in hidden.markers if marker in answer], answer


@pytest.mark.parametrize(("domain", "how", "path"), CASES)
def test_a_hidden_object_is_never_reached(client, matrix, settings, domain, how, path):
    hidden = matrix.hidden[domain, how]
    answer = json.dumps(PATHS[path].run(client, matrix, hidden, settings))
    assert not [marker for marker in hidden.markers if marker in answer], answer


# --- The matrix covers the schema ----------------------------------------------------------------------------------


def _guarded_fields() -> set[str]:
    """``Type.field`` of every field reachable from ``Query`` that returns a guarded type, and every root field that
    leads to one (through connections, hits…); fields of the ``Page`` interface are named once, as ``Page.field``."""
    graphql_schema = schema._schema
    page_fields = set(graphql_schema.get_type("Page").fields)
    query = graphql_schema.query_type
    found: set[str] = set()

    def leads_to_guarded(type_, seen: set[str]) -> bool:
        named = get_named_type(type_)
        if named.name in GUARDED:
            return True
        if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType) or named.name in seen:
            return False
        seen.add(named.name)
        if isinstance(named, GraphQLUnionType):
            return any(leads_to_guarded(member, seen) for member in named.types)
        return any(leads_to_guarded(field.type, seen) for field in named.fields.values())

    for name, field in query.fields.items():
        if leads_to_guarded(field.type, set()):
            found.add(f"Query.{name}")

    pending, seen = [query], set()
    while pending:
        type_ = pending.pop()
        if type_.name in seen:
            continue
        seen.add(type_.name)
        implements_page = any(interface.name == "Page" for interface in getattr(type_, "interfaces", ()))
        for name, field in type_.fields.items():
            named = get_named_type(field.type)
            if named.name in GUARDED and type_ is not query:
                owner = "Page" if (implements_page or type_.name == "Page") and name in page_fields else type_.name
                found.add(f"{owner}.{name}")
            if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
                pending.extend(graphql_schema.get_possible_types(named) if is_abstract_type(named) else [named])
                if isinstance(named, GraphQLInterfaceType):
                    pending.append(named)
    return found


def _covered() -> set[str]:
    return {field for spec in PATHS.values() for field in spec.covers}


def test_every_field_leading_to_offers_partners_pages_or_missions_is_in_the_matrix():
    missing = _guarded_fields() - _covered()
    assert not missing, f"Fields not covered by the visibility matrix: {sorted(missing)}"


def test_the_matrix_names_no_field_the_schema_no_longer_has():
    graphql_schema = schema._schema
    gone = {
        field for field in _covered() if field.split(".")[1] not in graphql_schema.get_type(field.split(".")[0]).fields
    }
    assert not gone
