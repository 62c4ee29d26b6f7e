"""The document tables of the database backend, named from the models, and what every job of the backend shares."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import models

from ...base import Kind
from ...models import MissionDocument, OfferDocument

#: The text search configuration created by migration 0002: French stemming after ``unaccent``.
TEXT_CONFIG = "french_unaccent"
DOCUMENTS: dict[str, type[models.Model]] = {"missions": MissionDocument, "offers": OfferDocument}
#: Relations of a document that hold several values each (rows of a side table).
RELATIONS: dict[str, tuple[str, ...]] = {"missions": ("places",), "offers": ("places", "categories", "needs")}
TEXT_FIELDS = ("title", "title_folded", "secondary", "description")
#: The weights of the document vector: title A, organisation or partner B, description C.
VECTOR_WEIGHTS = (("title", "A"), ("secondary", "B"), ("description", "C"))


def weighted_vector(column: Callable[[str], str]) -> str:
    """The weighted ``tsvector`` of a document as SQL, ``column`` naming where each text field is read from."""
    return " || ".join(
        f"setweight(to_tsvector('{TEXT_CONFIG}', coalesce({column(name)}, '')), '{weight}')"
        for name, weight in VECTOR_WEIGHTS
    )


@functools.cache
def copied_from_document(model: type[models.Model]) -> tuple[str, ...]:
    """The columns of a side model that copy its document's columns of the same name (``search.models.MissionPlace``):
    both writers take their values from the document's record, and searches may filter the side rows on them. Read
    once per model (every distance search asks)."""
    document = model._meta.get_field("document").related_model
    names = {f.attname for f in document._meta.concrete_fields if not f.primary_key}
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names and not f.primary_key)


class DocumentTables:
    """The tables of a kind: its document model, then the side and text models hanging off it."""

    using: str

    @classmethod
    def _tables(cls, kind: Kind) -> list[type[models.Model]]:
        """The kind's document model, then its side and text models."""
        document = DOCUMENTS[kind.name]
        return [document, *(cls._related(document, r) for r in (*RELATIONS[kind.name], "text"))]

    @staticmethod
    def _related(document: type[models.Model], relation: str) -> type[models.Model]:
        return document._meta.get_field(relation).related_model
