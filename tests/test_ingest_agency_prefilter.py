"""`find_agencies` skips an agency's regex when none of its required words is in the text: that
must never change what it finds. Checked against running every agency's full regex on texts built
from each pattern's own contexts (for every agency), near misses, and real multilingual news from
../shared when it is present.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wiretrace.ingest.metadata import _AGENCY_PATTERNS, AGENCIES, find_agencies

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _every_pattern(text: str) -> list[tuple[int, str]]:
    """The reference: every agency's combined regex, no pre-filter."""
    found = []
    for name, (_, patterns) in AGENCIES.items():
        match = re.search("|".join(f"(?:{p})" for p in patterns), text)
        if match:
            found.append((match.start(), name))
    return sorted(found)


def _built_texts() -> list[str]:
    """Contexts around each acronym and each agency's name, in several languages, plus near misses."""
    contexts = [
        "KABUL ({x}) — Officials said.",
        "told {x} on Monday",
        "according to the {x}",
        "{x} reported that",
        "{x} Photo by Jane Doe",
        "{x}/Jane Doe",
        "© 2021 {x}",
        "Copyright The {x}",
        "según la agencia {x}",
        "selon l'{x}",
        "laut der Nachrichtenagentur {x}",
        "the {x} news agency said",
        "({x}-Weltnachrichten)",
        "via {x}",
        "The {x}-led team",
        "{x}s",
        "x{x}y",
        "{x} ",
        "lo riferisce l'agenzia {x}",
    ]
    words = set()
    for name, (acronym, _) in AGENCIES.items():
        words.update([name, name.removeprefix("The "), *name.split()])
        if acronym:
            words.update([acronym, acronym.lower(), acronym.upper()])
    words.update(["dpa", "dpa-AFX", "Deutschen Presse-Agentur", "France Presse", "Anadolu Ajansı"])
    texts = [c.format(x=w) for w in sorted(words) for c in contexts]
    texts += ["", "no agency here at all", "CAPITAL APPROVED", "Press the button. India won.", "(AP)" * 3]
    return texts


def _shared_texts(limit: int = 600) -> list[str]:
    out: list[str] = []
    path = SHARED / "data" / "semeval2022_task8_subset" / "pairs_original_text.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines()[: limit // 2]:
            row = json.loads(line)
            out += [row.get("text1") or "", row.get("text2") or ""]
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        out += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.rglob("*")) if p.is_file()][:20]
    return out


def test_every_pattern_spells_its_required_word():
    for name, words, pattern in _AGENCY_PATTERNS:
        assert words, name
        assert all(w in pattern.pattern for w in words), name


def test_prefilter_finds_what_every_pattern_finds_on_built_texts():
    texts = _built_texts()
    hits = 0
    for text in texts:
        want = _every_pattern(text)
        assert find_agencies(text) == want, text
        hits += bool(want)
    assert hits > len(texts) // 3  # the built texts do exercise the patterns


def test_prefilter_finds_what_every_pattern_finds_on_real_news():
    texts = _shared_texts()
    if not texts:
        pytest.skip("../shared is absent")
    for text in texts:
        assert find_agencies(text) == _every_pattern(text)


def test_language_needs_min_letters_counted_exactly():
    """The letter count stops at MIN_LETTERS: a text just below gives None, just at it is judged."""
    from wiretrace.clean.language import MIN_LETTERS, detect_language

    below = " ".join(["ab"] * ((MIN_LETTERS - 1) // 2)) + " 1234567890 ... !!!"
    assert detect_language(below) is None
    assert detect_language("12345 !!! " * 50) is None  # many characters, no letters
    english = "The bridge reopened on Monday after repairs, officials in the city said."
    assert detect_language(english) == "en"
