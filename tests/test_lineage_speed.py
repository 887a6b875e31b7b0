"""Lineage's memoised credit reads answer exactly as a fresh read would, whatever was asked before."""

from __future__ import annotations

from wiretrace.data import Article
from wiretrace.lineage.credits import (
    AGENCY_PATTERNS,
    _agencies_in_text,
    _outlet_agency,
    credited_agencies,
    outlet_agency,
)


def _article(text: str, credited: list[str] | None = None, id: str = "x") -> Article:
    return Article(id=id, source=id, content_hash=id, text=text, credited=credited or [])


def _fresh_scan(text: str) -> list[str]:
    import re

    return sorted(name for name, pattern in AGENCY_PATTERNS.items() if re.search(pattern, text))


def test_cached_credit_read_matches_a_fresh_scan_and_is_not_shared():
    texts = [
        "LONDON (Reuters) - Shares fell.",
        "The minister told The Associated Press that AFP was wrong.",
        "Nothing credited here.",
        "",
    ]
    _agencies_in_text.cache_clear()
    for _ in range(2):  # the second round is answered from the cache
        for k, text in enumerate(texts):
            found = credited_agencies(_article(text, id=str(k)))
            assert found == _fresh_scan(text)
            found.append("mutated by a caller")  # must not leak into the next answer
    assert _agencies_in_text.cache_info().hits >= len(texts)


def test_filled_credit_field_wins_over_a_cached_text_read():
    text = "LONDON (Reuters) - Shares fell."
    assert credited_agencies(_article(text)) == ["Reuters"]
    assert credited_agencies(_article(text, credited=["AFP", "AFP"])) == ["AFP"]


def test_cached_outlet_agency_handles_hostile_names():
    _outlet_agency.cache_clear()
    for _ in range(2):
        assert outlet_agency("apnews.com") == "The Associated Press"
        assert outlet_agency("Reuters") == "Reuters"
        assert outlet_agency("Local Gazette") is None
        assert outlet_agency(None) is None
        assert outlet_agency("") is None
        assert outlet_agency(["not", "a", "name"]) is None  # unhashable junk never reaches the cache
    assert _outlet_agency.cache_info().hits >= 3
