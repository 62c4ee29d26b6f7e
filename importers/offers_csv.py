"""Offers of one partner from a CSV file: one line per (offer, store); lines sharing a title make one offer.

For partners with many stores or offers. All or nothing: every line is checked first and any error rejects the
whole file with line numbers; then the offers are created under the partner's page in one transaction, as drafts
(a revision each) unless ``publish`` is set, so they go through the usual review.

Columns (headers, any case): ``title`` (required), ``subtitle``, ``description``, ``kind`` (code, voucher, card,
link), ``channel`` (online, in_store, both), ``link_url``, ``barcode_value``, ``discount_type`` (percent, amount,
fixed_price, free), ``discount_value``, ``estimated_saving``, ``valid_from``, ``valid_until``, ``categories``
(comma list of slugs), ``nationwide`` (oui/non), ``store_name``, ``store_street``, ``store_postcode``,
``store_city``, ``store_latitude``, ``store_longitude``.
"""

from __future__ import annotations

import dataclasses
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from cms.core.geo import department_from_postcode
from cms.offers.models import OFFER_STORES_MAX, OfferPage, OfferStore, PartnerPage
from cms.taxonomy.models import OfferCategory

from . import normalise as n
from .csv_files import CsvFileError, read_rows


class OfferImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclasses.dataclass
class OfferImportReport:
    offers: int = 0
    stores: int = 0
    duplicates: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Offer:
    line: int
    fields: dict[str, Any]
    categories: list[OfferCategory]
    stores: list[dict[str, Any]] = dataclasses.field(default_factory=list)


def _choice(value: str, choices: type, default: str, label: str) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if not key:
        return default
    if key not in choices.values:
        raise n.InvalidValue(f"{label} inconnu « {value} » (attendu : {', '.join(choices.values)})")
    return key


def _offer_fields(row: dict[str, str]) -> dict[str, Any]:
    description_html, _ = n.description(row.get("description", ""))
    return {
        "title": n.truncate(row["title"], 255),
        "subtitle": n.truncate(row.get("subtitle", ""), 255),
        "description": description_html,
        "kind": _choice(row.get("kind", ""), OfferPage.Kind, OfferPage.Kind.CARD, "Type d'offre"),
        "channel": _choice(row.get("channel", ""), OfferPage.Channel, OfferPage.Channel.IN_STORE, "Canal"),
        "link_url": n.url(row.get("link_url", "")),
        "barcode_value": row.get("barcode_value", "")[:100],
        "discount_type": _choice(
            row.get("discount_type", ""), OfferPage.DiscountType, OfferPage.DiscountType.PERCENT, "Type de réduction"
        ),
        "discount_value": n.parse_decimal(row.get("discount_value", "")),
        "estimated_saving": n.parse_decimal(row.get("estimated_saving", "")) or 0,
        "valid_from": n.parse_date(row.get("valid_from", "")),
        "valid_until": n.parse_date(row.get("valid_until", "")),
        "nationwide": bool(n.parse_bool(row.get("nationwide", ""))),
    }


def _store(row: dict[str, str]) -> dict[str, Any] | None:
    if not any(row.get(k) for k in ("store_name", "store_street", "store_postcode", "store_city")):
        return None
    if not row.get("store_name"):
        raise n.InvalidValue("nom du magasin manquant")
    coordinates = n.fix_coordinates(row.get("store_latitude"), row.get("store_longitude"))
    postcode = n.postcode(row.get("store_postcode", ""))
    department = department_from_postcode(postcode)
    return {
        "name": n.truncate(row["store_name"], 255),
        "street": n.truncate(row.get("store_street", ""), 255),
        "postcode": postcode,
        "city": n.truncate(row.get("store_city", ""), 255),
        "department_code": department.code if department else "",
        "latitude": coordinates[0] if coordinates else None,
        "longitude": coordinates[1] if coordinates else None,
    }


def import_offers(partner: PartnerPage, stream: IO[bytes], *, publish: bool = False) -> OfferImportReport:
    """Create the offers of ``stream`` under ``partner``; raises :class:`OfferImportError` without writing."""
    try:
        rows = list(read_rows(stream))
    except CsvFileError as exc:
        raise OfferImportError([str(exc)]) from exc
    if rows and "title" not in rows[0][1]:
        raise OfferImportError(["Colonne « title » manquante."])
    categories = {c.slug: c for c in OfferCategory.objects.all()}
    existing_titles = {t.lower() for t in OfferPage.objects.child_of(partner).values_list("title", flat=True)}
    offers: dict[str, _Offer] = {}
    errors: list[str] = []
    report = OfferImportReport()
    for number, row in rows:
        title = row.get("title", "").strip()
        if not title:
            errors.append(f"Ligne {number} : titre manquant.")
            continue
        key = title.lower()
        if key in existing_titles:
            errors.append(f"Ligne {number} : l'offre « {title} » existe déjà chez ce partenaire.")
            continue
        try:
            store = _store(row)
            if key not in offers:
                unknown = [s for s in n.split_list(row.get("categories", "")) if s not in categories]
                if unknown:
                    raise n.InvalidValue(f"catégorie(s) inconnue(s) : {', '.join(unknown)}")
                offers[key] = _Offer(
                    number,
                    _offer_fields(row),
                    [categories[s] for s in n.split_list(row.get("categories", ""))],
                )
        except n.InvalidValue as exc:
            errors.append(f"Ligne {number} : {exc}.")
            continue
        if store is not None:
            names = {s["name"].lower() for s in offers[key].stores}
            if store["name"].lower() in names:
                report.duplicates.append(f"{title} — {store['name']}")
                continue
            if len(offers[key].stores) >= OFFER_STORES_MAX:
                errors.append(
                    f"Ligne {number} : l'offre « {title} » a déjà {OFFER_STORES_MAX} magasins, le maximum "
                    "(une offre valable dans plus de magasins est « valable partout en France »)."
                )
                continue
            offers[key].stores.append(store)
    if errors:
        raise OfferImportError(errors)
    with transaction.atomic():
        for offer in offers.values():
            page = OfferPage(**offer.fields, slug=_unique_slug(partner, offer.fields["title"]), live=publish)
            page.categories = offer.categories
            partner.add_child(instance=page)
            try:
                page.clean()
            except ValidationError as exc:
                messages = [m for values in exc.message_dict.values() for m in values]
                errors.append(f"Ligne {offer.line} : {' '.join(messages)}")
                continue
            revision = page.save_revision()
            if publish:
                revision.publish()
            OfferStore.objects.bulk_create(
                [OfferStore(offer=page, sort_order=i, **store) for i, store in enumerate(offer.stores)]
            )
            report.offers += 1
            report.stores += len(offer.stores)
        if errors:
            raise OfferImportError(errors)  # rolls back every offer of the file
    return report


def _unique_slug(partner: PartnerPage, title: str) -> str:
    base = slugify(title)[:200] or "offre"
    taken = set(partner.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, i = base, 2
    while slug in taken:
        slug, i = f"{base}-{i}", i + 1
    return slug
