"""URLs of what this server serves (images, renditions, srcSet, documents) follow BASE_URL, whatever host and port."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.factories.images import ImageFactory
from tests.factories.pages import ContentPageFactory
from tests.test_settings import settings_value

ELSEWHERE = "http://127.0.0.1:8765"

PAGE_MEDIA = """
query PageMedia($path: String!) {
  page(urlPath: $path) {
    ... on ContentPage {
      body {
        ... on ParagraphBlock { html }
        ... on ImageBlock { image { url rendition(width: 320) { url } srcSet(sizes: [160, 320]) } }
      }
    }
  }
}
"""


def served_urls(answer: dict) -> list[str]:
    """Every URL in a GraphQL answer: image fields, each srcSet candidate, href/src attributes of rich text."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "srcSet":
                    found.extend(candidate.split(" ")[0] for candidate in item.split(", "))
                elif key == "url":
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.extend(re.findall(r'(?:href|src)="([^"]+)"', value))

    walk(answer)
    return found


@pytest.fixture
def page_with_media(home_page):
    document = get_document_model().objects.create(title="Guide", file=ContentFile(b"%PDF-1.4", name="guide.pdf"))
    body = [
        {"type": "paragraph", "value": f'<p>Lire <a linktype="document" id="{document.pk}">le guide</a></p>'},
        {"type": "image", "value": {"image": ImageFactory().pk, "alt": "Des jeunes", "caption": ""}},
    ]
    return ContentPageFactory(title="Médias", slug="medias", body=json.dumps(body))


def test_every_url_in_an_answer_points_to_the_configured_base_url(client, page_with_media, settings):
    settings.WAGTAILADMIN_BASE_URL = ELSEWHERE

    answer = client.post("/graphql/", {"query": PAGE_MEDIA, "variables": {"path": "/medias/"}}, "application/json")

    urls = served_urls(answer.json()["data"])
    assert len(urls) == 5  # the document link, the original, one rendition, two srcSet candidates
    assert [url for url in urls if not url.startswith(f"{ELSEWHERE}/")] == []


def test_urls_already_absolute_are_left_as_they_are(settings):
    from cms.core.urls import absolute_url

    settings.WAGTAILADMIN_BASE_URL = ELSEWHERE

    assert absolute_url("https://cdn.example.fr/media/a.png") == "https://cdn.example.fr/media/a.png"


def test_base_url_is_read_from_the_environment():
    result = settings_value("cms.settings.base", "s.WAGTAILADMIN_BASE_URL", BASE_URL=ELSEWHERE)

    assert result.stdout.strip() == ELSEWHERE


def test_wagtails_own_variable_is_read_when_base_url_is_not_set():
    result = settings_value("cms.settings.base", "s.WAGTAILADMIN_BASE_URL", WAGTAILADMIN_BASE_URL=ELSEWHERE)

    assert result.stdout.strip() == ELSEWHERE
