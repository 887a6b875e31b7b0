"""The aligner's hot-loop shortcuts answer exactly as the plain computations: the shared comparison
of a sentence pair, and the match probability written out instead of summed over a zip."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.align.aligner import MATCH_BIAS, MATCH_WEIGHTS, match_probability
from wiretrace.align.edits import PairEdits, compare, compared

PAIRS = [
    ("Mayor Elena Brandt said the decision was painful.", "Mayor Elena Brant said the choice was agonizing."),
    ("About 4,200 passengers used the terminal.", "About 4,200 passengers used the terminal."),
    ("The council voted on Tuesday.", ""),
    ("", ""),
]


def test_shared_comparison_is_one_instance_and_equals_a_fresh_one():
    for a, b in PAIRS:
        shared = compared(a, b)
        assert compared(a, b) is shared
        fresh = compare(a, b)
        assert fresh is not shared and fresh == shared


def test_a_caller_mutating_its_comparison_does_not_touch_the_shared_one():
    a, b = PAIRS[0]
    before = compared(a, b).word_swaps.copy()
    assert before  # the spun sentence has swaps to lose
    mine = compare(a, b)
    mine.word_swaps.clear()
    mine.name_swaps.append(("x", "y"))
    assert compared(a, b).word_swaps == before
    assert ("x", "y") not in compared(a, b).name_swaps
    assert compare(a, b).word_swaps == before


def _probability_by_sum(cosine: float, edits: PairEdits) -> float:
    """The definition as first written: the features summed over a zip with the weights."""
    ratio = min(edits.tokens_a, edits.tokens_b) / max(1, edits.tokens_a, edits.tokens_b)
    features = (cosine, edits.token_similarity, edits.char_similarity, ratio)
    z = MATCH_BIAS + sum(w * x for w, x in zip(MATCH_WEIGHTS, features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


UNIT = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(UNIT, UNIT, UNIT, st.integers(0, 80), st.integers(0, 80))
def test_written_out_match_probability_is_bit_identical(cosine, token_sim, char_sim, n_a, n_b):
    edits = PairEdits(token_similarity=token_sim, char_similarity=char_sim, tokens_a=n_a, tokens_b=n_b)
    assert match_probability(cosine, edits) == _probability_by_sum(cosine, edits)
