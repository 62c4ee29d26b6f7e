"""Site search over editorial pages (home, content and programme pages): French full text with highlights.

Editorial pages are few (hundreds at most, against hundreds of thousands of missions), so they are searched where they
are, in PostgreSQL, with no index of their own to keep in step: the query reads the public pages
(``cms.core.visibility``: never a draft, a restricted page, a page under an unpublished one) and matches their title,
intro and the text of their StreamField against the words asked for, with the configuration mission search uses
(``french_unaccent``: accents folded, French stems) and the same prefix terms (``prefix_terms``: "bénévoles" finds
"bénévolat", "l'engagement" finds "engagement"). Whatever the search backend, pages are searched this way.
"""

from __future__ import annotations

import dataclasses
import html

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, Func, JSONField, QuerySet, TextField, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from cms.core.visibility import publicly_visible
from cms.pages.models import ContentPage, HomePage, ProgrammePage

from .backends.database.compiling import prefix_terms
from .backends.database.tables import TEXT_CONFIG
from .base import HIGHLIGHT_START, HIGHLIGHT_STOP, marked

#: The page types the site search reads; each has ``intro`` and ``body``.
EDITORIAL_PAGES = (HomePage, ContentPage, ProgrammePage)
#: Where a body's words are, as SQL/JSON paths over the stored StreamField: text editors wrote, not block types,
#: styles, ids or the filters of a listing. Old and new ``ListBlock`` formats alike (``.**``).
BODY_TEXT_PATHS = (
    '$[*] ? (@.type == "paragraph").value',
    '$[*] ? (@.type == "heading").value.text',
    '$[*] ? (@.type == "call_to_action").value.label',
    '$[*] ? (@.type == "image").value.caption',
    '$[*] ? (@.type == "faq").value.title',
    '$[*] ? (@.type == "faq").value.items.**.question',
    '$[*] ? (@.type == "faq").value.items.**.answer',
    '$[*] ? (@.type == "listing").value.title',
)
#: The most words a query keeps: a sentence, not a document.
MAX_WORDS = 12


class BodyText(Func):
    """The words of a stored StreamField (:data:`BODY_TEXT_PATHS`) as one text, tags of rich text removed."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        body, params = compiler.compile(self.source_expressions[0])
        arrays = " || ".join(f"jsonb_path_query_array({body}, %s::jsonpath)" for _ in BODY_TEXT_PATHS)
        words = f"array_to_string(ARRAY(SELECT jsonb_array_elements_text({arrays})), ' ')"
        sql = f"regexp_replace({words}, '<[^>]*>', ' ', 'g')"
        return sql, [value for path in BODY_TEXT_PATHS for value in (*params, path)]


@dataclasses.dataclass
class PageHit:
    pk: int
    score: float
    highlight: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class PageSearchResult:
    hits: list[PageHit]
    total: int
    has_next_page: bool


def _field(name: str, output):
    """``name`` of whichever editorial type a page row is (the others' columns are null on it)."""
    return Coalesce(*(F(f"{model._meta.model_name}__{name}") for model in EDITORIAL_PAGES), output_field=output)


def searchable_pages(root: Page) -> QuerySet:
    """The public editorial pages of the site under ``root``, with ``intro_text`` and ``body_text`` annotated."""
    pages = publicly_visible(Page.objects.type(*EDITORIAL_PAGES).descendant_of(root, inclusive=True))
    return pages.annotate(
        intro_text=Coalesce(_field("intro", TextField()), Value(""), output_field=TextField()),
        body_text=BodyText(Coalesce(_field("body", JSONField()), Value([], output_field=JSONField()))),
    )


def search_pages(root: Page, text: str, first: int, offset: int) -> PageSearchResult | None:
    """The page of public editorial pages matching ``text``, best first, with highlights; None when ``text`` has no
    word to look for."""
    terms = prefix_terms(text)[:MAX_WORDS]
    if not terms:
        return None
    query = SearchQuery(" & ".join(terms), search_type="raw", config=TEXT_CONFIG)
    vector = (
        SearchVector("title", config=TEXT_CONFIG, weight="A")
        + SearchVector("intro_text", config=TEXT_CONFIG, weight="B")
        + SearchVector("body_text", config=TEXT_CONFIG, weight="C")
    )
    pages = searchable_pages(root)  # the hidden sections are read once, here
    matched = pages.annotate(vector=vector).filter(vector=query)
    rows = list(
        matched.annotate(score=SearchRank(F("vector"), query))
        .order_by("-score", "path", "pk")
        .values_list("pk", "score")[offset : offset + first + 1]
    )
    hits = [PageHit(pk=pk, score=float(score)) for pk, score in rows[:first]]
    if hits:
        _highlight(pages, hits, query)
    return PageSearchResult(hits=hits, total=matched.count(), has_next_page=len(rows) > first)


#: The fields a hit's snippets come from, in this order.
HIGHLIGHTED_FIELDS = ("title", "intro", "body")


def _highlight(pages: QuerySet, hits: list[PageHit], query: SearchQuery) -> None:
    """Snippets of the returned pages with the words found in ``<mark>``, escaped (rich text's entities decoded)."""
    options = {"config": TEXT_CONFIG, "start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP}
    rows = (
        pages.filter(pk__in=[hit.pk for hit in hits])
        .annotate(
            title_hl=SearchHeadline("title", query, highlight_all=True, **options),
            intro_hl=SearchHeadline("intro_text", query, max_words=30, min_words=12, **options),
            body_hl=SearchHeadline("body_text", query, max_words=30, min_words=12, **options),
        )
        .values_list("pk", "title_hl", "intro_hl", "body_hl")
    )
    by_pk = {pk: snippets for pk, *snippets in rows}
    for hit in hits:
        for field, snippet in zip(HIGHLIGHTED_FIELDS, by_pk.get(hit.pk, ()), strict=False):
            # Rich text arrives with its entities: decoded first, so that ``marked`` escapes each character once.
            if as_html := marked(html.unescape(" ".join((snippet or "").split()))):
                hit.highlight[field] = as_html
