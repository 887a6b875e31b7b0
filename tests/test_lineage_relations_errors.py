"""The reading of a derivation's change that the relation benchmarks score apart (bench.lineage.relation_errors)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
relation_errors = pytest.importorskip("bench.lineage.relation_errors")
SLIGHT_WORDS, is_slight_rewrite = relation_errors.SLIGHT_WORDS, relation_errors.is_slight_rewrite
reading, word_change = relation_errors.reading, relation_errors.word_change

PARENT = [
    "The council approved the budget on Monday after a long debate.",
    "Its chair said the vote was close.",
    "Opponents plan to appeal the decision next week.",
    "The new budget takes effect in March.",
]


def test_a_copy_changes_no_word():
    change = word_change(PARENT, PARENT)
    assert change == {"words_changed": 0, "sentences_changed": 0, "child_sentences": 4, "share_changed": 0.0}


def test_dropping_words_or_sentences_is_not_rewording():
    child = [PARENT[0].replace(" on Monday", ""), PARENT[2]]
    change = word_change(child, PARENT)
    assert change["words_changed"] == 0
    assert change["sentences_changed"] == 1
    assert reading(change, noop=False) == "slight"


def test_a_prefix_on_one_sentence_leaves_most_kept():
    child = ["Reportedly, " + PARENT[0][0].lower() + PARENT[0][1:], *PARENT[1:]]
    change = word_change(child, PARENT)
    assert change["words_changed"] == 1
    assert reading(change, noop=False) == "slight"
    longer = ["According to several reports, " + PARENT[0][0].lower() + PARENT[0][1:], *PARENT[1:]]
    assert reading(word_change(longer, PARENT), noop=False) == "mostly-kept"


def test_moved_clauses_and_synonyms_throughout_read_as_reworded():
    child = [
        "After a lengthy debate on Monday, the budget was passed by the council.",
        "The vote was tight, according to its chair.",
        "Next week opponents intend to challenge the ruling.",
        "In March the new budget comes into force.",
    ]
    change = word_change(child, PARENT)
    assert change["words_changed"] >= SLIGHT_WORDS
    assert change["sentences_changed"] == 4
    assert reading(change, noop=False) == "reworded"


def test_the_generators_noop_flag_wins_and_only_rewrites_are_set_apart():
    change = word_change(PARENT, PARENT)
    assert reading(change, noop=True) == "noop"
    assert is_slight_rewrite("rewrite", "slight") and is_slight_rewrite("machine-rewrite", "slight")
    assert not is_slight_rewrite("light-edit", "slight")
    assert not is_slight_rewrite("excerpt", "slight")
    assert not is_slight_rewrite("rewrite", "mostly-kept")
