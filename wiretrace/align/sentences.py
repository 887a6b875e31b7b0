"""The sentence units the aligner works on, and the token views it compares.

The clean stage fills `Article.sentences`; when it is empty (an Article built by hand, or a
stage run on its own) we fall back to pysbd over blank-line paragraphs, so align never needs
the clean stage to run first.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from wiretrace.data import Article

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)
_PARAGRAPH = re.compile(r"\n\s*\n")
# "in August.Senior officials": a sentence boundary whose space was lost in HTML extraction.
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_SEGMENTER_LOCK = threading.Lock()
# pysbd knows these languages; others fall back to English rules (good enough for . ! ? splits).
_PYSBD_LANGS = {
    "en",
    "de",
    "es",
    "fr",
    "it",
    "nl",
    "pl",
    "ru",
    "ar",
    "zh",
    "ja",
    "da",
    "el",
    "fa",
    "hi",
    "hy",
    "am",
    "bg",
    "mr",
    "my",
    "ur",
    "sk",
    "kk",
}


@lru_cache(maxsize=32)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def split_text(text: str, language: str | None = None) -> list[tuple[int, str]]:
    """(paragraph number, sentence) for a plain text, paragraphs split on blank lines."""
    lang = language if language in _PYSBD_LANGS else "en"
    out: list[tuple[int, str]] = []
    for p_index, paragraph in enumerate(p for p in _PARAGRAPH.split(text or "") if p.strip()):
        for line in paragraph.split("\n"):  # a single newline inside a paragraph still ends a line
            if not line.strip():
                continue
            line = _GLUED.sub(" ", line)
            with _SEGMENTER_LOCK:
                spans = _segmenter(lang).segment(line)
            for span in spans:
                sentence = span.sent.strip()
                if _WORD.search(sentence):
                    out.append((p_index, sentence))
    return out


def sentence_texts(article: Article) -> list[str]:
    """The article's sentences in reading order: `Article.sentences` or a fallback split."""
    if article.sentences:
        return [s.text for s in sorted(article.sentences, key=lambda s: s.index)]
    return [s for _, s in split_text(article.text, article.language)]


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Case-, quote- and space-folded text, so typographic differences do not count as edits."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Word tokens as written (case kept: capitalisation marks proper nouns)."""
    return list(_cached_tokens(text))


@lru_cache(maxsize=65536)
def _cached_tokens(text: str) -> tuple[str, ...]:
    # lineage compares each sentence with many others: tokenise it once
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text)))


def lower_tokens(text: str) -> list[str]:
    return [t.casefold() for t in tokens(text)]
