"""Turn what a user typed (files, folders, "-") into `Source`s: a name, a format and a way to open it.

Format rule: the extension decides (``.gz`` is stripped first and means "decompress on the fly").
A file with an extension wiretrace does not read is refused with W008 without being opened. A file
with *no* extension (or a suffix that is not a word, such as ``story.2021-10-09``) is sniffed from its
first bytes: HTML if it starts like an HTML document, JSONL if its first line is a JSON object, a
JSON array if it starts with ``[``, else plain text (binary files fail later with W002). Standard
input is sniffed the same way.

Folders are walked recursively; hidden files and folders (name starting with ".") are skipped,
symbolic links to folders are not followed, and files come in sorted order of their relative path,
so two runs over the same tree read the same records in the same order.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wiretrace.data import InputError
from wiretrace.errors import Code
from wiretrace.ingest.html_head import looks_like_html

STDIN = "-"
STDIN_NAME = "<stdin>"
SNIFF_BYTES = 8_192

# extension -> format; the readers module registers one reader per format
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".warc": "warc",
}
_EXTENSION_LIKE = re.compile(r"\.[A-Za-z][A-Za-z0-9_]{0,15}")


@dataclass(slots=True)
class Source:
    """One input file (or stdin) and the format it will be read as."""

    name: str  # what an InputError and RawDocument.source show: the path, or <stdin>
    stem: str  # default id for a single-article file
    format: str  # a key of EXTENSIONS' values
    path: Path | None = None
    compressed: bool = False  # a .gz to decompress while reading
    size: int | None = None  # bytes on disk (before decompression); None for stdin
    stream: BinaryIO | None = None  # set for stdin (already sniffed)

    def open(self) -> BinaryIO:
        """The decompressed byte stream; the caller closes it."""
        if self.stream is not None:
            return self.stream
        assert self.path is not None
        if self.compressed:
            return gzip.open(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")  # the caller closes it

    def open_raw(self) -> BinaryIO:
        """The bytes as stored (for WARC, whose reader handles per-record gzip itself)."""
        if self.stream is not None:
            return self.stream
        assert self.path is not None
        return open(self.path, "rb")


class PrefixedStream(io.RawIOBase):
    """A read-only stream that replays `prefix`, then continues with `rest` (used after sniffing).

    `error`, if given, is raised once the prefix is used up: the damage met while reading the prefix,
    reported only after the records before it were read.
    """

    def __init__(self, prefix: bytes, rest: BinaryIO, error: BaseException | None = None) -> None:
        self._prefix = memoryview(prefix)
        self._read = getattr(rest, "read1", rest.read)  # one raw read at a time: no data lost on damage
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self._prefix.nbytes:
            n = min(len(buffer), self._prefix.nbytes)
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        if self._error is not None:
            raise self._error
        data = self._read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


def read_sample(stream: BinaryIO, size: int) -> tuple[bytes, BaseException | None]:
    """Up to `size` bytes, and the damage (truncated gzip) that stopped the read early, if any."""
    read = getattr(stream, "read1", stream.read)
    parts: list[bytes] = []
    got = 0
    try:
        while got < size:
            chunk = read(size - got)
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return b"".join(parts), exc
    return b"".join(parts), None


def sniff_format(sample: bytes) -> str:
    """The format of an extension-less input judged on its first bytes (see the module rule)."""
    text = sample.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if looks_like_html(text):
        return "html"
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        first_line, newline, _ = text.partition("\n")
        if newline:
            try:
                if isinstance(json.loads(first_line), dict):
                    return "jsonl"
            except ValueError:
                pass
        return "json"
    return "text"


def _split_extension(name: str) -> tuple[str | None, bool]:
    """(extension or None, compressed) for a file name; None means "no extension: sniff"."""
    lowered = name.lower()
    compressed = False
    if lowered.endswith(".gz") and len(lowered) > 3:
        compressed = True
        lowered = lowered[:-3]
    suffix = os.path.splitext(lowered)[1]
    if not suffix or not _EXTENSION_LIKE.fullmatch(suffix):
        return None, compressed
    return suffix, compressed


def _stem(name: str) -> str:
    base = name[:-3] if name.lower().endswith(".gz") else name
    stem = os.path.splitext(base)[0]
    return stem or base


def _sniff_file(path: Path, compressed: bool) -> str:
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        return sniff_format(handle.read(SNIFF_BYTES))


def source_for_file(path: Path, name: str | None = None) -> Source | InputError:
    """The Source for one file, or an InputError (W008 unknown extension, W011 unreadable)."""
    name = name or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return InputError(name, f"{name}: cannot be read ({exc.strerror or exc})", Code.UNREADABLE.value)
    extension, compressed = _split_extension(path.name)
    if extension == ".warc":
        # warcio reads record-compressed .warc.gz itself
        return Source(name, _stem(path.name), "warc", path, compressed=False, size=size)
    if extension is None:
        try:
            fmt = _sniff_file(path, compressed)
        except (OSError, EOFError) as exc:
            code = Code.GZIP if compressed else Code.UNREADABLE
            return InputError(name, f"{name}: cannot be read ({exc})", code.value)
    elif extension in EXTENSIONS:
        fmt = EXTENSIONS[extension]
    else:
        known = " ".join(sorted(EXTENSIONS))
        reason = f"{name}: unknown extension {extension} (wiretrace reads {known}, each optionally .gz)"
        return InputError(name, reason, Code.UNKNOWN_FORMAT.value)
    return Source(name, _stem(path.name), fmt, path, compressed=compressed, size=size)


def source_for_stdin(stdin: BinaryIO | None = None) -> Source:
    """Standard input, sniffed: JSONL, a JSON array, HTML or plain text."""
    if stdin is None:
        stdin = getattr(sys.stdin, "buffer", None) or io.BytesIO(sys.stdin.read().encode("utf-8"))
    sample = stdin.read(SNIFF_BYTES)
    stream = io.BufferedReader(PrefixedStream(sample, stdin))
    return Source(STDIN_NAME, "stdin", sniff_format(sample), None, stream=stream)  # type: ignore[arg-type]


IGNORE_FILE = ".wiretraceignore"


def _ignore_patterns(folder: Path) -> list[str]:
    """Glob patterns from `folder/.wiretraceignore` (one a line, `#` comments, `dir/` for folders).

    Corpus folders often hold notes, ground truth or scripts beside the articles; this keeps
    them out without renaming anything, like a `.gitignore`.
    """
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _ignored(rel: str, is_dir: bool, patterns: list[tuple[Path, list[str]]], path: Path) -> bool:
    for base, pats in patterns:
        try:
            sub = path.relative_to(base).as_posix()
        except ValueError:
            continue
        for pat in pats:
            if pat.endswith("/"):
                if is_dir and (fnmatch.fnmatch(sub, pat[:-1]) or fnmatch.fnmatch(path.name, pat[:-1])):
                    return True
            elif fnmatch.fnmatch(sub, pat) or fnmatch.fnmatch(path.name, pat):
                return True
    return False


def _walk(root: Path) -> Iterator[Path]:
    """Files under `root` in sorted order of their relative path, skipping hidden and ignored ones."""
    found: list[tuple[tuple[str, ...], Path]] = []
    patterns: list[tuple[Path, list[str]]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        own = _ignore_patterns(base)
        if own:
            patterns.append((base, own))
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not _ignored(d, True, patterns, base / d)
        )
        rel = base.relative_to(root).parts
        for filename in filenames:
            if filename.startswith("."):
                continue
            path = base / filename
            if _ignored(filename, False, patterns, path):
                continue
            if path.is_file():
                found.append(((*rel, filename), path))
    found.sort(key=lambda item: item[0])
    for _, path in found:
        yield path


def iter_sources(item: str | os.PathLike[str]) -> Iterator[Source | InputError]:
    """Sources for one command-line item: a file, a folder (recursive) or "-" for stdin."""
    if str(item) == STDIN:
        yield source_for_stdin()
        return
    path = Path(item)
    name = str(item)
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as exc:
        yield InputError(name, f"{name}: cannot be read ({exc})", Code.UNREADABLE.value)
        return
    if not exists:
        yield InputError(name, f"{name}: no such file or folder", Code.UNREADABLE.value)
    elif is_dir:
        for file in _walk(path):
            yield source_for_file(file)
    elif not path.is_file():
        yield InputError(name, f"{name}: not a regular file", Code.UNREADABLE.value)
    else:
        yield source_for_file(path, name)
