"""Conflicts between sentences that are *not* aligned but tell of the same event.

Outlets add their own background ("the Kabul airport bombing killed 169 Afghan civilians" in one,
"at least 90 Afghans" in another). Those sentences align to nothing, yet they contradict each
other. Two sentences describe the same event when they share at least two names (places, groups,
months) and two content words; they conflict when each has a number counting the same kind of
thing (same counted words, same action verb when both name one) that differs beyond rounding.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from wiretrace.facts.compare import counts_same_thing
from wiretrace.facts.numbers import rounding_only
from wiretrace.facts.record import DATE, NAME_KINDS, NUMBER, Fact

MIN_SHARED_NAMES = 2
MIN_SHARED_WORDS = 2
# Content words: long enough to carry meaning, compared by their first letters (a crude stem:
# "killed"/"killing", "bombing"/"bombings").
STEM_LENGTH = 5
MIN_WORD_LENGTH = 4
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "have",
        "been",
        "were",
        "their",
        "there",
        "which",
        "while",
        "about",
        "after",
        "before",
        "since",
        "they",
        "them",
        "also",
        "into",
        "over",
        "under",
        "than",
        "then",
        "when",
        "where",
        "what",
        "would",
        "could",
        "should",
        "will",
        "said",
        "says",
        "told",
        "more",
        "most",
        "other",
        "such",
        "these",
        "those",
        "only",
        "some",
        "many",
        "much",
        "very",
        "just",
        "being",
        "does",
        "done",
        "dass",
        "oder",
        "sich",
        "nicht",
        "eine",
        "einer",
        "einem",
        "auch",
        "wird",
        "sind",
        "para",
        "como",
        "pero",
        "esta",
        "este",
        "sobre",
        "entre",
        "desde",
        "donde",
        "avec",
        "dans",
        "pour",
        "sont",
        "mais",
        "plus",
    ]
)
# Verbs that tell what happened to the counted ("killed 46"): nearest preceding word ending so.
_VERB = re.compile(r"([^\W\d_]+(?:ed|ing))\b[^.]{0,40}$", re.IGNORECASE)


def _signature(text: str, facts: list[Fact]) -> tuple[set[str], set[str]]:
    names = {f.value for f in facts if f.kind in NAME_KINDS} | {
        f.value.split(":")[0] + ":" + f.value.split(":")[1][:2] for f in facts if f.kind == DATE and ":" in f.value
    }
    words = {
        w.casefold()[:STEM_LENGTH] for w in _WORD.findall(text) if w.casefold() not in _STOP and not w[0].isupper()
    }
    return names, words


def _verb(text: str, fact: Fact) -> str | None:
    m = _VERB.search(text[: fact.span[0]])
    return m.group(1).casefold()[:4] if m else None


def _paired_counts(ta: str, fa: list[Fact], tb: str, fb: list[Fact]) -> list[tuple[Fact, Fact]]:
    """Conflicting counts of two sentences, each number paired with at most one of the other's.

    "At least 21 people died" against "killing at least 23 people ... 17 people who are still
    missing" is one conflict (21/23), not two: a sentence's own numbers count different things, so
    pairing one number with several would later merge them into one drift. Pairs with the same
    action verb come first, then the closest values.
    """
    options = []
    for i, x in enumerate(fa):
        for j, y in enumerate(fb):
            if x.kind != NUMBER or y.kind != NUMBER or x.unit != y.unit or not counts_same_thing(x, y):
                continue
            vx, vy = _verb(ta, x), _verb(tb, y)
            if vx and vy and vx != vy:
                continue
            gap = abs(math.log((abs(x.number or 0) + 1) / (abs(y.number or 0) + 1)))
            options.append((not (vx and vx == vy), gap, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, _, i, j in sorted(options):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        x, y = fa[i], fb[j]
        if not rounding_only(x.number or 0, y.number or 0, x.approximate, y.approximate):
            out.append((x, y))
    return out


def event_conflicts(
    nodes: list[tuple[tuple[str, int], str, list[Fact]]], related
) -> list[tuple[tuple[str, int], Fact, tuple[str, int], Fact]]:
    """Number conflicts between sentences of different versions that `related(a, b)` says are not aligned.

    `nodes` is (node, sentence, facts) for every sentence; each distinct sentence text is compared once.
    """
    candidates = []
    by_text: dict[str, list[tuple[str, int]]] = defaultdict(list)
    facts_of: dict[str, list[Fact]] = {}
    for node, text, facts in nodes:
        if any(f.kind == NUMBER and f.counted for f in facts):
            if text not in facts_of:
                facts_of[text] = facts
                candidates.append(text)
            by_text[text].append(node)
    signatures = {t: _signature(t, facts_of[t]) for t in candidates}
    index: dict[str, list[str]] = defaultdict(list)
    for t in candidates:
        for name in signatures[t][0]:
            index[name].append(t)
    out = []
    for i, ta in enumerate(candidates):
        shared_count: dict[str, int] = defaultdict(int)
        for name in signatures[ta][0]:
            for tb in index[name]:
                shared_count[tb] += 1
        for tb in sorted(t for t, n in shared_count.items() if n >= MIN_SHARED_NAMES):
            if candidates.index(tb) <= i:
                continue
            if len(signatures[ta][1] & signatures[tb][1]) < MIN_SHARED_WORDS:
                continue
            pairs = [(a, b) for a in by_text[ta] for b in by_text[tb] if a[0] != b[0] and not related(a, b)]
            if not pairs:
                continue
            a, b = pairs[0]
            out.extend((a, x, b, y) for x, y in _paired_counts(ta, facts_of[ta], tb, facts_of[tb]))
    return out
