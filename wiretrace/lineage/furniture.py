"""Page furniture among a version's sentences: headlines and bylines.

Outlets rewrite headlines and bylines as house style ("capsizes" for "capsized", a shorter headline,
their own writer's name), so these lines say nothing about who copied whom: lineage leaves them out
of its reading votes. The clean stage keeps the headline in the text when the page repeats it, so it
is found again here by comparing the first sentences with `Article.title` (the page title often
carries a " | Outlet" or " - Outlet" suffix). Datelines are handled by `credits.dateline`.
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
    """Indices of `texts` (the article's sentences) that are its headline or byline.

    A headline is one of the first sentences whose words are exactly the title's (or the title's
    leading segment's); a byline is a short first sentence opening with "By".
    """
    out: set[int] = set()
    titles = _title_variants(article.title) if isinstance(article.title, str) and article.title.strip() else []
    for i, text in enumerate(texts[:HEAD_SENTENCES]):
        words = lower_tokens(text)
        if not words:
            continue
        if any(words == t for t in titles) or (_BYLINE.match(text) and len(words) <= BYLINE_MAX_WORDS):
            out.add(i)
    return out
