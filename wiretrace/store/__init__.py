"""The embedded store: one DuckDB file holding articles, sentences, junk, errors and results.

Why DuckDB: a single file, transactional (a run killed with SIGKILL loses at most the batch it
was writing, never half of one), columnar and fast for the corpus-wide scans later stages make,
and it reads and writes Parquet for the Spark engine.

Articles are keyed by `content_hash` (see `record_hash`), so ingesting the same input twice adds
nothing. Each batch of articles goes in with its sentences and junk in one transaction.

The story index (per-article features and verified pair scores, `wiretrace.stories.StoryIndex`) is
kept in the `story_index*` tables (`save_index`, one transaction, as soon as the stories are
grouped, so the index need not be held through the per-story stages); `save_stories(stories,
state=...)` then records which index state the stored stories came from, so the next run can trust
both together. Stores made before those tables existed gain them empty when opened (CREATE IF NOT
EXISTS): their first run rebuilds the index.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from wiretrace.data import (
    Article,
    ConsensusSentence,
    Drift,
    InputError,
    LineageEdge,
    Origin,
    RawDocument,
    Removed,
    Sentence,
    Story,
    Variant,
    plain,
)

SCHEMA_VERSION = 2  # 2: the story_index tables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    content_hash VARCHAR PRIMARY KEY,
    id VARCHAR NOT NULL UNIQUE,
    source VARCHAR NOT NULL,
    title VARCHAR, language VARCHAR, outlet VARCHAR, url VARCHAR, published VARCHAR,
    dateline VARCHAR, byline VARCHAR,
    credited VARCHAR[],
    captions VARCHAR[],
    text VARCHAR NOT NULL,
    seq BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS removed (
    content_hash VARCHAR NOT NULL, idx INTEGER NOT NULL, text VARCHAR, reason VARCHAR
);
CREATE TABLE IF NOT EXISTS sentences (
    content_hash VARCHAR NOT NULL, idx INTEGER NOT NULL, paragraph INTEGER,
    start_char INTEGER, end_char INTEGER, text VARCHAR
);
CREATE TABLE IF NOT EXISTS aliases (
    content_hash VARCHAR NOT NULL, source VARCHAR NOT NULL, PRIMARY KEY (content_hash, source)
);
CREATE TABLE IF NOT EXISTS errors (
    source VARCHAR NOT NULL, reason VARCHAR NOT NULL, code VARCHAR, run INTEGER,
    PRIMARY KEY (source, reason)
);
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY, label VARCHAR, languages VARCHAR[], outlets VARCHAR[],
    first_published VARCHAR, last_published VARCHAR, data JSON
);
CREATE TABLE IF NOT EXISTS story_articles (story VARCHAR NOT NULL, article VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS lineage (
    story VARCHAR NOT NULL, article VARCHAR NOT NULL, parent VARCHAR, relation VARCHAR,
    confidence DOUBLE, evidence VARCHAR[]
);
CREATE TABLE IF NOT EXISTS drift (
    story VARCHAR NOT NULL, kind VARCHAR, reading VARCHAR, severity VARCHAR, variants JSON
);
CREATE TABLE IF NOT EXISTS story_index (
    seq BIGINT NOT NULL, id VARCHAR NOT NULL, fingerprint VARCHAR,
    language VARCHAR, outlet VARCHAR, published VARCHAR, lead VARCHAR,
    day BIGINT, n_shingles BIGINT, n_chunks BIGINT,
    signature BLOB, anchor_signature BLOB, anchors BLOB, numbers BLOB, lead_numbers BLOB, chunks BLOB
);
CREATE TABLE IF NOT EXISTS story_index_pairs (
    a INTEGER NOT NULL, b INTEGER NOT NULL, score DOUBLE NOT NULL, candidate BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS story_index_templates (hi UBIGINT NOT NULL, lo UBIGINT NOT NULL);
"""
# No key constraints on the story_index tables: an article whose text changed is deleted and
# re-inserted in one transaction, which DuckDB's eager unique checks would refuse. `StoryIndex.from_arrow`
# checks that ids are distinct instead.
INDEX_ROWS_PER_INSERT = 8192
# DuckDB's memory while the index is written or read (it spills the rest to the store's file and temp
# folder). Its default, 80% of RAM, let a 100k-article index write hold 1.3 GB of transaction buffers
# on top of the index itself; capped, it holds ~0.5 GB, in about the same time (measured, 7.6-8.0 s).
INDEX_MEMORY_LIMIT = "512MB"
STORIES_PER_INSERT = 500  # stories whose rows `save_stories` makes and inserts at a time
INDEX_STATE = "story_index"  # meta key: fingerprint of the settings the stored index was built with
STORIES_STATE = "stories_index"  # meta key: the index fingerprint the stored stories were computed with


@dataclass(slots=True)
class IndexWrite:
    """What `save_index` writes of the story index, in one transaction.

    `rows` (tables of rows, in row order, made one at a time so that a large index is not copied
    whole) are appended after the stored ones once the stored rows of `dropped` ids are deleted, or
    replace every stored row when `reset`; `pairs` and `templates` replace theirs.
    """

    state: str
    rows: Iterable[pa.Table]
    pairs: pa.Table
    templates: list[int] = field(default_factory=list)  # 128-bit template keys the text was stripped of
    dropped: list[str] = field(default_factory=list)
    reset: bool = False


def record_hash(doc: RawDocument) -> str:
    """The store key of a raw record: its content and the metadata that make it one publication.

    The id is part of the key on purpose: two outlets publishing the very same text are two
    versions of a story (verbatim reprints), not one article. Re-reading the same input gives
    the same key, which is what makes ingest idempotent.
    """
    payload = json.dumps([doc.id, doc.url, doc.outlet, doc.published, doc.title, doc.content], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    """A wiretrace store in one DuckDB file (or `:memory:`)."""

    def __init__(self, path: str | Path = "wiretrace.duckdb", read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(self.path, read_only=read_only)
        if not read_only:
            self.con.execute(_SCHEMA)  # also the migration: an older store gains the tables it lacks, empty
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None or not row[0].isdigit() or int(row[0]) < SCHEMA_VERSION:
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _insert(self, table: str, rows: list[tuple], mode: str = "") -> None:
        """Bulk insert through Arrow: DuckDB's executemany binds row by row and is ~100x slower."""
        if not rows:
            return
        columns = [c[0] for c in self.con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        data = pa.table({name: [r[i] for r in rows] for i, name in enumerate(columns)})
        self.con.register("_wiretrace_rows", data)
        try:
            self.con.execute(f"INSERT {mode} INTO {table} SELECT * FROM _wiretrace_rows")
        finally:
            self.con.unregister("_wiretrace_rows")

    # -- articles -------------------------------------------------------------------------

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The subset of `hashes` already stored."""
        hashes = list(hashes)
        if not hashes:
            return set()
        rows = self.con.execute(
            "SELECT content_hash FROM articles WHERE content_hash IN (SELECT unnest(?))", [hashes]
        ).fetchall()
        return {r[0] for r in rows}

    def add_articles(self, articles: list[Article]) -> int:
        """Insert a batch in one transaction; articles already present are skipped. Returns the count added."""
        if not articles:
            return 0
        known = self.known_hashes(a.content_hash for a in articles)
        fresh: list[Article] = []
        seen: set[str] = set()
        for a in articles:
            if a.content_hash in known or a.content_hash in seen:
                continue
            seen.add(a.content_hash)
            fresh.append(a)
        if not fresh:
            return 0
        self.con.execute("BEGIN TRANSACTION")
        try:
            seq = self.con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
            wanted = sorted({a.id for a in fresh})
            owner = dict(
                self.con.execute(
                    "SELECT id, content_hash FROM articles WHERE id IN (SELECT unnest(?))", [wanted]
                ).fetchall()
            )
            taken: set[str] = set()
            for a in fresh:
                if owner.get(a.id, a.content_hash) != a.content_hash or a.id in taken:
                    a.id = f"{a.id}~{a.content_hash[:8]}"  # two different files may share a stem
                taken.add(a.id)
                for s in a.sentences:
                    s.article = a.id
            rows = []
            for a in fresh:
                seq += 1
                rows.append(
                    (
                        a.content_hash,
                        a.id,
                        a.source,
                        a.title,
                        a.language,
                        a.outlet,
                        a.url,
                        a.published,
                        a.dateline,
                        a.byline,
                        a.credited,
                        a.captions,
                        a.text,
                        seq,
                    )
                )
            self._insert("articles", rows)
            removed = [(a.content_hash, i, r.text, r.reason) for a in fresh for i, r in enumerate(a.removed)]
            if removed:
                self._insert("removed", removed)
            sents = [(a.content_hash, s.index, s.paragraph, s.start, s.end, s.text) for a in fresh for s in a.sentences]
            if sents:
                self._insert("sentences", sents)
            self._insert("aliases", [(a.content_hash, a.source) for a in fresh], "OR IGNORE")
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return len(fresh)

    def add_aliases(self, pairs: list[tuple[str, str]]) -> None:
        """Record (content_hash, source) for records already stored: a re-run touches every one."""
        self._insert("aliases", sorted(set(pairs)), "OR IGNORE")

    def count_articles(self) -> int:
        return self.con.execute("SELECT count(*) FROM articles").fetchone()[0]

    _ARTICLE_COLUMNS = (
        "content_hash, id, source, title, language, outlet, url, published, dateline, byline,"
        " credited, captions, text, seq"
    )

    def iter_articles(self, batch_size: int = 2000) -> Iterator[Article]:
        """All articles in ingest order, with their junk and sentences, read in batches."""
        last = 0
        while True:
            rows = self.con.execute(
                f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                [last, batch_size],
            ).fetchall()
            if not rows:
                return
            last = rows[-1][-1]
            yield from self._build_articles(rows)

    def article_ids(self) -> list[str]:
        """Every stored article id, in ingest order (ids only: no text is read)."""
        return [r[0] for r in self.con.execute("SELECT id FROM articles ORDER BY seq").fetchall()]

    def articles_by_ids(self, ids: list[str], batch_size: int = 2000) -> Iterator[Article]:
        """The stored articles with these ids, in the order of `ids` (unknown ids are skipped), read
        `batch_size` at a time: later stages read only the articles they work on, not the corpus."""
        for start in range(0, len(ids), batch_size):
            wanted = ids[start : start + batch_size]
            rows = self.con.execute(
                f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id IN (SELECT unnest(?))", [wanted]
            ).fetchall()
            by_id = {a.id: a for a in self._build_articles(rows)}
            yield from (by_id[i] for i in wanted if i in by_id)

    def _build_articles(self, rows: list[tuple]) -> Iterator[Article]:
        """Articles from rows of `_ARTICLE_COLUMNS`, with their junk and sentences (two queries for all rows)."""
        if not rows:
            return
        hashes = [r[0] for r in rows]
        removed: dict[str, list[Removed]] = {h: [] for h in hashes}
        for h, _i, text, reason in self.con.execute(
            "SELECT content_hash, idx, text, reason FROM removed WHERE content_hash IN (SELECT unnest(?))"
            " ORDER BY content_hash, idx",
            [hashes],
        ).fetchall():
            removed[h].append(Removed(text=text, reason=reason))
        sentences: dict[str, list[tuple]] = {h: [] for h in hashes}
        for row in self.con.execute(
            "SELECT content_hash, idx, paragraph, start_char, end_char, text FROM sentences"
            " WHERE content_hash IN (SELECT unnest(?)) ORDER BY content_hash, idx",
            [hashes],
        ).fetchall():
            sentences[row[0]].append(row[1:])
        for r in rows:
            h, aid = r[0], r[1]
            yield Article(
                id=aid,
                source=r[2],
                content_hash=h,
                title=r[3],
                language=r[4],
                outlet=r[5],
                url=r[6],
                published=r[7],
                dateline=r[8],
                byline=r[9],
                credited=list(r[10] or []),
                captions=list(r[11] or []),
                text=r[12],
                removed=removed[h],
                sentences=[Sentence(aid, i, p, s, e, t) for i, p, s, e, t in sentences[h]],
            )

    def articles(self) -> list[Article]:
        return list(self.iter_articles())

    # -- errors ---------------------------------------------------------------------------

    def add_errors(self, errors: list[InputError], run: int) -> None:
        if errors:
            self._insert("errors", [(e.source, e.reason, e.code, run) for e in errors], "OR REPLACE")

    def errors(self) -> list[InputError]:
        rows = self.con.execute("SELECT source, reason, code FROM errors ORDER BY source, reason").fetchall()
        return [InputError(source=s, reason=r, code=c) for s, r, c in rows]

    def next_run(self) -> int:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'runs'").fetchone()
        run = int(row[0]) + 1 if row else 1
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('runs', ?)", [str(run)])
        return run

    # -- stories and what later stages learn of them --------------------------------------

    def save_stories(self, stories: list[Story], state: str | None = None) -> None:
        """Replace all stories and their results in one transaction, noting the state of the story
        index that grouped them (`save_index`'s) when given. Without one, the stored index stays (its
        features are still valid) but is not known to be the one these stories came from, so no later
        run reuses their per-story results.

        Rows are made and inserted STORIES_PER_INSERT stories at a time, DuckDB capped at
        INDEX_MEMORY_LIMIT meanwhile: their JSON and Arrow copies of every story at once, with DuckDB's
        default buffer, took ~0.5 GB beside the stories at 30k articles (the main process's peak)."""
        with self._index_memory():  # set before the transaction: DuckDB ignores it inside one
            self.con.execute("BEGIN TRANSACTION")
            try:
                for table in ("stories", "story_articles", "lineage", "drift"):
                    self.con.execute(f"DELETE FROM {table}")
                for start in range(0, len(stories), STORIES_PER_INSERT):
                    self._insert_stories(stories[start : start + STORIES_PER_INSERT])
                if state is None:
                    self.con.execute("DELETE FROM meta WHERE key = ?", [STORIES_STATE])
                else:
                    self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [STORIES_STATE, state])
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    def _insert_stories(self, stories: list[Story]) -> None:
        """The rows of `stories` in the stories, story_articles, lineage and drift tables."""
        rows = [
            (s.id, s.label, s.languages, s.outlets, s.first_published, s.last_published,
             json.dumps(s.to_dict(), ensure_ascii=False))
            for s in stories
        ]
        if rows:
            self._insert("stories", rows)
        members = [(s.id, a) for s in stories for a in s.articles]
        if members:
            self._insert("story_articles", members)
        edges = [(s.id, e.article, e.parent, e.relation, e.confidence, e.evidence) for s in stories for e in s.lineage]
        if edges:
            self._insert("lineage", edges)
        drift = [
            (s.id, d.kind, d.reading, d.severity, json.dumps([plain(v) for v in d.variants], ensure_ascii=False))
            for s in stories
            for d in s.drift
        ]
        if drift:
            self._insert("drift", drift)

    def stories(self) -> list[Story]:
        rows = self.con.execute("SELECT data FROM stories ORDER BY id").fetchall()
        return [story_from_dict(json.loads(r[0])) for r in rows]

    def stories_by_ids(self, ids: list[str], batch_size: int = 2000) -> dict[str, Story]:
        """The stored stories with these ids (unknown ids are absent), read `batch_size` at a time."""
        out: dict[str, Story] = {}
        for start in range(0, len(ids), batch_size):
            rows = self.con.execute(
                "SELECT id, data FROM stories WHERE id IN (SELECT unnest(?))", [ids[start : start + batch_size]]
            ).fetchall()
            out.update((sid, story_from_dict(json.loads(data))) for sid, data in rows)
        return out

    # -- the story index (see the module docstring) ---------------------------------------

    @contextmanager
    def _index_memory(self) -> Iterator[None]:
        """DuckDB capped at INDEX_MEMORY_LIMIT for an index or stories read or write (not in memory: it
        cannot spill)."""
        if self.path == ":memory:":
            yield
            return
        before = self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        self.con.execute(f"SET memory_limit = '{INDEX_MEMORY_LIMIT}'")
        try:
            yield
        finally:
            self.con.execute(f"SET memory_limit = '{before}'")

    def save_index(self, index: IndexWrite) -> None:
        """Write the story index in one transaction (DuckDB capped at INDEX_MEMORY_LIMIT meanwhile).

        Stored stories keep the state they were saved with (`save_stories`): a run killed between
        the two leaves an index that is ahead of the stories, which is safe, since a stored story is
        only reused when its members and their texts are all in the index unchanged."""
        with self._index_memory():  # DuckDB applies a memory limit set before, not inside, a transaction
            self.con.execute("BEGIN TRANSACTION")
            try:
                self._write_index(index)
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    def _write_index(self, index: IndexWrite) -> None:
        if index.reset:
            self.con.execute("DELETE FROM story_index")
        elif index.dropped:
            self.con.execute("DELETE FROM story_index WHERE id IN (SELECT unnest(?))", [sorted(set(index.dropped))])
        seq = self.con.execute("SELECT coalesce(max(seq), 0) + 1 FROM story_index").fetchall()[0][0]
        for rows in index.rows:
            for start in range(0, rows.num_rows, INDEX_ROWS_PER_INSERT):  # bounded buffers: a row carries ~3 KB
                part = rows.slice(start, INDEX_ROWS_PER_INSERT)
                self._insert_arrow("story_index", part.add_column(0, "seq", pa.array(
                    range(seq, seq + part.num_rows), pa.int64())))
                seq += part.num_rows
        self.con.execute("DELETE FROM story_index_pairs")
        if index.pairs.num_rows:
            self._insert_arrow("story_index_pairs", index.pairs)
        self.con.execute("DELETE FROM story_index_templates")
        keys = sorted(index.templates)
        if keys:
            self._insert_arrow("story_index_templates", pa.table({
                "hi": pa.array([k >> 64 for k in keys], pa.uint64()),
                "lo": pa.array([k & ((1 << 64) - 1) for k in keys], pa.uint64()),
            }))
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [INDEX_STATE, index.state])

    def _insert_arrow(self, table: str, data: pa.Table) -> None:
        """Insert an Arrow table by column name (its columns are a subset of the table's)."""
        names = ", ".join(data.column_names)
        self.con.register("_wiretrace_arrow", data)
        try:
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _wiretrace_arrow")
        finally:
            self.con.unregister("_wiretrace_arrow")

    def story_index_count(self) -> int:
        return self.con.execute("SELECT count(*) FROM story_index").fetchone()[0]

    def story_index_rows(self, batch_size: int = 4096) -> Iterator[pa.RecordBatch]:
        """The stored index rows in row order, as Arrow record batches (what `StoryIndex.from_arrow` reads)."""
        cursor = self.con.cursor()  # its own result: reading the batches lazily never blocks this connection
        try:
            with self._index_memory():
                yield from cursor.sql("SELECT * EXCLUDE (seq) FROM story_index ORDER BY seq").to_arrow_reader(
                    batch_size
                )
        finally:
            cursor.close()

    def story_index_pairs(self) -> pa.Table:
        cursor = self.con.cursor()
        try:
            return cursor.sql("SELECT a, b, score, candidate FROM story_index_pairs").to_arrow_table()
        finally:
            cursor.close()

    def story_index_templates(self) -> set[int]:
        """The template keys the stored index's articles were stripped of (128-bit ints)."""
        rows = self.con.execute("SELECT hi, lo FROM story_index_templates").fetchall()
        return {(hi << 64) | lo for hi, lo in rows}

    # -- key/value state for incremental stages (e.g. the story index) ----------------------

    def get_state(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def story_from_dict(d: dict[str, Any]) -> Story:
    """Rebuild a `Story` (with its nested records) from `Story.to_dict()`."""
    return Story(
        id=d["id"],
        articles=d["articles"],
        label=d.get("label", ""),
        languages=d.get("languages", []),
        outlets=d.get("outlets", []),
        first_published=d.get("first_published"),
        last_published=d.get("last_published"),
        origins=[Origin(**o) for o in d.get("origins", [])],
        lineage=[LineageEdge(**e) for e in d.get("lineage", [])],
        drift=[
            Drift(
                kind=x["kind"],
                reading=x["reading"],
                severity=x["severity"],
                variants=[Variant(**v) for v in x["variants"]],
            )
            for x in d.get("drift", [])
        ],
        consensus=[
            ConsensusSentence(
                text=c["text"],
                witnesses=c["witnesses"],
                addition=c.get("addition", False),
                variants=[Variant(**v) for v in c.get("variants", [])],
            )
            for c in d.get("consensus", [])
        ],
    )
