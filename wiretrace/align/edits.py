"""Token-level comparison of two aligned sentences: how similar, and what kind of edits.

rapidfuzz does the edit scripts (Indel similarity and Levenshtein opcodes over token lists);
what is written here is only the reading of those scripts for lineage: spinning and machine
round trips replace single words in otherwise parallel sentences, while a human rewrite moves
and re-phrases whole phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from wiretrace.align.sentences import normalise, tokens

# A verbatim pair has the same words; its characters may differ only this much
# (typographic quotes, spacing, case and a stray comma do not make an edit; one changed word does).
VERBATIM_CHAR_SIMILARITY = 0.97
# Token similarity (Indel over words) from which a pair is a light edit rather than a paraphrase.
LIGHT_EDIT_TOKEN_SIMILARITY = 0.6
# A capitalised word replaced by another this close in spelling is a mangled name (Doha→Dhaha).
MANGLED_NAME_SIMILARITY = 0.5


@dataclass(slots=True)
class PairEdits:
    """What changed between sentence `a` (the copy) and sentence `b` (its source)."""

    token_similarity: float  # Indel similarity over lower-cased word tokens
    char_similarity: float  # fuzz.ratio over normalised text, 0..1
    tokens_a: int
    tokens_b: int
    word_swaps: list[tuple[str, str]] = field(default_factory=list)  # a word replaced by a word (or phrase)
    name_swaps: list[tuple[str, str]] = field(default_factory=list)  # capitalised word replaced
    # phrase-level restructuring: a block of 2+ words inserted, deleted or moved, a phrase replaced
    # by a phrase, or words added or dropped at the sentence's edge ("Reportedly, ...")
    long_edits: int = 0

    @property
    def swap_rate(self) -> float:
        """Single-word substitutions per token: high in spun text, low in verbatim and rewrites."""
        return len(self.word_swaps) / max(1, min(self.tokens_a, self.tokens_b))


@lru_cache(maxsize=65536)
def _folded_tokens(text: str) -> tuple[str, ...]:
    return tuple(t.casefold() for t in tokens(text))


def token_similarity(a: str, b: str, score_cutoff: float = 0.0) -> float:
    """`compare(a, b).token_similarity` without the edit script: for the many-pairs loops of lineage.

    Identical strings short-cut to 1.0 and each sentence is tokenised once (cached), since a
    story's readings are compared with each other many times. Below `score_cutoff` it returns 0.
    """
    if a == b:
        return 1.0
    return Indel.normalized_similarity(_folded_tokens(a), _folded_tokens(b), score_cutoff=score_cutoff or None)


def compare(a: str, b: str) -> PairEdits:
    """Similarities and the edit pattern turning sentence `b` into sentence `a`.

    Memoised: lineage re-reads the pairs the aligner already compared (relation features,
    origin readings, edit kinds), so one story asks for the same pair several times. The cache
    holds immutable results; each call gets its own `PairEdits`, so a caller may mutate it.
    """
    found = compared(a, b)
    return PairEdits(
        token_similarity=found.token_similarity,
        char_similarity=found.char_similarity,
        tokens_a=found.tokens_a,
        tokens_b=found.tokens_b,
        word_swaps=list(found.word_swaps),
        name_swaps=list(found.name_swaps),
        long_edits=found.long_edits,
    )


@lru_cache(maxsize=65536)
def compared(a: str, b: str) -> PairEdits:
    """`compare(a, b)` as one shared instance per pair: read it, never mutate it.

    For the hot loops of align and lineage, which only read the result: a story asks for the same
    pair hundreds of thousands of times, and building a fresh `PairEdits` each time was most of the
    cost of a cache hit.
    """
    found = _compare(a, b)
    return PairEdits(
        token_similarity=found[0],
        char_similarity=found[1],
        tokens_a=found[2],
        tokens_b=found[3],
        word_swaps=list(found[4]),
        name_swaps=list(found[5]),
        long_edits=found[6],
    )


_Compared = tuple[float, float, int, int, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], int]


def _compare(a: str, b: str) -> _Compared:  # memoised through `compared`, its only caller
    ta, tb = tokens(a), tokens(b)
    if a == b:  # a verbatim reprint: nothing to diff (what the full path below returns, cheaper)
        return (1.0, 1.0, len(ta), len(tb), (), (), 0)
    la, lb = _folded_tokens(a), _folded_tokens(b)
    token_sim = Indel.normalized_similarity(la, lb)
    char_sim = fuzz.ratio(normalise(a), normalise(b)) / 100.0
    if not la or not lb:
        return (token_sim, char_sim, len(ta), len(tb), (), (), 0)
    word_swaps: list[tuple[str, str]] = []
    name_swaps: list[tuple[str, str]] = []
    long_edits = 0
    for op in Levenshtein.opcodes(lb, la):
        if op.tag == "equal":
            continue
        n_b, n_a = op.src_end - op.src_start, op.dest_end - op.dest_start
        at_edge = op.src_start == 0 or op.src_end == len(lb)
        if op.tag == "replace" and ((n_b == n_a and n_b <= 2) or (min(n_a, n_b) == 1 and max(n_a, n_b) <= 3)):
            pairs = (
                [(tb[op.src_start + k], ta[op.dest_start + k]) for k in range(n_b)]
                if n_a == n_b
                else [(" ".join(tb[op.src_start : op.src_end]), " ".join(ta[op.dest_start : op.dest_end]))]
            )
            for k, (old, new) in enumerate(pairs):
                if old.isdigit() or new.isdigit():
                    continue  # numbers are the facts stage's business, not a style signal
                word_swaps.append((old, new))
                first = op.src_start + k == 0 or op.dest_start + k == 0
                if not first and old[:1].isupper() and new[:1].isupper() and old.casefold() != new.casefold():
                    name_swaps.append((old, new))
        elif (op.tag != "replace" and (max(n_a, n_b) >= 2 or at_edge)) or min(n_a, n_b) >= 2:
            long_edits += 1
    return (token_sim, char_sim, len(ta), len(tb), tuple(word_swaps), tuple(name_swaps), long_edits)


def is_mangled_name(old: str, new: str) -> bool:
    """A proper noun misspelt or swapped for a near-homograph (Doha→Dhaha, Uyghur→Ugandan).

    Spelling variants are not mangling: U.S./US, Afghan/Afghans, ISIS/ISIS-K (one contains the other).
    """
    a, b = ("".join(ch for ch in w.casefold() if ch.isalpha()) for w in (old, new))
    if a == b or a.startswith(b) or b.startswith(a) or min(len(a), len(b)) < 4:
        return False
    return fuzz.ratio(a, b) / 100.0 >= MANGLED_NAME_SIMILARITY or a[:1] == b[:1]


def edit_kind(edits: PairEdits, cross_lingual: bool) -> str:
    """The AlignedPair kind: verbatim, light-edit, paraphrase or translation."""
    if cross_lingual:
        return "translation"
    if edits.token_similarity == 1.0 and edits.char_similarity >= VERBATIM_CHAR_SIMILARITY:
        return "verbatim"
    if edits.token_similarity >= LIGHT_EDIT_TOKEN_SIMILARITY:
        return "light-edit"
    return "paraphrase"
