"""Who a version credits, and its dateline: the clean stage's fields, or a fallback read of the text.

The fallback is a short list of wire agencies (and the outlets most often named as the reprint a
copy came through), matched as a person would: "(AP)", "told The Associated Press", "Reuters
reported". It is a fallback only: `Article.credited` / `Article.dateline` win when filled.
"""

from __future__ import annotations

import re

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
    return sorted(name for name in AGENCY_PATTERNS if _COMPILED[name].search(article.text or ""))


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
