"""Wagtail documents with a small real file, their size and hash recorded as the admin's upload form records them."""

import factory
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from .base import ModelFactory, without_wagtail_indexes


class DocumentFactory(ModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Charte {n}")
    file = factory.LazyAttribute(
        lambda o: ContentFile(b"%PDF-1.4\n% charte\n", name=f"{o.title.lower().replace(' ', '-')}.pdf")
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        document = model_class(*args, **kwargs)
        document._set_document_file_metadata()
        with without_wagtail_indexes():
            document.save()
        return document
