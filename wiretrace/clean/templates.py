"""Corpus pass: paragraphs an outlet repeats across its articles are page templates.

Per outlet, because a quote shared by many outlets' versions of one story is story text, while a
line one site prints under every article ("Our journalism depends on you") is its template. One
pass counts hashed paragraph keys (blake2b of the normalised line, so linear in corpus size and
deterministic across processes); a second pass drops keys seen in `template_min_articles` articles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from wiretrace.clean.document import _BLANK, sentence_spans, to_sentences
from wiretrace.clean.header import normalise
from wiretrace.config import Settings
from wiretrace.data import Article, Removed

# If templates would take this share of an article's paragraphs or more, the "template" is more
# likely the same story republished by the outlet (an update), so that article is left whole.
MAX_TEMPLATE_SHARE = 0.6


def _key(outlet: str, paragraph: str) -> int | None:
    """128-bit key of (outlet, normalised paragraph): a template is per outlet (see module docstring)."""
    text = normalise(paragraph)
    if not text:
        return None
    digest = hashlib.blake2b(f"{outlet}\x00{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(digest, "big")


def _paragraphs(article: Article) -> list[str]:
    return [p for p in _BLANK.split(article.text) if p.strip()]


_LOW = (1 << 64) - 1
_FLUSH = 1 << 16  # keys buffered as Python ints before they are packed into a numpy block


class Templates:
    """The template paragraphs of a corpus, found in one streaming pass; `strip` applies them to one article.

    Counting keeps 16 bytes per (article, distinct paragraph) in numpy blocks rather than a dict of
    every paragraph key (~200 bytes an entry), and only the keys seen in `template_min_articles`
    articles are kept afterwards, so a store's articles can be counted batch by batch and stripped
    later, when each is read again, without a corpus-wide list of articles.
    """

    def __init__(self, keys: frozenset[int] = frozenset()) -> None:
        self.keys = keys

    @classmethod
    def count(cls, articles: Iterable[Article], settings: Settings | None = None) -> Templates:
        min_articles = (settings or Settings()).template_min_articles
        blocks: list[np.ndarray] = []
        buffer: list[int] = []

        def pack() -> None:
            if buffer:
                blocks.append(np.array([[k >> 64, k & _LOW] for k in buffer], dtype=np.uint64).reshape(-1, 2))
                buffer.clear()

        for article in articles:
            if not article.outlet:
                continue
            buffer.extend({k for k in (_key(article.outlet, p) for p in _paragraphs(article)) if k is not None})
            if len(buffer) >= _FLUSH:
                pack()
        pack()
        if not blocks:
            return cls()
        keys, counts = np.unique(np.concatenate(blocks), axis=0, return_counts=True)
        kept = keys[counts >= min_articles].tolist()
        return cls(frozenset((hi << 64) | lo for hi, lo in kept))

    def strip(self, article: Article) -> Article:
        """`article` without its outlet's template paragraphs (reason "template"), or itself if it has none."""
        if not article.outlet or not self.keys:
            return article
        paragraphs = _paragraphs(article)
        flags = [_key(article.outlet, p) in self.keys for p in paragraphs]
        if not any(flags) or sum(flags) >= MAX_TEMPLATE_SHARE * len(paragraphs):
            return article
        return _without(article, paragraphs, flags)


def remove_templates(articles: list[Article], settings: Settings | None = None) -> list[Article]:
    """Articles with their outlet's recurring paragraphs removed (reason "template"); order kept."""
    templates = Templates.count(articles, settings)
    return [templates.strip(article) for article in articles]


def _without(article: Article, paragraphs: list[str], flags: list[bool]) -> Article:
    from dataclasses import replace

    text = "\n\n".join(p for p, flag in zip(paragraphs, flags, strict=True) if not flag)
    removed = [
        *article.removed,
        *(Removed(p, "template") for p, flag in zip(paragraphs, flags, strict=True) if flag),
    ]
    spans = sentence_spans(text, article.language)
    return replace(article, text=text, removed=removed, sentences=to_sentences(article.id, text, spans))
