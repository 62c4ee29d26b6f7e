"""The search interface: one query shape, one result shape, two backends (``SEARCH_BACKEND``).

A *kind* (``search.missions.MISSIONS``, ``search.offers.OFFERS``) says what is indexed and which filters and facets
exist; a *backend* (``search.backends.database``, ``search.backends.elasticsearch``) answers :class:`SearchQuery` for
a kind with ids, scores, distances and facet counts. Callers load the items themselves, in hit order.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime
import enum
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from cms.core.ages import AGE_MESSAGE, is_valid_age

from .folding import fold


class InvalidSearch(ValueError):
    """A query the caller got wrong; the message is French and meant for the end user."""


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    START_DATE = "start_date"
    NEWEST = "newest"


class FilterType(enum.StrEnum):
    TERMS = "terms"  # a list of keywords, any of them
    IDS = "ids"  # a list of integer ids, any of them
    EXCLUDED_IDS = "excluded_ids"  # a list of integer ids, none of them (items without a value are kept)
    FOLDED_TERMS = "folded_terms"  # keywords compared without case or accents (cities)
    BOOL = "bool"  # only items with the flag when True; no restriction when False or absent
    DATE_FROM = "date_from"  # field >= date
    DATE_TO = "date_to"  # field <= date
    AGE = "age"  # a person's age: lower bound <= age <= upper bound (open bounds allowed), open to minors below 18
    VALID_ON = "valid_on"  # visible_from <= date <= visible_until, open bounds allowed


@dataclasses.dataclass(frozen=True)
class Filter:
    """A filter a kind accepts: ``db`` is the ORM path on its document model, ``es`` the Elasticsearch field."""

    type: FilterType
    db: str = ""
    es: str = ""
    array: str = ""  # PostgreSQL: a JSON array column on the document holding the same values (no join needed)
    code: str = ""  # PostgreSQL: an integer column holding the value's code (``Kind.codes``), compared instead
    #: AGE: ``db``/``es`` name the lower bound, ``upper`` the upper bound and ``minors`` the flag that opens an item to
    #: people under 18 (plain columns, named alike on the document model and in the Elasticsearch mapping).
    upper: str = ""
    minors: str = ""


@dataclasses.dataclass(frozen=True)
class Facet:
    """A facet is also a filter of the same name; ``multi`` when a document may carry several values."""

    db: str
    es: str
    multi: bool = False
    array: str = ""  # PostgreSQL: a JSON array column on the document holding the same values (no join needed)
    key: str = ""  # PostgreSQL: the same values sorted and joined by commas, counted by groups of documents


@dataclasses.dataclass(frozen=True)
class SqlRecords:
    """A kind's records built by PostgreSQL itself from the content tables, for the database backend.

    ``ctes`` is the body of a ``WITH`` clause (``params`` fill its placeholders) that defines a ``records`` relation,
    one row per searchable item among the wanted ids with one column per record key, and, for each multi-valued key
    of ``relations``, a relation of that name: one row per value, with ``pk`` (the item), ``position`` (the order the
    Python records list them in) and the side table's fields. It must yield exactly what ``Kind.records`` yields.
    """

    ctes: str
    params: list
    relations: dict[str, str]


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    filters: dict[str, Filter]
    facets: dict[str, Facet]
    records: Callable[[Iterable[int] | None], Iterator[dict]]
    #: What the index holds (``cms``'s ``searchable()``); ``public`` is what a hit may show today (``public()``).
    searchable: Callable[[], models.QuerySet]
    public: Callable[[], models.QuerySet]
    labels: Callable[[str, list[str]], dict[str, str]]
    #: PostgreSQL: value → integer code of a filter or facet that has a ``code`` column (read once per query).
    codes: Callable[[str], dict[str, int]] | None = None
    #: PostgreSQL: one integer column combining the codes of these single-valued facets, which facet counts group by
    #: (``split`` decodes a value into each facet's code, None where the document has no value).
    combination: str = ""
    combined: tuple[str, ...] = ()
    split: Callable[[int], dict[str, int | None]] | None = None
    #: PostgreSQL: the records of these ids as SQL (see :class:`SqlRecords`), so that the database backend fills its
    #: tables with one ``INSERT … SELECT`` instead of reading rows into Python and copying records back.
    sql_records: Callable[[list[int]], SqlRecords] | None = None

    def clean_filters(self, raw: dict[str, Any] | None) -> dict[str, Any]:
        """Typed, normalised filters; unknown names and ill-typed values are refused with a French message."""
        cleaned: dict[str, Any] = {}
        for name, value in (raw or {}).items():
            spec = self.filters.get(name)
            if spec is None:
                raise InvalidSearch(f"Filtre inconnu : « {name} ».")
            if value is None or value == [] or value == "":
                continue
            value = _clean_value(name, spec.type, value)
            # Blank terms (``[""]``) filter nothing, as an empty list does; False asks for no restriction.
            if value != [] and value is not False:
                cleaned[name] = value
        return cleaned


def _clean_value(name: str, type_: FilterType, value: Any) -> Any:
    if type_ in (FilterType.TERMS, FilterType.FOLDED_TERMS, FilterType.IDS, FilterType.EXCLUDED_IDS):
        values = [value] if isinstance(value, str | int) else list(value)
        if type_ in (FilterType.IDS, FilterType.EXCLUDED_IDS):
            try:
                return sorted({int(v) for v in values})
            except (TypeError, ValueError) as exc:
                raise InvalidSearch(f"Le filtre « {name} » attend des identifiants numériques.") from exc
        if not all(isinstance(v, str) for v in values):
            raise InvalidSearch(f"Le filtre « {name} » attend une liste de valeurs textuelles.")
        if type_ == FilterType.FOLDED_TERMS:
            values = [fold(v) for v in values]
        return sorted({v.strip() for v in values if v.strip()})
    if type_ == FilterType.BOOL:
        if not isinstance(value, bool):
            raise InvalidSearch(f"Le filtre « {name} » attend vrai ou faux.")
        return value
    if type_ in (FilterType.DATE_FROM, FilterType.DATE_TO, FilterType.VALID_ON):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise InvalidSearch(f"Le filtre « {name} » attend une date au format AAAA-MM-JJ.") from exc
    if type_ == FilterType.AGE:
        if not is_valid_age(value):
            raise InvalidSearch(AGE_MESSAGE)
        return value
    raise AssertionError(type_)  # pragma: no cover


@dataclasses.dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    radius_km: float

    def __post_init__(self) -> None:
        if not -90 <= self.lat <= 90 or not -180 <= self.lon <= 180:
            raise InvalidSearch("Les coordonnées du point de recherche sont invalides.")
        if not 0 < self.radius_km <= 1000:
            raise InvalidSearch("Le rayon de recherche doit être compris entre 0 et 1000 km.")


MAX_PAGE_SIZE = 100
#: Longer texts are refused: each word becomes a term of the full-text query (PostgreSQL runs out of stack on a
#: few thousand), and nobody types more into a search box.
MAX_TEXT_LENGTH = 500
MAX_TEXT_WORDS = 30
#: The deepest a cursor may page; Elasticsearch's own window (``index.max_result_window``) is 10,000 results.
MAX_OFFSET = 10_000
#: The most sort values an ``a:`` cursor carries (the longest sort: score, distance, date, primary key).
MAX_SORT_KEYS = 6
_WORD = re.compile(r"[^\W_]+")


@dataclasses.dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, Any] = dataclasses.field(default_factory=dict)
    near: Near | None = None
    include_everywhere: bool = False
    sort: Sort | None = None
    first: int = 20
    after: str | None = None
    facets: tuple[str, ...] | None = None  # None: every facet of the kind
    #: False when the caller needs no total (candidate searches that read one page): with no facets asked, the
    #: backends then count nothing (``SearchResult.total`` is None, ``next_cursor`` is given when the page is full,
    #: and a text search falls back to looser matching when its page is empty instead of when nothing matches).
    #: With facets the total comes with their counts and is returned anyway.
    count: bool = True

    def search_text(self) -> str:
        """The text to search for, stripped; refused when too long to be a search."""
        text = self.text.strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise InvalidSearch(f"Le texte de recherche est trop long : {MAX_TEXT_LENGTH} caractères au plus.")
        if len(_WORD.findall(text)) > MAX_TEXT_WORDS:
            raise InvalidSearch(f"Le texte de recherche est trop long : {MAX_TEXT_WORDS} mots au plus.")
        return text

    def effective_sort(self) -> Sort:
        text = self.search_text()
        if self.sort is not None:
            if self.sort == Sort.DISTANCE and self.near is None:
                raise InvalidSearch("Le tri par distance demande un point de recherche.")
            return self.sort
        if text:
            return Sort.RELEVANCE
        return Sort.DISTANCE if self.near else Sort.NEWEST

    def offset(self) -> int:
        return decode_cursor(self.after) if self.after else 0

    def position(self) -> tuple[int, list | None]:
        """The offset of the page and, after an ``a:`` cursor, the sort values to search after."""
        return decode_position(self.after) if self.after else (0, None)

    def page_size(self) -> int:
        if not 1 <= self.first <= MAX_PAGE_SIZE:
            raise InvalidSearch(f"Le nombre de résultats par page doit être compris entre 1 et {MAX_PAGE_SIZE}.")
        return self.first

    def wanted_facets(self, kind: Kind) -> list[str]:
        names = list(kind.facets) if self.facets is None else list(self.facets)
        unknown = [n for n in names if n not in kind.facets]
        if unknown:
            raise InvalidSearch(f"Facette inconnue : « {unknown[0]} ».")
        return names

    def counts_nothing(self, kind: Kind) -> bool:
        """Whether the backend may skip counting: no total wanted and no facet asked."""
        return not self.count and not self.wanted_facets(kind)


@dataclasses.dataclass
class Hit:
    pk: int
    score: float
    distance_km: float | None = None
    highlight: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclasses.dataclass
class SearchResult:
    hits: list[Hit]
    #: None when the query asked for no count (``SearchQuery.count``).
    total: int | None
    facets: dict[str, list[FacetValue]]
    next_cursor: str | None


def encode_cursor(offset: int, after: list | None = None) -> str:
    """An opaque cursor: the offset of the next page (``o:``), or with ``after`` the sort values of the last hit
    read (``a:``, Elasticsearch's ``search_after``: no depth limit) and the offset they stand for."""
    text = f"o:{offset}" if after is None else "a:" + json.dumps([offset, after], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_position(cursor: str) -> tuple[int, list | None]:
    """The offset and, for an ``a:`` cursor, the sort values to search after; a cursor the API did not give out
    (or an offset past :data:`MAX_OFFSET`) is refused."""
    invalid = InvalidSearch("Curseur de pagination invalide.")
    try:
        prefix, _, rest = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if prefix == "o":
            offset, after = int(rest), None
        elif prefix == "a":
            offset, after = json.loads(rest)
        else:
            raise invalid
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise invalid from exc
    if not isinstance(offset, int) or offset < 0 or (after is None and offset > MAX_OFFSET):
        raise invalid
    if after is not None and (
        not isinstance(after, list)
        or not 0 < len(after) <= MAX_SORT_KEYS
        or not all(value is None or isinstance(value, str | int | float) for value in after)
    ):
        raise invalid
    return offset, after


def decode_cursor(cursor: str) -> int:
    """The offset of an ``o:`` cursor (the database backend pages by offset); ``a:`` cursors are refused."""
    offset, after = decode_position(cursor)
    if after is not None:
        raise InvalidSearch("Curseur de pagination invalide.")
    return offset


def next_cursor(offset: int, size: int, total: int | None, read: int = 0) -> str | None:
    """The cursor of the next page; without a total (``total`` None), there is one when the page is full (``read``
    hits read), and it may then turn out empty."""
    if total is None:
        return encode_cursor(offset + size) if read >= size else None
    return encode_cursor(offset + size) if offset + size < total else None


#: The most values a facet lists (departments, the longest fixed facet, have about a hundred; partners may grow).
FACET_VALUES_MAX = 200
#: The fields a hit may carry a highlight of, on both backends.
HIGHLIGHTED_FIELDS = ("title", "description")


def facet_values(counts: dict[str, int], selected: list) -> list[FacetValue]:
    """Values by decreasing count, :data:`FACET_VALUES_MAX` at most; selected values are listed first (even when
    nothing matches them any more), then the most frequent others."""
    chosen = {str(v) for v in selected}
    merged = {str(k): n for k, n in counts.items() if k not in (None, "")}
    for value in chosen:
        merged.setdefault(value, 0)
    ordered = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    by_priority = [value for value, _ in ordered if value in chosen] + [v for v, _ in ordered if v not in chosen]
    kept = set(by_priority[:FACET_VALUES_MAX])
    return [FacetValue(value, count, value in chosen) for value, count in ordered if value in kept]


#: The most values one page of :class:`FacetPageQuery` lists.
FACET_PAGE_MAX = FACET_VALUES_MAX


@dataclasses.dataclass
class FacetPageQuery:
    """One page of every value of one facet, for a search (``search``'s text, filters and place; its own page and
    facets are ignored): the values the matches carry, counted as in the search's facets (disjunctively).

    Pages go by value (byte order), not by count: that is the order an Elasticsearch composite aggregation pages in
    (``after_key``), and the database backend follows it, so a cursor means the same on both. The search's own
    ``facets`` keep the most frequent values first.
    """

    search: SearchQuery
    facet: str
    first: int = 50
    after: str | None = None

    def page_size(self) -> int:
        if not 1 <= self.first <= FACET_PAGE_MAX:
            raise InvalidSearch(f"Le nombre de valeurs par page doit être compris entre 1 et {FACET_PAGE_MAX}.")
        return self.first

    def checked_facet(self, kind: Kind) -> str:
        if self.facet not in kind.facets:
            raise InvalidSearch(f"Facette inconnue : « {self.facet} ».")
        return self.facet

    def after_value(self) -> str | None:
        """The last value of the previous page; a cursor the API did not give out for this facet is refused."""
        if self.after is None:
            return None
        invalid = InvalidSearch("Curseur de valeurs de facette invalide : reprenez un endCursor reçu.")
        try:
            facet, value = json.loads(base64.urlsafe_b64decode(self.after.encode()).decode())
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise invalid from exc
        if facet != self.facet or not isinstance(value, str) or not value:
            raise invalid
        return value


@dataclasses.dataclass
class FacetPage:
    values: list[FacetValue]
    #: How many distinct values the matches carry (see the backends for how exact).
    total: int
    next_cursor: str | None


def facet_cursor(facet: str, value: str) -> str:
    """An opaque cursor: the facet and the last value read."""
    return base64.urlsafe_b64encode(json.dumps([facet, value], separators=(",", ":")).encode()).decode()


def facet_page(counts: dict[str, int], selected: list, query: FacetPageQuery, total: int | None = None) -> FacetPage:
    """The page of ``query`` from the values' counts: values with at least one match, by value (code point order,
    which is UTF-8 byte order, Elasticsearch's), after the cursor's value. ``total``: the number of distinct values
    when ``counts`` holds only some of them (by default, as many as ``counts`` holds)."""
    chosen = {str(v) for v in selected}
    merged = {str(k): n for k, n in counts.items() if k not in (None, "") and n > 0}
    after, size = query.after_value(), query.page_size()
    ordered = sorted(value for value in merged if after is None or value > after)
    page = ordered[:size]
    more = len(ordered) > size
    return FacetPage(
        values=[FacetValue(value, merged[value], value in chosen) for value in page],
        total=len(merged) if total is None else total,
        next_cursor=facet_cursor(query.facet, page[-1]) if more else None,
    )


#: Words shorter than this are not searched, on either backend (articles, "l" of "l'école", initials).
MIN_WORD_LENGTH = 2
#: The marks around a matched word in a raw highlight, replaced by ``<mark>`` once the snippet is escaped.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"


def text_words(text: str) -> list[str]:
    """The words of a search text that both backends search for."""
    return [word for word in _WORD.findall(text) if len(word) >= MIN_WORD_LENGTH]


#: The description's highlight: this many of its words, from :data:`FRAGMENT_WORDS_BEFORE` before its first match
#: (fewer before it near the end, so that a fragment is as long as the text allows).
FRAGMENT_WORDS = 24
FRAGMENT_WORDS_BEFORE = 6


def fragment(snippet: str) -> str:
    """The words of a whole raw highlight around its first match, one space apart: both backends highlight the whole
    description and cut it here, so that its fragment is the same on both."""
    words = snippet.split()
    first = next((n for n, word in enumerate(words) if HIGHLIGHT_START in word), 0)
    start = max(0, min(first - FRAGMENT_WORDS_BEFORE, len(words) - FRAGMENT_WORDS))
    return " ".join(words[start : start + FRAGMENT_WORDS])


def highlighted(field: str, snippet: str) -> str | None:
    """The raw highlight of a whole field as HTML (:func:`marked`): the title whole, the description cut
    (:func:`fragment`)."""
    if field == "description" and snippet:
        snippet = fragment(snippet)
    return marked(snippet)


def marked(snippet: str) -> str | None:
    """A raw highlight as HTML: escaped (``&#x27;``, never ``&#x2F;``), matches in ``<mark>``; None without a match."""
    if not snippet or HIGHLIGHT_START not in snippet:
        return None
    return html.escape(snippet).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")


class Backend(Protocol):
    def search(self, kind: Kind, query: SearchQuery) -> SearchResult: ...

    def facet_page(self, kind: Kind, query: FacetPageQuery) -> FacetPage:
        """One page of one facet's values for a search (see :class:`FacetPageQuery`)."""
        ...

    def upsert(self, kind: Kind, records: list[dict]) -> None: ...

    def delete(self, kind: Kind, pks: Iterable[int]) -> None: ...

    def rebuild(self, kind: Kind, records: Iterator[dict], progress: Callable[[int], None] | None = None) -> int: ...

    def bulk(self, kind: Kind) -> AbstractContextManager[None]:
        """Around a large update (an import's): whatever makes many writes in a row cheaper for this backend."""
        ...

    def analyze(self, kind: Kind) -> None:
        """After a large update: refresh what the backend plans its queries with."""
        ...

    def refresh_from_tables(self, kind: Kind, pks: list[int]) -> bool:
        """Bring the documents of ``pks`` in line with the content tables without records from Python, when this
        backend can (the database backend on PostgreSQL, for a kind with ``sql_records``); False: send records."""
        ...


BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


def get_backend(name: str | None = None) -> Backend:
    """The backend named by ``name`` or ``settings.SEARCH_BACKEND``."""
    return import_string(BACKENDS[name or settings.SEARCH_BACKEND])()


def search(kind: Kind, query: SearchQuery, backend: Backend | None = None) -> SearchResult:
    return (backend or get_backend()).search(kind, query)


def search_facet_page(kind: Kind, query: FacetPageQuery, backend: Backend | None = None) -> FacetPage:
    return (backend or get_backend()).facet_page(kind, query)
