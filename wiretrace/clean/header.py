"""The top of a plain-text article: section label, headline, repeated headline, byline, read time.

Only the "header zone" is examined: the paragraphs before the first body paragraph (a long line,
or one that reads as a sentence). There, a short label followed by a headline is a section label,
the first headline-shaped line is the title (metadata, so nothing is recorded in `removed`), a
copy of the title is a repeated title, and a name-shaped line after the title is the byline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from wiretrace.clean.junk import ends_like_sentence, read_time, share_line, strip_bullet, word_count, words

BODY_MIN_WORDS = 12  # a sentence-shaped line this long starts the body
BODY_ANY_WORDS = 25  # any line this long starts the body
TITLE_MAX_WORDS = 25
SECTION_MAX_WORDS = 3
BYLINE_MAX_WORDS = 8
_BYLINE_PREFIX = re.compile(r"^(?:by|von|por|par|de|written\s+by|text:|autor(?:in)?:|auteur\s*:)\s+\S", re.I)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-.]*|[A-Z]\.|(?:de|van|von|del|da|di|la|le|bin|al)-?)$")
_MONTH = (
    r"(?:jan\w*|feb\w*|mar\w*|apr\w*|may|mai|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|okt\w*|nov\w*|dec\w*|"
    r"dez\w*|ene\w*|abr\w*|ago\w*|dic\w*|janv\w*|févr\w*|avr\w*|juil\w*|déc\w*|märz|mayo|mars|juin)"
)
_DATE_LINE = re.compile(
    r"^(?:\w+,?\s+)?(?:\d{1,2}\.?\s+" + _MONTH + r"\.?,?\s+\d{4}|" + _MONTH + r"\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4})(?:[,\s]+(?:at\s+|um\s+|a\s+las\s+|à\s+)?\d{1,2}[:.h]\d{2}\s*\w{0,4})?\W*$",
    re.I,
)


@dataclass(slots=True)
class Header:
    title: str | None = None
    byline: str | None = None
    removed: list[tuple[int, str]] = field(default_factory=list)  # (paragraph index, reason)
    title_index: int | None = None


def normalise(line: str) -> str:
    """Case-, accent- and punctuation-insensitive key for comparing lines."""
    text = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(re.findall(r"\w+", text))


def is_body(line: str) -> bool:
    n = word_count(line)
    return n >= BODY_ANY_WORDS or (n >= BODY_MIN_WORDS and ends_like_sentence(line))


def looks_like_headline(line: str) -> bool:
    text = strip_bullet(line)
    n = word_count(text)
    return (
        2 <= n <= TITLE_MAX_WORDS
        and not text.endswith((".", ",", ";"))
        and (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘«¿¡")
    )


def looks_like_byline(line: str) -> bool:
    text = strip_bullet(line)
    tokens = words(text)
    if not tokens or len(tokens) > BYLINE_MAX_WORDS:
        return False
    if _BYLINE_PREFIX.match(text) and not ends_like_sentence(text):
        return True
    # A bare name: two to four capitalised tokens ("Jane Q. Doe", "María de la Cruz").
    capitalised = [t for t in tokens if t[0].isupper()]
    return 2 <= len(tokens) <= 4 and len(capitalised) >= 2 and all(_NAME_TOKEN.match(t) for t in tokens)


def looks_like_section(line: str) -> bool:
    text = strip_bullet(line)
    return (
        1 <= word_count(text) <= SECTION_MAX_WORDS
        and len(text) <= 40
        and not ends_like_sentence(text)
        and not any(c.isdigit() for c in text)
    )


def read_header(paragraphs: list[str], known_title: str | None = None) -> Header:
    """Find title, byline and header junk among the paragraphs before the body starts."""
    header = Header()
    zone_end = next((i for i, p in enumerate(paragraphs) if is_body(p)), len(paragraphs))
    if zone_end == len(paragraphs):
        return header  # no body: nothing can be told apart from a headline
    title_key = normalise(known_title) if known_title else None
    for i in range(zone_end):
        line = paragraphs[i]
        key = normalise(line)
        if not key:
            continue
        if reason := read_time(line) or share_line(line):
            header.removed.append((i, reason))
        elif title_key and key == title_key:
            header.removed.append((i, "repeated-title"))
        elif (
            header.title is None
            and not known_title
            and looks_like_section(line)
            and any(
                looks_like_headline(p) and not looks_like_section(p) for p in paragraphs[i + 1 : zone_end]
            )
        ):
            header.removed.append((i, "section-label"))
        elif header.title is None and not known_title and looks_like_headline(line):
            header.title, header.title_index, title_key = strip_bullet(line), i, key
        elif (header.title or known_title) and header.byline is None and looks_like_byline(line):
            header.byline = strip_bullet(line)
            header.removed.append((i, "byline"))
        elif _DATE_LINE.match(strip_bullet(line)):
            header.removed.append((i, "date-line"))
    return header
