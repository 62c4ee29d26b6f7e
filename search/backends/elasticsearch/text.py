"""The text part of a search, made to answer as the database backend does.

Every word of two letters or more must be found, anywhere in the document: in ``all_text``, the field that title,
organisation (or partner) and description are copied to, so that "accueil jardiniers" finds a mission whose title
has one word and whose organisation the other. Words of four letters or more match as prefixes of the indexed
(stemmed) words, shorter ones exactly; stop words match everything, as PostgreSQL drops them. The fields themselves
are searched too, with their weights (title 3, organisation 2, description 1), for the score only. When that finds
nothing the backend searches again with :func:`fuzzy_query`: typos are tolerated only when nothing matches, as the
database backend falls back to trigram similarity on the title.

Highlights mark the matched words with control characters and are escaped here, exactly as the database backend
escapes its own (:func:`search.base.marked`): the whole title, and one fragment of the description.
"""

from __future__ import annotations

from elasticsearch.dsl import Q, Search

from ...base import HIGHLIGHT_START, HIGHLIGHT_STOP, text_words

#: Words of this many letters or more match as prefixes (``search.backends.database.compiling``: ``w:*``).
PREFIX_FROM = 4
#: How many indexed words a prefix may stand for (Elasticsearch's default, 50, would drop matches of a short prefix).
PREFIX_EXPANSIONS = 500
#: The fields searched for the score, and their weights (the database backend's A, B, C).
WEIGHTED_FIELDS = (("title", 3), ("secondary", 2), ("description", 1))
ALL_TEXT = "all_text"
#: The description's fragment: about the database backend's 12 to 30 words.
FRAGMENT_CHARACTERS = 160


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


def fuzzy_query(text: str) -> Q:
    """Typo tolerance, tried only when :func:`text_query` finds nothing: every word close to a word of the title."""
    return Q("match", title={"query": text, "fuzziness": "AUTO", "operator": "and"})


def with_highlights(search: Search) -> Search:
    return (
        search.highlight_options(pre_tags=[HIGHLIGHT_START], post_tags=[HIGHLIGHT_STOP])
        .highlight("title", number_of_fragments=0)
        .highlight("description", number_of_fragments=1, fragment_size=FRAGMENT_CHARACTERS)
    )
