"""The typo rule (``search.typos``), the same on every backend: tried only when the words find nothing, then every
folded word among the title's words, a prefix of one from four letters, one edit from one from five letters (the
first letter kept). The table is checked on the database backend and, with ``ELASTICSEARCH_URL``, on a cluster."""

from __future__ import annotations

import pytest
from django.db import connection

from search.typos import TYPO_FROM, trigram_threshold, typo_words
from tests.factories.missions import MissionFactory

from .conftest import pks

#: (title, search, found): one mission with the title, one search.
EXAMPLES = [
    ("Jardinage partagé", "jardinnage", True),  # a letter inserted
    ("Jardinage partagé", "jardnage", True),  # a letter deleted
    ("Jardinage partagé", "jardimage", True),  # a letter replaced
    ("Jardinage partagé", "jradinage", True),  # two adjacent letters swapped
    ("École du soir", "ecloe", True),  # swapped in a five-letter word
    ("Chant choral", "chent", True),  # replaced in a five-letter word
    ("Jardinage partagé", "JARDINNÂGE", True),  # folded first
    ("Jardinage partagé", "jardinnagge", False),  # two edits
    ("Jardinage partagé", "ardinage", False),  # the first letter deleted
    ("Port de plaisance", "sport", False),  # the first letter would change
    ("Atelier cuir", "cuor", False),  # four letters: no typo tolerance
    ("Jardinage à Lyon", "jardinnage lyon", True),  # every word in the title
    ("Jardinage à Lyon", "jardinnage paris", False),
    ("Jardinage solidaire", "jardinnage solid", True),  # a prefix of a title word from four letters
    ("Jardinage au parc", "jardinnage au", True),  # a short word as it is
    ("Jardinage au parc", "jardinnage pa", False),  # a short word is no prefix
    ("L’Été des jardins", "jardinss ete", True),  # "’" separates words
]


@pytest.mark.parametrize(("title", "text", "found"), EXAMPLES, ids=[text for _, text, _ in EXAMPLES])
def test_a_search_whose_words_find_nothing_tolerates_one_typo_per_word_in_the_title(
    reindex, search_missions, title, text, found
):
    mission = MissionFactory(title=title, description_html="<p>Rien à voir.</p>")
    reindex()
    assert pks(search_missions(text)) == ([mission.pk] if found else [])


@pytest.mark.parametrize("text", ["0", "a"])
def test_a_text_without_a_word_to_look_for_finds_nothing_and_counts_nothing(reindex, search_missions, text):
    MissionFactory(title="0 déchet au jardin a Lyon")
    reindex()
    result = search_missions(text)
    assert (pks(result), result.total) == ([], 0)
    assert all(value.count == 0 for values in result.facets.values() for value in values)


def test_a_typo_is_not_tolerated_outside_the_title(reindex, search_missions):
    MissionFactory(title="Atelier du soir", description_html="<p>Jardinage partagé.</p>")
    reindex()
    assert pks(search_missions("jardinnage")) == []


def test_typos_are_not_tolerated_when_the_words_find_something(reindex, search_missions):
    exact = MissionFactory(title="Sport en plein air")
    MissionFactory(title="Sprot en plein air")
    reindex()
    assert pks(search_missions("sport")) == [exact.pk]


def test_a_mission_found_through_a_typo_has_no_highlight(reindex, search_missions):
    MissionFactory(title="Jardinage partagé")
    reindex()
    [hit] = search_missions("jardinnage").hits
    assert hit.highlight == {}


def test_only_a_search_with_a_word_of_five_letters_gets_a_second_try():
    assert typo_words("Jardinnage à Lyon") == ["jardinnage", "lyon"]
    assert typo_words("vélo au parc") == []


def _one_edit_away(word: str) -> set[str]:
    """Every word one edit from ``word`` over its own letters and one other, the first letter kept."""
    letters = sorted(set(word) | {"z"})
    head, rest = word[0], word[1:]
    variants = {rest[:i] + rest[i + 1 :] for i in range(len(rest))}
    variants |= {rest[:i] + c + rest[i + 1 :] for i in range(len(rest)) for c in letters}
    variants |= {rest[:i] + c + rest[i:] for i in range(len(rest) + 1) for c in letters}
    variants |= {rest[:i] + rest[i + 1] + rest[i] + rest[i + 2 :] for i in range(len(rest) - 1)}
    return {head + variant for variant in variants} - {word}


def test_the_trigram_prefilter_keeps_every_title_word_one_edit_away(db):
    pairs = [
        (typed, title_word)
        for title_word in ("ecole", "jardinage", "aaaaab", "chant", "solidarite")
        for typed in _one_edit_away(title_word)
        if len(typed) >= TYPO_FROM and trigram_threshold(typed) is not None
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM unnest(%s::text[], %s::text[], %s::float4[]) AS p(typed, title, threshold) "
            "WHERE word_similarity(p.typed, 'le ' || p.title || ' du soir') < p.threshold",
            [[t for t, _ in pairs], [w for _, w in pairs], [trigram_threshold(t) for t, _ in pairs]],
        )
        assert cursor.fetchone()[0] == 0
