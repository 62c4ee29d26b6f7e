"""The one function that narrows what a diffusion partner may show: its rules, on top of the public visibility."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from cms.missions.models import Mission, MissionAddress
from cms.offers.models import OfferPage, OfferStore


def restrict(queryset: QuerySet, partner) -> QuerySet:
    """The public items of ``queryset`` (missions or offers) that ``partner``'s diffusion rules let it show.

    ``partner=None`` (a key of no partner, or no key) leaves the public items as they are. Empty rules do not
    restrict. On missions: programmes, domains, sources, excluded organisations and places (regions and departments:
    at least one address there). On offers: places (nationwide offers, or a store there); the other rules speak of
    missions only.
    """
    queryset = queryset.public()
    if partner is None:
        return queryset
    codes = partner.department_codes()
    if queryset.model is Mission:
        programmes = list(partner.programmes.values_list("pk", flat=True))
        domains = list(partner.domains.values_list("pk", flat=True))
        excluded = list(partner.excluded_organizations.values_list("pk", flat=True))
        if programmes:
            queryset = queryset.filter(programme__in=programmes)
        if domains:
            queryset = queryset.filter(domain__in=domains)
        if partner.sources:
            queryset = queryset.filter(source__in=partner.sources)
        if excluded:
            queryset = queryset.exclude(organization__in=excluded)
        if codes:
            there = MissionAddress.objects.filter(mission=OuterRef("pk"), department_code__in=sorted(codes))
            queryset = queryset.filter(Exists(there))
        return queryset
    if issubclass(queryset.model, OfferPage):
        if codes:
            there = OfferStore.objects.filter(offer=OuterRef("pk"), department_code__in=sorted(codes))
            queryset = queryset.filter(Q(nationwide=True) | Exists(there))
        return queryset
    raise TypeError(f"No diffusion rule for {queryset.model.__name__}.")


#: A value no item carries: what a requested filter becomes when the partner may show none of its values.
NOTHING = "__aucun__"


def search_filters(partner, kind_name: str, filters: dict) -> dict:
    """``filters`` of a mission search narrowed by ``partner``'s rules, so that totals and facets count only what it
    may show (:func:`restrict` still checks every item loaded).

    A requested value outside the rules matches nothing; a rule the request does not use becomes a filter; excluded
    organisations become the ``excluded_organization`` filter.
    """
    if partner is None or kind_name != "missions":
        return filters
    allowed = {
        "programme": set(partner.programmes.values_list("slug", flat=True)),
        "domain": set(partner.domains.values_list("slug", flat=True)),
        "department": partner.department_codes(),
        "source": set(partner.sources),
    }
    narrowed = dict(filters)
    for name, values in allowed.items():
        if not values:
            continue
        requested = narrowed.get(name)
        if requested in (None, "", []):
            narrowed[name] = sorted(values)
        else:
            requested = [requested] if isinstance(requested, str) else list(requested)
            narrowed[name] = [v for v in requested if v in values] or [NOTHING]
    if excluded := sorted(partner.excluded_organizations.values_list("pk", flat=True)):
        narrowed["excluded_organization"] = excluded
    return narrowed
