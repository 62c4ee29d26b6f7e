"""Seeded generators for Carte jeune engagé offers: every kind, channel and discount type, with stores and codes.

The generators return unsaved objects; ``seed`` publishes them through Wagtail, the benchmark data set inserts them
in bulk.
"""

from __future__ import annotations

import datetime
import random
import string
from dataclasses import dataclass, field
from decimal import Decimal

from cms.core.geo import department_from_postcode
from cms.offers.models import OfferPage, OfferStore, PromoCode
from cms.taxonomy.models import Need, OfferCategory

from .data import Partner
from .missions import jitter, pick_city, street_address

#: Kinds cycle in this order so that any five consecutive offers of a partner cover all four.
KIND_CYCLE = (
    OfferPage.Kind.CODE,
    OfferPage.Kind.CARD,
    OfferPage.Kind.LINK,
    OfferPage.Kind.VOUCHER,
    OfferPage.Kind.CODE,
)
DISCOUNTS = (
    (OfferPage.DiscountType.PERCENT, (10, 15, 20, 25, 30, 50)),
    (OfferPage.DiscountType.AMOUNT, (5, 10, 15, 20, 50)),
    (OfferPage.DiscountType.FIXED_PRICE, (1, 2, 5, 9)),
    (OfferPage.DiscountType.FREE, (0,)),
)

CONDITIONS = (
    "Offre réservée aux titulaires de la Carte jeune engagé.",
    "Non cumulable avec d'autres promotions en cours.",
    "Dans la limite des stocks disponibles.",
    "Une pièce d'identité peut vous être demandée.",
    "Valable en France métropolitaine et dans les départements d'outre-mer.",
)

HOW_TO_USE: dict[str, tuple[tuple[str, str], ...]] = {
    OfferPage.Kind.CODE: (
        ("Activez l'offre", "Appuyez sur « Obtenir mon code » dans l'application : un code unique vous est attribué."),
        ("Rendez-vous sur le site du partenaire", "Ajoutez les articles de votre choix à votre panier."),
        ("Saisissez le code", "Collez le code dans le champ « code promo » avant de payer."),
    ),
    OfferPage.Kind.VOUCHER: (
        ("Affichez le bon", "Ouvrez l'offre dans l'application pour afficher le code-barres."),
        ("Présentez-le en caisse", "Le personnel scanne le code-barres avant l'encaissement."),
    ),
    OfferPage.Kind.CARD: (
        ("Présentez votre carte", "Montrez votre Carte jeune engagé dématérialisée en caisse."),
        ("Profitez de la réduction", "La remise est appliquée directement sur votre ticket."),
    ),
    OfferPage.Kind.LINK: (
        ("Suivez le lien", "Le lien de l'offre vous mène à une page réservée aux jeunes engagés."),
        ("Créez votre compte", "Inscrivez-vous chez le partenaire avec votre adresse habituelle."),
        ("Profitez de l'offre", "La réduction est appliquée automatiquement."),
    ),
}


@dataclass
class OfferDraft:
    """An unsaved offer with what goes around it: stores, taxonomy terms and, for ``code`` offers, its codes."""

    page: OfferPage
    stores: list[OfferStore] = field(default_factory=list)
    categories: list[OfferCategory] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def _title(discount_type: str, value: int, product: str) -> str:
    if discount_type == OfferPage.DiscountType.PERCENT:
        return f"-{value} % sur les {product}"
    if discount_type == OfferPage.DiscountType.AMOUNT:
        return f"{value} € de réduction sur les {product}"
    if discount_type == OfferPage.DiscountType.FIXED_PRICE:
        return f"Les {product} à {value} €"
    return f"Gratuit : les {product} pour les jeunes engagés"


def promo_codes(rng: random.Random, prefix: str, count: int) -> list[str]:
    """``count`` distinct codes such as ``CINE-7KQ2M9XA``."""
    alphabet = string.ascii_uppercase + string.digits
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(f"{prefix}-{''.join(rng.choices(alphabet, k=8))}")
    return sorted(codes)


def generate_offer(
    rng: random.Random,
    partner: Partner,
    index: int,
    *,
    categories: dict[str, OfferCategory],
    needs: dict[str, Need],
    today: datetime.date,
    codes_per_offer: int = 20,
    image_id: int | None = None,
) -> OfferDraft:
    """The ``index``-th offer of ``partner``; a valid offer by ``OfferPage.clean`` whatever the seed."""
    kind = KIND_CYCLE[index % len(KIND_CYCLE)]
    product = partner.products[index % len(partner.products)]
    discount_type, values = DISCOUNTS[rng.randrange(len(DISCOUNTS))]
    value = rng.choice(values)
    saving = {
        OfferPage.DiscountType.PERCENT: Decimal(value) * Decimal("0.4"),
        OfferPage.DiscountType.AMOUNT: Decimal(value),
        OfferPage.DiscountType.FIXED_PRICE: Decimal(rng.randint(3, 15)),
        OfferPage.DiscountType.FREE: Decimal(rng.randint(5, 30)),
    }[discount_type]

    if kind in (OfferPage.Kind.LINK, OfferPage.Kind.CODE):
        channel = OfferPage.Channel.ONLINE if rng.random() < 0.7 else OfferPage.Channel.BOTH
    else:
        channel = OfferPage.Channel.IN_STORE if rng.random() < 0.8 else OfferPage.Channel.BOTH
    in_store = channel != OfferPage.Channel.ONLINE
    nationwide = not in_store or rng.random() < 0.3

    roll = rng.random()
    valid_from: datetime.date | None = today - datetime.timedelta(days=rng.randint(0, 60))
    valid_until: datetime.date | None = today + datetime.timedelta(days=rng.randint(30, 365))
    if roll < 0.05:  # already over: shows that expired offers leave the public listings
        valid_until = today - datetime.timedelta(days=rng.randint(1, 30))
        valid_from = valid_until - datetime.timedelta(days=90)
    elif roll < 0.10:  # starts later
        valid_from = today + datetime.timedelta(days=rng.randint(5, 30))
    elif roll < 0.20:  # open-ended
        valid_from, valid_until = None, None

    usage_rule = rng.choice(list(OfferPage.UsageRule))
    title = _title(discount_type, value, product)
    page = OfferPage(
        title=title,
        slug=f"{partner.slug}-offre-{index + 1}",
        subtitle=f"{partner.name} — {categories[partner.category].label if partner.category in categories else ''}",
        description=(
            f"<p>{partner.description}</p><p>Avec la Carte jeune engagé, profitez de cette offre sur les "
            f"<b>{product}</b>.</p>"
        ),
        image_id=image_id,
        kind=kind,
        channel=channel,
        link_url=f"{partner.website}/carte-jeune-engage" if kind in (OfferPage.Kind.LINK, OfferPage.Kind.CODE) else "",
        barcode_value=f"{rng.randint(10**12, 10**13 - 1)}" if kind == OfferPage.Kind.VOUCHER else "",
        discount_type=discount_type,
        discount_value=None if discount_type == OfferPage.DiscountType.FREE else Decimal(value),
        estimated_saving=saving.quantize(Decimal("0.01")),
        valid_from=valid_from,
        valid_until=valid_until,
        usage_rule=usage_rule,
        usage_interval_days=rng.choice([7, 30, 90]) if usage_rule == OfferPage.UsageRule.EVERY_N_DAYS else None,
        nationwide=nationwide,
        conditions=[("bullet", condition) for condition in rng.sample(CONDITIONS, k=rng.randint(2, 3))],
        how_to_use=[("step", {"title": title_, "text": f"<p>{text}</p>"}) for title_, text in HOW_TO_USE[kind]],
    )
    stores = []
    if in_store and not nationwide:
        for position in range(rng.randint(1, 4)):
            city = pick_city(rng)
            department = department_from_postcode(city.postcode)
            stores.append(
                OfferStore(
                    sort_order=position,
                    name=f"{partner.name} {city.name}",
                    street=street_address(rng),
                    postcode=city.postcode,
                    city=city.name,
                    department_code=department.code if department else "",
                    latitude=jitter(rng, city.latitude),
                    longitude=jitter(rng, city.longitude),
                )
            )
    prefix = "".join(ch for ch in partner.slug.upper() if ch.isalpha())[:5]
    return OfferDraft(
        page=page,
        stores=stores,
        categories=[categories[partner.category]] if partner.category in categories else [],
        needs=[needs[slug] for slug in partner.needs if slug in needs],
        codes=promo_codes(rng, prefix, codes_per_offer) if kind == OfferPage.Kind.CODE else [],
    )


def promo_code_rows(offer: OfferPage, codes: list[str], *, expires_on: datetime.date | None) -> list[PromoCode]:
    return [PromoCode(offer=offer, code=code, expires_on=expires_on) for code in codes]
