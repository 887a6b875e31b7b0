"""Dateline, byline and credits found in an article's own text.

What a standards desk calls a *credit*: the wire agencies a text says it draws on ("(AP)", "told
Reuters", "según la agencia EFE") and the outlets it says it reprints ("This story originally
appeared in X", "(via Fox News)"). A brand merely named in page furniture ("Click here for the FOX
NEWS APP") is not a credit. `credited` holds both kinds, canonical names, in order of first
appearance; `reprinted_from` holds the reprint sources only.

Patterns are hand-written because no maintained library parses news credits; they are kept to
forms that are unambiguous out of context (an agency's full name, its acronym in parentheses or
next to a reporting verb or the word "agency" in English, German, Spanish, French, Italian or
Portuguese), so a bare "AP" or "AFP" in running text does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DATELINE_WINDOW = 3_000  # characters from the top searched for a dateline
BYLINE_LINES = 15  # lines from the top searched for a byline

_AGENCY_WORD = (
    r"(?:news\s+agency|wire\s+service|Nachrichtenagentur|Agentur|agencia(?:\s+de\s+noticias)?|"
    r"agence(?:\s+de\s+presse)?|agenzia(?:\s+di\s+stampa)?|ag[eê]ncia(?:\s+de\s+not[ií]cias)?)"
)
_VERB = (
    r"(?:reported|reports|said|says|wrote|learned|quoted|cited|told|according|berichtete|berichtet|meldete|"
    r"meldet|informó|informa|señaló|rapporte|a\s+rapporté|indique|riferisce|ha\s+riferito)"
)
_BEFORE = (
    r"(?:told|to|via|from|according\s+to|citing|cited\s+by|by|laut|zufolge|según|segun|selon|d'après|"
    r"secondo|segundo|de\s+acuerdo\s+con|informó\s+a|told\s+the|a\s+la|à\s+l'|à)"
)


def _acronym(acronym: str, strict: bool = False) -> list[str]:
    """Contexts where a short agency acronym is surely the agency.

    `strict` acronyms also name other things often (PTI a Pakistani party, UPI a payment system):
    only the parenthesised dateline form and "<acronym> news agency" count for them.
    """
    a = re.escape(acronym)
    contexts = [
        rf"\(\s*{a}\s*\)",  # (AP)  ISLAMABAD (AP) —
        rf"\b{a}\s+{_AGENCY_WORD}",
        rf"{_AGENCY_WORD}\s+{a}\b",
    ]
    if strict:
        return [rf"\b[A-Z]{{3,}}[ \t]*\(\s*{a}\s*\)", *contexts[1:]]
    return [
        *contexts,
        rf"\b{a}\s+(?:Photo|Foto|Video|file)\b",
        rf"\b{a}\s*/\s*[A-Z]",  # AP/Jane Doe photo credits
        rf"\b(?:the\s+|l'|la\s+|die\s+)?{a}\s+{_VERB}\b",
        rf"\b{_BEFORE}\s+(?:the\s+|l'|la\s+|die\s+)?{a}\b(?![-/])",
        rf"(?:©|\(c\)|Copyright)\s*(?:\d{{4}}\s+)?(?:The\s+)?{a}\b",
    ]


# canonical name -> (acronym or None, patterns); patterns are case-sensitive: agency names are proper nouns
AGENCIES: dict[str, tuple[str | None, list[str]]] = {
    "The Associated Press": ("AP", [r"\bAssociated\s+Press\b", *_acronym("AP")]),
    "Reuters": (None, [r"\bReuters\b"]),
    "Agence France-Presse": ("AFP", [r"\bAgence\s+France[-\s]Presse\b", r"\bFrance[-\s]Presse\b", *_acronym("AFP")]),
    "Deutsche Presse-Agentur": ("dpa", [r"\bDeutsche[n]?\s+Presse[-\s]Agentur\b", *_acronym("dpa"), r"\(dpa[-/]\w+\)"]),
    "EFE": ("EFE", [r"\bAgencia\s+EFE\b", *_acronym("EFE")]),
    "Xinhua": (None, [r"\bXinhua\b"]),
    "ANSA": ("ANSA", [r"\bAgenzia\s+ANSA\b", *_acronym("ANSA")]),
    "Kyodo News": (None, [r"\bKyodo\b"]),
    "United Press International": ("UPI", [r"\bUnited\s+Press\s+International\b", *_acronym("UPI", strict=True)]),
    "Press Trust of India": ("PTI", [r"\bPress\s+Trust\s+of\s+India\b", *_acronym("PTI", strict=True)]),
    "Anadolu Agency": (None, [r"\bAnadolu\s+(?:Agency|Ajansı|news\s+agency)\b"]),
    "Yonhap": (None, [r"\bYonhap\b"]),
    "TASS": (None, [r"\bTASS\b"]),
    "RIA Novosti": (None, [r"\bRIA\s+Novosti\b"]),
    "Interfax": (None, [r"\bInterfax\b"]),
    "Australian Associated Press": ("AAP", [r"\bAustralian\s+Associated\s+Press\b", *_acronym("AAP")]),
    "Europa Press": (None, [r"\bEuropa\s+Press\b"]),
    "Bernama": (None, [r"\bBernama\b"]),
    "Bloomberg News": (None, [r"\bBloomberg\s+News\b", r"\btold\s+Bloomberg\b", r"\bBloomberg\s+reported\b"]),
}


def _required_literal(pattern: str, acronym: str | None) -> str:
    """A word every match of `pattern` contains: the acronym if the pattern spells it, else its
    longest run of letters outside escapes and character classes (true of every pattern above;
    a test checks `find_agencies` against running every pattern)."""
    if acronym and re.escape(acronym) in pattern:
        return acronym
    bare = re.sub(r"\[[^\]]*\]", " ", re.sub(r"\\.", " ", pattern))
    return max(re.findall(r"[^\W\d_]+", bare), key=len)


# canonical name, the words one of which any credit must contain, the agency's patterns as one regex.
# The substring test is ~100x cheaper than a search that tries "told|to|via|..." at every word.
_AGENCY_PATTERNS = [
    (
        name,
        tuple(sorted({_required_literal(p, acronym) for p in patterns})),
        re.compile("|".join(f"(?:{p})" for p in patterns)),
    )
    for name, (acronym, patterns) in AGENCIES.items()
]
# how a reprint phrase may name an agency ("originally published by AP") -> canonical name
_AGENCY_ALIASES = {
    alias.lower(): name
    for name, (acronym, _) in AGENCIES.items()
    for alias in (name, name.removeprefix("The "), acronym)
    if alias
}

# "Name" of an outlet after a reprint phrase: capitalised words (and a few joiners), up to 8 tokens.
_WORD = r"[A-Z0-9][\w&'’.\-]*"
_OUTLET = rf"((?:The\s+|the\s+)?{_WORD}(?:\s+(?:of|the|and|&|de|del|la|le|der|die)?\s*{_WORD}){{0,7}})"
# Each pattern with words one of which any match holds (lower case): a pattern is run only on a text
# that has one, since scanning every article with all seven was most of this module's time.
_REPRINT_PATTERNS = [
    (words, re.compile(p))
    for words, p in (
        (("via",), rf"\(\s*[Vv]ia\s+{_OUTLET}\s*\)"),
        (("originally", "first"),
         rf"\b(?:[Oo]riginally|[Ff]irst)\s+(?:published|appeared|ran|posted)\s+(?:by|in|on|at)\s+{_OUTLET}"),
        (("appeared", "published"), rf"\b(?:appeared|published)\s+(?:originally|first)\s+(?:by|in|on|at)\s+{_OUTLET}"),
        (("reprinted", "republished", "reposted"),
         rf"\b(?:[Rr]eprinted|[Rr]epublished|[Rr]eposted)\s+(?:with\s+permission\s+)?(?:from|by)\s+{_OUTLET}"),
        (("erschien",), rf"\b(?:[Ee]rschien|[Ee]rschienen)\s+(?:zuerst|ursprünglich)\s+(?:bei|in|auf|im)\s+{_OUTLET}"),
        (("publicad", "apareci"),
         rf"\b(?:[Pp]ublicad[oa]|[Aa]pareci[óo])\s+(?:originalmente|primero|inicialmente)\s+(?:en|por)\s+{_OUTLET}"),
        (("publié", "paru"),
         rf"\b(?:[Pp]ublié|[Pp]aru)e?\s+(?:initialement|originellement|d'abord)\s+(?:dans|sur|par)\s+{_OUTLET}"),
    )
]
_TRAILING_JUNK = re.compile(r"[\s.’'\-]+$")

_DATELINE = re.compile(
    r"(?m)^[ \t\"“]*("
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'\-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'\-]+){0,3}"  # CITY in capitals
    r"(?:,[ \t]+[A-ZÀ-ÖØ-Þ][\w.'\-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w.'\-]+){0,2})?"  # , Country/State
    r"(?:[ \t]*\([ \t]*[A-Za-z][\w .\-/]{0,30}\))?"  # (AP)
    r")[ \t]*([—–]|--?)[ \t]"
)
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*"
_BYLINE = re.compile(
    rf"^(?:By|BY|Von|Por|Par|Di|Door|Av)[ \t]+({_NAME}(?:[ \t]+{_NAME}){{1,3}}"
    rf"(?:(?:,[ \t]*|[ \t]+(?:and|und|y|et|e|en|og)[ \t]+){_NAME}(?:[ \t]+{_NAME}){{1,3}})*)"
)
_READ_TIME_LINE = re.compile(r"^[\s·•|]*\d+\s*(?:min|minute)s?\.?\s*(?:read|Lesezeit|de lectura|de lecture)\b", re.I)
_NAME_LINE = re.compile(rf"^({_NAME}(?:[ \t]+{_NAME}){{1,3}})\s*(?:[·•|].*)?$")
_NOT_NAMES = frozenset(
    re.findall(
        r"\w+",
        "The A An This That These Those It In On At For From With Then Now Today Yesterday Monday Tuesday "
        "Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
        "September October November December Der Die Das El La Los Las Le Les Un Una",
    )
)


@dataclass(slots=True)
class TextMetadata:
    dateline: str | None = None  # e.g. "ISLAMABAD (AP)"
    byline: str | None = None  # e.g. "Jane Doe and John Roe"
    credited: list[str] = field(default_factory=list)  # agencies and reprint sources, canonical names
    reprinted_from: list[str] = field(default_factory=list)  # outlets the text says it reprints


def _clean_outlet(raw: str) -> str | None:
    outlet = _TRAILING_JUNK.sub("", " ".join(raw.split()))
    if outlet.lower().startswith("the "):
        outlet = "The " + outlet[4:]
    return outlet if len(outlet) >= 2 else None


def find_dateline(text: str) -> str | None:
    """The dateline at the start of a paragraph near the top, without its dash: "KABUL, Afghanistan (Reuters)"."""
    for match in _DATELINE.finditer(text[:DATELINE_WINDOW]):
        place, dash = match.group(1), match.group(2)
        if "(" in place or "," in place or dash in "—–":  # a bare "WORD -" is too often a headline
            return " ".join(place.split())
    return None


def dateline_end(sentence: str) -> int:
    """Where a dateline opening `sentence` ends (after its dash), or 0: the filing place is where the
    reporter was, not a fact of the story, so fact comparison skips it."""
    match = _DATELINE.match(sentence[:DATELINE_WINDOW])
    if not match:
        return 0
    place, dash = match.group(1), match.group(2)
    return match.end() if ("(" in place or "," in place or dash in "—–") else 0


def _plausible_name(name: str) -> bool:
    tokens = name.replace(",", " ").split()
    return bool(tokens) and tokens[0] not in _NOT_NAMES and not any(t.isdigit() for t in tokens)


def find_byline(text: str) -> str | None:
    """A "By Jane Doe" line, or a bare author line followed by a "2 min read" line, near the top."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:BYLINE_LINES]
    for i, line in enumerate(lines):
        match = _BYLINE.match(line)
        if match and _plausible_name(match.group(1)):
            return match.group(1).strip()
        head, sep, rest = line.partition("·") if "·" in line else line.partition("•")
        head, rest = head.strip(), rest.strip()
        if (sep and _READ_TIME_LINE.match(rest)) or (i + 1 < len(lines) and _READ_TIME_LINE.match(lines[i + 1])):
            name = _NAME_LINE.match(head)
            if name and _plausible_name(name.group(1)):
                return name.group(1)
    return None


def find_reprint_sources(text: str) -> list[tuple[int, str]]:
    """(position, outlet) for each outlet the text says it reprints, first mention only."""
    found: dict[str, int] = {}
    lower = text.lower()
    for words, pattern in _REPRINT_PATTERNS:
        if not any(w in lower for w in words):
            continue
        for match in pattern.finditer(text):
            outlet = _clean_outlet(match.group(1))
            if outlet and outlet not in found:
                found[outlet] = match.start()
    return sorted((pos, name) for name, pos in found.items())


def find_agencies(text: str) -> list[tuple[int, str]]:
    """(position, canonical name) of each wire agency credited, first mention only."""
    found = []
    for name, words, pattern in _AGENCY_PATTERNS:
        if not any(w in text for w in words):
            continue
        match = pattern.search(text)
        if match:
            found.append((match.start(), name))
    return sorted(found)


def parse_text_metadata(text: str) -> TextMetadata:
    """Dateline, byline and credits of an article text (plain text, not HTML)."""
    if not isinstance(text, str) or not text.strip():
        return TextMetadata()
    reprints = find_reprint_sources(text)
    agencies = find_agencies(text)
    credited: list[str] = []
    for _, name in sorted(agencies + reprints):
        canonical = _canonical_agency(name)
        if canonical not in credited:
            credited.append(canonical)
    return TextMetadata(
        dateline=find_dateline(text),
        byline=find_byline(text),
        credited=credited,
        reprinted_from=list(dict.fromkeys(_canonical_agency(name) for _, name in reprints)),
    )


def _canonical_agency(outlet: str) -> str:
    """An agency's canonical name when a reprint source is an agency ("AP" -> "The Associated Press")."""
    return _AGENCY_ALIASES.get(outlet.lower().removeprefix("the "), _AGENCY_ALIASES.get(outlet.lower(), outlet))
