"""Document-level features of one version against its (real or inferred) parent.

Everything a person can check: how many sentences align, in what order, how close the aligned
wording is, what the word-level edits look like, and how much of the wording the child carries
occurs in the parent as words, as long runs and in order (the n-gram containment and longest
common subsequence Clough & Stevenson (2011) grade cut / light / heavy revisions with; counted
over whole word sequences, so they hold when a copy splits or merges sentences). No language
model: spinning and machine round trips show as single-word swaps in otherwise parallel
sentences, kept in order, and as proper nouns changed by a small edit (see wiretrace/align/edits.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from rapidfuzz.distance import LCSseq

from wiretrace.align.edits import PairEdits, compared, is_mangled_name
from wiretrace.align.sentences import lower_tokens
from wiretrace.data import AlignedPair
from wiretrace.ingest.metadata import dateline_end

# A dateline opens one of a version's first sentences (a headline may come first).
DATELINE_SENTENCES = 3


@dataclass(slots=True)
class RelationFeatures:
    child_sentences: int
    parent_sentences: int
    aligned_child: int  # child sentences aligned to the parent
    aligned_parent: int  # parent sentences the child carries
    cross_lingual: bool
    token_similarity: float = 0.0  # mean over aligned child sentences
    verbatim_share: float = 0.0  # aligned pairs that are verbatim copies
    order: float = 1.0  # longest in-order run of aligned pairs / aligned pairs
    parallel_share: float = 0.0  # edited pairs whose edits are only short swaps (no phrase rewriting)
    restructured_share: float = 0.0  # aligned pairs with phrase-level restructuring
    long_edit_rate: float = 0.0  # phrase-level edits per aligned pair (a rewrite has several)
    edited_share: float = 0.0  # aligned pairs that are not verbatim
    swap_rate: float = 0.0  # single-word swaps per aligned token
    copied_share: float = 0.0  # child word trigrams found in the parent (Clough & Stevenson's containment)
    # how the carried part (the child's aligned sentences) was reworded, whatever the child adds:
    word_containment: float = 0.0  # its words found in the parent: the vocabulary kept
    phrase_containment: float = 0.0  # its word 5-grams found in the parent: long runs pasted
    lcs_share: float = 0.0  # longest common word subsequence with the parent / its words: wording kept in order
    same_words: bool = False  # the carried part's words are the parent's words, all and in order (datelines aside)
    odd_names: list[tuple[str, str]] = field(default_factory=list)  # mangled proper nouns (parent→child)
    word_swaps: list[tuple[str, str]] = field(default_factory=list)  # what swap_rate counts (PairEdits)
    substitutions: list[tuple[str, str]] = field(default_factory=list)  # the trusted ones the evidence shows
    inferred_parent: bool = False  # the parent is a reconstruction from the other versions
    additions: list[int] = field(default_factory=list)
    omissions: list[int] = field(default_factory=list)

    @property
    def contiguous_block(self) -> bool:
        """The aligned sentences form one run in the child, with its own sentences around it."""
        aligned = sorted(set(range(self.child_sentences)) - set(self.additions))
        if len(aligned) < 2:
            return False
        span = aligned[-1] - aligned[0] + 1
        return span <= len(aligned) + max(1, len(aligned) // 5) and span < self.child_sentences

    @property
    def interior_omissions(self) -> float:
        """Share of the parent's sentences dropped *inside* the span the child carries.

        An excerpt is a part of its source: it drops the sentences around what it keeps, not
        between them. A rewrite condenses, dropping sentences here and there; a light edit keeps
        (almost) all.
        """
        omitted = set(self.omissions)
        carried = [j for j in range(self.parent_sentences) if j not in omitted]
        if len(carried) < 2:
            return 0.0
        inside = sum(1 for j in omitted if carried[0] < j < carried[-1])
        return inside / max(1, self.parent_sentences)

    @property
    def distinct_odd_names(self) -> int:
        """Different names mangled: one name respelled everywhere it occurs is one change (a copy
        desk's correction or a planted typo), several different names mangled is spinning. Its
        possessive and either apostrophe are the same name (Trump→Trmup with Trump’s→Trmup’s)."""
        return len({(name_key(old), name_key(new)) for old, new in self.odd_names})

    @property
    def child_coverage(self) -> float:
        return self.aligned_child / max(1, self.child_sentences)

    @property
    def parent_coverage(self) -> float:
        return self.aligned_parent / max(1, self.parent_sentences)


# a possessive ending, straight or curly apostrophe ("Italy's", "Italy’s", "Reuters'")
_POSSESSIVE = re.compile(r"['’]s?$")


def name_key(word: str) -> str:
    """A name as one name whatever its case or possessive ending: Italy, Italy's, ITALY’S."""
    return _POSSESSIVE.sub("", word.casefold())


def trigram_containment(child: list[str], parent: list[str]) -> float:
    """Share of the child's word trigrams that occur in the parent: the classic copy measure."""
    return containment(child, parent, 3)


def containment(child: list[str], parent: list[str], n: int) -> float:
    """Share of the child's word n-grams that occur in the parent (Broder's containment).

    Short n-grams survive rewording that keeps the vocabulary; 5-grams survive only pasted runs,
    so containment at n = 1 and n = 5 tells a copy, a light and a heavy revision apart.
    """
    mine = _ngrams(tuple(child), n)
    return len(mine & _ngrams(tuple(parent), n)) / len(mine) if mine else 0.0


def lcs_share(child: list[str], parent: list[str]) -> float:
    """Longest common word subsequence over the child's words: how much wording survives *in order*
    (rapidfuzz's bit-parallel LCS over the word sequences)."""
    mine = _words(tuple(child))
    return LCSseq.similarity(mine, _words(tuple(parent))) / len(mine) if mine else 0.0


def _pair_containment(child: tuple[str, ...], parent: tuple[str, ...], n: int) -> float:
    """`containment(child, parent, n)` for whole versions, sharing the n-grams in common between the
    two directions: lineage weighs every candidate pair both ways, and the intersection is symmetric."""
    mine = _ngrams(child, n)
    if not mine:
        return 0.0
    first, second = (child, parent) if child <= parent else (parent, child)
    return _common_ngrams(first, second, n) / len(mine)


@lru_cache(maxsize=4096)
def _common_ngrams(first: tuple[str, ...], second: tuple[str, ...], n: int) -> int:
    return len(_ngrams(first, n) & _ngrams(second, n))


@lru_cache(maxsize=4096)
def _words(sentences: tuple[str, ...]) -> tuple[str, ...]:
    """Lower-cased words of a version (cached: each version is compared with several others)."""
    return tuple(chain.from_iterable(map(_sentence_words, sentences)))


@lru_cache(maxsize=65536)
def _sentence_words(sentence: str) -> tuple[str, ...]:
    # a sentence recurs in many versions and pairs: lower-case its tokens once
    return tuple(lower_tokens(sentence))


@lru_cache(maxsize=4096)
def _ngrams(sentences: tuple[str, ...], n: int) -> frozenset[tuple[str, ...]]:
    words = _words(sentences)
    # zip of n shifted views: the same tuples as words[i : i + n], built in C
    if n < 1:  # degenerate sizes keep the slicing definition
        return frozenset(words[i : i + n] for i in range(len(words) - n + 1))
    return frozenset(zip(*(words[k:] for k in range(n))))


def in_order_length(pairs: list[AlignedPair]) -> int:
    """Length of the longest strictly increasing run of parent indexes, read in child order."""
    tails: list[int] = []
    for p in sorted(pairs, key=lambda p: (p.a, p.b)):
        k = bisect_left(tails, p.b)
        if k == len(tails):
            tails.append(p.b)
        else:
            tails[k] = p.b
    return len(tails)


def without_datelines(texts: list[str]) -> list[str]:
    """`texts` with the dateline that opens one of the first sentences cut ("PARIS (AP) — ").

    A dateline is house style like a byline: a copy keeps, drops or adds its source's filing place as
    it pleases, so a sentence that differs only there is carried word for word, not edited.
    """
    head = [t[dateline_end(t) :] or t for t in texts[:DATELINE_SENTENCES]]
    return head + texts[DATELINE_SENTENCES:] if head != texts[:DATELINE_SENTENCES] else texts


def relation_features(
    child: list[str], parent: list[str], pairs: list[AlignedPair], cross_lingual: bool
) -> RelationFeatures:
    """Features of `child` (sentence texts) against `parent`, given their aligned pairs."""
    f = RelationFeatures(
        child_sentences=len(child),
        parent_sentences=len(parent),
        aligned_child=len({p.a for p in pairs}),
        aligned_parent=len({p.b for p in pairs}),
        cross_lingual=cross_lingual,
    )
    f.additions = sorted(set(range(len(child))) - {p.a for p in pairs})
    f.omissions = sorted(set(range(len(parent))) - {p.b for p in pairs})
    if not pairs:
        return f
    if not cross_lingual:
        f.copied_share = _pair_containment(tuple(child), tuple(parent), 3)  # = trigram_containment
        # measured on what the child carries, so its own sentences (commentary, a rewrite's
        # additions) show in the coverage, not as rewording
        carried_at = sorted({p.a for p in pairs})
        carried = [child[i] for i in carried_at]
        f.word_containment = containment(carried, parent, 1)
        f.phrase_containment = containment(carried, parent, 5)
        f.lcs_share = lcs_share(carried, parent)
        # sentence splits (two sentences joined) and datelines may differ where the words do not
        plain_child = without_datelines(child)
        f.same_words = _words(tuple(plain_child[i] for i in carried_at)) == _words(tuple(without_datelines(parent)))
    f.order = in_order_length(pairs) / len(pairs)
    best: dict[int, tuple[float, PairEdits]] = {}
    for p in pairs:
        e = compared(child[p.a], parent[p.b])
        if p.a not in best or e.token_similarity > best[p.a][0]:
            best[p.a] = (e.token_similarity, e)
    edits = [best[i][1] for i in sorted(best)]
    f.token_similarity = sum(e.token_similarity for e in edits) / len(edits)
    f.verbatim_share = sum(p.kind == "verbatim" for p in pairs) / len(pairs)
    edited = [e for e in edits if e.char_similarity < 0.97]
    f.restructured_share = sum(e.long_edits > 0 for e in edits) / len(edits)
    f.long_edit_rate = sum(e.long_edits for e in edits) / len(edits)
    f.edited_share = len(edited) / len(edits)
    if edited:
        f.parallel_share = sum(
            e.long_edits == 0 and min(e.tokens_a, e.tokens_b) >= 0.75 * max(e.tokens_a, e.tokens_b)
            for e in edited
        ) / len(edited)
    if not cross_lingual:
        tokens = sum(min(e.tokens_a, e.tokens_b) for e in edits)
        f.word_swaps = [s for e in edits for s in e.word_swaps]
        f.substitutions = [s for e in edits for s in e.substitutions]
        f.swap_rate = len(f.word_swaps) / max(1, tokens)
        f.odd_names = [s for e in edits for s in e.name_swaps if is_mangled_name(*s)]
    return f
