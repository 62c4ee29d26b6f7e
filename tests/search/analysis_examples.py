"""What each backend's French analysis makes of a text: the tokens a document is indexed under, in order.

One row per behaviour (elisions, accents, stop words, plurals, one-letter words); ``database`` is PostgreSQL's
``french_unaccent`` configuration (unaccent, then the Snowball French stemmer and its stop words), ``elasticsearch``
the ``french_folded`` analyzer (elision, lower case, Lucene's French stop words, light French stemmer, ASCII
folding, no one-letter tokens). Where the two columns differ, the row says why: those are the remaining differences
of the analysis, and ``test_analysis.py`` checks both columns (Elasticsearch's through ``_analyze`` when
``ELASTICSEARCH_URL`` is set).
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Example:
    text: str
    database: tuple[str, ...]
    elasticsearch: tuple[str, ...]
    why: str = ""  # why the backends differ, when they do


EXAMPLES = (
    Example("L'école", ("ecol",), ("ecol",)),
    Example("Bénévoles", ("benevol",), ("benevol",)),
    Example("chevaux", ("cheval",), ("cheval",)),
    Example("Événements", ("even",), ("even",)),
    Example("Œuvre", ("oeuvr",), ("oeuvr",)),
    Example("Activités d'été", ("activit", "ete"), ("activit", "ete")),
    Example(
        "L’association",
        ("associ",),
        ("asoci",),
        "Lucene's light stemmer removes doubled letters; Snowball keeps them",
    ),
    Example(
        "à Paris",
        ("a", "paris"),
        ("pari",),
        'PostgreSQL folds before its stop list, so "à" becomes "a" and is kept (never searched: one letter); '
        'the light stemmer drops the final s of "Paris" as a plural',
    ),
    Example(
        "les jardiniers",
        ("le", "jardini"),
        ("jardini",),
        "\"les\" is not in PostgreSQL's (Snowball's) stop list, it is in Lucene's",
    ),
    Example(
        "Aide aux devoirs",
        ("aid", "devoir"),
        ("aide", "devoi"),
        "different stemmers: Snowball French and Lucene's light French",
    ),
    Example(
        "jusqu'à demain",
        ("jusqu", "a", "demain"),
        ("demain",),
        "the elision filter knows \"jusqu'\"; PostgreSQL's parser splits at the apostrophe and keeps both parts",
    ),
)

#: Rows whose columns differ: each must say why.
DIFFERING = tuple(example for example in EXAMPLES if example.database != example.elasticsearch)
