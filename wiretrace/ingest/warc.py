"""WARC (and record-gzipped .warc.gz) reading with warcio: HTML and plain-text HTTP responses.

warcio does not report every kind of damage: a cut inside a gzipped record silently ends the
iteration, and a cut inside an uncompressed record yields a short record. So the reader checks two
things itself: that each record's payload was read to its declared Content-Length, and that nothing
but white space follows the end of the last complete record. Either failure yields W005 after the
records read before the damage.

id = the target URI (what a person recognises and what other tools key crawled pages by), else the
WARC-Record-ID without its angle brackets (kept in meta["warc_record_id"] either way); url = WARC-Target-URI;
published = the page's own publication time from its head when it has one, else WARC-Date (the
capture time, kept in meta["warc_date"] either way).
"""

from __future__ import annotations

from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from wiretrace.config import Settings
from wiretrace.data import InputError, RawDocument
from wiretrace.errors import Code
from wiretrace.ingest.decode import DecodeFailure, decode_bytes
from wiretrace.ingest.html_head import declared_charset, head_metadata, http_charset
from wiretrace.ingest.sources import Source

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
TAIL_CHECK_BYTES = 4_096


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


def _damaged(source: Source, count: int, what: str) -> InputError:
    reason = f"{source.name}: truncated or corrupt WARC after {_records(count)} ({what})"
    return InputError(source.name, reason, Code.WARC.value)


def _content_type(record) -> str:  # type: ignore[no-untyped-def]
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    if headers is None:
        return ""
    return (headers.get_header("Content-Type") or "").lower()


def _status_ok(record) -> bool:  # type: ignore[no-untyped-def]
    if record.rec_type != "response" or record.http_headers is None:
        return True
    return str(record.http_headers.get_statuscode() or "").startswith("2")


def _cut_short(raw_stream) -> bool:  # type: ignore[no-untyped-def]
    """Drain what the payload reader left (e.g. chunk trailers); True if the record ends early."""
    while getattr(raw_stream, "limit", 0) > 0:
        if not raw_stream.read(TAIL_CHECK_BYTES):
            return True
    return False


def _tail_is_blank(source: Source, end: int) -> bool:
    if source.path is None or source.size is None or end >= source.size:
        return True
    with open(source.path, "rb") as handle:
        handle.seek(end)
        return not handle.read(TAIL_CHECK_BYTES).strip()


def read_warc(source: Source, settings: Settings) -> Iterator[RawDocument | InputError]:
    """Yield one RawDocument per 2xx HTML/text response or resource record."""
    cap = settings.max_article_bytes
    count = 0  # records read completely (any type)
    end = 0  # byte offset just after the last complete record
    with source.open_raw() as raw:
        iterator = ArchiveIterator(raw)
        try:
            for record in iterator:
                content_type = _content_type(record)
                wanted = record.rec_type in ("response", "resource") and _status_ok(record)
                is_html = content_type.startswith(HTML_TYPES)
                if wanted and (is_html or content_type.startswith(TEXT_TYPES)):
                    item = _document(source, record, content_type, is_html, cap)
                    if item is None:
                        yield _damaged(source, count, "a record is cut short")
                        return
                    yield item
                elif _cut_short(record.raw_stream):  # skipped records must be whole too
                    yield _damaged(source, count, "a record is cut short")
                    return
                iterator.read_to_end(record)
                count += 1
                end = iterator.get_record_offset() + iterator.get_record_length()
        except (ArchiveLoadFailed, ValueError, AttributeError, IndexError, KeyError) as exc:
            yield _damaged(source, count, str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
            return
    if count == 0:
        yield _damaged(source, 0, "no WARC record found")
    elif not _tail_is_blank(source, end):
        yield _damaged(source, count, f"unreadable bytes after offset {end:,}")


def _document(source: Source, record, content_type: str, is_html: bool, cap: int):  # type: ignore[no-untyped-def]
    """The record as a RawDocument or InputError; None when the record is cut short."""
    headers = record.rec_headers
    record_id = (headers.get_header("WARC-Record-ID") or "").strip("<> ")
    uri = headers.get_header("WARC-Target-URI")
    ident = uri or record_id or f"{source.stem}#{record.rec_type}"
    name = f"{source.name}#{ident}"
    if (record.length or 0) > cap:
        reason = f"{name}: record of {record.length:,} bytes is larger than max_article_bytes ({cap:,} bytes)"
        return InputError(name, reason, Code.TOO_LARGE.value)
    payload = record.content_stream().read(cap + 1)
    if len(payload) > cap:
        reason = f"{name}: payload is larger than max_article_bytes ({cap:,} bytes)"
        return InputError(name, reason, Code.TOO_LARGE.value)
    if _cut_short(record.raw_stream):
        return None
    charset = http_charset(content_type) or (declared_charset(payload) if is_html else None)
    decoded = decode_bytes(payload, charset)
    if isinstance(decoded, DecodeFailure):
        return InputError(name, f"{name}: {decoded.reason}", decoded.code.value)
    warc_date = headers.get_header("WARC-Date")
    head = head_metadata(decoded.text) if is_html else {}
    meta = {
        "format": "warc", "encoding": decoded.encoding, "replaced": decoded.replaced, "warc_date": warc_date,
        "warc_record_id": record_id,
    }
    if "url" in head:
        meta["canonical"] = head.pop("url")
    head.setdefault("published", warc_date)
    return RawDocument(
        id=ident, source=name, content=decoded.text, is_html=is_html, url=uri, meta=meta, **head
    )
