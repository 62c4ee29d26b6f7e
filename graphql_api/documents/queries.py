"""``document(id)`` and ``documents``: only documents the public may open (``cms.core.visibility.public_documents``:
no view restriction on their collection or its ancestors)."""

from __future__ import annotations

import strawberry
from wagtail.documents import get_document_model

from cms.core.visibility import public_documents
from graphql_api.core.errors import NotFound
from graphql_api.core.ids import database_id
from graphql_api.core.pagination import check_page

from .types import DocumentList, DocumentType


def _public():
    return public_documents(get_document_model().objects.all())


@strawberry.type
class Query:
    @strawberry.field(description="Un document public, par identifiant.")
    def document(self, id: strawberry.ID) -> DocumentType:
        document = _public().filter(pk=database_id(id, "Document")).first()
        if document is None:
            raise NotFound("Document introuvable.")
        return document

    @strawberry.field(description="Les documents publics, du plus récent au plus ancien, 100 par page au plus.")
    def documents(self, first: int = 20, offset: int = 0) -> DocumentList:
        check_page(first, offset)
        queryset = _public()
        rows = list(queryset.order_by("-created_at", "-pk")[offset : offset + first + 1])
        return DocumentList(nodes=rows[:first], has_next_page=len(rows) > first, counted=queryset)
