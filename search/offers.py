"""What a Carte jeune engagé offer looks like to search: its record, filters, facets and facet labels.

Records are built from ``OfferPage.objects.searchable()`` only: visibility is decided by ``cms``, never here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cms.core.html import html_to_text
from cms.offers.models import OfferPage, PartnerPage
from cms.taxonomy.models import OfferCategory

from .base import Facet, Filter, FilterType, Kind
from .folding import fold_words
from .missions import _PLACE_FILTERS, place_record

CHUNK = 1000


def offer_record(offer: OfferPage) -> dict:
    partner = offer.partner.title if offer.partner else ""
    title = f"{offer.title} {offer.subtitle}".strip()
    description = html_to_text(offer.description or "")
    return {
        "pk": offer.pk,
        "title": offer.title,
        "title_folded": fold_words(title),
        "secondary": partner,
        "description": f"{offer.subtitle}\n{description}".strip(),
        "visible_from": offer.valid_from,
        "visible_until": offer.valid_until,
        "start_date": offer.valid_from,
        "published_at": offer.first_published_at,
        "everywhere": offer.nationwide,
        "partner": offer.partner_id,
        "kind": offer.kind,
        "channel": offer.channel,
        "categories": sorted(category.slug for category in offer.categories.all()),
        "needs": sorted(need.slug for need in offer.needs.all()),
        "places": [place_record(vars(store)) for store in offer.stores.all()],
    }


def searchable():
    return OfferPage.objects.searchable()


def records(pks: Iterable[int] | None = None) -> Iterator[dict]:
    """Records of the searchable offers among ``pks`` (all of them when None), streamed in chunks."""
    queryset = searchable().select_related("partner").prefetch_related("categories", "needs", "stores")
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    for offer in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield offer_record(offer)


def labels(facet: str, values: list[str]) -> dict[str, str]:
    if facet == "category":
        return dict(OfferCategory.objects.filter(slug__in=values).values_list("slug", "label"))
    if facet == "partner":
        ids = [int(v) for v in values if v.isdigit()]
        partners = PartnerPage.objects.public().filter(pk__in=ids)
        return {str(pk): title for pk, title in partners.values_list("pk", "title")}
    if facet == "channel":
        return {value: str(label) for value, label in OfferPage.Channel.choices}
    return {}


OFFERS = Kind(
    name="offers",
    model=OfferPage,
    filters={
        "category": Filter(FilterType.TERMS, "categories__slug", "categories"),
        "need": Filter(FilterType.TERMS, "needs__slug", "needs"),
        "partner": Filter(FilterType.IDS, "partner", "partner"),
        "kind": Filter(FilterType.TERMS, "kind", "kind"),
        "channel": Filter(FilterType.TERMS, "channel", "channel"),
        "valid_on": Filter(FilterType.VALID_ON),
        **_PLACE_FILTERS,
    },
    facets={
        "category": Facet("categories__slug", "categories", multi=True),
        "partner": Facet("partner", "partner"),
        "channel": Facet("channel", "channel"),
    },
    records=records,
    searchable=searchable,
    public=OfferPage.objects.public,
    labels=labels,
)
