"""JSON columns copied by ``importers.bulk``: repeated lists of strings are serialised once, others as they come."""

from __future__ import annotations

import json

from importers import bulk


def test_a_repeated_list_of_strings_is_serialised_once_per_copy(monkeypatch):
    calls = []
    monkeypatch.setattr(bulk, "_json_text", lambda value: calls.append(value) or json.dumps(value))
    text = bulk._json_texts()
    assert text(["jeunesse", "solidarité"]) == text(["jeunesse", "solidarité"])
    assert len(calls) == 1


def test_a_remembered_list_gives_the_text_the_server_parses_as_the_same_json():
    text = bulk._json_texts()
    text(["jeunesse", "solidarité"])
    assert json.loads(text(["jeunesse", "solidarité"])) == ["jeunesse", "solidarité"]


def test_lists_of_values_that_hash_alike_are_never_confused():
    text = bulk._json_texts()
    assert text([1]) == "[1]"
    assert text([True]) == "[true]"


def test_empty_lists_none_and_nested_values_keep_their_own_text():
    text = bulk._json_texts()
    assert text([]) == "[]"
    assert text(None) is None
    assert json.loads(text([{"a": 1}])) == [{"a": 1}]
