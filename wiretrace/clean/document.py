"""From a RawDocument to an Article: extraction, junk removal, captions, language, sentences.

`clean_text` is the one-call API for plain text (like `trafilatura.extract` for HTML);
`clean_document` adds HTML extraction, metadata and the record bookkeeping around it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from wiretrace.clean.header import read_header
from wiretrace.clean.html import extract_html
from wiretrace.clean.junk import classify_line, ends_like_sentence, strip_bullet
from wiretrace.clean.language import detect_language
from wiretrace.clean.sentences import split_sentences
from wiretrace.clean.teasers import find_teaser_blocks
from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument, Removed, Sentence
from wiretrace.errors import Code

try:  # written in parallel by ingest; until it lands, the metadata fields stay empty
    from wiretrace.ingest.metadata import parse_text_metadata
except ImportError:  # pragma: no cover - depends on the other package
    parse_text_metadata = None

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK = re.compile(r"\n\s*\n")
_MAY_HEAD_A_BLOCK = ("caption", "call-to-action")  # line reasons that a teaser block may absorb
_LOWER_START = re.compile(r"^[^\W\d_]", re.UNICODE)


@dataclass(slots=True)
class CleanResult:
    """What `clean_text` found: the body, and everything taken out of it."""

    text: str  # paragraphs separated by a blank line
    title: str | None = None
    byline: str | None = None
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, paragraph)


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: every line is one, except hard-wrapped lines, which are joined.

    A line is a hard wrap of the next when it does not end like a sentence and the next line
    starts in lower case: scraped pages put one paragraph per line, e-mail style text wraps.
    """
    paragraphs: list[str] = []
    for block in _BLANK.split(normalise_text(text)):
        current = ""
        for line in (ln for ln in block.split("\n") if ln.strip()):
            if current and not ends_like_sentence(current) and _LOWER_START.match(line) and line[0].islower():
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return paragraphs


def clean_paragraphs(
    paragraphs: list[str], known_title: str | None = None, language: str | None = None
) -> CleanResult:
    """Apply header, teaser-block and line rules; keep the rest as the body."""
    reasons: dict[int, str] = {}
    header = read_header(paragraphs, known_title)
    for index, reason in header.removed:
        reasons[index] = reason
    metadata = {i for i in (header.title_index,) if i is not None}
    body_start = max([*reasons, *metadata], default=-1) + 1
    removed_units: list[tuple[int, Removed]] = []
    for i in range(len(paragraphs)):
        reason = None if i in reasons or i in metadata else classify_line(paragraphs[i])
        if reason:
            reasons[i] = reason
    settled = {i for i, r in reasons.items() if r not in _MAY_HEAD_A_BLOCK}
    for block in find_teaser_blocks(paragraphs, body_start, skip=settled):
        if block.heading is not None:
            reasons[block.heading] = "teaser-block"
            removed_units.append(
                (block.heading, Removed(strip_bullet(paragraphs[block.heading]), "teaser-block"))
            )
        for item in block.items:
            for k in item:
                reasons[k] = "teaser-unit"
            removed_units.append(
                (item[0], Removed("\n".join(strip_bullet(paragraphs[k]) for k in item), "teaser-block"))
            )
    captions: list[str] = []
    kept: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        reason = reasons.get(i)
        if i in metadata:
            continue
        if reason is None:
            kept.append(paragraph)
        elif reason == "caption":
            captions.append(paragraph)
            removed_units.append((i, Removed(paragraph, reason)))
        elif reason not in ("teaser-block", "teaser-unit"):
            removed_units.append((i, Removed(paragraph, reason)))
    text = "\n\n".join(kept)
    result = CleanResult(
        text=text,
        title=header.title,
        byline=header.byline,
        captions=captions,
        removed=[r for _, r in sorted(removed_units, key=lambda pair: pair[0])],
    )
    result.language = language or detect_language(text)
    result.sentences = sentence_spans(text, result.language)
    return result


def sentence_spans(text: str, language: str | None) -> list[tuple[int, int, int]]:
    """Sentence spans with the index of the paragraph each falls in."""
    paragraph_starts = [0] + [m.end() for m in _BLANK.finditer(text)]
    spans: list[tuple[int, int, int]] = []
    paragraph = 0
    for start, end in split_sentences(text, language):
        while paragraph + 1 < len(paragraph_starts) and paragraph_starts[paragraph + 1] <= start:
            paragraph += 1
        spans.append((start, end, paragraph))
    return spans


def clean_text(text: str, language: str | None = None, title: str | None = None) -> CleanResult:
    """Clean a plain-text article in one call: junk out, captions apart, title, language, sentences."""
    return clean_paragraphs(split_paragraphs(text or ""), known_title=title, language=language)


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()


def to_sentences(article_id: str, text: str, spans: list[tuple[int, int, int]]) -> list[Sentence]:
    return [Sentence(article_id, i, p, s, e, text[s:e]) for i, (s, e, p) in enumerate(spans)]


def clean_document(doc: RawDocument, settings: Settings | None = None) -> Article | InputError:
    """Clean one RawDocument into an Article; never raises on bad input (W007/W010 instead)."""
    del settings  # no clean setting applies per document yet; kept for the stage contract
    try:
        return _clean_document(doc)
    except RecursionError:
        return InputError(doc.source, "input too deeply nested to clean", Code.HTML.value)
    except Exception as error:  # a hostile document must never stop a run
        return InputError(
            doc.source, f"cleaning failed: {type(error).__name__}: {error}"[:300], Code.NO_TEXT.value
        )


def _clean_document(doc: RawDocument) -> Article | InputError:
    title, url, published, outlet = doc.title, doc.url, doc.published, doc.outlet
    text = doc.content or ""
    if doc.is_html:
        page = extract_html(text, doc.source, url=doc.url)
        if isinstance(page, InputError):
            return page
        text = page.text
        title = title or page.title
        url = url or page.url
        published = published or page.published
        outlet = outlet or page.sitename
    result = clean_text(text, title=title)
    if not result.text.strip():
        return InputError(doc.source, "no article text left after cleaning", Code.NO_TEXT.value)
    article = Article(
        id=doc.id,
        source=doc.source,
        content_hash=content_hash(doc.content or ""),
        text=result.text,
        title=title or result.title,
        language=result.language,
        outlet=outlet,
        url=url,
        published=published,
        byline=result.byline,
        removed=result.removed,
        captions=result.captions,
        sentences=to_sentences(doc.id, result.text, result.sentences),
    )
    apply_text_metadata(article)
    return article


def apply_text_metadata(article: Article) -> None:
    """Dateline, byline and credited agencies from ingest's text-metadata parser, when present."""
    if parse_text_metadata is None:
        return
    try:
        meta = parse_text_metadata(article.text)
    except Exception:  # the parser is another package's; its failure must not lose the article
        return
    article.dateline = getattr(meta, "dateline", None) or article.dateline
    article.byline = getattr(meta, "byline", None) or article.byline
    article.credited = list(dict.fromkeys(getattr(meta, "credited", None) or []))
