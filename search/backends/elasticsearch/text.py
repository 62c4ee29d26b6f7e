"""The text part of a search, made to answer as the database backend does.

Every word of two letters or more must be found, anywhere in the document: in ``all_text``, the field that title,
organisation (or partner) and description are copied to, so that "accueil jardiniers" finds a mission whose title
has one word and whose organisation the other. Words of four letters or more match as prefixes of the indexed
(stemmed) words, shorter ones exactly; stop words match everything, as PostgreSQL drops them. The fields themselves
are searched too, with their weights (title 3, organisation 2, description 1), for the score only. When that finds
nothing the backend searches again with :func:`fuzzy_query`, the typo rule of :mod:`search.typos` on the title's
folded words (``title_words``), as the database backend does.

Highlights mark the matched words with control characters in the whole title and the whole description; both are
then escaped and the description cut exactly as the database backend does its own (:func:`search.base.highlighted`).
"""

from __future__ import annotations

from elasticsearch.dsl import Q, Search

from ...base import HIGHLIGHT_START, HIGHLIGHT_STOP, text_words
from ...typos import FIXED_LETTERS, PREFIX_FROM, TYPO_FROM, typo_words

#: How many indexed words a prefix may stand for (Elasticsearch's default, 50, would drop matches of a short prefix).
PREFIX_EXPANSIONS = 500
#: The fields searched for the score, and their weights (the database backend's A, B, C).
WEIGHTED_FIELDS = (("title", 3), ("secondary", 2), ("description", 1))
ALL_TEXT = "all_text"
#: The keyword field of the title's folded words (``search.folding.fold_words``), for typos.
TITLE_WORDS = "title_words"
#: How many title words a word with a typo may stand for (Lucene's default, 50, could drop some of a common word's).
TYPO_EXPANSIONS = 500


def _word(word: str, field: str, boost: float | None = None) -> Q:
    options: dict = {"query": word, "zero_terms_query": "all"}
    if boost is not None:
        options["boost"] = boost
    if len(word) >= PREFIX_FROM:
        return Q("match_phrase_prefix", **{field: {**options, "max_expansions": PREFIX_EXPANSIONS}})
    return Q("match", **{field: options})


def text_query(text: str) -> Q | None:
    """Every word in ``all_text`` (scored by the weighted fields); None when no word is long enough to search."""
    words = text_words(text)
    if not words:
        return None
    return Q(
        "bool",
        must=[
            Q(
                "bool",
                should=[_word(word, ALL_TEXT), *(_word(word, field, boost) for field, boost in WEIGHTED_FIELDS)],
                minimum_should_match=1,
            )
            for word in words
        ],
    )


def _title_word(word: str) -> Q:
    """``word`` among the title words, as a prefix and within one typo when long enough (:mod:`search.typos`)."""
    ways = [Q("term", **{TITLE_WORDS: word})]
    if len(word) >= PREFIX_FROM:
        ways.append(Q("prefix", **{TITLE_WORDS: word}))
    if len(word) >= TYPO_FROM:
        typo = {
            "value": word,
            "fuzziness": 1,
            "prefix_length": FIXED_LETTERS,
            "transpositions": True,
            "max_expansions": TYPO_EXPANSIONS,
        }
        ways.append(Q("fuzzy", **{TITLE_WORDS: typo}))
    return Q("bool", should=ways, minimum_should_match=1)


def fuzzy_query(text: str) -> Q | None:
    """The second try when :func:`text_query` finds nothing: every word in the title words by the typo rule; None
    when no word is long enough to tolerate a typo (no second try)."""
    words = typo_words(text)
    return Q("bool", must=[_title_word(word) for word in words]) if words else None


def with_highlights(search: Search) -> Search:
    """The whole title and the whole description highlighted; the description is cut once escaped."""
    return (
        search.highlight_options(pre_tags=[HIGHLIGHT_START], post_tags=[HIGHLIGHT_STOP])
        .highlight("title", number_of_fragments=0)
        .highlight("description", number_of_fragments=0)
    )
