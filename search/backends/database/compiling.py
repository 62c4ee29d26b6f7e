"""Compiling a search query into ORM conditions: visibility, filters, place and text.

Everything here builds ``Q`` objects and expressions over the document tables and runs nothing; the facets and
hits modules run them. Filters compare integer codes where a kind has them (:class:`Codes`: slugs to codes once per
query), geography is a bounding box on the indexed coordinates refined by an exact haversine distance, and text is
French full text with prefixes, falling back to the title words within one typo when nothing matches
(:mod:`search.typos`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db import connections, models
from django.db.models import BooleanField, F, FloatField, Func, Q, Value
from django.db.models.constants import LOOKUP_SEP

from cms.core.ages import eligible_at_age_q
from cms.core.geo import DistanceKm, bounding_box, inscribed_box

from ...base import FilterType, Kind, Near, text_words
from ...typos import PREFIX_FROM, TYPO_FROM, trigram_threshold, typo_words
from .tables import TEXT_CONFIG, DocumentTables, copied_from_document


def typo_settings(text: str) -> list[tuple[str, list]]:
    """The statements (SQL, parameters) that let the title's trigram index prefilter the typo fallback of ``text``
    without losing a title: the word similarity every one of its words surely reaches (:func:`trigram_threshold`)."""
    thresholds = [t for w in typo_words(text) if len(w) >= TYPO_FROM and (t := trigram_threshold(w)) is not None]
    if not thresholds:
        return []
    threshold = math.floor(min(thresholds) * 1000) / 1000
    return [("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(threshold)])]


def prefix_terms(text: str) -> list[str]:
    """The words of ``text`` as ``tsquery`` terms for :data:`TEXT_CONFIG`, to be joined with ``&``.

    Prefix matching on stems lets "bénévoles" (stem "benevol") find "bénévolat"; short words stay exact, and words
    shorter than ``text_words`` keeps (the "l" of "l'engagement") are left out.
    """
    return [f"{w}:*" if len(w) >= PREFIX_FROM else w for w in text_words(text)]


def _columns(condition: Q) -> set[str]:
    """The columns a ``Q`` of plain lookups names (``"min_age__lte"`` names ``min_age``); an expression in it names
    ``"?"``, which no table has."""
    columns: set[str] = set()
    for child in condition.children:
        if isinstance(child, Q):
            columns |= _columns(child)
        elif isinstance(child, tuple):
            columns.add(child[0].split(LOOKUP_SEP, 1)[0])
        else:
            columns.add("?")
    return columns


class Codes:
    """The integer codes of one query's coded filters and facets each read once, both ways."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._by_value: dict[str, dict[str, int]] = {}

    def of(self, name: str) -> dict[str, int]:
        if name not in self._by_value:
            self._by_value[name] = self.kind.codes(name) if self.kind.codes else {}
        return self._by_value[name]

    def decode(self, rows: Iterable[dict], columns: dict[str, str]) -> list[dict]:
        """Rows grouped by the combination column, as rows of the facets' own values (``""`` where none)."""
        values = {name: {code: value for value, code in self.of(name).items()} for name in columns}
        decoded = []
        for row in rows:
            parts = self.kind.split(row[self.kind.combination])
            decoded.append({col: values[name].get(parts[name], "") for name, col in columns.items()} | {"n": row["n"]})
        return decoded


class QueryCompiler(DocumentTables):
    """The conditions and expressions a search is made of (see the module's docstring)."""

    @staticmethod
    def _visible_on(day) -> Q:
        return (Q(visible_from__isnull=True) | Q(visible_from__lte=day)) & (
            Q(visible_until__isnull=True) | Q(visible_until__gte=day)
        )

    def _place_conditions(self, document: type[models.Model], conditions: Iterable[Q], day) -> tuple[list, list]:
        """The visibility on ``day`` and the search's ``conditions`` split in two: those the document's places apply
        themselves (every column they name is one the places copy from the document:
        :func:`.tables.copied_from_document`), and the others. The nearest places of a distance search are read with
        the first, so that a window holds only the places of documents that may be on the page; only the others
        need the documents themselves."""
        copied = set(copied_from_document(self._related(document, "places")))
        carried, left = [], []
        for condition in (self._visible_on(day), *conditions):
            (carried if copied and _columns(condition) <= copied else left).append(condition)
        return carried, left

    def _places_in_box(self, document: type[models.Model], near: Near, radius_km: float) -> models.QuerySet:
        """The document's places inside the box around the circle of ``radius_km``: the index-friendly prefilter
        every geographic read starts from (the exact distance is the caller's)."""
        return self._related(document, "places").objects.using(self.using).filter(self._in_box(near, radius_km))

    @staticmethod
    def _in_box(near: Near, radius_km: float) -> Q:
        """Places inside the box around the circle of ``radius_km`` (see :meth:`_places_in_box`)."""
        min_lat, max_lat, min_lon, max_lon = bounding_box(near.lat, near.lon, radius_km)
        return Q(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))

    def _near(self, document: type[models.Model], near: Near, include_everywhere: bool) -> Q:
        # The exact distance only for the places outside the box inscribed in the circle (a third of the bounding box
        # around a city): OR stops at its first true branch, so most places skip the trigonometry.
        in_min_lat, in_max_lat, in_min_lon, in_max_lon = inscribed_box(near.lat, near.lon, near.radius_km)
        surely_inside = Q(latitude__range=(in_min_lat, in_max_lat), longitude__range=(in_min_lon, in_max_lon))
        inside = (
            self._places_in_box(document, near, near.radius_km)
            .annotate(distance=DistanceKm(near.lat, near.lon))
            .filter(surely_inside | Q(distance__lte=near.radius_km))
            .values("document_id")
        )
        condition = Q(pk__in=inside)
        return condition | Q(everywhere=True) if include_everywhere else condition

    def _condition(self, kind: Kind, document: type[models.Model], name: str, value, codes: Codes | None = None) -> Q:
        spec = kind.filters[name]
        if spec.code and codes is not None:
            # -1 is no code: unknown values match nothing, as unknown slugs do.
            return Q(**{f"{spec.code}__in": [codes.of(name).get(v, -1) for v in value]})
        if spec.type in (FilterType.TERMS, FilterType.FOLDED_TERMS, FilterType.IDS):
            if spec.array:
                return Q(**{f"{spec.array}__has_any_keys": value})
            if "__" in spec.db:
                relation, column = spec.db.split("__", 1)
                rows = self._related(document, relation).objects.filter(**{f"{column}__in": value})
                return Q(pk__in=rows.values("document_id"))
            return Q(**{f"{spec.db}__in": value})
        if spec.type == FilterType.EXCLUDED_IDS:
            return ~Q(**{f"{spec.db}__in": value})
        if spec.type == FilterType.BOOL:
            return Q(**{spec.db: True})
        if spec.type == FilterType.DATE_FROM:
            return Q(**{f"{spec.db}__gte": value})
        if spec.type == FilterType.DATE_TO:
            return Q(**{f"{spec.db}__lte": value})
        if spec.type == FilterType.AGE:
            return eligible_at_age_q(value, min_age=spec.db, max_age=spec.upper, open_to_minors=spec.minors)
        if spec.type == FilterType.VALID_ON:
            return self._visible_on(value)
        raise AssertionError(spec.type)  # pragma: no cover

    def _text_strategies(self, text: str) -> list[tuple[Q, models.Expression, PgSearchQuery | None]]:
        """Full text first; when it finds nothing, the title words within one typo (:mod:`search.typos`)."""
        terms = prefix_terms(text)
        strategies = []
        if terms:
            pg_query = PgSearchQuery(" & ".join(terms), search_type="raw", config=TEXT_CONFIG)
            strategies.append((Q(search_vector=pg_query), SearchRank(F("search_vector"), pg_query), pg_query))
        if words := typo_words(text):
            similarity = TrigramWordSimilarity(" ".join(words), "text__title_folded")
            strategies.append((self._typo_condition(words), similarity, None))
        # A text without a word to look for (one letter) finds nothing.
        return strategies or [(Q(pk__isnull=True), Value(0.0, output_field=FloatField()), None)]

    def _prepare_typos(self, text: str) -> None:
        """Before the typo fallback only (a search that finds something never pays it): its trigram threshold."""
        with connections[self.using].cursor() as cursor:
            for statement, params in typo_settings(text):
                cursor.execute(statement, params)

    @staticmethod
    def _typo_condition(words: list[str]) -> Q:
        """Every word in the title words by the rule of :mod:`search.typos`, checked exactly by the database function
        of migration 0011 after the trigram index's prefilter (its threshold set by :meth:`_prepare_typos`)."""
        condition = Q()
        for word in words:
            if len(word) >= TYPO_FROM and trigram_threshold(word) is not None:
                condition &= Q(text__title_folded__trigram_word_similar=word)
        for word in words:
            prefix, typo = len(word) >= PREFIX_FROM, len(word) >= TYPO_FROM
            found = Func(
                F("text__title_folded"),
                Value(word),
                Value(prefix),
                Value(typo),
                function="search_title_word",
                output_field=BooleanField(),
            )
            condition &= Q(found)
        return condition
