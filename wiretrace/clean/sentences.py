"""Sentence segmentation with character spans, for English, German, Spanish, French and beyond.

Written by hand rather than with pysbd: pysbd took ~37 ms for one 4 kB article here (about an
hour per 100k articles on 2 cores) and its `char_span` mode is unreliable on repeated text. This
segmenter is a single regex pass plus per-language abbreviation lists (~0.3 ms per article), and
it also splits sentences glued by scraping ("in August.Senior officials"), which pysbd does not.

Rules, in order: paragraphs (blank lines) always end a sentence; a candidate end is `.`, `!`, `?`
or `…` (plus closing quotes/brackets) followed by white space and a sentence opener (capital,
digit, opening quote, `¿`/`¡`); a period glued to a capitalised word ends a sentence only after a
lower-case word of two or more letters. A period after an abbreviation, an initial (`J.`, `U.S.`,
`z.B.`, `EE.UU.`) or, in German, an ordinal number (`3. Oktober`) is not an end.
"""

from __future__ import annotations

import re

# Abbreviations that are followed by a period and rarely end a sentence (lower-cased, no period).
_COMMON = {
    "vs",
    "ca",
    "approx",
    "no",
    "nr",
    "st",
    "dr",
    "prof",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
ABBREVIATIONS: dict[str, set[str]] = {
    "en": _COMMON
    | {
        "mr",
        "mrs",
        "ms",
        "sr",
        "jr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "pres",
        "inc",
        "ltd",
        "co",
        "corp",
        "mt",
        "ft",
        "nos",
        "dept",
        "est",
        "fig",
        "vol",
        "cf",
        "al",
        "maj",
        "brig",
        "supt",
        "messrs",
    },
    "de": _COMMON
    | {
        "hr",
        "hrn",
        "fr",
        "frl",
        "str",
        "bzw",
        "usw",
        "vgl",
        "ggf",
        "evtl",
        "inkl",
        "bspw",
        "mio",
        "mrd",
        "jh",
        "abs",
        "art",
        "dipl",
        "ing",
        "okt",
        "dez",
        "febr",
        "tel",
        "zb",
        "sog",
        "bzgl",
        "gem",
        "lt",
        "max",
        "min",
        "ehem",
        "geb",
        "gest",
        "ebd",
        "verh",
    },
    "es": _COMMON
    | {
        "sr",
        "sra",
        "sres",
        "srta",
        "dra",
        "lic",
        "ing",
        "av",
        "avda",
        "gral",
        "cnel",
        "pdte",
        "ud",
        "uds",
        "vd",
        "vds",
        "pág",
        "págs",
        "núm",
        "tel",
        "dña",
        "dn",
        "ene",
        "abr",
        "ago",
        "dic",
        "etc",
        "aprox",
        "admón",
        "cía",
    },
    "fr": _COMMON
    | {
        "m",
        "mme",
        "mmes",
        "mlle",
        "mm",
        "pr",
        "me",
        "ste",
        "av",
        "bd",
        "janv",
        "févr",
        "avr",
        "juil",
        "déc",
        "env",
        "cf",
        "p",
        "ex",
        "chap",
        "éd",
        "tél",
        "gén",
        "cie",
    },
}
_ALL_ABBREVIATIONS = set().union(*ABBREVIATIONS.values())

_PARAGRAPH = re.compile(r"\n\s*\n")
# A candidate end: terminal punctuation, optional closers, then either white space or a glued capital.
_END = re.compile(r"[.!?…]+[\"'”’“»)\]]*(?:\s?»)?(?=(\s+)|(?=[A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-ž]))")
_OPENERS = "\"'“‘«([¿¡„‚"
_TOKEN_BEFORE = re.compile(r"(\S+)$")


def _abbreviations(language: str | None) -> set[str]:
    return ABBREVIATIONS.get((language or "")[:2].lower(), _ALL_ABBREVIATIONS)


def _is_false_end(paragraph: str, end: re.Match[str], abbreviations: set[str], language: str | None) -> bool:
    """True when the punctuation at `end` is not a sentence end (abbreviation, initial, ordinal...)."""
    punct = end.group(0)
    glued = end.group(1) is None
    after = paragraph[end.end() :].lstrip()
    if not after:
        return False
    if not glued and not (after[0].isupper() or after[0].isdigit() or after[0] in _OPENERS):
        return True
    if not punct.startswith("."):
        return False
    token_match = _TOKEN_BEFORE.search(paragraph[: end.start()])
    token = token_match.group(1) if token_match else ""
    token = token.lstrip("\"'“‘«([¿¡")
    if glued:
        # "August.Senior" splits; "U.S.Army", "Node.Js" or "3.Oktober" do not.
        return not (len(token) >= 2 and token.isalpha() and token[-1].islower())
    bare = token.replace(".", "").lower()
    if not bare:
        return False
    if "." in token or (len(bare) == 1 and bare.isalpha()):
        return True  # initials and dotted abbreviations: U.S., z.B., EE.UU., J.
    if bare in abbreviations:
        return True
    return bool((language or "").startswith("de") and bare.isdigit() and len(bare) <= 2)


def split_sentences(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans `(start, end)` into `text`, stripped of surrounding white space, in order."""
    spans: list[tuple[int, int]] = []
    abbreviations = _abbreviations(language)
    start_of_paragraph = 0
    for paragraph_end in [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]:
        paragraph = text[start_of_paragraph:paragraph_end]
        cut = 0
        for end in _END.finditer(paragraph):
            if _is_false_end(paragraph, end, abbreviations, language):
                continue
            spans.append((start_of_paragraph + cut, start_of_paragraph + end.end()))
            cut = end.end()
        spans.append((start_of_paragraph + cut, paragraph_end))
        next_paragraph = _PARAGRAPH.match(text, paragraph_end)
        start_of_paragraph = next_paragraph.end() if next_paragraph else paragraph_end
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
