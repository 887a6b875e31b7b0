"""Readings: where two aligned versions differ by a word or a figure, and which form the family
attests more.

Mutations are inherited downstream, never undone, so a version with many minority readings cannot
be the origin of the others (`count_readings`), and the word swaps and changed figures a version
shows against its family's origin are what its copies inherit (`mutations`, `word_swaps`). A
spinner swaps common words for odd ones, never the reverse, so the plainer of two readings is the
older (`plainer_word`, by Zipf frequency).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from wiretrace.align.aligner import Units
from wiretrace.align.edits import compared
from wiretrace.align.sentences import lower_tokens
from wiretrace.lineage.families import witness_groups
from wiretrace.lineage.relations import reads_as_spin
from wiretrace.lineage.versions import Aligner, Member, folded_word_set

# A sentence of an inferred origin takes another witness's reading when that reading has the more
# common word (by this many Zipf units: ten times as frequent) at this many places net: a spinner's
# odd synonyms are younger than the words they replace (see `plainer_readings`).
ODD_WORD_ZIPF = 1.0
ODD_SWAPS_MIN = 2
# A figure as written ("4,200", "12.5"): a changed one is a mutation copies inherit (see `word_swaps`).
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def count_readings(
    members: dict[str, Member],
    aligner: Aligner,
    pairs: list[tuple[str, str]],
    furniture: dict[str, set[int]] | None = None,
) -> None:
    """Minority readings per member: single-word swaps where the other reading is more widely attested.

    A reading's attestation is counted where it stands: among the versions whose sentence is
    aligned to one of the two sentences compared (a word found anywhere in a version says nothing:
    "the" or "two" occur in every version). Near-copies are one witness (see `witness_groups`), so
    a spun copy and its reprint do not outvote the text they were spun from. Pairs across languages
    have no shared words to read. Headlines and bylines (`furniture`) are house style, not readings.
    Changed figures are counted apart (`minority_figures`: a figure two or more witnesses read
    otherwise), since the word counts also serve as the relation evidence of a spun or edited copy.
    """
    furniture = furniture or {}
    witness = witness_groups(sorted(members), pairs, aligner)
    words: dict[tuple[str, int], frozenset[str]] = {}
    nearby: dict[tuple[str, int], set[tuple[str, int]]] = {}
    same_language = []
    for a, b in pairs:
        ua, ub = members[a].units, members[b].units
        if ua.language and ub.language and ua.language != ub.language:
            continue
        same_language.append((a, b))
        for p in aligner.get(a, b).pairs:
            if p.a in furniture.get(a, ()) or p.b in furniture.get(b, ()):
                continue
            nearby.setdefault((a, p.a), set()).add((b, p.b))
            nearby.setdefault((b, p.b), set()).add((a, p.a))

    def tokens(m: str, i: int) -> frozenset[str]:
        if (m, i) not in words:
            text = members[m].units.texts[i]
            words[(m, i)] = folded_word_set(text) | frozenset(NUMBER.findall(text))
        return words[(m, i)]

    def attested(word: str, readings: set[tuple[str, int]]) -> int:
        return len({witness[m] for m, i in readings if word in tokens(m, i)})

    shown: set[tuple[str, int, tuple[str, str]]] = set()
    for a, b in same_language:
        ua, ub = members[a].units, members[b].units
        for p in aligner.get(a, b).pairs:
            if p.a in furniture.get(a, ()) or p.b in furniture.get(b, ()):
                continue
            e = compared(ua.texts[p.a], ub.texts[p.b])
            tokens_compared = min(e.tokens_a, e.tokens_b)
            members[a].aligned_tokens += tokens_compared
            members[b].aligned_tokens += tokens_compared
            figures = number_swaps(ua.texts[p.a], ub.texts[p.b])
            if not e.word_swaps and not figures:
                continue
            readings = {(a, p.a), (b, p.b)} | nearby.get((a, p.a), set()) | nearby.get((b, p.b), set())
            for old, new in [*e.word_swaps, *figures]:  # old: b's reading, new: a's reading
                if old.casefold() in tokens(a, p.a) or new.casefold() in tokens(b, p.b):
                    continue  # the word is in both sentences: moved, not replaced
                n_old, n_new = attested(old.casefold(), readings), attested(new.casefold(), readings)
                if (old, new) in figures:  # weighed apart: the word counts feed the relation evidence
                    if n_old > n_new and n_old >= 2:
                        members[a].minority_figures.append((old, new))
                    elif n_new > n_old and n_new >= 2:
                        members[b].minority_figures.append((new, old))
                elif n_old != n_new:  # the less attested side holds the minority reading
                    m, reading = (members[a], (old, new)) if n_old > n_new else (members[b], (new, old))
                    m.minority += 1
                    m.minority_readings.append(reading)
                    if min(n_old, n_new) == 1 and max(n_old, n_new) >= 2:
                        m.unique.append(reading)
                        # shown once per place it stands, however many versions it was read against
                        place = (m.id, p.a if m is members[a] else p.b, reading)
                        if (old, new) in e.substitutions and place not in shown:
                            shown.add(place)
                            m.unique_substitutions.append(reading)


@lru_cache(maxsize=65536)
def word_frequency(word: str, language: str | None) -> float | None:
    """How common a word (or phrase) is in the language, on the Zipf scale (wordfreq, whose word
    lists ship in its wheel), or None when the language has no list."""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, language or "en")
    except (LookupError, ValueError, ImportError):  # no list, or its tokenizer (jieba, MeCab) missing
        return None


def figures_phrase(n: int) -> str:
    return "a figure" if n == 1 else f"{n} figures"


def plainer_word(word: str, other: str, language: str | None) -> bool:
    """Whether `word` is ODD_WORD_ZIPF or more Zipf units more common than `other` in the language
    (False without a word list)."""
    mine, theirs = word_frequency(word.casefold(), language), word_frequency(other.casefold(), language)
    return mine is not None and theirs is not None and mine >= theirs + ODD_WORD_ZIPF


def plainer_witness(
    top: str,
    others: list[str],
    aligner: Aligner,
    furniture: dict[str, set[int]],
    datelines: dict[str, set[str]],
) -> tuple[str, int, list[tuple[str, str]]] | None:
    """A version that reads the common word where `top` reads an odd synonym, in ODD_SWAPS_MIN or
    more sentences net: (that version, the sentences, the swaps as (its word, top's word)).

    Spinners and machine translation round trips swap common words for odd synonyms ("new" to
    "novel", "about" to "roughly"), hardly the reverse, so a version whose words are the odd ones
    is younger than the plainer text, whatever the vote of its own copies (a spun version and its
    reprints outvote a lone plain sibling). A sentence counts when its swaps lean to `top` being
    the odd one (net of swaps the other way), against a version the relation model reads `top` as
    a machine rewrite of (a human rewrite may well pick plainer words: that is no spinning).
    Datelines and headlines are house style, left out.
    Only the versions already aligned to `top` are read (no extra alignment).
    """
    found = plainer_witnesses(top, others, aligner, furniture, datelines)
    return found[0] if found else None


def plainer_witnesses(
    top: str,
    others: list[str],
    aligner: Aligner,
    furniture: dict[str, set[int]],
    datelines: dict[str, set[str]],
) -> list[tuple[str, int, list[tuple[str, str]]]]:
    """Every version `plainer_witness` would accept for `top`, most sentences first (ties by id)."""
    language = aligner.units[top].language or "en"
    if word_frequency("the", language) is None:
        return []
    found: list[tuple[str, int, list[tuple[str, str]]]] = []
    for other in sorted(others):
        if (aligner.units[other].language or "en") != language:
            continue
        if not reads_as_spin(aligner.features(top, other)):
            continue  # re-worded, not spun: a human rewrite picks its own words, plainer or not
        stamp = datelines.get(top, set()) | datelines.get(other, set())
        net_sentences = 0
        swaps: list[tuple[str, str]] = []
        for p in aligner.get(other, top).pairs:
            if p.a in furniture.get(other, ()) or p.b in furniture.get(top, ()):
                continue
            net = 0
            theirs, mine = aligner.units[other].texts[p.a], aligner.units[top].texts[p.b]
            their_words = {w.casefold() for w in lower_tokens(theirs)}
            my_words = {w.casefold() for w in lower_tokens(mine)}
            for top_word, word in compared(theirs, mine).word_swaps:
                if top_word.casefold() in stamp or word.casefold() in stamp:
                    continue
                if top_word.casefold() in their_words or word.casefold() in my_words:
                    continue  # the word is in both sentences: moved, not replaced
                if plainer_word(word, top_word, language):
                    net += 1
                    swaps.append((word, top_word))
                elif plainer_word(top_word, word, language):
                    net -= 1
            net_sentences += (net > 0) - (net < 0)
        if net_sentences >= ODD_SWAPS_MIN:
            found.append((other, net_sentences, swaps))
    return sorted(found, key=lambda w: (-w[1], w[0]))


def changes_from(child: str, origin: str, aligner: Aligner, units: dict[str, Units]) -> set | None:
    """What `child` changed in `origin`: word swaps (at origin sentence j) and dropped sentences.

    None for a version in another language: its word-level changes cannot be read.
    """
    uc, uo = units[child], units[origin]
    if uc.language and uo.language and uc.language != uo.language:
        return None
    alignment = aligner.get(child, origin)
    found: set = set()
    for p in alignment.pairs:
        for old, new in word_swaps(uc.texts[p.a], uo.texts[p.b]):
            found.add(("swap", p.b, new.casefold(), old.casefold()))
    covered = {p.b for p in alignment.pairs}
    found |= {("drop", j) for j in range(len(uo.texts)) if j not in covered}
    return found


def word_swaps(a: str, b: str) -> list[tuple[str, str]]:
    """Words of `b` replaced in `a`, as (b's word, a's word): the aligner's word swaps plus changed
    numbers, which the aligner leaves to the facts stage but which a copy inherits like any word."""
    return [*compared(a, b).word_swaps, *number_swaps(a, b)]


def number_swaps(a: str, b: str) -> list[tuple[str, str]]:
    """Figures of `b` replaced in `a`, as (b's figure, a's figure) in reading order: only where as
    many figures of each are missing from the other (a figure added or dropped replaces nothing).
    Figures are counted, not just looked up: a year written twice and changed once is a change."""
    numbers_a, numbers_b = NUMBER.findall(a), NUMBER.findall(b)
    only_a, only_b = _unmatched(numbers_a, numbers_b), _unmatched(numbers_b, numbers_a)
    if only_a and len(only_a) == len(only_b):
        return list(zip(only_b, only_a, strict=True))
    return []


def _unmatched(figures: list[str], others: list[str]) -> list[str]:
    """The `figures` left over, in reading order, once each of `others` has matched one equal figure."""
    left = Counter(others)
    out = []
    for figure in figures:
        if left[figure]:
            left[figure] -= 1
        else:
            out.append(figure)
    return out


def changes_from_readings(
    child: str,
    origin_texts: list[str],
    triples: list[tuple[int, int, tuple[str, int]]],
    units: dict[str, Units],
    family_language: str | None,
) -> set | None:
    """What `child` changed in an inferred origin (`origin_texts`, reached through `triples`): the
    same mutation records as `changes_from`, so copies of copies are found as for an in-corpus origin.

    None for a version in another language than the family's.
    """
    u = units[child]
    if u.language and family_language and u.language != family_language:
        return None
    found: set = set()
    for i, k, _ in triples:
        for old, new in word_swaps(u.texts[i], origin_texts[k]):
            found.add(("swap", k, new.casefold(), old.casefold()))
    covered = {k for _, k, _ in triples}
    found |= {("drop", k) for k in range(len(origin_texts)) if k not in covered}
    return found
