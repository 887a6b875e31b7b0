"""A copy's innovations beyond single-word swaps: words inserted or cut inside a sentence it kept,
and sentences it put in another order. Copies inherit them like swaps.

Textual critics group witnesses by shared innovations ("agreement in error"): a word inserted
("not", "Sources say that ..."), a phrase cut, two paragraphs transposed. The word
swaps of `readings.word_swaps` see only one word replaced by one; an editor who inserts a negation,
prefixes a sentence or moves a paragraph changes nothing a swap records, so a copy of that editor's
text looked like a copy of the origin and hung on its grandparent. The records here are what
`parents.closest_ancestor` reads as inherited lines (like a source's added sentences), weighed by
how many of the family's other versions make the same innovation (`parents.FamilyRates`).

Each record names the source sentence it stands at and the words themselves, so the same
innovation found in two versions is the same record:
  ("edit", j, anchor, old words, new words): source sentence j, after source word `anchor` (""
  at the sentence start), `old words` cut or `new words` inserted (the other is empty);
  ("order", j, k): source sentence j placed after source sentence k, though k follows j in the
  source (a pair of sentences a transposition crossed).
rapidfuzz does the edit script; what is written here is only which edits count. A phrase replaced
by another phrase is left out: on the generated benchmark such records were mostly a spinner's
multi-word synonyms and misaligned sentence pairs, shared by siblings (against parents chosen
without innovations, generated train: 15 fixed and 6 broken with them, 14 and 4 without).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Levenshtein

from wiretrace.align.edits import changed_runs
from wiretrace.align.sentences import lower_tokens

INNOVATION_KINDS = ("edit", "order")
# A resource bound, not a reading: a copy's changed order is recorded as at most this many crossed
# sentence pairs (transposed paragraphs of the generated benchmark's longest articles cross < 40).
MAX_ORDER_PAIRS = 1000


def _has_figure(words: tuple[str, ...]) -> bool:
    return any(any(ch.isdigit() for ch in w) for w in words)


@lru_cache(maxsize=65536)
def phrase_edits(copy: str, source: str, stamp: frozenset[str] = frozenset()) -> tuple[tuple, ...]:
    """The words `copy` inserted into sentence `source` or cut from it, as (anchor, old words, new
    words) with words case-folded and one of the two empty.

    Adjacent edit operations are read as one hunk, so a spinner's one-word-for-two synonym (the
    edit script's insertion beside a replacement) stays a replacement. Left out: replacements
    (swaps are `readings.word_swaps`' records; see the module note on phrases), changed figures (recorded
    by `readings.number_swaps`) and dateline words (`stamp`: house style, dropped or added by many
    copies independently) at a hunk's edges.
    """
    if copy == source:
        return ()
    old, new = tuple(lower_tokens(source)), tuple(lower_tokens(copy))
    if not old or not new:
        return ()
    found = []
    for start, removed, inserted in _hunks(old, new):
        removed, inserted = _strip(removed, stamp), _strip(inserted, stamp)
        if bool(removed) == bool(inserted):
            continue  # a phrase replaced is a spinner's synonym or two sentences misaligned
        if _has_figure(removed) or _has_figure(inserted):
            continue
        # the word before the edit, a dateline's words skipped (copies that drop the dateline agree)
        anchor = next((w for w in reversed(old[:start]) if w not in stamp), "")
        found.append((anchor, " ".join(removed), " ".join(inserted)))
    return tuple(found)


def _hunks(old: tuple[str, ...], new: tuple[str, ...]) -> list[tuple[int, tuple[str, ...], tuple[str, ...]]]:
    """(start in `old`, removed words, inserted words) per run of adjacent non-equal edit operations."""
    return [(a, old[a:b], new[c:d]) for a, b, c, d in changed_runs(Levenshtein.opcodes(old, new))]


def _strip(words: tuple[str, ...], stamp: frozenset[str]) -> tuple[str, ...]:
    """`words` without dateline words at either edge."""
    lo, hi = 0, len(words)
    while lo < hi and words[lo] in stamp:
        lo += 1
    while hi > lo and words[hi - 1] in stamp:
        hi -= 1
    return words[lo:hi]


@lru_cache(maxsize=1024)  # per text: emptied with the other text caches (`pipeline.clear_text_caches`)
def _running_text(texts: tuple[str, ...]) -> str:
    """A text's case-folded words in one string, padded with spaces, to find a run of words in."""
    return " " + " ".join(w for t in texts for w in lower_tokens(t)) + " "


def order_inversions(pairs: list[tuple[int, int]], limit: int = MAX_ORDER_PAIRS) -> list[tuple[int, int]]:
    """Where a copy reads source sentences out of order: (j, k) for each two source sentences
    where j comes after k in the copy though k comes after j in the source.

    `pairs` are (copy sentence, source sentence). Every pair a transposition crosses is recorded,
    not only the seam where the moved block lands: a copy that aligned one sentence fewer, or cut
    one, still shares most of them with its source, while the seam itself would move. A copy out
    of order in more than `limit` pairs is rearranged throughout, not a moved paragraph: none are
    recorded (a reversed long text would otherwise cost its length squared).
    """
    order = np.array([j for _, j in sorted(pairs)], dtype=np.int64)
    found: set[tuple[int, int]] = set()
    for a in range(len(order) - 1):
        later = order[a + 1 :]
        smaller = later[later < order[a]]
        if len(found) + len(smaller) > limit:
            return []
        found.update((int(j), int(order[a])) for j in smaller)
    return sorted(found)


def add_innovations(
    mutations: set | None,
    copy_texts: list[str],
    source_texts: list[str],
    pairs: list[tuple[int, int]],
    skip: set[int],
    stamp: set[str],
) -> None:
    """Record, in place, a version's innovations against its family's origin (`source_texts`,
    reached through `pairs` of (copy sentence, source sentence)) as "edit" and "order" mutations.

    Sentences in `skip` (headlines, bylines: house style) are not read; `stamp` holds the words of
    either text's dateline. None (a version in another language) is left alone.
    """
    if mutations is None:
        return
    frozen = frozenset(stamp)
    kept = [(i, j) for i, j in pairs if i not in skip]
    copy_words, source_words = _running_text(tuple(copy_texts)), _running_text(tuple(source_texts))
    for i, j in kept:
        for anchor, removed, inserted in phrase_edits(copy_texts[i], source_texts[j], frozen):
            # words moved, not written: a clause put first, a sentence split or joined elsewhere
            if (inserted and f" {inserted} " in source_words) or (removed and f" {removed} " in copy_words):
                continue
            mutations.add(("edit", j, anchor, removed, inserted))
    for j, k in order_inversions(kept):
        mutations.add(("order", j, k))
