"""Lead conflicts: two English leads that name different weekdays, unless one actor leads both.

Content features (chunk cosines, shared names and numbers) cannot tell "same event, independent report"
from "same topic, another event": a leader's speech and another leader's reaction to it share most names.
Disagreement is asymmetric evidence. Two leads that name different weekdays ("said on Tuesday" /
"said on Wednesday") mostly report two events (a speech and the reaction to it, shootings on two nights),
but reports of one event also disagree when they are dated on either side of a date line. Those keep
their actor ("Kim ... on Monday" / "Kim ... on Tuesday"), so the conflict counts only when the two leads'
actors are not known to agree (`bench.stories.actor`, session 9).

Read from the lead the index already keeps (`StoryIndex.lead`, the first sentence), so the evidence is
pair-local, needs no new column in the store and never changes as the corpus grows. English only: the
weekday and subject rules are English, and the column is 0 for any other pair. The actor is the lead's
leading capitalised words (`lead_actor`), read only for pairs whose days already conflict.
"""

from __future__ import annotations

import functools
import re

import numpy as np
from rapidfuzz import fuzz

CONFLICT_FEATURES = ("weekday_conflict",)
# Fitted by `.venv/bin/python -m bench.stories.actor --lead` (logistic offset on the SemEval-2022 training
# file's pairs, Overall <= 1.5 same story and >= 3 different, with every `score.WEIGHTS` term fixed). The
# weight rests on two training pairs (both different stories), so the L2 term sets its size; refit with
# that command. A percentage conflict of first sentences was measured beside it and changed no grouping.
CONFLICT_WEIGHTS = np.array([-3.516], dtype=np.float64)
CONFLICT_LANGUAGES = frozenset({"en"})

KICKER_WORDS = 3  # "Analysis:", "The Latest:" before a colon: a label, not the subject
SAME_NAME_RATIO = 80  # rapidfuzz ratio at which two name words are one name spelt two ways ("Gaddafi"/"Qaddafi")
LEAD_CACHE = 1 << 14  # leads whose facts and actor are remembered (a pair's leads recur across its partners)

_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
# a dateline ("CLEVELAND, Ohio –", "WASHINGTON (AP) —"): where the report was filed from, not who acts
_DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]+[A-Z.](?:,\s*[\w.' ]{2,30})?\s*(?:\([^)]{1,30}\)\s*)?[–—-]{1,2}\s+")
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_DETERMINERS = frozenset({"the", "a", "an"})


def weekdays(text: str) -> frozenset[str]:
    """English weekdays the text names (the day the event or statement happened)."""
    return frozenset(m.lower() for m in _WEEKDAY.findall(text))


_DAY_BIT = {day: 1 << k for k, day in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                                 "sunday"))}


@functools.lru_cache(maxsize=LEAD_CACHE)
def weekday_mask(lead: str) -> int:
    """The weekdays of one lead as a 7-bit mask (two leads conflict when both are set and share no bit)."""
    return sum(_DAY_BIT[d] for d in weekdays(lead))


def subject_text(sentence: str) -> str:
    """The sentence without a leading dateline or a short kicker ("Analysis:"): where its subject begins."""
    sentence = _DATELINE.sub("", sentence, count=1) or sentence
    head, colon, rest = sentence.partition(":")
    return rest.strip() if colon and len(head.split()) <= KICKER_WORDS and rest.strip() else sentence


def leading_run(sentence: str) -> list[str]:
    """Lower-cased words of the sentence's leading run of capitalised words (a short kicker and a leading
    "The"/"A"/"An" dropped). The run stops at the first word not capitalised, after a word carrying
    punctuation ("Iran," ends it) and after a possessive ("Merkel's party": the owner acts)."""
    head, colon, rest = sentence.partition(":")
    if colon and len(head.split()) <= KICKER_WORDS:
        sentence = rest
    tokens = sentence.split()
    if tokens and tokens[0].lower() in _DETERMINERS:
        tokens = tokens[1:]
    words = []
    for token in tokens:
        word = _NAME_WORD.match(token.strip("\"'‘“(["))
        if not word or not word.group(0)[0].isupper():
            break
        words.append(_POSSESSIVE.sub("", word.group(0).strip(".-")).lower())
        if _POSSESSIVE.search(word.group(0)) or token.rstrip("\"'’”)]") != token.rstrip("\"'’”)],.;:!?"):
            break
    return words


@functools.lru_cache(maxsize=LEAD_CACHE)
def lead_actor(lead: str) -> frozenset[str]:
    """Who acts in an English lead, cheaply: the `leading_run` after a dateline and a kicker.

    Hand-written because the lead is all the index keeps and one sentence is all it needs. Measured against
    spaCy's parse (the proper nouns heading the subject, `bench.stories.actor --lead-parsed`): the same
    groupings on every check, so no parser is loaded (a parse costs ~7 CPU ms a lead, its load ~1.2 s a
    process). A sentence-initial common noun ("Police", "Floods") reads as an actor; that only makes two
    leads agree more often, which switches the conflict off, never on."""
    return frozenset(leading_run(subject_text(lead)))


def same_name(x: str, y: str) -> bool:
    """One name spelt two ways (a transliteration, a misspelling): equal, or Indel ratio >= `SAME_NAME_RATIO`."""
    return x == y or (min(len(x), len(y)) >= 4 and fuzz.ratio(x, y) >= SAME_NAME_RATIO)


def actors_agree(x: frozenset[str], y: frozenset[str]) -> bool:
    """Both actors known and sharing a name word (up to spelling)."""
    return bool(x) and bool(y) and (bool(x & y) or any(same_name(p, q) for p in sorted(x) for q in sorted(y)))


def weekday_conflict(lead_a: str, lead_b: str) -> float:
    """1 when two English leads name weekdays, share none, and their actors do not agree; else 0."""
    ma, mb = weekday_mask(lead_a), weekday_mask(lead_b)
    if not (ma and mb) or ma & mb:
        return 0.0
    return 0.0 if actors_agree(lead_actor(lead_a), lead_actor(lead_b)) else 1.0


def conflict_features(index, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`CONFLICT_FEATURES` of row pairs (a[k], b[k]) of a `StoryIndex`: 0 unless both leads are English.

    Vectorised over the pairs: weekday masks per distinct row, then the actors of conflicting pairs only
    (about 1 in 75 candidate pairs)."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    out = np.zeros((len(a), len(CONFLICT_FEATURES)), dtype=np.float64)
    if not len(a):
        return out
    rows, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    english = np.array([index.language[r] in CONFLICT_LANGUAGES for r in rows.tolist()], dtype=bool)
    mask = np.array([weekday_mask(index.lead[r]) if e else 0 for r, e in zip(rows.tolist(), english)], dtype=np.int64)
    ma, mb = mask[inverse[: len(a)]], mask[inverse[len(a) :]]
    conflicting = np.flatnonzero((ma > 0) & (mb > 0) & ((ma & mb) == 0))
    for k in conflicting.tolist():
        out[k, 0] = 0.0 if actors_agree(lead_actor(index.lead[a[k]]), lead_actor(index.lead[b[k]])) else 1.0
    return out
