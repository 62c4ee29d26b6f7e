"""Text folding, the one rule both search paths compare text on: lower case, the ligatures of :data:`LIGATURES`
spelled out, canonical decomposition (NFKD), then every character left outside ASCII dropped (accents among them).

Python folds the values it builds (records, query words) with :func:`fold`; SQL folds the columns it reads with the
database function :data:`FUNCTION` (migration ``0010_fold_function``), whose body :func:`function_body` derives from
the same steps. ``tests/search/test_folding.py`` checks that the database's function is that body and that both give
the same result on a table of examples; changing the rule here fails it until a migration replaces the function.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters NFKD does not decompose but French spells out: folded to their letters rather than dropped.
LIGATURES: tuple[tuple[str, str], ...] = (("œ", "oe"), ("æ", "ae"))
#: The database function that folds a text (``IMMUTABLE``: PostgreSQL inlines it and may index it).
FUNCTION = "search_fold"
#: A word of a text: letters and digits (``search.base.text_words`` splits search texts alike).
WORD = re.compile(r"[^\W_]+")


def fold(text: str | None) -> str:
    """Lower case without accents: what both backends compare text on."""
    text = (text or "").lower()
    if text.isascii():
        return text
    for ligature, letters in LIGATURES:
        text = text.replace(ligature, letters)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def fold_sql(expression: str) -> str:
    """:func:`fold` of a SQL ``expression``, by the database function (UTF-8 databases whose ``lower()`` knows
    accented letters: the database backend checks that before using it)."""
    return f"{FUNCTION}({expression})"


def function_body() -> str:
    """The SQL of :func:`fold` applied to the function's argument ``$1`` (NULL folds to the empty string)."""
    lowered = "lower(coalesce($1, ''))"
    for ligature, letters in LIGATURES:
        lowered = f"replace({lowered}, '{ligature}', '{letters}')"
    return rf"SELECT regexp_replace(normalize({lowered}, NFKD), '[^\x01-\x7f]+', '', 'g')"


def fold_words(text: str | None) -> str:
    """The folded words of ``text``, one space apart: the title words typos are compared with (``search.typos``).
    Folded word by word, so that a dropped character ("’" of "l’été") never joins two words."""
    return " ".join(folded for word in WORD.findall(text or "") if (folded := fold(word)))


def fold_words_sql(expression: str) -> str:
    """:func:`fold_words` of a SQL ``expression`` (``[[:alnum:]]`` is Python's ``[^\\W_]`` on a UTF-8 database)."""
    words = f"regexp_matches(coalesce({expression}, ''), '[[:alnum:]]+', 'g') WITH ORDINALITY AS w(m, n)"
    folded = f"SELECT {FUNCTION}(w.m[1]) AS word, w.n FROM {words}"  # noqa: S608 - a column, no input
    return f"array_to_string(ARRAY(SELECT f.word FROM ({folded}) f WHERE f.word <> '' ORDER BY f.n), ' ')"  # noqa: S608
