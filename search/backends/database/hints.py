"""Planner settings for the statements of one search, each undone at the search's end (``SET LOCAL``).

PostgreSQL's planner misjudges a few shapes of the search statements on the document tables (see each setting for
which and why); these settings correct it for the one transaction a search runs in, and nothing else. They are tuned
to data as it is in production (missions crowded in cities, a few common words), not to one data set, and each can
be dropped on its own when a PostgreSQL release or new statistics (``CREATE STATISTICS``) make it useless. Setting
``SEARCH_PLANNER_HINTS`` to false switches them all off, to compare plans with and without them.
"""

from __future__ import annotations

from django.conf import settings

#: Always. The department facet's ``jsonb_array_elements_text`` is estimated at 100 rows per document, so a facet
#: statement is costed near the default ``jit_above_cost``: a little more data and every search would pay JIT
#: compilation, costing many times the query it compiles.
SESSION_HINTS = ("SET LOCAL jit = off",)
#: A text search without a place: ``random_page_cost`` at the value usual for SSDs and cached data (the index tables
#: are small and hot). At the default (4) the planner reads every document row to test a common word rather than
#: take the GIN index. Not for geographic searches: their row estimates are far too low (places cluster in cities),
#: and with cheap random reads the planner then probes the documents one by one instead of hashing them.
TEXT_HINTS = ("SET LOCAL random_page_cost = 1.1",)
#: A search over every visible document (no text, no place): the facet counts are index-only scans read in group
#: order (``search_mdoc_combined_idx``, ``search_mdoc_departments_idx``), already cheap serially; starting workers
#: and merging their partial groups cost more than they save.
SERIAL_HINTS = ("SET LOCAL max_parallel_workers_per_gather = 0",)
#: A geographic search: documents joined to the places in the radius by hashing, never probed one by one. The
#: planner takes the bounding box's latitude and longitude ranges as independent while places cluster in cities, so
#: it underestimates a city's documents by an order of magnitude and would look each one up by its primary key.
GEO_HINTS = ("SET LOCAL enable_nestloop = off",)


def planner_hints(*, text: bool, near: bool) -> tuple[str, ...]:
    """The statements to run at the start of a search's transaction, for a search with or without text and place."""
    if not getattr(settings, "SEARCH_PLANNER_HINTS", True):
        return ()
    if near:
        return SESSION_HINTS + GEO_HINTS
    if text:
        return SESSION_HINTS + TEXT_HINTS
    return SESSION_HINTS + SERIAL_HINTS
