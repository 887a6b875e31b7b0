"""Articles as Parquet rows: the exchange format between the Spark engine, the driver and users.

One flat row per article with nested lists for sentences and junk, so Spark, DuckDB and pandas
read it without wiretrace. `read_input_rows` turns a user's Parquet corpus (columns named like the
JSONL fields: text/title/url/published/outlet/id) into `RawDocument`s with the same field
fallbacks as the JSONL reader (`Settings.text_fields` ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument, Removed, Sentence
from wiretrace.errors import Code

_STR_LIST = pa.list_(pa.string())
ARTICLE_SCHEMA = pa.schema(
    [
        ("content_hash", pa.string()),
        ("id", pa.string()),
        ("source", pa.string()),
        ("text", pa.string()),
        ("title", pa.string()),
        ("language", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("dateline", pa.string()),
        ("byline", pa.string()),
        ("credited", _STR_LIST),
        ("captions", _STR_LIST),
        ("removed", pa.list_(pa.struct([("text", pa.string()), ("reason", pa.string())]))),
        (
            "sentences",
            pa.list_(
                pa.struct(
                    [
                        ("index", pa.int32()),
                        ("paragraph", pa.int32()),
                        ("start", pa.int32()),
                        ("end", pa.int32()),
                        ("text", pa.string()),
                    ]
                )
            ),
        ),
    ]
)
_SCALARS = ("content_hash", "id", "source", "text", "title", "language", "outlet", "url", "published", "dateline",
            "byline")


def article_to_row(article: Article) -> dict[str, Any]:
    row = {name: getattr(article, name) for name in _SCALARS}
    row["credited"] = list(article.credited)
    row["captions"] = list(article.captions)
    row["removed"] = [{"text": r.text, "reason": r.reason} for r in article.removed]
    row["sentences"] = [
        {"index": s.index, "paragraph": s.paragraph, "start": s.start, "end": s.end, "text": s.text}
        for s in article.sentences
    ]
    return row


def row_to_article(row: Mapping[str, Any]) -> Article:
    """Inverse of `article_to_row`; accepts a dict or a pyspark Row (`asDict(recursive=True)` first)."""
    aid = row["id"]
    return Article(
        **{name: row[name] for name in _SCALARS},
        credited=list(row["credited"] or []),
        captions=list(row["captions"] or []),
        removed=[Removed(text=r["text"], reason=r["reason"]) for r in row["removed"] or []],
        sentences=[
            Sentence(aid, s["index"], s["paragraph"], s["start"], s["end"], s["text"]) for s in row["sentences"] or []
        ],
    )


def write_articles(articles: Iterable[Article], path: str | Path, rows_per_group: int = 10_000) -> Path:
    """Write articles to one Parquet file, in row groups (memory bounded by `rows_per_group`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, ARTICLE_SCHEMA, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for article in articles:
            batch.append(article_to_row(article))
            if len(batch) >= rows_per_group:
                writer.write_table(pa.Table.from_pylist(batch, schema=ARTICLE_SCHEMA))
                batch = []
        if batch or writer.schema is None:
            writer.write_table(pa.Table.from_pylist(batch, schema=ARTICLE_SCHEMA))
    return path


def read_articles(path: str | Path) -> list[Article]:
    """Articles from a Parquet file or folder written by `write_articles` (or by the Spark engine)."""
    table = pq.read_table(path, schema=ARTICLE_SCHEMA)
    return [row_to_article(r) for r in table.to_pylist()]


def is_parquet_input(path: str | Path) -> bool:
    """A `.parquet` file, or a folder holding `.parquet` files (a Spark/Hive dataset)."""
    p = Path(path)
    if p.is_file():
        return p.suffix == ".parquet"
    return p.is_dir() and any(p.glob("*.parquet"))


def _first(row: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return None


def raw_from_row(row: Mapping[str, Any], source: str, settings: Settings) -> RawDocument | InputError:
    """One input Parquet row as a `RawDocument`, with the JSONL reader's field fallbacks."""
    from wiretrace.ingest.html_head import looks_like_html

    text = _first(row, settings.text_fields)
    if not isinstance(text, str) or not text.strip():
        return InputError(source, f"{source}: no text field ({', '.join(settings.text_fields)})", Code.RECORD.value)
    if len(text.encode("utf-8", "surrogatepass")) > settings.max_article_bytes:
        return InputError(source, f"{source}: larger than max_article_bytes", Code.TOO_LARGE.value)
    ident = _first(row, settings.id_fields)
    published = _first(row, settings.date_fields)
    return RawDocument(
        id=str(ident) if ident is not None else source.rsplit("/", 1)[-1],
        source=source,
        content=text,
        is_html=looks_like_html(text),
        title=_str_or_none(_first(row, settings.title_fields)),
        url=_str_or_none(_first(row, settings.url_fields)),
        published=published.isoformat() if hasattr(published, "isoformat") else _str_or_none(published),
        outlet=_str_or_none(_first(row, settings.outlet_fields)),
    )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def read_input_rows(path: str | Path, settings: Settings) -> Iterator[RawDocument | InputError]:
    """Every row of a user's Parquet corpus (file or folder, files in sorted order) as RawDocument."""
    p = Path(path)
    files = [p] if p.is_file() else sorted(p.glob("*.parquet"))
    for file in files:
        try:
            parquet = pq.ParquetFile(file)
            k = 0
            for batch in parquet.iter_batches(batch_size=1024):
                for row in batch.to_pylist():
                    yield raw_from_row(row, f"{file}#{k}", settings)
                    k += 1
        except Exception as exc:  # a corrupt file is an input error, never a crash of the run
            yield InputError(str(file), f"{file}: unreadable Parquet ({type(exc).__name__}: {exc})"[:500],
                             Code.UNREADABLE.value)
