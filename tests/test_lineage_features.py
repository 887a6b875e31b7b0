"""Relation features read off an alignment: sentences dropped inside the carried span (a rewrite
condenses) against sentences dropped around it (an excerpt is a part of its source)."""

from __future__ import annotations

from wiretrace.data import AlignedPair
from wiretrace.lineage.features import containment, lcs_share, relation_features, trigram_containment

PARENT = [f"Sentence number {k} of the wire report says something plain." for k in range(10)]


def _features(kept: list[int]):
    child = [PARENT[j] for j in kept]
    pairs = [AlignedPair(a=i, b=j, similarity=1.0, kind="verbatim") for i, j in enumerate(kept)]
    return relation_features(child, PARENT, pairs, cross_lingual=False)


def test_excerpt_drops_only_around_what_it_keeps():
    assert _features([2, 3, 4, 5]).interior_omissions == 0.0
    assert _features(list(range(10))).interior_omissions == 0.0


def test_condensed_copy_drops_inside_the_span():
    f = _features([0, 2, 3, 6, 9])
    # 1, 4, 5, 7, 8 are dropped between the first and the last sentence carried
    assert f.interior_omissions == 0.5


def test_one_sentence_carried_has_no_interior():
    assert _features([4]).interior_omissions == 0.0
    assert _features([]).interior_omissions == 0.0


# Containment and longest common subsequence of the carried wording (Clough & Stevenson's measures)

SOURCE = [
    "The council approved the new budget for the harbour district on Tuesday evening.",
    "Officials said the money would pay for two ferries and a repaired sea wall.",
    "Residents had asked for the repairs after storms flooded the old market twice.",
    "Work is expected to start in the spring and to last about eighteen months.",
]
# the same sentences with every third word or so replaced: the words mostly stay, the 5-word runs break
REWORDED = [
    "The council passed the new budget for the harbor district on Tuesday night.",
    "Officials stated the funds would pay for two boats and a mended sea wall.",
    "Residents had requested the repairs after storms swamped the old market twice.",
    "Work is planned to begin in the spring and to run about eighteen months.",
]


def _aligned(child: list[str], parent: list[str], mapping: list[tuple[int, int]]):
    pairs = [AlignedPair(a=i, b=j, similarity=0.9, kind="light-edit") for i, j in mapping]
    return relation_features(child, parent, pairs, cross_lingual=False)


def test_a_pasted_copy_keeps_its_long_runs():
    f = _aligned(SOURCE, SOURCE, [(k, k) for k in range(4)])
    assert f.word_containment == f.phrase_containment == f.lcs_share == 1.0


def test_rewording_breaks_long_runs_before_it_loses_words():
    f = _aligned(REWORDED, SOURCE, [(k, k) for k in range(4)])
    assert f.word_containment > 0.6
    assert f.phrase_containment < 0.4 < f.word_containment
    assert f.phrase_containment < f.lcs_share < 1.0


def test_reordering_keeps_the_words_but_not_their_order():
    order = [2, 0, 3, 1]
    f = _aligned([SOURCE[j] for j in order], SOURCE, list(enumerate(order)))
    assert f.word_containment == 1.0
    assert f.lcs_share < 0.75


def test_the_childs_own_sentences_do_not_count_as_rewording():
    own = ["A local columnist thinks the ferries are a waste of everyone's money.", "We will see."]
    f = _aligned([own[0], *SOURCE[1:3], own[1]], SOURCE, [(1, 1), (2, 2)])
    assert f.phrase_containment == f.lcs_share == 1.0
    assert f.child_coverage == 0.5


def test_containment_helpers_on_empty_text():
    assert containment([], SOURCE, 5) == 0.0
    assert containment(["Two words"], SOURCE, 5) == 0.0
    assert lcs_share([], SOURCE) == 0.0
    assert trigram_containment(SOURCE[:1], SOURCE) == 1.0
