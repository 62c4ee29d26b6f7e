"""Wagtail hooks shared by every content type."""

from __future__ import annotations

from django.utils.html import escape
from wagtail import hooks
from wagtail.documents.rich_text import DocumentLinkHandler

from .urls import absolute_url


class AbsoluteDocumentLinkHandler(DocumentLinkHandler):
    """Document links in rich text point at this server even when the HTML is shown by a front-end elsewhere."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [f'<a href="{escape(absolute_url(doc.url))}">' if doc else "<a>" for doc in cls.get_many(attrs_list)]


@hooks.register("register_rich_text_features", order=1)  # after wagtail.documents registers its own handler
def register_absolute_document_links(features) -> None:
    features.register_link_type(AbsoluteDocumentLinkHandler)
