"""Reading the page of hits of a search: sorted by relevance, date or distance, with highlights.

A page sorted by distance without text is read from the places: the nearest places of the radius, in growing
circles, give the page whenever they provably hold it; the grouped pass over every place in the radius is the
fallback. Highlights are computed for the returned page only.
"""

from __future__ import annotations

import math

from django.contrib.postgres.search import SearchHeadline
from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.db.models import F, FloatField, Min, OuterRef, Subquery, Value
from django.utils import timezone

from cms.core.geo import DistanceKm

from ...base import HIGHLIGHT_START, HIGHLIGHT_STOP, HIGHLIGHTED_FIELDS, Hit, Near, Sort, highlighted
from .compiling import QueryCompiler
from .tables import TEXT_CONFIG

#: The distance page's first window of nearest places per wanted hit (a mission has one to three addresses, and the
#: places carry the usual filters, so a window holds mostly candidates), how much a window grows at most when it does
#: not yet prove the page (it grows by the share of candidates it held, with a margin: a window where one place in
#: four passed the filters grows about six times), and how many windows are tried before the grouped pass.
NEAREST_WINDOW_PER_HIT = 2
NEAREST_WINDOW_GROWTH = 8
NEAREST_WINDOW_MARGIN = 1.5
NEAREST_WINDOWS = 3
#: The circles, as shares of the radius, in which the nearest places are looked for, smallest first; the last one is
#: the whole radius.
NEAREST_RADII = (1 / 16, 1 / 4, 1.0)


def _next_window(window: int, wanted: int, found: int) -> int:
    """The next window of nearest places: large enough, at the share of candidates the last one held, to hold the
    page with a margin; never less than twice nor more than ``NEAREST_WINDOW_GROWTH`` times the last one."""
    growth = NEAREST_WINDOW_MARGIN * wanted / found if found else NEAREST_WINDOW_GROWTH
    return window * min(NEAREST_WINDOW_GROWTH, max(2, math.ceil(growth)))


class HitReader(QueryCompiler):
    """The page of hits of a search (see the module's docstring)."""

    def _hits(self, matched, conditions, score, sort, near, offset, size, document) -> list[Hit]:
        queryset = matched.filter(*conditions.values()).annotate(score=score)
        if near is not None:
            closest = (
                self._related(document, "places")
                .objects.filter(document_id=OuterRef("pk"), latitude__isnull=False, longitude__isnull=False)
                .annotate(distance=DistanceKm(near.lat, near.lon))
                .order_by("distance")
                .values("distance")[:1]
            )
            queryset = queryset.annotate(distance=Subquery(closest, output_field=FloatField()))
        else:
            queryset = queryset.annotate(distance=Value(None, output_field=FloatField()))
        near_first = [F("distance").asc(nulls_last=True)] if near is not None else []
        order = {
            # Plain DESC/ASC match the btree indexes (DESC puts nulls first; searchable items are all published).
            # Equal scores (a search without text, or words found alike) come nearest first when a place is given.
            Sort.RELEVANCE: [F("score").desc(), *near_first, F("published_at").desc()],
            Sort.DISTANCE: [F("distance").asc(nulls_last=True)],
            Sort.START_DATE: [F("start_date").asc()],
            Sort.NEWEST: [F("published_at").desc()],
        }[sort]
        rows = queryset.order_by(*order, "pk").values_list("pk", "score", "distance")[offset : offset + size]
        return [
            Hit(pk=pk, score=float(s or 0.0), distance_km=round(d, 3) if d is not None else None) for pk, s, d in rows
        ]

    def _hits_by_distance(self, visible, conditions: dict, near: Near, document, offset: int, size: int) -> list[Hit]:
        """A page sorted by distance, read from the places: those in the radius grouped by document, closest first.

        A document found through its places has its closest place inside the radius, so the minimum over the places
        in the radius is the distance ``_hits`` computes with one correlated subquery per matched document. The
        candidates are the ``visible`` documents passing the filters' ``conditions`` (no text, no nationwide
        documents: those take ``_hits``); the places are read with the conditions they can apply themselves
        (:meth:`_place_conditions`), and their documents checked only when some condition is left. The nearest
        places are tried first (:meth:`_nearest_documents`); the grouped pass over every place in the radius is the
        fallback.
        """
        candidates = visible.filter(*conditions.values())
        on_places, left = self._place_conditions(document, conditions.values(), timezone.localdate())
        hits = self._nearest_documents(candidates if left else None, on_places, near, document, offset, size)
        if hits is not None:
            return hits
        rows = (
            self._places_in_box(document, near, near.radius_km)
            .filter(*on_places)
            .filter(document_id__in=candidates.values("pk"))
            .values("document_id")
            .annotate(distance=Min(DistanceKm(near.lat, near.lon)))
            .filter(distance__lte=near.radius_km)
            .order_by("distance", "document_id")
            .values_list("document_id", "distance")[offset : offset + size]
        )
        return [Hit(pk=pk, score=0.0, distance_km=round(distance, 3)) for pk, distance in rows]

    def _nearest_documents(
        self, candidates, on_places: list, near: Near, document, offset: int, size: int
    ) -> list[Hit] | None:
        """The page from a window of the nearest places in the radius, widened until it provably holds the page.

        Grouping every place in the radius by document to keep twenty costs as much as the facets (28,000 documents
        within 20 km of Paris in the bench data set). The nearest ``window`` places that pass ``on_places`` (a top-N
        sort; the filters the places carry, so that a selective filter does not fill the window with places of
        other documents), kept where their document is one of ``candidates`` (one primary-key lookup; None when the
        places carry every condition), give the same page whenever the last document of the page is strictly closer
        than the farthest place of the window (every place closer than that one is in the window, so no document
        outside it can come first), or when the window holds every place of the radius. Otherwise the window grows;
        after ``NEAREST_WINDOWS`` tries (very selective filters) None sends the caller to the grouped pass.
        """
        wanted = offset + size
        window, circle = NEAREST_WINDOW_PER_HIT * wanted, 0
        for _ in range(NEAREST_WINDOWS):
            rows, circle = self._nearest_places(document, near, window, circle, on_places)
            allowed = (
                None
                if candidates is None
                else set(candidates.filter(pk__any=list({pk for pk, _ in rows})).values_list("pk", flat=True))
            )
            closest: dict[int, float] = {}
            for pk, distance in rows:  # sorted by distance: a document's first place is its closest
                if (allowed is None or pk in allowed) and pk not in closest:
                    closest[pk] = distance
            ranked = sorted(closest.items(), key=lambda item: (item[1], item[0]))
            if len(rows) < window or (len(ranked) >= wanted and ranked[wanted - 1][1] < rows[-1][1]):
                return [Hit(pk=pk, score=0.0, distance_km=round(d, 3)) for pk, d in ranked[offset : offset + size]]
            window = _next_window(window, wanted, len(ranked))
        return None

    def _nearest_places(
        self, document, near: Near, window: int, first: int = 0, on_places: list | None = None
    ) -> tuple[list[tuple[int, float]], int]:
        """The ``window`` places of the radius nearest to its centre that pass ``on_places``, as (document id, km),
        closest first, and the circle they were read in (a larger window starts there: the smaller circles held fewer
        places than a smaller window).

        Read first in a small circle, then in wider ones (:data:`NEAREST_RADII`): a circle that holds ``window``
        places holds the nearest ``window`` of the whole radius (any place outside it is farther than every place in
        it), and costs the share of the radius it covers. Around a city centre the smallest circle is enough (20 km
        around Paris: 32,000 places sorted for 80; the 1.25 km circle holds them); in a sparse area the wider circles
        together add a few percent to the one full read. The places of the box outside the circle are cut here, not
        by the database: they sort after every place inside it, and a condition on the distance would compute it a
        second time for every place of the box.
        """
        nearest = (
            self._related(document, "places")
            .objects.using(self.using)
            .filter(*on_places or ())
            .annotate(distance=DistanceKm(near.lat, near.lon))
            .order_by("distance", "document_id")
            .values_list("document_id", "distance")
        )
        rows: list[tuple[int, float]] = []
        circle = first
        for circle in range(first, len(NEAREST_RADII)):  # noqa: B007 - the circle read last is returned
            radius = near.radius_km * NEAREST_RADII[circle]
            rows = list(nearest.filter(self._in_box(near, radius))[:window])
            while rows and rows[-1][1] > radius:
                rows.pop()
            if len(rows) >= window:
                break
        return rows, circle

    def _highlight(self, document, hits: list[Hit], pg_query: PgSearchQuery) -> None:
        """Snippets with the matched words in ``<mark>``, escaped, for the returned page only: the whole title and
        description highlighted, the description then cut (:func:`search.base.highlighted`) as on Elasticsearch."""
        options = {
            "config": TEXT_CONFIG,
            "start_sel": HIGHLIGHT_START,
            "stop_sel": HIGHLIGHT_STOP,
            "highlight_all": True,
        }
        rows = (
            self._related(document, "text")
            .objects.using(self.using)
            .filter(document_id__in=[h.pk for h in hits])
            .annotate(
                title_hl=SearchHeadline("title", pg_query, **options),
                description_hl=SearchHeadline("description", pg_query, **options),
            )
            .values_list("document_id", "title_hl", "description_hl")
        )
        by_pk = {pk: (title, description) for pk, title, description in rows}
        for hit in hits:
            for field, snippet in zip(HIGHLIGHTED_FIELDS, by_pk.get(hit.pk, ()), strict=False):
                if as_html := highlighted(field, snippet):
                    hit.highlight[field] = as_html
