"""Ingest: files, folders and stdin to `RawDocument`s, one `InputError` per bad input, never an exception.

`read_paths` is the stage's entry point. Formats and the decoding rule are documented in
`sources` (which format a file is), `decode` (bytes to text), `readers` and `warc` (one reader per
format). `metadata.parse_text_metadata` finds datelines, bylines and credits in article text.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from wiretrace.config import Settings
from wiretrace.data import InputError, RawDocument
from wiretrace.errors import Code
from wiretrace.ingest.readers import READERS
from wiretrace.ingest.sources import EXTENSIONS, Source, iter_sources

__all__ = ["EXTENSIONS", "READERS", "read_paths", "read_source"]


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


def read_source(source: Source, settings: Settings) -> Iterator[RawDocument | InputError]:
    """Read one Source with its format's reader, turning any failure into an InputError.

    Records yielded before a failure stay yielded: a truncated .jsonl.gz keeps its first records.
    """
    count = 0
    name = source.name
    try:
        for item in READERS[source.format](source, settings):
            if isinstance(item, RawDocument):
                count += 1
            yield item
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        detail = str(exc) or type(exc).__name__
        reason = f"{name}: truncated or corrupt gzip stream after {_records(count)} ({detail})"
        yield InputError(name, reason, Code.GZIP.value)
    except RecursionError:
        yield InputError(name, f"{name}: nested too deeply to parse", Code.HTML.value)
    except MemoryError:
        yield InputError(name, f"{name}: ran out of memory after {_records(count)}", Code.TOO_LARGE.value)
    except OSError as exc:
        reason = f"{name}: cannot be read after {_records(count)} ({exc.strerror or exc})"
        yield InputError(name, reason, Code.UNREADABLE.value)
    except Exception as exc:  # a bad input must never stop the run
        reason = f"{name}: unreadable after {_records(count)} ({type(exc).__name__}: {exc})"
        yield InputError(name, reason[:500], Code.UNREADABLE.value)


def read_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], settings: Settings | None = None
) -> Iterator[RawDocument | InputError]:
    """Every article in `paths` (files, folders read recursively in sorted order, "-" for stdin).

    Never raises for a bad input: yields an InputError naming the file and what is wrong instead.
    """
    settings = settings or Settings()
    if isinstance(paths, str | Path | os.PathLike):
        paths = [paths]
    for item in paths:
        for source in iter_sources(item):
            if isinstance(source, InputError):
                yield source
            else:
                yield from read_source(source, settings)
