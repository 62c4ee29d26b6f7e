"""Documents: public ones with their URLs, size and type; documents of restricted collections are never exposed, and
rich text links to documents resolve to the same URLs."""

from __future__ import annotations

import json

import pytest
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.core.urls import base_url
from tests.factories.documents import DocumentFactory
from tests.factories.pages import ContentPageFactory

pytestmark = pytest.mark.django_db

DOCUMENT = """
query Document($id: ID!) {
  document(id: $id) { id title url fileUrl fileSize fileExtension contentType createdAt }
}
"""
DOCUMENTS = """
query Documents($first: Int, $offset: Int) {
  documents(first: $first, offset: $offset) { totalCount hasNextPage nodes { title url fileSize } }
}
"""
PARAGRAPHS = """
query Page($slug: String!) { page(slug: $slug) { ... on ContentPage { body { ... on ParagraphBlock { html } } } } }
"""
#: The restricted collections, one page of documents, the count.
DOCUMENTS_LIST_QUERIES = 3


def _restricted_collection(name: str = "Interne") -> Collection:
    collection = Collection.get_first_root_node().add_child(name=name)
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return collection


def test_a_document_gives_its_absolute_urls_size_and_type(post_graphql):
    document = DocumentFactory(title="Conditions du partenariat")

    data = post_graphql(DOCUMENT, id=str(document.pk))["data"]["document"]

    assert data["title"] == "Conditions du partenariat"
    assert data["url"] == f"{base_url()}/documents/{document.pk}/{document.filename}"
    assert data["fileUrl"] == f"{base_url()}/media/{document.file.name}"
    assert data["fileSize"] == len(b"%PDF-1.4\n% charte\n")
    assert (data["fileExtension"], data["contentType"]) == ("pdf", "application/pdf")


def test_a_document_in_a_restricted_collection_is_not_found(post_graphql):
    document = DocumentFactory(collection=_restricted_collection())

    error = post_graphql(DOCUMENT, id=str(document.pk))["errors"][0]

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["message"] == "Document introuvable."


def test_documents_of_restricted_collections_and_their_children_are_not_listed(post_graphql):
    child = _restricted_collection().add_child(name="Sous-dossier")
    DocumentFactory(title="Secret", collection=child)
    DocumentFactory(title="Charte publique")

    data = post_graphql(DOCUMENTS)["data"]["documents"]

    assert [node["title"] for node in data["nodes"]] == ["Charte publique"]
    assert data["totalCount"] == 1


def test_documents_are_paged_newest_first(post_graphql):
    titles = [DocumentFactory(title=f"Document {index}").title for index in range(3)]

    data = post_graphql(DOCUMENTS, first=1, offset=1)["data"]["documents"]

    assert [node["title"] for node in data["nodes"]] == [titles[1]]
    assert data["hasNextPage"] is True


def _page_linking_to(*documents) -> str:
    links = "".join(f'<a linktype="document" id="{document.pk}">{document.title}</a> ' for document in documents)
    page = ContentPageFactory(body=json.dumps([{"type": "paragraph", "value": f"<p>{links}</p>"}]))
    return page.slug


def test_a_rich_text_link_to_a_document_resolves_to_the_document_url(post_graphql, home_page):
    document = DocumentFactory(title="Charte")
    slug = _page_linking_to(document)

    html = post_graphql(PARAGRAPHS, slug=slug)["data"]["page"]["body"][0]["html"]

    url = post_graphql(DOCUMENT, id=str(document.pk))["data"]["document"]["url"]
    assert f'<a href="{url}">Charte</a>' in html


def test_a_rich_text_link_to_a_restricted_document_keeps_its_text_only(post_graphql, home_page):
    document = DocumentFactory(title="Note interne", collection=_restricted_collection())
    slug = _page_linking_to(document)

    html = post_graphql(PARAGRAPHS, slug=slug)["data"]["page"]["body"][0]["html"]

    assert "<a>Note interne</a>" in html
    assert "/documents/" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_a_page_of_documents_costs_the_same_whatever_its_size(post_graphql, django_assert_max_num_queries, count):
    _restricted_collection()
    for index in range(count):
        DocumentFactory(title=f"Document {index}")

    with django_assert_max_num_queries(DOCUMENTS_LIST_QUERIES):
        data = post_graphql(DOCUMENTS, first=count)["data"]["documents"]

    assert len(data["nodes"]) == count


def test_restricting_a_collection_announces_its_documents_and_those_below(
    announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the uploads' own announcements, delivered first
        parent = Collection.get_first_root_node().add_child(name="Partenaires")
        documents = [DocumentFactory(collection=parent), DocumentFactory(collection=parent.add_child(name="Contrats"))]
        DocumentFactory()  # elsewhere: not announced
    heard = announced(get_document_model())

    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(collection=parent, restriction_type="login")

    assert heard == [frozenset(document.pk for document in documents)]
