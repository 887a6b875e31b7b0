"""Page furniture among a version's sentences: headlines, bylines and sign-offs.

Outlets rewrite headlines and bylines as house style ("capsizes" for "capsized", a shorter headline,
their own writer's name), so these lines say nothing about who copied whom: lineage leaves them out
of its reading votes. A sign-off closing the story ("Jane Doe contributed to this report.", "This
story has been updated.") is a byline at the foot: copies trim or rewrite it as they please, so
neither its presence nor its absence says who copied whom. The clean stage keeps the headline in
the text when the page repeats it, so it is found again here by comparing the first sentences with
`Article.title` (the page title often carries a " | Outlet" or " - Outlet" suffix). Datelines are
handled by `credits.dateline`.
"""

from __future__ import annotations

import re

from wiretrace.align.sentences import lower_tokens
from wiretrace.data import Article

# Only the first sentences can be the headline or the byline (a repeated title further down is text).
HEAD_SENTENCES = 3
# "By Jane Doe and John Roe": a byline is short and opens with "By".
_BYLINE = re.compile(r"^\s*by\s+\S", re.IGNORECASE)
BYLINE_MAX_WORDS = 8
# "X contributed to this report", "Additional reporting by X", "This story has been updated": a
# credit or update note among the last sentences (English patterns: other languages are not read).
TAIL_SENTENCES = 2
SIGN_OFF_MAX_WORDS = 25
_SIGN_OFF = re.compile(
    r"contributed (?:to this (?:report|story|article)|reporting)"
    r"|^\s*(?:additional\s+)?(?:reporting|writing|editing) by\s"
    r"|^\s*this (?:story|article|report) (?:has been|was) (?:updated|corrected)",
    re.IGNORECASE,
)
# Title segments after one of these separators are the site's name, not the headline.
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")


def _title_variants(title: str) -> list[list[str]]:
    """The title's tokens, and the tokens of each of its leading segments ("Headline | Site")."""
    parts = _TITLE_SEPARATOR.split(title)
    variants = [lower_tokens(title)]
    for k in range(1, len(parts)):
        variants.append(lower_tokens(" ".join(parts[:k])))
    return [v for v in variants if v]


def furniture_sentences(article: Article, texts: list[str]) -> set[int]:
    """Indices of `texts` (the article's sentences) that are its headline, byline or sign-off.

    A headline is one of the first sentences whose words are exactly the title's (or the title's
    leading segment's); a byline is a short first sentence opening with "By"; a sign-off is a short
    last sentence crediting contributors or noting an update.
    """
    out: set[int] = set()
    titles = _title_variants(article.title) if isinstance(article.title, str) and article.title.strip() else []
    for i, text in enumerate(texts[:HEAD_SENTENCES]):
        words = lower_tokens(text)
        if not words:
            continue
        if any(words == t for t in titles) or (_BYLINE.match(text) and len(words) <= BYLINE_MAX_WORDS):
            out.add(i)
    for i in range(max(0, len(texts) - TAIL_SENTENCES), len(texts)):
        if _SIGN_OFF.search(texts[i]) and len(lower_tokens(texts[i])) <= SIGN_OFF_MAX_WORDS:
            out.add(i)
    return out
