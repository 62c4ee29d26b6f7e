"""Pages: lookup by path, slug and id, typed StreamField blocks, the tree around a page, menus and SEO."""

from __future__ import annotations

import json

from tests.factories.images import ImageFactory
from tests.factories.pages import ContentPageFactory

PAGE_BY_PATH = """
query Page($path: String!) {
  page(urlPath: $path) {
    __typename title urlPath
    seo { title description canonicalUrl }
    parent { title }
    ancestors { title }
    children { title }
    ... on ContentPage {
      intro
      body {
        __typename
        ... on HeadingBlock { text level }
        ... on ParagraphBlock { html }
        ... on ImageBlock { alt image { title } }
        ... on CallToActionBlock { label url page { title } }
        ... on FaqBlock { title items { question answerHtml } }
      }
    }
  }
}
"""

PAGE_BY_SLUG = """query Page($slug: String!) { page(slug: $slug) { __typename title } }"""
HOME = """{ page(urlPath: "/") { __typename title ... on HomePage { intro } } }"""
MENU = """{ menu { title urlPath } }"""


def test_page_by_url_path_returns_its_concrete_type(run_query, home_page):
    ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")

    result = run_query(PAGE_BY_PATH, {"path": "/qui-sommes-nous/"})

    assert result.errors == []
    assert result.data["page"]["__typename"] == "ContentPage"
    assert result.data["page"]["urlPath"] == "/qui-sommes-nous/"


def test_page_by_url_path_accepts_a_path_without_slashes(run_query, home_page):
    ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")

    result = run_query(PAGE_BY_PATH, {"path": "qui-sommes-nous"})

    assert result.data["page"]["title"] == "Qui sommes-nous"


def test_home_page_is_at_the_root_path(run_query, home_page):
    result = run_query(HOME)

    assert result.data["page"]["__typename"] == "HomePage"
    assert result.data["page"]["intro"] == home_page.intro


def test_page_by_slug(run_query, home_page):
    ContentPageFactory(title="FAQ", slug="faq")

    assert run_query(PAGE_BY_SLUG, {"slug": "faq"}).data["page"] == {"__typename": "ContentPage", "title": "FAQ"}


def test_page_body_is_a_typed_union_of_blocks(run_query, home_page):
    target = ContentPageFactory(title="Cible", slug="cible")
    image = ImageFactory(title="Illustration")
    body = [
        {"type": "heading", "value": {"text": "Bienvenue", "level": "h2"}},
        {"type": "paragraph", "value": f'<p>Voir <a linktype="page" id="{target.pk}">la cible</a></p>'},
        {"type": "image", "value": {"image": image.pk, "alt": "Des jeunes", "caption": ""}},
        {"type": "call_to_action", "value": {"label": "Y aller", "page": target.pk, "url": "", "style": "primary"}},
        {
            "type": "faq",
            "value": {"title": "Questions", "items": [{"question": "Qui ?", "answer": "<p>Les 16-30 ans</p>"}]},
        },
    ]
    ContentPageFactory(title="Riche", slug="riche", body=json.dumps(body))

    blocks = run_query(PAGE_BY_PATH, {"path": "/riche/"}).data["page"]["body"]

    assert blocks == [
        {"__typename": "HeadingBlock", "text": "Bienvenue", "level": "h2"},
        {"__typename": "ParagraphBlock", "html": '<p>Voir <a href="/cible/">la cible</a></p>'},
        {"__typename": "ImageBlock", "alt": "Des jeunes", "image": {"title": "Illustration"}},
        {"__typename": "CallToActionBlock", "label": "Y aller", "url": "/cible/", "page": {"title": "Cible"}},
        {
            "__typename": "FaqBlock",
            "title": "Questions",
            "items": [{"question": "Qui ?", "answerHtml": "<p>Les 16-30 ans</p>"}],
        },
    ]


def test_page_knows_its_parent_ancestors_and_published_children(run_query, home_page):
    parent = ContentPageFactory(title="Parent", slug="parent")
    ContentPageFactory(parent=parent, title="Enfant publié", slug="enfant")
    ContentPageFactory(parent=parent, title="Enfant brouillon", slug="brouillon", live=False)

    page = run_query(PAGE_BY_PATH, {"path": "/parent/"}).data["page"]

    assert page["parent"] == {"title": home_page.title}
    assert page["ancestors"] == [{"title": home_page.title}]
    assert page["children"] == [{"title": "Enfant publié"}]


def test_page_seo_falls_back_to_the_title_and_points_to_the_front_end(run_query, home_page, settings):
    settings.FRONTEND_URL = "https://www.cje.example.fr"
    ContentPageFactory(title="Contact", slug="contact", search_description="Nous écrire")

    seo = run_query(PAGE_BY_PATH, {"path": "/contact/"}).data["page"]["seo"]

    assert seo == {
        "title": "Contact",
        "description": "Nous écrire",
        "canonicalUrl": "https://www.cje.example.fr/contact/",
    }


def test_unpublished_page_is_not_found(run_query, home_page):
    ContentPageFactory(title="Brouillon", slug="brouillon", live=False)

    result = run_query(PAGE_BY_PATH, {"path": "/brouillon/"})

    assert result.codes == ["NOT_FOUND"]


def test_page_needs_exactly_one_way_to_find_it(run_query, home_page):
    result = run_query("""{ page(slug: "a", urlPath: "/a/") { title } }""")

    assert result.codes == ["BAD_USER_INPUT"]


def test_menu_lists_the_published_first_level_pages_shown_in_menus(run_query, home_page):
    ContentPageFactory(title="Dans le menu", slug="menu", show_in_menus=True)
    ContentPageFactory(title="Hors menu", slug="hors-menu", show_in_menus=False)

    assert run_query(MENU).data["menu"] == [{"title": "Dans le menu", "urlPath": "/menu/"}]


def test_pages_of_a_type_lists_only_that_type(run_query, home_page):
    ContentPageFactory(title="Contenu")

    result = run_query("""{ pages(type: CONTENT) { __typename title } }""")

    assert result.data["pages"] == [{"__typename": "ContentPage", "title": "Contenu"}]
