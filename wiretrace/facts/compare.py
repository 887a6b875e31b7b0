"""Where two aligned statements disagree: the fact-level diff of one sentence pair.

Only disagreements count, never omissions: a copy that drops "46" has not changed it. Numbers
and dates compare across languages (their values are language-free); names, quotes and negation
compare only within one language, where a word-level edit script (rapidfuzz) shows a name
*replaced* by another or a negation cue inserted, rather than a sentence merely worded otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from wiretrace.facts.names import canonical, name_change_severity, same_referent
from wiretrace.facts.negation import is_cue, is_idiom
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
# Sentences this parallel differ by edits, not rewording: a name replaced in place is a changed
# name even when the tagger gives the two names different kinds.
PARALLEL_TOKEN_SIMILARITY = 0.8
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
    # the words of the edit that made it ("to the United States" -> "to Portugal"), casefolded:
    # a quote differing only by them reports the same change
    edited: tuple[str, ...] = ()


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
    # 2. leftovers counting the same thing, or standing in the same place among the same number
    #    of numbers ("carrying 212 passengers" / "conveying 312 travelers"), changed value
    place_a = {id(f): k for k, f in enumerate(f for f in fa if f.kind == NUMBER)}
    place_b = {id(f): k for k, f in enumerate(f for f in fb if f.kind == NUMBER)}
    same_layout = len(place_a) == len(place_b)
    for x in list(na):
        options = [y for y in nb if y.unit == x.unit and counts_same_thing(x, y)]
        if not options and same_layout:
            options = [y for y in nb if y.unit == x.unit and place_b[id(y)] == place_a[id(x)]]
        if not options and len(na) == 1 and len(nb) == 1 and nb[0].unit == x.unit:
            options = nb if not (x.counted and nb[0].counted) or x.span[0] < 3 else []
        if not options and x.unit is not None and [f.unit for f in na].count(x.unit) == 1:
            # the one sum of money (or length, weight...) left on each side of two aligned sentences is
            # one amount, whatever else they count ("12 million reais ($2.1 million)" / "about $2 million")
            same_unit = [y for y in nb if y.unit == x.unit]
            options = same_unit if len(same_unit) == 1 else []
        if not options:
            continue
        y = options[0]
        nb.remove(y)
        severity = ROUNDING if rounding_only(x.number or 0, y.number or 0, x.approximate, y.approximate) else MEANING
        out.append(Discrepancy(NUMBER, x, y, severity))
    return out


def _date_kind(f: Fact) -> str:
    return f.value.split(":", 1)[0]



def _unmatched(facts: list[Fact], others: list[Fact]) -> list[Fact]:
    """`facts` left after each value of `others` cancels one mention of it (multiset difference, in order)."""
    left = Counter(g.value for g in others)
    out = []
    for f in facts:
        if left[f.value]:
            left[f.value] -= 1
        else:
            out.append(f)
    return out

def compare_dates(fa: list[Fact], fb: list[Fact]) -> list[Discrepancy]:
    """Weekdays, day-month dates, months and years that differ (relative days are not compared)."""
    out: list[Discrepancy] = []
    for kind in ("weekday", "day", "month", "year"):
        da = [f for f in fa if f.kind == DATE and _date_kind(f) == kind]
        db = [f for f in fb if f.kind == DATE and _date_kind(f) == kind]
        if kind == "year" and (len(da) != len(db)):
            continue  # a year added as context is not a changed year
        # multisets: "in 2020 ... in 2020" against "in 2017 ... in 2020" changed one mention
        for x, y in zip(_unmatched(da, db), _unmatched(db, da), strict=False):
            out.append(Discrepancy(DATE, x, y, MEANING))
    return out


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _names_in(facts: list[Fact], start: int, end: int) -> list[Fact]:
    return [f for f in facts if f.kind in NAME_KINDS and f.span[0] < end and start < f.span[1]]


def compare_words(sa: str, fa: list[Fact], sb: str, fb: list[Fact], language: str | None) -> list[Discrepancy]:
    """Names replaced by other names and negation flipped between two same-language sentences."""
    ta, tb = _tokens(sa), _tokens(sb)
    la, lb = [t[0].casefold() for t in ta], [t[0].casefold() for t in tb]
    out: list[Discrepancy] = []
    names_a = Counter(f.value for f in fa if f.kind in NAME_KINDS)
    names_b = Counter(f.value for f in fb if f.kind in NAME_KINDS)
    negation_flipped = False
    token_similarity = Indel.normalized_similarity(la, lb)
    similar = token_similarity >= NEGATION_MIN_TOKEN_SIMILARITY
    parallel = token_similarity >= PARALLEL_TOKEN_SIMILARITY
    ops = list(Levenshtein.opcodes(lb, la))
    for k, op in enumerate(ops):
        if op.tag == "equal":
            continue
        new = ta[op.dest_start : op.dest_end]
        old = tb[op.src_start : op.src_end]
        # negation: a cue on one side only of an edit, in otherwise parallel sentences
        if similar and not negation_flipped:
            cues_new = sum(_denies(ta, op.dest_start + j, language) for j in range(len(new)))
            cues_old = sum(_denies(tb, op.src_start + j, language) for j in range(len(old)))
            if cues_new != cues_old:
                negation_flipped = True
                side, base = (ta, op.dest_start) if cues_new > cues_old else (tb, op.src_start)
                span = new if cues_new > cues_old else old
                cue = next(t for j, t in enumerate(span) if _denies(side, base + j, language))
                # shown as the edited phrase with a word of context: "was not carrying enough of" /
                # "was conveying sufficient of" (compared by value: "not" or "")
                run = _edit_run(ops, k)
                phrase_new = _phrase(sa, ta, run[0].dest_start, run[-1].dest_end)
                phrase_old = _phrase(sb, tb, run[0].src_start, run[-1].src_end)
                fact = Fact(NEGATION, "not", phrase_new if cues_new > cues_old else phrase_old, (cue[1], cue[2]))
                empty = Fact(NEGATION, "", phrase_old if cues_new > cues_old else phrase_new, (0, 0))
                out.append(
                    Discrepancy(
                        NEGATION,
                        fact if cues_new > cues_old else empty,
                        empty if cues_new > cues_old else fact,
                        MEANING,
                    )
                )
        if k > 0 and ops[k - 1].tag != "equal":
            continue  # names are read once per run of edits ("the United States" -> "Brazil")
        run = _edit_run(ops, k)
        new = ta[run[0].dest_start : run[-1].dest_end]
        old = tb[run[0].src_start : run[-1].src_end]
        if not new or not old:
            continue
        # a name swap needs parallel sentences, or a short swap between unchanged words
        flanked = max(len(new), len(old)) <= MAX_SWAP_TOKENS
        if not (similar or flanked):
            continue
        a_start, a_end = new[0][1], new[-1][2]
        b_start, b_end = old[0][1], old[-1][2]
        for ya in _names_in(fa, a_start, a_end) or _capitalised(sa, new, fa):
            for xb in _names_in(fb, b_start, b_end) or _capitalised(sb, old, fb):
                # a swap brings a name in and takes one out: a name mentioned as often on both sides
                # moved (an untagged capitalised word counts as its one mention)
                if ya.value == xb.value or max(1, names_a[ya.value]) <= names_b[ya.value]:
                    continue
                if max(1, names_b[xb.value]) <= names_a[xb.value]:
                    continue
                if ya.kind != xb.kind and PERSON in (ya.kind, xb.kind) and not (parallel and flanked):
                    continue  # in a paraphrase, a person swapped for a place is a rewording
                changed_a, changed_b = differing_words(ya.surface, xb.surface)
                if not changed_a or not changed_b or same_referent(changed_a, changed_b):
                    continue  # also a name whose digits alone changed ("India 2-1"): the number's business
                severity = name_change_severity(changed_b, changed_a)
                if severity != SPELLING and (ya.extra.get("untagged") or xb.extra.get("untagged")):
                    continue  # an untagged capitalised word stands for a name only as its misspelling
                # the gazetteer knows "Germany" is a place even when the tagger read a longer organisation
                kind = canonical(changed_b)[1] or canonical(changed_a)[1] or xb.kind
                kind = kind if kind in NAME_KINDS else ya.kind
                edited = tuple(t[0].casefold() for t in (*new, *old))
                out.append(Discrepancy(kind, ya, xb, severity, edited))
    return out


def _explained(quote: Discrepancy, others: list[Discrepancy], language: str | None) -> bool:
    """True when a quote differs only by words another discrepancy already reports (a swapped name, an
    inserted "not", a changed number): one change is one drift, not two."""
    covered = set()
    for d in others:
        for fact in (d.a, d.b):
            covered.update(w.casefold() for w in _TOKEN.findall(fact.surface))
            covered.update(fact.value.split())
        covered.update(d.edited)
    wa, wb = Counter(quote.a.value.split()), Counter(quote.b.value.split())
    diff = (wa - wb) + (wb - wa)
    return bool(others) and all(w in covered or is_cue(w, language) or w.isdigit() for w in diff)


def _edit_run(ops: list, k: int) -> list:
    """The edit operations around `ops[k]` with no unchanged word between them (one rewording)."""
    lo = hi = k
    while lo > 0 and ops[lo - 1].tag != "equal":
        lo -= 1
    while hi < len(ops) - 1 and ops[hi + 1].tag != "equal":
        hi += 1
    return ops[lo : hi + 1]


def _phrase(sentence: str, tokens: list[tuple[str, int, int]], start: int, end: int) -> str:
    """Tokens `start:end` of a sentence with one token of context on each side."""
    if not tokens:
        return ""
    lo, hi = max(0, start - 1), min(len(tokens) - 1, max(end, start))
    return sentence[tokens[lo][1] : tokens[hi][2]]


def _denies(tokens: list[tuple[str, int, int]], k: int, language: str | None) -> bool:
    """Token `k` is a negation cue that denies (not an idiom such as "not long before")."""
    following = tokens[k + 1][0] if k + 1 < len(tokens) else None
    return is_cue(tokens[k][0], language) and not is_idiom(tokens[k][0], following, language)


def differing_words(a: str, b: str) -> tuple[str, str]:
    """The words of name `a` and name `b` that differ ("Ugandan Muslim" / "Uyghur Muslim" -> Ugandan, Uyghur).

    Words with digits are left out: "Bigg Boss 13" / "Bigg Boss 31" is a changed number, not name."""
    wa = [w for w in a.split() if not any(c.isdigit() for c in w)]
    wb = [w for w in b.split() if not any(c.isdigit() for c in w)]
    common = {w.casefold() for w in wa} & {w.casefold() for w in wb}
    return " ".join(w for w in wa if w.casefold() not in common), " ".join(w for w in wb if w.casefold() not in common)


def _capitalised(sentence: str, tokens: list[tuple[str, int, int]], facts: list[Fact]) -> list[Fact]:
    """Capitalised words the tagger did not mark as a name (a misspelt name often is not).

    Words inside another fact (a weekday, a month, a number) are that fact's business, not a name's.
    """
    taken = [f.span for f in facts if f.kind not in NAME_KINDS and f.kind != QUOTE]
    out = []
    for word, start, end in tokens:
        if any(s < end and start < e for s, e in taken):
            continue
        if word[:1].isupper() and start > 0 and not sentence[:start].rstrip().endswith((".", "!", "?", "“", '"')):
            canon, kind = canonical(word)
            out.append(Fact(kind or "place", canon, word, (start, end), extra={"untagged": "1"}))
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
        out += [q for q in _compare_quotes(fa, fb) if not _explained(q, out, language)]
    return out
