"""Sparing the name tagger: sentences with nothing to read a name from, and readings that differ by a number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.facts import names as names_module
from wiretrace.facts.names import (
    english_pipeline,
    grouped_ner_names,
    may_hold_name,
    name_key,
    name_like_words,
    ner_names,
)
from wiretrace.facts.record import Fact

NAME_FREE = [
    "the bridge was closed after heavy rain overnight.",
    "It was not clear how long the repairs would take.",
    "But the water kept rising through the afternoon, officials said.",
    "They had waited for hours before help arrived.",
    "In the end, 46 people were moved to higher ground.",
]
WITH_NAMES = [
    "Officials in Marlowbridge said the bridge was closed.",  # a capital past the opener
    "Okonkwo said the bridge was closed.",  # an opener that is no function word
    "May said the deal was done.",  # a function word in a speaker's slot
    "Kabul was quiet on the morning after the attack.",  # a place opens the sentence
    "the polish delegation left early.",  # a gazetteer name written in lower case
    "the talks ended when the eU envoy left.",  # a capital inside a word
    "警方表示，这座桥已经关闭。",  # caseless: capitals tell nothing
]


@pytest.mark.parametrize("sentence", NAME_FREE)
def test_name_free_sentences_are_not_tagged(sentence):
    assert not may_hold_name(sentence)


@pytest.mark.parametrize("sentence", WITH_NAMES)
def test_sentences_that_may_name_someone_are_tagged(sentence):
    assert may_hold_name(sentence)


def test_the_tagger_reports_no_name_in_the_skipped_sentences():
    if english_pipeline() is None:
        pytest.skip("spaCy's English pipeline is not installed")
    assert ner_names(NAME_FREE) == [[] for _ in NAME_FREE]


def test_the_tagger_does_report_names_the_rule_keeps():
    if english_pipeline() is None:
        pytest.skip("spaCy's English pipeline is not installed")
    found = ner_names(["Okonkwo said the bridge in Marlowbridge was closed."])[0]
    assert {f.surface for f in found} >= {"Okonkwo"}


_LOWER_WORDS = st.lists(st.from_regex(r"[a-z]{2,9}", fullmatch=True), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    words=_LOWER_WORDS,
    cut=st.integers(min_value=0, max_value=11),
    name=st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True),
)
def test_a_capitalised_word_past_the_opener_is_always_tagged(words, cut, name):
    words = ["the", *words]
    words.insert(1 + cut % len(words), name)
    assert may_hold_name(" ".join(words) + ".")


def _recording(calls: list[list[str]]):
    def fake(sentences: list[str]) -> list[list[Fact]]:
        calls.append(list(sentences))
        return [[] for _ in sentences]

    return fake


def test_grouped_tagging_skips_sentences_without_names(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(names_module, "ner_names", _recording(calls))
    plain = "It was not clear how long the repairs would take."
    named = "Okonkwo said the repairs would take a week."
    found = grouped_ner_names([[plain], [named]])
    assert [s for call in calls for s in call] == [named]
    assert found[plain] == []


def test_readings_differing_only_in_a_number_share_one_tagging(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(names_module, "ner_names", _recording(calls))
    a = "Police in Marlowbridge said 46 people were moved."
    b = "Police in Marlowbridge said 47 people were moved."
    assert name_like_words(a) == name_like_words(b)
    found = grouped_ner_names([[a, a, b]])
    assert [s for call in calls for s in call] == [a]
    assert set(found) == {a, b}


def test_a_name_holding_a_changed_number_is_tagged_again(monkeypatch):
    def fake(sentences: list[str]) -> list[list[Fact]]:
        out = []
        for s in sentences:
            start = s.index("Apollo")
            end = s.index(" ", start + len("Apollo "))
            out.append([Fact("organisation", s[start:end].casefold(), s[start:end], (start, end))])
        return out

    calls: list[list[str]] = []
    recording = _recording(calls)
    monkeypatch.setattr(names_module, "ner_names", lambda ss: (recording(ss), fake(ss))[1])
    a = "The crew of Apollo 11 landed safely."
    b = "The crew of Apollo 13 landed safely."
    found = grouped_ner_names([[a, a, b]])
    assert sorted(s for call in calls for s in call) == [a, b]
    assert [f.surface for f in found[b]] == ["Apollo 13"]


def test_readings_differing_only_in_a_plain_opener_share_one_tagging(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(names_module, "ner_names", _recording(calls))
    a = "But officials in Marlowbridge kept the bridge closed."
    b = "Yet officials in Marlowbridge kept the bridge closed."
    assert name_key(a) == name_key(b) == ("Marlowbridge",)
    grouped_ner_names([[a, a, b]])
    assert [s for call in calls for s in call] == [a]


def test_a_name_opening_the_sentence_keeps_its_own_tagging(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(names_module, "ner_names", _recording(calls))
    a = "Officials in Marlowbridge kept the bridge closed."
    b = "Okonkwo in Marlowbridge kept the bridge closed."
    c = "May said the bridge in Marlowbridge stays closed."
    assert name_key(a) != name_key(b)
    assert "May" in name_key(c)
    grouped_ner_names([[a, a, b]])
    assert sorted(s for call in calls for s in call) == [a, b]
