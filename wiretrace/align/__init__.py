"""Align stage: sentence alignment of two versions of a story (any language pair, any order).

`align(a, b)` returns an `Alignment`; `EmbeddingCache` encodes each sentence of a story once;
`StoryAlignments` keeps what the lineage stage aligned, for the facts stage.
"""

from wiretrace.align.aligner import EmbeddingCache, Units, align, align_units, is_same_statement
from wiretrace.align.edits import PairEdits, compare
from wiretrace.align.story import StoryAlignments

__all__ = [
    "EmbeddingCache",
    "PairEdits",
    "StoryAlignments",
    "Units",
    "align",
    "align_units",
    "compare",
    "is_same_statement",
]
