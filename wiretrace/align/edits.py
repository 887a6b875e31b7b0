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
    # every short replacement in the word alignment, a word (or phrase) for a word: what spin detection
    # and reading inheritance read (fitted on), though in a restructured sentence it pairs moved words
    word_swaps: list[tuple[str, str]] = field(default_factory=list)
    # the word_swaps a person can trust, what the evidence shows: a run of changed words between kept
    # ones (or at the sentence's end), words for as many or one for a short phrase, none of them found
    # elsewhere in the other sentence (bench.lineage.swaps)
    substitutions: list[tuple[str, str]] = field(default_factory=list)
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
        substitutions=list(found.substitutions),
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
        substitutions=list(found[7]),
    )


_Swaps = tuple[tuple[str, str], ...]
_Compared = tuple[float, float, int, int, _Swaps, _Swaps, int, _Swaps]


def _compare(a: str, b: str) -> _Compared:  # memoised through `compared`, its only caller
    ta, tb = tokens(a), tokens(b)
    if a == b:  # a verbatim reprint: nothing to diff (what the full path below returns, cheaper)
        return (1.0, 1.0, len(ta), len(tb), (), (), 0, ())
    la, lb = _folded_tokens(a), _folded_tokens(b)
    token_sim = Indel.normalized_similarity(la, lb)
    char_sim = fuzz.ratio(normalise(a), normalise(b)) / 100.0
    if not la or not lb:
        return (token_sim, char_sim, len(ta), len(tb), (), (), 0, ())
    opcodes = Levenshtein.opcodes(lb, la)
    word_swaps: list[tuple[str, str]] = []
    name_swaps: list[tuple[str, str]] = []
    long_edits = 0
    for op in opcodes:
        if op.tag == "equal":
            continue
        n_b, n_a = op.src_end - op.src_start, op.dest_end - op.dest_start
        at_edge = op.src_start == 0 or op.src_end == len(lb)
        if op.tag == "replace" and _swap_shaped(n_b, n_a):
            for old, new, first in _run_pairs(tb, ta, op.src_start, op.src_end, op.dest_start, op.dest_end):
                word_swaps.append((old, new))
                if not first and old[:1].isupper() and new[:1].isupper() and old.casefold() != new.casefold():
                    name_swaps.append((old, new))
        elif (op.tag != "replace" and (max(n_a, n_b) >= 2 or at_edge)) or min(n_a, n_b) >= 2:
            long_edits += 1
    substitutions = [
        (old, new)
        for b0, b1, a0, a1 in changed_runs(opcodes)
        if _is_substitution(lb, la, b0, b1, a0, a1)
        for old, new, _ in _run_pairs(tb, ta, b0, b1, a0, a1)
    ]
    return (
        token_sim, char_sim, len(ta), len(tb), tuple(word_swaps), tuple(name_swaps), long_edits, tuple(substitutions)
    )


def _swap_shaped(n_old: int, n_new: int) -> bool:
    """One or two words for as many, or one word for a phrase of up to three (police→law enforcement)."""
    return (n_old == n_new and 0 < n_old <= 2) or (min(n_old, n_new) == 1 and max(n_old, n_new) <= 3)


def _run_pairs(
    tb: list[str], ta: list[str], b0: int, b1: int, a0: int, a1: int
) -> list[tuple[str, str, bool]]:
    """(old, new, at the sentence's first word) of a replaced run: word by word when as long, else one
    phrase pair. Numbers are left out: they are the facts stage's business, not a style signal."""
    if b1 - b0 == a1 - a0:
        pairs = [(tb[b0 + k], ta[a0 + k], b0 + k == 0 or a0 + k == 0) for k in range(b1 - b0)]
    else:
        pairs = [(" ".join(tb[b0:b1]), " ".join(ta[a0:a1]), b0 == 0 or a0 == 0)]
    return [(old, new, first) for old, new, first in pairs if not (old.isdigit() or new.isdigit())]


def _is_substitution(old: tuple[str, ...], new: tuple[str, ...], b0: int, b1: int, a0: int, a1: int) -> bool:
    """A changed run a reader would call a substitution (see `PairEdits.substitutions`).

    Words added at the sentence's start ("WASHINGTON (AP) —", "Reportedly,") are not one, even
    when the alignment pairs them with the first word they displace."""
    n_old, n_new = b1 - b0, a1 - a0
    if not _swap_shaped(n_old, n_new) or _moved(old, new, b0, b1, a0, a1):
        return False
    return n_old == n_new or (b0 > 0 and a0 > 0)


def changed_runs(opcodes) -> list[tuple[int, int, int, int]]:
    """The runs of changed words between two kept ones: (old start, old end, new start, new end),
    adjacent non-equal edit operations read as one.

    Levenshtein may write "said"→"told reporters" as an insertion beside a replacement
    (said→reporters); read together, the run is the substitution the editor made."""
    blocks: list[list[int]] = []
    for op in opcodes:
        if op.tag == "equal":
            continue
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            blocks[-1][1], blocks[-1][3] = op.src_end, op.dest_end
        else:
            blocks.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return [(b0, b1, a0, a1) for b0, b1, a0, a1 in blocks]


def _moved(old: tuple[str, ...], new: tuple[str, ...], b0: int, b1: int, a0: int, a1: int) -> bool:
    """A run whose words stand elsewhere in the other sentence was moved, not substituted.

    In a restructured sentence ("X, Y" rewritten "Y, X") the word-level alignment pairs whatever
    words meet at the seams; such a pair has its old word still in the new sentence (or its new
    word already in the old one), where a spinner's synonym replaces a word outright."""
    taken, given = set(old[b0:b1]), set(new[a0:a1])
    return bool(taken & set(new[:a0] + new[a1:])) or bool(given & set(old[:b0] + old[b1:]))


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
