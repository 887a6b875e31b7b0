"""The aligner's "same statement" model: its lexical evidence and the decision built on it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.align import compare, is_same_statement
from wiretrace.align.aligner import MATCH_FEATURES, MATCH_WEIGHTS, match_features, match_probability
from wiretrace.align.edits import _IDENTICAL, _evidence

# a small vocabulary so that shared words, shared stems and shared numbers are common
WORDS = ["Police", "said", "says", "report", "reported", "reports", "the", "bridge", "Lagos", "12", "21", "3.5", "on"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(" ".join)


def test_the_model_has_one_weight_per_feature():
    e = compare("The bridge closed on Monday.", "The bridge reopened on Tuesday.")
    assert len(MATCH_WEIGHTS) == len(MATCH_FEATURES) == len(match_features(0.5, e))


@settings(max_examples=80, deadline=None)
@given(sentence)
def test_the_verbatim_shortcut_gives_what_the_full_comparison_gives(text):
    assert _evidence(text, text) == _IDENTICAL
    e = compare(text, text)
    assert (e.numbers_unmatched, e.unmatched_a, e.unmatched_b, e.bigram_overlap, e.trigram_overlap) == _IDENTICAL


@settings(max_examples=80, deadline=None)
@given(sentence, sentence)
def test_evidence_does_not_depend_on_which_sentence_is_the_copy(a, b):
    ab, ba = compare(a, b), compare(b, a)
    assert ab.numbers_unmatched == ba.numbers_unmatched
    assert (ab.unmatched_a, ab.unmatched_b) == (ba.unmatched_b, ba.unmatched_a)
    assert (ab.bigram_overlap, ab.trigram_overlap) == (ba.bigram_overlap, ba.trigram_overlap)
    assert 0.0 <= ab.trigram_overlap <= 1.0 and 0.0 <= ab.bigram_overlap <= 1.0
    features = match_features(0.7, ab)
    assert all(0.0 <= x <= 2.0 for x in features)


def test_numbers_missing_from_either_side_are_counted():
    base = "Police said 12 people were hurt when the bridge fell."
    assert compare(base, base.replace("12", "21")).numbers_unmatched == 2  # changed: each side has its own
    assert compare(base, base.replace("12 ", "")).numbers_unmatched == 1  # dropped: one side has it
    assert compare(base, base.replace("hurt", "injured")).numbers_unmatched == 0


def test_unmatched_words_are_counted_by_stem():
    e = compare("The ministry reported heavy losses.", "The ministry reports heavy losses in March.")
    assert (e.unmatched_a, e.unmatched_b) == (0, 2)  # reported/reports share a stem; "in March" is new


def test_ngram_overlap_reads_order():
    a = "the mayor thanked the police chief"
    shuffled = "chief police the thanked mayor the"
    same_words = compare(a, shuffled)
    assert (same_words.unmatched_a, same_words.unmatched_b) == (0, 0)
    assert same_words.trigram_overlap == 0.0 and compare(a, a).trigram_overlap == 1.0


@pytest.fixture(scope="module")
def use():
    from wiretrace.embed import get_encoder

    return get_encoder("use")


def test_a_drifted_number_still_aligns_but_less_surely(use):
    """The facts stage flags drifted figures in aligned pairs: the match must survive the drift."""
    s = "Police said 12 people were hurt when the old bridge collapsed on Tuesday morning."
    t = s.replace("12", "21")
    v = use.encode([s, t])
    cosine = float(v[0] @ v[1])
    assert is_same_statement(s, t, cosine)
    assert match_probability(cosine, compare(s, t)) < match_probability(cosine, compare(s, s))
