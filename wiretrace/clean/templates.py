"""Corpus pass: paragraphs an outlet repeats across its articles are page templates.

Per outlet, because a quote shared by many outlets' versions of one story is story text, while a
line one site prints under every article ("Our journalism depends on you") is its template. One
pass counts hashed paragraph keys (blake2b of the normalised line, so linear in corpus size and
deterministic across processes); a second pass drops keys seen in `template_min_articles` articles.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from wiretrace.clean.document import _BLANK, sentence_spans, to_sentences
from wiretrace.clean.header import normalise
from wiretrace.config import Settings
from wiretrace.data import Article, Removed

# If templates would take this share of an article's paragraphs or more, the "template" is more
# likely the same story republished by the outlet (an update), so that article is left whole.
MAX_TEMPLATE_SHARE = 0.6


def _key(paragraph: str) -> bytes | None:
    text = normalise(paragraph)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).digest() if text else None


def _paragraphs(article: Article) -> list[str]:
    return [p for p in _BLANK.split(article.text) if p.strip()]


def remove_templates(articles: list[Article], settings: Settings | None = None) -> list[Article]:
    """Articles with their outlet's recurring paragraphs removed (reason "template"); order kept."""
    min_articles = (settings or Settings()).template_min_articles
    counts: dict[tuple[str, bytes], int] = defaultdict(int)
    for article in articles:
        if not article.outlet:
            continue
        for key in {k for k in map(_key, _paragraphs(article)) if k is not None}:
            counts[(article.outlet, key)] += 1
    out: list[Article] = []
    for article in articles:
        if not article.outlet:
            out.append(article)
            continue
        paragraphs = _paragraphs(article)
        flags = [counts.get((article.outlet, _key(p) or b""), 0) >= min_articles for p in paragraphs]
        if not any(flags) or sum(flags) >= MAX_TEMPLATE_SHARE * len(paragraphs):
            out.append(article)
            continue
        out.append(_without(article, paragraphs, flags))
    return out


def _without(article: Article, paragraphs: list[str], flags: list[bool]) -> Article:
    from dataclasses import replace

    text = "\n\n".join(p for p, flag in zip(paragraphs, flags, strict=True) if not flag)
    removed = [
        *article.removed,
        *(Removed(p, "template") for p, flag in zip(paragraphs, flags, strict=True) if flag),
    ]
    spans = sentence_spans(text, article.language)
    return replace(article, text=text, removed=removed, sentences=to_sentences(article.id, text, spans))
