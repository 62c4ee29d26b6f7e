"""The offers list both APIs answer in the grapple comparison: the same fields of the same 50 offers.

Ours is the project's ``offers`` connection in its default order (the page tree's ``path``); grapple's is the
``offers`` list ``@register_query_field`` gives the offer model, asked for the same order (its default is
``-first_published_at``). Field for field they ask the same data: grapple's ``id`` is our ``databaseId``, and
grapple's list has no Relay ``edges { node }`` wrapper. Kept free of any GraphQL library so that both virtualenvs
import it.
"""

from __future__ import annotations

PAGE = 50

OURS = """
query BenchOffersList($first: Int!) {
  offers(first: $first) {
    edges { node {
      databaseId title subtitle kind channel discountType discountValue validUntil
      partner { title website }
      categories { slug label }
      stores { name city postcode latitude longitude }
    } }
  }
}
"""

GRAPPLE = """
query GrappleOffersList($limit: PositiveInt!) {
  offers(limit: $limit, order: "path") {
    id title subtitle kind channel discountType discountValue validUntil
    partner { title website }
    categories { slug label }
    stores { name city postcode latitude longitude }
  }
}
"""


def ours_variables(first: int = PAGE) -> dict:
    return {"first": first}


def grapple_variables(first: int = PAGE) -> dict:
    return {"limit": first}


def ours_offers(data: dict) -> list[dict]:
    """Our payload's offers as grapple shapes them: no ``edges``/``node``, ``databaseId`` as ``id``, enums as the
    stored values (lower case), so that the two payloads compare equal when they carry the same data."""
    offers = []
    for edge in data["offers"]["edges"]:
        node = dict(edge["node"])
        node["id"] = str(node.pop("databaseId"))
        for key in ("kind", "channel", "discountType"):
            node[key] = node[key].lower() if node[key] is not None else None
        offers.append(node)
    return offers
