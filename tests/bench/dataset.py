"""The benchmark data set: the demo's generators at scale, loaded in bulk.

Missions and organisations go through ``bulk_create`` in chunks (memory stays flat whatever N is). Offers are pages:
partners are added with ``add_child`` (a hundred of them), offers take a fast path that computes the tree paths
itself and inserts the ``wagtailcore_page`` rows and the ``offers_offerpage`` rows in batches, so 2,000 offers load in
seconds instead of minutes. Bench offers are live without revisions: no suite measures the admin history.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from wagtail.models import Page

from cms.core.demo.data import PARTNERS, Partner
from cms.core.demo.missions import build_organisations, generate_missions, load_missions
from cms.core.demo.offers import OfferDraft, generate_offer, promo_code_rows
from cms.missions.models import Mission, MissionAddress
from cms.offers.models import OfferPage, OffersIndexPage, OfferStore, PartnerPage, PromoCode
from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Need, OfferCategory, Programme

SEED = 424_242
MISSIONS_PER_ORGANISATION = 50
OFFERS_PER_PARTNER = 20
CODES_PER_OFFER = 20
CHUNK_SIZE = 2000


def load_mission_dataset(
    n_missions: int, *, seed: int = SEED, chunk_size: int = CHUNK_SIZE, start: int = 0, source: str = "bench"
) -> dict[str, int]:
    """Organisations (one per 50 missions) then ``n_missions`` missions with about two addresses each.

    ``start`` and ``source`` let a second load sit beside a first one (missions numbered after ``start``,
    organisations under another ``source``).
    """
    rng = random.Random(seed)
    organisations = Organization.objects.bulk_create(
        build_organisations(rng, max(1, n_missions // MISSIONS_PER_ORGANISATION), source=source),
        batch_size=chunk_size,
    )
    ids = load_missions(
        generate_missions(
            rng,
            n_missions,
            organisation_ids=[o.pk for o in organisations],
            programmes=list(Programme.objects.all()),
            domains=list(Domain.objects.all()),
            start=start,
        ),
        chunk_size=chunk_size,
    )
    return {
        "organisations": len(organisations),
        "missions": len(ids),
        "addresses": MissionAddress.objects.count(),
    }


def _bench_partners(n_partners: int, first: int = 0) -> list[Partner]:
    """``n_partners`` partners: the demo's dozen, then numbered variants of them (from the ``first``-th on)."""
    partners = []
    for index in range(first, first + n_partners):
        base = PARTNERS[index % len(PARTNERS)]
        suffix = index // len(PARTNERS)
        partners.append(
            base._replace(name=f"{base.name} {suffix + 1}", slug=f"{base.slug}-{suffix + 1}") if suffix else base
        )
    return partners


def _insert_offer_pages(partner_page: PartnerPage, drafts: list[OfferDraft], content_type_id: int) -> None:
    """Insert offers under ``partner_page`` without one tree query per page: paths are computed here.

    The base ``Page`` rows go through ``bulk_create``; the ``OfferPage`` rows (multi-table inheritance, which
    ``bulk_create`` refuses) through the same batched INSERT Django uses internally, limited to the child table.
    """
    now = timezone.now()
    start = partner_page.numchild
    for position, draft in enumerate(drafts, start=start + 1):
        page = draft.page
        page.path = OfferPage._get_path(partner_page.path, partner_page.depth + 1, position)
        page.depth = partner_page.depth + 1
        page.numchild = 0
        page.url_path = f"{partner_page.url_path}{page.slug}/"
        page.content_type_id = content_type_id
        page.locale_id = partner_page.locale_id
        page.draft_title = page.title
        page.live = True
        page.first_published_at = page.last_published_at = now
        page.partner_id = partner_page.pk
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    base_rows = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(d.page, f.attname) for f in base_fields}) for d in drafts]
    )
    for draft, base in zip(drafts, base_rows, strict=True):
        draft.page.page_ptr_id = draft.page.pk = base.pk
    OfferPage.objects._insert(  # noqa: SLF001 - the batched INSERT behind bulk_create, for the child table only
        [d.page for d in drafts], fields=OfferPage._meta.local_concrete_fields, using="default"
    )
    PartnerPage.objects.filter(pk=partner_page.pk).update(numchild=start + len(drafts))


def load_offer_dataset(n_offers: int, *, seed: int = SEED, first_partner: int = 0) -> dict[str, int]:
    """Partners (one per 20 offers) under the offers index, then ``n_offers`` offers with stores, terms and codes.

    ``first_partner`` numbers the partners after those of an earlier load, so that their slugs stay unique.
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    index_page = OffersIndexPage.objects.get()
    categories = {c.slug: c for c in OfferCategory.objects.all()}
    needs = {n.slug: n for n in Need.objects.all()}
    content_type_id = ContentType.objects.get_for_model(OfferPage).pk
    partners = _bench_partners(max(1, -(-n_offers // OFFERS_PER_PARTNER)), first_partner)
    counts = {"partners": 0, "offers": 0, "stores": 0, "promo_codes": 0}
    remaining = n_offers
    for partner in partners:
        with transaction.atomic():
            partner_page = PartnerPage(
                title=partner.name,
                slug=partner.slug,
                description=f"<p>{partner.description}</p>",
                website=partner.website,
                colour=partner.colour,
            )
            index_page.add_child(instance=partner_page)
            index_page.refresh_from_db(fields=["numchild"])
            drafts = [
                generate_offer(
                    rng, partner, i, categories=categories, needs=needs, today=today, codes_per_offer=CODES_PER_OFFER
                )
                for i in range(min(OFFERS_PER_PARTNER, remaining))
            ]
            remaining -= len(drafts)
            _insert_offer_pages(partner_page, drafts, content_type_id)
            _insert_offer_relations(drafts)
        counts["partners"] += 1
        counts["offers"] += len(drafts)
        counts["stores"] += sum(len(d.stores) for d in drafts)
        counts["promo_codes"] += sum(len(d.codes) for d in drafts)
    return counts


def _insert_offer_relations(drafts: Iterable[OfferDraft]) -> None:
    stores, categories, needs, codes = [], [], [], []
    category_link = OfferPage.categories.through
    need_link = OfferPage.needs.through
    for draft in drafts:
        offer = draft.page
        for store in draft.stores:
            store.offer_id = offer.pk
            stores.append(store)
        categories += [category_link(offerpage_id=offer.pk, offercategory_id=c.pk) for c in draft.categories]
        needs += [need_link(offerpage_id=offer.pk, need_id=n.pk) for n in draft.needs]
        codes += promo_code_rows(offer, draft.codes, expires_on=offer.valid_until)
    OfferStore.objects.bulk_create(stores)
    category_link.objects.bulk_create(categories)
    need_link.objects.bulk_create(needs)
    PromoCode.objects.bulk_create(codes, batch_size=CHUNK_SIZE)


def analyze(*models: type[Model]) -> None:
    """Fresh planner statistics and visibility map, as autovacuum keeps them in production, so that the suites measure
    the plans and scans production would get.

    The PostgreSQL a bench runs on may have autovacuum off: without a VACUUM the visibility map stays empty, and every
    count of public missions (``totalCount``) reads the whole table instead of the listing index alone. Inside a
    transaction (tests) only ANALYZE can run. ``models``: only their tables (default: the whole database).
    """
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {tables}".strip())


def dataset_counts() -> dict[str, int]:
    return {
        "missions": Mission.objects.count(),
        "addresses": MissionAddress.objects.count(),
        "organisations": Organization.objects.count(),
        "partners": PartnerPage.objects.count(),
        "offers": OfferPage.objects.count(),
    }


def build_dataset(n_missions: int, n_offers: int, *, seed: int = SEED) -> dict:
    """Generate and load the whole data set; returns what was created (see the two loaders)."""
    started = datetime.datetime.now(tz=datetime.UTC)
    result = {
        "missions": load_mission_dataset(n_missions, seed=seed),
        "offers": load_offer_dataset(n_offers, seed=seed),
    }
    analyze()
    result["seconds"] = (datetime.datetime.now(tz=datetime.UTC) - started).total_seconds()
    return result
