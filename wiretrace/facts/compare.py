"""Where two aligned statements disagree: the fact-level diff of one sentence pair.

Only disagreements count, never omissions: a copy that drops "46" has not changed it. Numbers
and dates compare across languages (their values are language-free); names, quotes and negation
compare only within one language, where a word-level edit script (rapidfuzz) shows a name
*replaced* by another or a negation cue inserted, rather than a sentence merely worded otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from wiretrace.facts.names import canonical, name_change_severity, same_referent
from wiretrace.facts.negation import is_cue
from wiretrace.facts.numbers import rounding_only
from wiretrace.facts.record import DATE, NAME_KINDS, NEGATION, NUMBER, PERSON, QUOTE, Fact

MEANING, SPELLING, ROUNDING = "meaning", "spelling", "rounding"
SEVERITY_ORDER = {ROUNDING: 0, SPELLING: 1, MEANING: 2}
# A quote reworded less than this (fuzz.ratio) is a typo, not a changed quote.
QUOTE_TYPO_SIMILARITY = 92.0
# Two quotes of one aligned pair are the same quote when this similar (else one was added).
QUOTE_SAME_SIMILARITY = 40.0
# Negation is compared only between sentences this parallel (Indel over words): below it, a
# paraphrase ("ruled out" / "will not") may carry the polarity in other words.
NEGATION_MIN_TOKEN_SIMILARITY = 0.5
# A name replaced by a short run of words between unchanged words is a swap even in a paraphrase.
MAX_SWAP_TOKENS = 2
_TOKEN = re.compile(r"[\w'’.-]*\w|[\w]", re.UNICODE)


@dataclass(slots=True)
class Discrepancy:
    """Fact `a` of one sentence and fact `b` of its aligned partner say different things."""

    kind: str
    a: Fact
    b: Fact
    severity: str


def _counted_key(words: tuple[str, ...]) -> set[str]:
    """What a number counts, folded: singular, names canonical ("Afghans" = "Afghan" = afghanistan)."""
    out = set()
    for w in words:
        canon, kind = canonical(w)
        out.add(canon if kind else (w[:-1] if len(w) > 3 and w.endswith("s") else w))
    return out


def counts_same_thing(a: Fact, b: Fact) -> bool:
    return bool(_counted_key(a.counted) & _counted_key(b.counted))


def compare_numbers(fa: list[Fact], fb: list[Fact]) -> list[Discrepancy]:
    """Pair the numbers of two aligned sentences; report pairs whose values or hedges differ."""
    na = [f for f in fa if f.kind == NUMBER]
    nb = [f for f in fb if f.kind == NUMBER]
    out: list[Discrepancy] = []
    # 1. the same value on both sides agrees (a hedge added or dropped is rounding)
    for x in list(na):
        same = [y for y in nb if y.number == x.number and y.unit == x.unit]
        if same:
            y = max(same, key=lambda y: counts_same_thing(x, y))
            if x.approximate != y.approximate and counts_same_thing(x, y):
                out.append(Discrepancy(NUMBER, x, y, ROUNDING))
            na.remove(x)
            nb.remove(y)
    # 2. leftovers counting the same thing (or the only leftover of each side) changed value
    for x in list(na):
        options = [y for y in nb if y.unit == x.unit and counts_same_thing(x, y)]
        if not options and len(na) == 1 and len(nb) == 1 and nb[0].unit == x.unit:
            options = nb if not (x.counted and nb[0].counted) or x.span[0] < 3 else []
        if not options:
            continue
        y = options[0]
        nb.remove(y)
        severity = ROUNDING if rounding_only(x.number or 0, y.number or 0, x.approximate, y.approximate) else MEANING
        out.append(Discrepancy(NUMBER, x, y, severity))
    return out


def _date_kind(f: Fact) -> str:
    return f.value.split(":", 1)[0]


def compare_dates(fa: list[Fact], fb: list[Fact]) -> list[Discrepancy]:
    """Weekdays, day-month dates, months and years that differ (relative days are not compared)."""
    out: list[Discrepancy] = []
    for kind in ("weekday", "day", "month", "year"):
        da = [f for f in fa if f.kind == DATE and _date_kind(f) == kind]
        db = [f for f in fb if f.kind == DATE and _date_kind(f) == kind]
        only_a = [f for f in da if f.value not in {g.value for g in db}]
        only_b = [f for f in db if f.value not in {g.value for g in da}]
        if kind == "year" and (len(da) != len(db)):
            continue  # a year added as context is not a changed year
        for x, y in zip(only_a, only_b, strict=False):
            out.append(Discrepancy(DATE, x, y, MEANING))
    return out


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _names_in(facts: list[Fact], start: int, end: int) -> list[Fact]:
    return [f for f in facts if f.kind in NAME_KINDS and f.span[0] < end and start < f.span[1]]


def compare_words(sa: str, fa: list[Fact], sb: str, fb: list[Fact], language: str | None) -> list[Discrepancy]:
    """Names replaced by other names, quotes reworded and negation flipped between two same-language sentences."""
    ta, tb = _tokens(sa), _tokens(sb)
    la, lb = [t[0].casefold() for t in ta], [t[0].casefold() for t in tb]
    out: list[Discrepancy] = []
    names_a = {f.value for f in fa if f.kind in NAME_KINDS}
    names_b = {f.value for f in fb if f.kind in NAME_KINDS}
    negation_flipped = False
    similar = Indel.normalized_similarity(la, lb) >= NEGATION_MIN_TOKEN_SIMILARITY
    ops = list(Levenshtein.opcodes(lb, la))
    for k, op in enumerate(ops):
        if op.tag == "equal":
            continue
        new = ta[op.dest_start : op.dest_end]
        old = tb[op.src_start : op.src_end]
        # negation: a cue on one side only of an edit, in otherwise parallel sentences
        if similar and not negation_flipped:
            cues_new = sum(is_cue(t[0], language) for t in new)
            cues_old = sum(is_cue(t[0], language) for t in old)
            if cues_new != cues_old:
                negation_flipped = True
                cue = next(t for t in (new if cues_new > cues_old else old) if is_cue(t[0], language))
                where = fa if cues_new > cues_old else fb
                fact = Fact(NEGATION, "not", cue[0], (cue[1], cue[2]))
                empty = Fact(NEGATION, "", "", (0, 0))
                sentence_fact = [f for f in where if f.kind == NEGATION and f.span == (cue[1], cue[2])]
                fact = sentence_fact[0] if sentence_fact else fact
                out.append(
                    Discrepancy(
                        NEGATION,
                        fact if cues_new > cues_old else empty,
                        empty if cues_new > cues_old else fact,
                        MEANING,
                    )
                )
        if op.tag != "replace" or not new or not old:
            continue
        # a name swap needs parallel sentences, or a short swap between unchanged words
        flanked = (
            max(len(new), len(old)) <= MAX_SWAP_TOKENS
            and (k == 0 or ops[k - 1].tag == "equal")
            and (k == len(ops) - 1 or ops[k + 1].tag == "equal")
        )
        if not (similar or flanked):
            continue
        a_start, a_end = new[0][1], new[-1][2]
        b_start, b_end = old[0][1], old[-1][2]
        for ya in _names_in(fa, a_start, a_end) or _capitalised(sa, new):
            for xb in _names_in(fb, b_start, b_end) or _capitalised(sb, old):
                if ya.value == xb.value or ya.value in names_b or xb.value in names_a:
                    continue
                if ya.kind != xb.kind and PERSON in (ya.kind, xb.kind):
                    continue  # a person swapped for a place is a rewording, not a misspelling
                changed_a, changed_b = _differing_words(ya.surface, xb.surface)
                if not changed_a or not changed_b or same_referent(changed_a, changed_b):
                    continue
                severity = name_change_severity(changed_b, changed_a)
                kind = xb.kind if xb.kind in NAME_KINDS else ya.kind
                out.append(Discrepancy(kind, ya, xb, severity))
    return out + _compare_quotes(fa, fb)


def _differing_words(a: str, b: str) -> tuple[str, str]:
    """The words of name `a` and name `b` that differ ("Ugandan Muslim" / "Uyghur Muslim" -> Ugandan, Uyghur)."""
    wa, wb = a.split(), b.split()
    common = {w.casefold() for w in wa} & {w.casefold() for w in wb}
    return " ".join(w for w in wa if w.casefold() not in common), " ".join(w for w in wb if w.casefold() not in common)


def _capitalised(sentence: str, tokens: list[tuple[str, int, int]]) -> list[Fact]:
    """Capitalised words the tagger did not mark as a name (a misspelt name often is not)."""
    out = []
    for word, start, end in tokens:
        if word[:1].isupper() and start > 0 and not sentence[:start].rstrip().endswith((".", "!", "?", "“", '"')):
            canon, kind = canonical(word)
            out.append(Fact(kind or "place", canon, word, (start, end)))
    return out


def _compare_quotes(fa: list[Fact], fb: list[Fact]) -> list[Discrepancy]:
    out = []
    qb = [f for f in fb if f.kind == QUOTE]
    for x in (f for f in fa if f.kind == QUOTE):
        if not qb:
            break
        y = max(qb, key=lambda y: fuzz.ratio(x.value, y.value))
        score = fuzz.ratio(x.value, y.value)
        if x.value != y.value and (
            score >= QUOTE_SAME_SIMILARITY or (len(qb) == 1 and sum(f.kind == QUOTE for f in fa) == 1)
        ):
            out.append(Discrepancy(QUOTE, x, y, SPELLING if score >= QUOTE_TYPO_SIMILARITY else MEANING))
        qb.remove(y)
    return out


def compare_facts(
    sa: str, fa: list[Fact], sb: str, fb: list[Fact], cross_lingual: bool, language: str | None = None
) -> list[Discrepancy]:
    """Every disagreement between aligned sentences `sa` (facts `fa`) and `sb` (facts `fb`)."""
    out = compare_numbers(fa, fb) + compare_dates(fa, fb)
    if not cross_lingual:
        out += compare_words(sa, fa, sb, fb, language)
    return out
