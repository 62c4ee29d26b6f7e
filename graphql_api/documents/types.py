"""Documents (partner conditions, charters as PDFs): title, URLs, size and type, for public documents only."""

from __future__ import annotations

import datetime

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import auto
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument

from cms.core.urls import absolute_url
from graphql_api.core.execution import ModelField


@strawberry_django.type(get_document_model(), name="Document", field_cls=ModelField)
class DocumentType:
    id: auto
    title: auto
    created_at: datetime.datetime

    @strawberry_django.field(
        only=["file"],
        description="Lien du document, le même que dans le texte riche : servi par ce serveur, qui vérifie que le "
        "document est public et renvoie vers le stockage (S3) quand les médias y sont.",
    )
    def url(self, root: AbstractDocument) -> str:
        return absolute_url(root.url)

    @strawberry_django.field(
        only=["file"], description="URL absolue du fichier dans le stockage des médias (S3 quand il est configuré)."
    )
    def file_url(self, root: AbstractDocument) -> str:
        return absolute_url(root.file.url)

    @strawberry_django.field(only=["file_size"], description="Taille du fichier en octets, si elle est connue.")
    def file_size(self, root: AbstractDocument) -> int | None:
        return root.file_size

    @strawberry_django.field(only=["file"], description="Extension du fichier (pdf, docx…).")
    def file_extension(self, root: AbstractDocument) -> str:
        return root.file_extension.lower()

    @strawberry_django.field(only=["file"], description="Type MIME du fichier (application/pdf…).")
    def content_type(self, root: AbstractDocument) -> str:
        return root.content_type


@strawberry.type(name="DocumentConnection", description="Une page de documents publics.")
class DocumentList:
    nodes: list[DocumentType]
    has_next_page: bool
    counted: strawberry.Private[QuerySet]

    @strawberry.field(description="Nombre total de documents (compté seulement s'il est demandé).")
    def total_count(self) -> int:
        return self.counted.count()
