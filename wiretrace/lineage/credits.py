"""Who a version credits, and its dateline: the clean stage's fields, or a fallback read of the text.

The fallback is a short list of wire agencies (and the outlets most often named as the reprint a
copy came through), matched as a person would: "(AP)", "told The Associated Press", "Reuters
reported". It is a fallback only: `Article.credited` / `Article.dateline` win when filled.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wiretrace.data import Article

AGENCY_PATTERNS: dict[str, str] = {
    "The Associated Press": (
        r"\(AP\)|\bAssociated Press\b|\bAP (?:Photo|reported|said)\b|\btold (?:the )?AP\b"
    ),
    "Reuters": r"\bReuters\b",
    "AFP": r"\bAFP\b|\bAgence France[- ]Presse\b",
    "dpa": r"\bdpa\b|\bDeutsche Presse-Agentur\b",
    "Xinhua": r"\bXinhua\b",
    "ANSA": r"\bANSA\b",
    "EFE": r"\bEFE\b",
    "UPI": r"\bUPI\b|\bUnited Press International\b",
    "Bloomberg": r"\bBloomberg\b",
}
# Outlets a copy often carries a trace of when it came through their reprint.
OUTLET_PATTERNS: dict[str, str] = {
    "Fox News": r"\bFox News\b",
    "CNN": r"\bCNN\b",
    "BBC": r"\bBBC\b",
    "Al Jazeera": r"\bAl[- ]Jazeera\b",
}
_COMPILED = {
    name: re.compile(p, re.IGNORECASE if name in OUTLET_PATTERNS else 0)
    for name, p in {**AGENCY_PATTERNS, **OUTLET_PATTERNS}.items()
}
# "KUNDUZ, Afghanistan (AP) —" or "LONDON (Reuters) -": a capitalised place, a credit, a dash.
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w .'-]{1,40})?\s*\((?:AP|Reuters|AFP|dpa)\))\s*[-—–]"
)


def credited_agencies(article: Article) -> list[str]:
    """Agencies the version credits (canonical names, sorted)."""
    if article.credited:
        return sorted(set(article.credited))
    return list(_agencies_in_text(article.text or ""))


@lru_cache(maxsize=2048)
def _agencies_in_text(text: str) -> tuple[str, ...]:
    """Agencies a text credits. Cached because lineage asks once per candidate pair, not per version
    (the same text object comes back, so a hit costs an identity check, not a scan)."""
    return tuple(sorted(name for name in AGENCY_PATTERNS if _COMPILED[name].search(text)))


def mentioned_outlets(article: Article) -> list[str]:
    """Outlets named in the text or in the page junk the clean stage took out (a reprint's app link)."""
    texts = [article.text or ""] + [r.text for r in article.removed]
    return sorted(name for name in OUTLET_PATTERNS if any(_COMPILED[name].search(t) for t in texts))


def dateline(article: Article) -> str | None:
    if article.dateline:
        return article.dateline
    for line in (article.text or "").splitlines()[:5]:
        found = _DATELINE.match(line)
        if found:
            return found.group(1).strip()
    return None


def outlet_agency(name: str | None) -> str | None:
    """The agency an outlet (or credit) name is, by ingest's agency list ("AP", "apnews.com",
    "The Associated Press" -> "The Associated Press"); None for any other outlet or no name."""
    if not name or not isinstance(name, str):
        return None
    return _outlet_agency(name)


@lru_cache(maxsize=4096)
def _outlet_agency(name: str) -> str | None:
    """`outlet_agency` of a non-empty name; cached because lineage asks for every pair it weighs."""
    from wiretrace.ingest.metadata import AGENCIES

    plain = name.strip().casefold().removeprefix("the ").strip()
    words = re.findall(r"[a-z]+", plain)
    for agency, (acronym, patterns) in AGENCIES.items():
        full = agency.casefold().removeprefix("the ")
        short = (acronym or "").casefold()
        prefixes = {full.replace(" ", ""), *((short, short + "news") if short else ())}
        if plain in {full, short} or (words and words[0] in prefixes):  # "AP", "apnews.com", "reuters.com"
            return agency
        if any(re.search(p, name) for p in patterns):
            return agency
    return None


def copied_from_agencies(article: Article) -> list[str]:
    """Agencies a version credits that it is not itself (canonical names, sorted).

    A version published by outlet X that credits agency Y != X is a copy of Y's wire: this is the
    evidence a standards desk reads first. Empty when the outlet is unknown (no evidence either way)
    or when the version is the agency's own.
    """
    own = outlet_agency(article.outlet)
    if not article.outlet:
        return []
    credited = {outlet_agency(c) or c for c in credited_agencies(article)}
    return sorted(c for c in credited if c != own)
