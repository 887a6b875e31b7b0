"""`StoryAlignments`: the sentence alignments the lineage stage computed, kept for the facts stage.

One story holds, per version, its alignment to its parent (`to_parent`) and to the story pivot
(`to_pivot`), plus every other alignment lineage needed (`all`). When a parent is an inferred
origin (not in the corpus), its "sentences" are readings taken from the versions themselves:
`origin_sentences[origin_id][k] = (article_id, sentence_index)` is the reading chosen for the
origin's k-th sentence, and `to_parent[child].b == origin_id` with `pair.b == k`.
`vectors` optionally carries the sentence vectors alignment encoded (text -> vector), so the
facts stage compares gap sentences without encoding them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wiretrace.data import AlignedPair, Alignment


def flipped(alignment: Alignment) -> Alignment:
    """The same alignment read from the other side."""
    return Alignment(
        a=alignment.b,
        b=alignment.a,
        pairs=sorted(
            (AlignedPair(a=p.b, b=p.a, similarity=p.similarity, kind=p.kind) for p in alignment.pairs),
            key=lambda p: (p.a, p.b),
        ),
    )


@dataclass(slots=True)
class StoryAlignments:
    story: str
    pivot: str | None = None
    all: dict[tuple[str, str], Alignment] = field(default_factory=dict)
    to_parent: dict[str, Alignment] = field(default_factory=dict)
    origin_sentences: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    def add(self, alignment: Alignment) -> None:
        self.all[(alignment.a, alignment.b)] = alignment

    def between(self, a: str, b: str) -> Alignment | None:
        """The alignment of `a` against `b` if it was computed (in either direction)."""
        if (a, b) in self.all:
            return self.all[(a, b)]
        if (b, a) in self.all:
            return flipped(self.all[(b, a)])
        return None

    def to_pivot(self, article: str) -> Alignment | None:
        return None if self.pivot is None else self.between(article, self.pivot)

    def sentence_pairs(self) -> list[tuple[str, int, str, int, float, str]]:
        """Every aligned sentence pair as (a id, a index, b id, b index, similarity, kind), sorted."""
        rows = [
            (al.a, p.a, al.b, p.b, p.similarity, p.kind)
            for key in sorted(self.all)
            for al in [self.all[key]]
            for p in al.pairs
        ]
        return sorted(rows)
