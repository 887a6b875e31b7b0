"""One reader per format: a generator from a `Source` to RawDocument | InputError.

Single-article formats (text, HTML) are size-checked before reading: by `stat` for plain files, by
reading at most ``max_article_bytes + 1`` decompressed bytes for .gz and stdin. Multi-record
formats (JSONL, CSV, JSON arrays, WARC) stream record by record, so memory stays bounded by the
largest record, never the file; a record over the limit is skipped with W006 and reading goes on.

Readers may raise on a damaged container (truncated gzip, I/O error): `wiretrace.ingest.read_paths`
turns that into an InputError and keeps the records read before the damage.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any, BinaryIO, TextIO

from wiretrace.config import Settings
from wiretrace.data import InputError, RawDocument
from wiretrace.errors import Code
from wiretrace.ingest.decode import SAMPLE_BYTES, DecodeFailure, decode_bytes, sniff_stream_encoding
from wiretrace.ingest.html_head import declared_charset, head_metadata
from wiretrace.ingest.records import record_to_document
from wiretrace.ingest.sources import PrefixedStream, Source, read_sample

Item = RawDocument | InputError
Reader = Callable[[Source, Settings], Iterator[Item]]

JSON_CHUNK_CHARS = 1 << 20
READ_CHUNK_BYTES = 1 << 20
CSV_DELIMITERS = (",", ";", "\t", "|")
_JSON_SPACE = re.compile(r"[ \t\n\r,]*")  # white space and the commas between array elements


def _too_large(name: str, size: str, cap: int) -> InputError:
    reason = f"{name}: {size} is larger than max_article_bytes ({cap:,} bytes)"
    return InputError(name, reason, Code.TOO_LARGE.value)


def _read_capped(source: Source, settings: Settings) -> bytes | InputError:
    """The whole (decompressed) content of a single-article source, or W006 without reading it all."""
    cap = settings.max_article_bytes
    if not source.compressed and source.size is not None and source.size > cap:
        return _too_large(source.name, f"{source.size:,} bytes", cap)
    limit = cap + 1
    if not source.compressed and source.size is not None:
        limit = source.size + 1  # a read(n) may allocate n bytes up front: never ask for the whole cap
    chunks: list[bytes] = []
    got = 0
    with closing(source.open()) as stream:
        while got < limit:
            chunk = stream.read(min(READ_CHUNK_BYTES, limit - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    data = b"".join(chunks)
    if len(data) > cap:
        return _too_large(source.name, "its content", cap)
    return data


def _failure(name: str, failure: DecodeFailure) -> InputError:
    return InputError(name, f"{name}: {failure.reason}", failure.code.value)


def read_text(source: Source, settings: Settings) -> Iterator[Item]:
    """A .txt/.md file: one article, id = file stem."""
    data = _read_capped(source, settings)
    if isinstance(data, InputError):
        yield data
        return
    decoded = decode_bytes(data)
    if isinstance(decoded, DecodeFailure):
        yield _failure(source.name, decoded)
        return
    meta = {"format": "text", "encoding": decoded.encoding, "replaced": decoded.replaced}
    yield RawDocument(id=source.stem, source=source.name, content=decoded.text, meta=meta)


def read_html(source: Source, settings: Settings) -> Iterator[Item]:
    """An .html file: one article kept as HTML (the clean stage extracts it), head metadata pulled."""
    data = _read_capped(source, settings)
    if isinstance(data, InputError):
        yield data
        return
    decoded = decode_bytes(data, declared_charset(data))
    if isinstance(decoded, DecodeFailure):
        yield _failure(source.name, decoded)
        return
    head = head_metadata(decoded.text)
    meta = {"format": "html", "encoding": decoded.encoding, "replaced": decoded.replaced}
    yield RawDocument(id=source.stem, source=source.name, content=decoded.text, is_html=True, meta=meta, **head)


def _text_stream(source: Source, stream: BinaryIO, newline: str | None = None) -> TextIO | InputError:
    """Wrap a byte stream for line-by-line reading, judging the encoding on its first 64 KB.

    Damage met within those 64 KB is raised only after the records before it have been read.
    """
    sample, damage = read_sample(stream, SAMPLE_BYTES)
    if damage is not None and not sample:
        raise damage
    encoding = sniff_stream_encoding(sample)
    if isinstance(encoding, DecodeFailure):
        if damage is not None:
            raise damage
        return _failure(source.name, encoding)
    replay = io.BufferedReader(PrefixedStream(sample, stream, damage))
    return io.TextIOWrapper(replay, encoding=encoding, errors="replace", newline=newline)


def _skip_rest_of_line(text: TextIO) -> None:
    while True:
        chunk = text.readline(JSON_CHUNK_CHARS)
        if not chunk or chunk.endswith("\n"):
            return


def read_jsonl(source: Source, settings: Settings) -> Iterator[Item]:
    """A .jsonl file: one JSON object per line; source = path#line, default id = stem#line."""
    cap = settings.max_article_bytes
    with closing(source.open()) as stream:
        text = _text_stream(source, stream)
        if isinstance(text, InputError):
            yield text
            return
        lineno = 0
        while True:
            line = text.readline(cap + 1)
            if not line:
                return
            lineno += 1
            name = f"{source.name}#{lineno}"
            if len(line) > cap and not line.endswith("\n"):
                _skip_rest_of_line(text)
                yield _too_large(name, "the record", cap)
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                reason = f"{name}: invalid JSON ({getattr(exc, 'msg', exc)})"
                yield InputError(name, reason, Code.RECORD.value)
                continue
            yield record_to_document(record, name, f"{source.stem}#{lineno}", settings)


def _json_array_items(text: TextIO, cap: int) -> Iterator[tuple[Any, None] | tuple[None, str]]:
    """Stream the elements of a top-level JSON array after its "[": (value, None) or (None, error)."""
    decoder = json.JSONDecoder()
    buffer = ""
    eof = False
    while True:
        buffer = buffer[_JSON_SPACE.match(buffer).end() :]  # type: ignore[union-attr]
        if not buffer and not eof:
            chunk = text.read(JSON_CHUNK_CHARS)
            eof = not chunk
            buffer = chunk
            continue
        if buffer.startswith("]"):
            return
        if not buffer:
            yield None, "the JSON array is not closed (truncated file?)"
            return
        try:
            value, end = decoder.raw_decode(buffer)
        except ValueError as exc:
            if eof:
                yield None, f"invalid JSON ({getattr(exc, 'msg', exc)})"
                return
            if len(buffer) > cap:
                yield None, "too-large"
                return
            chunk = text.read(max(JSON_CHUNK_CHARS, len(buffer)))  # doubling keeps re-parsing linear
            eof = not chunk
            buffer += chunk
            continue
        yield value, None
        buffer = buffer[end:]


def _only_list_of_objects(record: dict[str, Any]) -> list[Any] | None:
    """{"articles": [...]}-style wrappers: the one list-of-objects value, if there is exactly one."""
    lists = [v for v in record.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    return lists[0] if len(lists) == 1 else None


def read_json(source: Source, settings: Settings) -> Iterator[Item]:
    """A .json file: one object (one article, or a wrapper of one list of articles) or an array of objects.

    A top-level array is streamed element by element; a top-level object is read whole, up to
    max_article_bytes.
    """
    cap = settings.max_article_bytes
    with closing(source.open()) as stream:
        text = _text_stream(source, stream)
        if isinstance(text, InputError):
            yield text
            return
        head = text.read(SAMPLE_BYTES)
        start = head.lstrip()
        if start.startswith("["):
            body = io.StringIO(start[1:])
            items = _json_array_items(_Chain(body, text), cap)
            for index, (value, error) in enumerate(items, start=1):
                name = f"{source.name}#{index}"
                if error == "too-large":
                    yield _too_large(name, "the record", cap)
                elif error is not None:
                    yield InputError(name, f"{name}: {error}", Code.RECORD.value)
                else:
                    yield record_to_document(value, name, f"{source.stem}#{index}", settings)
            return
        rest = text.read(cap + 1 - len(head))
        if len(head) + len(rest) > cap:
            yield _too_large(source.name, "the JSON object", cap)
            return
        try:
            record = json.loads(head + rest)
        except ValueError as exc:
            reason = f"{source.name}: invalid JSON ({getattr(exc, 'msg', exc)})"
            yield InputError(source.name, reason, Code.RECORD.value)
            return
    document = record_to_document(record, source.name, source.stem, settings)
    wrapped = _only_list_of_objects(record) if isinstance(record, dict) else None
    if isinstance(document, InputError) and wrapped is not None:
        for index, value in enumerate(wrapped, start=1):
            name = f"{source.name}#{index}"
            yield record_to_document(value, name, f"{source.stem}#{index}", settings)
        return
    yield document


class _Chain:
    """Read from a StringIO first, then from a text stream (what was left after sniffing)."""

    def __init__(self, first: io.StringIO, then: TextIO) -> None:
        self._first, self._then = first, then

    def read(self, size: int) -> str:
        return self._first.read(size) or self._then.read(size)


def _delimiter(header: str, is_tsv: bool) -> str:
    if is_tsv:
        return "\t"
    return max(CSV_DELIMITERS, key=lambda d: (header.count(d), d == ","))


def read_csv(source: Source, settings: Settings) -> Iterator[Item]:
    """A .csv/.tsv file with a header row; source = path#row, default id = stem#row (row 1 = first data row).

    The delimiter is the most frequent of , ; tab | in the header line. Python's csv module has a
    process-wide field size limit; it is raised to max_article_bytes (never lowered).
    """
    cap = settings.max_article_bytes
    if csv.field_size_limit() < cap:
        csv.field_size_limit(cap)
    with closing(source.open()) as stream:
        text = _text_stream(source, stream, newline="")
        if isinstance(text, InputError):
            yield text
            return
        header = text.readline(cap)
        if not header.strip():
            yield InputError(source.name, f"{source.name}: has no header row", Code.EMPTY.value)
            return
        delimiter = _delimiter(header, source.name.lower().removesuffix(".gz").endswith(".tsv"))
        fieldnames = [name.strip() for name in next(csv.reader([header], delimiter=delimiter))]
        reader = csv.reader(text, delimiter=delimiter)
        row = 0
        while True:
            row += 1
            name = f"{source.name}#{row}"
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                code = Code.TOO_LARGE if "field larger" in str(exc) else Code.RECORD
                yield InputError(name, f"{name}: malformed CSV row ({exc})", code.value)
                continue
            if not any(v.strip() for v in values):
                row -= 1
                continue
            record = {key: value for key, value in zip(fieldnames, values, strict=False) if key}
            yield record_to_document(record, name, f"{source.stem}#{row}", settings)


def read_warc(source: Source, settings: Settings) -> Iterator[Item]:
    from wiretrace.ingest.warc import read_warc as _read_warc

    yield from _read_warc(source, settings)


READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "warc": read_warc,
}
