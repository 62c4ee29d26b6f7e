"""The typo rule both backends implement exactly, tried only when a search's words find nothing.

Then every word of the search, folded (:func:`search.folding.fold`), must be one of the title's folded words
(:func:`search.folding.fold_words`), a prefix of one when it has :data:`PREFIX_FROM` letters or more, or one edit away
from one when it has :data:`TYPO_FROM` letters or more: one letter inserted, deleted or replaced, or two adjacent
letters swapped (the Damerau-Levenshtein distance, Lucene's ``fuzzy`` with ``transpositions``), the first letter
never changed. A search without a word of :data:`TYPO_FROM` letters has no second try: short words get no typo
tolerance. "jardinnage" finds "jardinage"; "sport" does not find "port" (its first letter would change); "velo"
does not find "vele".
"""

from __future__ import annotations

from .base import text_words
from .folding import fold

#: Words of this many letters or more also match the title words they begin.
PREFIX_FROM = 4
#: Words of this many letters or more also match the title words one edit away.
TYPO_FROM = 5
#: Letters at the start of a word that an edit never touches (Elasticsearch's ``prefix_length``).
FIXED_LETTERS = 1


def typo_words(text: str) -> list[str]:
    """The folded words of ``text`` the second try looks for; empty when none is long enough to tolerate a typo."""
    words = [folded for word in text_words(text) if (folded := fold(word))]
    return words if any(len(word) >= TYPO_FROM for word in words) else []


def trigram_threshold(word: str) -> float | None:
    """The ``word_similarity`` a title holding a word one edit from ``word`` surely reaches, or None when there is
    none above zero (a word of repeated letters).

    pg_trgm splits ``word`` into the ``u`` distinct trigrams of ``"  word "`` and compares them with a run of the
    title's trigrams: shared ones over all distinct ones of both. An edit changes at most four consecutive trigrams (a
    swap of two letters), so the title word keeps ``u - 4`` of them and brings at most four others: at least
    ``(u - 4) / (u + 4)``.
    """
    padded = f"  {word} "
    distinct = len({padded[i : i + 3] for i in range(len(padded) - 2)})
    kept = distinct - 4
    return kept / (distinct + 4) if kept > 0 else None
