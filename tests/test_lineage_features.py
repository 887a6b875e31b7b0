"""Relation features read off an alignment: sentences dropped inside the carried span (a rewrite
condenses) against sentences dropped around it (an excerpt is a part of its source)."""

from __future__ import annotations

from wiretrace.data import AlignedPair
from wiretrace.lineage.features import relation_features

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
