"""Read queries over the store for the web app: paged, parameterised, one DuckDB cursor per call.

The store file is ATTACHed (as `store`) to an in-memory DuckDB database that also holds two derived
tables, `article_index` and `story_index`: lower-cased search columns, snippets, sentence counts and
story sizes, so a request scans a few precomputed columns instead of lower-casing every text and
regrouping `story_articles` each time. A read-only store cannot change, so the tables are built once
at startup (about the size of the stored text in memory); with writes allowed they are views over
the live tables instead, same columns, same queries.

A read-only store also gets `_ReadOnlyIndex` at startup: searches are answered from in-memory
token and column indexes (search_index.py) and listing rows kept as JSON strings, and a story page
needs no query. Every answer equals the SQL path's (tests/test_serve_search_index.py checks this).

Text search is a case-insensitive substring match (`contains(lower column, lower(?))`): DuckDB's
full-text extension would have to be downloaded. User input is only ever a bound parameter, never
part of the SQL.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np

from wiretrace.data import Article, Report
from wiretrace.report import report_dict
from wiretrace.store import Store

MAX_LIMIT = 200  # the largest page any listing returns
SNIPPET_CHARS = 240

_ARTICLE_INDEX = f"""
SELECT a.id, a.title, a.outlet, a.language, a.published, a.url, a.source,
       left(a.text, {SNIPPET_CHARS}) AS snippet, length(a.text) AS length,
       lower(coalesce(a.title, '')) AS title_lc, lower(a.text) AS text_lc,
       lower(coalesce(a.outlet, '')) AS outlet_lc, left(a.published, 10) AS day,
       a.content_hash, row_number() OVER (ORDER BY a.id) - 1 AS rank
FROM store.articles a
"""
_ARTICLE_EXTRAS = """
SELECT a.content_hash, coalesce(n.sentences, 0) AS sentence_count, coalesce(r.removed, []) AS removed
FROM store.articles a
LEFT JOIN (SELECT content_hash, count(*) AS sentences FROM store.sentences GROUP BY content_hash) n
       ON n.content_hash = a.content_hash
LEFT JOIN (SELECT content_hash, list({'text': text, 'reason': reason} ORDER BY idx) AS removed
           FROM store.removed GROUP BY content_hash) r
       ON r.content_hash = a.content_hash
"""
_STORY_INDEX = """
SELECT s.id, s.data, coalesce(c.n, 0) AS size,
       row_number() OVER (ORDER BY coalesce(c.n, 0) DESC, s.id) - 1 AS rank,
       lower(s.id) AS id_lc, lower(coalesce(s.label, '')) AS label_lc,
       lower(array_to_string(s.outlets, ' ')) AS outlets_lc
FROM store.stories s
LEFT JOIN (SELECT story, count(*) AS n FROM store.story_articles GROUP BY story) c ON c.story = s.id
"""
_LISTING_KEYS = ("id", "title", "outlet", "language", "published", "url", "source", "snippet", "length")
_ARTICLE_KEYS = (
    "content_hash",
    "id",
    "source",
    "title",
    "language",
    "outlet",
    "url",
    "published",
    "dateline",
    "byline",
    "credited",
    "captions",
    "text",
)


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}


def clamp(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))


def _placeholders(n: int) -> str:
    """`?, ?, ...`: an IN list DuckDB can plan as point lookups (IN (SELECT unnest(?)) scans)."""
    return ", ".join(["?"] * n)


class StoreReader:
    """The queries behind every page and API route; safe to call from many threads at once."""

    def __init__(self, path: str, allow_writes: bool = False) -> None:
        self.path = path
        self.allow_writes = allow_writes
        if allow_writes:
            Store(path).close()  # creates the file and its tables if missing
        self.con = duckdb.connect(":memory:")
        quoted = path.replace("'", "''")
        self.con.execute(f"ATTACH '{quoted}' AS store{'' if allow_writes else ' (READ_ONLY)'}")
        kind = "VIEW" if allow_writes else "TABLE"
        self.con.execute(f"CREATE {kind} article_index AS {_ARTICLE_INDEX}")
        self.con.execute(f"CREATE {kind} article_extras AS {_ARTICLE_EXTRAS}")
        self.con.execute(f"CREATE {kind} story_index AS {_STORY_INDEX}")
        self.write_lock = threading.Lock()
        self.index: _ReadOnlyIndex | None = None if allow_writes else _ReadOnlyIndex(self.con)

    def close(self) -> None:
        self.con.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own for one request (a DuckDB connection is not shared across threads)."""
        return self.con.cursor()

    def store(self, cur: duckdb.DuckDBPyConnection) -> Store:
        """A `Store` over this cursor (switched to the store's catalog), to reuse its readers and writers."""
        cur.execute("USE store")
        st = Store.__new__(Store)
        st.path, st.con = self.path, cur
        return st

    def lower(self, text: str) -> str:
        """`text` lower-cased exactly as DuckDB's lower() did the indexed columns."""
        if text.isascii():
            return text.lower()
        with self.cursor() as cur:
            return cur.execute("SELECT lower(?)", [text]).fetchone()[0]

    @staticmethod
    def _page(cur: duckdb.DuckDBPyConnection, columns: str, table: str, where: str, order: str,
              params: list[Any], limit: int, offset: int) -> tuple[list[tuple], int]:
        """One page of rows and the number of all matches, in one scan (the count is a window)."""
        rows = cur.execute(
            f"SELECT {columns}, count(*) OVER () FROM {table} {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        if rows:
            return [r[:-1] for r in rows], rows[0][-1]
        total = cur.execute(f"SELECT count(*) FROM {table} {where}", params).fetchone()[0] if offset else 0
        return [], total

    # -- stories --------------------------------------------------------------------------

    def stories(self, q: str | None = None, limit: int = 50, offset: int = 0, listing: bool = False) -> Page:
        """Stories, largest first; `q` matches the id, label or an outlet.

        `listing`: for a list of stories (a row each), without the keys only a story page shows
        (`LISTING_OMITS`: four fifths of a story's JSON); over a read-only store that is cheaper.
        """
        limit, offset = clamp(limit, offset)
        if self.index is not None:
            ranks = self.index.stories.mask(self.lower(q)) if q else None
            page, total = self.index.page(ranks, self.index.story_count, limit, offset)
            data = self.index.story_rows if listing else self.index.story_data
            return Page([json.loads(data[r]) for r in page], total, limit, offset)
        where, params = "", []
        if q:
            where = "WHERE contains(id_lc, lower(?)) OR contains(label_lc, lower(?)) OR contains(outlets_lc, lower(?))"
            params = [q] * 3
        with self.cursor() as cur:
            rows, total = self._page(cur, "data", "story_index", where, "rank", params, limit, offset)
        stories = [json.loads(r[0]) for r in rows]
        if listing:
            stories = [{k: v for k, v in d.items() if k not in LISTING_OMITS} for d in stories]
        return Page(stories, total, limit, offset)

    def story(self, story_id: str) -> dict[str, Any] | None:
        with self.cursor() as cur:
            row = cur.execute("SELECT data FROM store.stories WHERE id = ?", [story_id]).fetchone()
        return json.loads(row[0]) if row else None

    def story_with_articles(self, story_id: str) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
        """A story and its versions' full documents (over a read-only store, from memory)."""
        if self.index is None:
            story = self.story(story_id)
            return story, (self.articles_by_id(story["articles"]) if story else {})
        rank = self.index.story_rank.get(story_id)
        if rank is None:
            return None, {}
        story = json.loads(self.index.story_data[rank])
        return story, self.articles_by_id(story["articles"])

    def story_ids_by_size(self) -> list[str]:
        """Every story id, largest story first (the home page's order)."""
        if self.index is not None:
            return list(self.index.story_rank)
        with self.cursor() as cur:
            return [r[0] for r in cur.execute("SELECT id FROM story_index ORDER BY rank").fetchall()]

    def stories_of(self, article_id: str) -> list[dict[str, Any]]:
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT s.data FROM store.stories s JOIN store.story_articles sa ON sa.story = s.id"
                " WHERE sa.article = ? ORDER BY s.id",
                [article_id],
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    # -- articles -------------------------------------------------------------------------

    def articles(
        self,
        q: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Articles by id; `q` matches title or text, `outlet` the outlet, dates the published prefix."""
        limit, offset = clamp(limit, offset)
        conds, params = [], []
        if q:
            conds.append("(contains(title_lc, lower(?)) OR contains(text_lc, lower(?)))")
            params += [q, q]
        if outlet:
            conds.append("contains(outlet_lc, lower(?))")
            params.append(outlet)
        if date_from:
            conds.append("day >= ?")
            params.append(date_from[:10])
        if date_to:
            conds.append("day <= ?")
            params.append(date_to[:10])
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        keys = _LISTING_KEYS
        if self.index is not None:
            rows = self.index.article_rows(
                self.lower(q) if q else None, self.lower(outlet) if outlet else None, date_from, date_to
            )
            if rows is not None:  # else a needle with whitespace: the scan below answers
                page, total = self.index.page(rows, self.index.article_count, limit, offset)
                return Page([json.loads(self.index.listings[r]) for r in page], total, limit, offset)
        with self.cursor() as cur:
            rows, total = self._page(cur, ", ".join(keys), "article_index", where, "id", params, limit, offset)
        return Page([dict(zip(keys, r)) for r in rows], total, limit, offset)

    def articles_by_id(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Full article documents (as in report.json) for the given ids."""
        ids = sorted(set(ids))
        if not ids:
            return {}
        if self.index is not None:  # one query, serialised by DuckDB: cheaper than converting its lists in Python
            with self.cursor() as cur:
                rows = cur.execute(
                    f"SELECT a.id, a.content_hash, {_ARTICLE_ONLY_DOC} FROM store.articles a"
                    f" WHERE a.id IN ({_placeholders(len(ids))})",
                    ids,
                ).fetchall()
            extras = self.index.extras
            return {i: json.loads(doc[:-1] + "," + extras.get(h, NO_EXTRAS) + "}") for i, h, doc in sorted(rows)}
        columns = ", ".join(f"a.{k}" for k in _ARTICLE_KEYS)
        with self.cursor() as cur:
            rows = cur.execute(
                f"SELECT {columns}, e.removed, e.sentence_count FROM store.articles a"
                " LEFT JOIN article_extras e ON e.content_hash = a.content_hash"
                f" WHERE a.id IN ({_placeholders(len(ids))}) ORDER BY a.id",
                ids,
            ).fetchall()
        out = {}
        for r in rows:
            d = dict(zip(_ARTICLE_KEYS, r))
            d["credited"], d["captions"] = list(d["credited"] or []), list(d["captions"] or [])
            d["removed"] = [{"text": x["text"], "reason": x["reason"]} for x in r[-2] or []]
            d["sentence_count"] = r[-1] or 0
            out[d["id"]] = d
        return out

    def article(self, article_id: str) -> dict[str, Any] | None:
        return self.articles_by_id([article_id]).get(article_id)

    # -- the whole report, and writes -----------------------------------------------------

    def report(self, version: str) -> dict[str, Any]:
        """The same document as report.json, built from the store (linear in its size)."""
        from wiretrace.config import Settings

        with self.cursor() as cur:
            st = self.store(cur)
            rep = Report(
                articles=st.articles(),
                stories=st.stories(),
                errors=st.errors(),
                settings=Settings().to_dict(),
                version=version,
            )
        return report_dict(rep)

    def add_articles(self, articles: list[Article]) -> int:
        """Write cleaned articles (only when the server was started with writes allowed)."""
        if not self.allow_writes:
            raise PermissionError("the store is open read-only")
        with self.write_lock, self.cursor() as cur:
            return self.store(cur).add_articles(articles)


_ARTICLE_ONLY_DOC = "to_json({" + ", ".join(f"'{k}': a.{k}" for k in _ARTICLE_KEYS) + "})::VARCHAR"
NO_EXTRAS = '"removed":[],"sentence_count":0'  # the JSON members an article without extras gets
LISTING_OMITS = ("lineage", "consensus")  # story keys a row in a list of stories never shows
DUCKDB_HEADROOM = 96_000_000  # bytes DuckDB may use beyond its in-memory tables (cache, sorts) on a read-only store
BATCH_ROWS = 2_000  # texts fetched at a time while the token index is built


class _ReadOnlyIndex:
    """What a read-only store adds at startup so each request is a lookup, not a scan.

    Each DuckDB query costs about a millisecond, most of a page's time, so a story page or a search
    without whitespace in its text makes none (a text with whitespace still scans `article_index`):
    the token and column indexes (search_index.py) turn a search into sorted ranks, and what a
    page shows is kept in memory as JSON strings (serialised once by DuckDB at startup; converting
    its list and struct columns to Python per request cost more than the query): each article's
    listing row (metadata and snippet) by rank, each story's JSON whole and as a list row. Full
    article texts stay in the store file, read by id when a story or article page first renders
    (one query; the page cache then keeps the page): a third copy of every text in Python cost
    more memory than that query costs time. DuckDB's own memory is then capped near its in-memory
    tables, so the file blocks it cached while building them are released.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        from wiretrace.serve.search_index import DayColumn, JoinedStrings, TokenIndex

        with con.cursor() as cur:
            # Removed junk and sentence counts by content hash, as JSON members (without the braces) to
            # append to an article's document: joining them in SQL tripled the cost of a lookup by id.
            cur.execute(
                "SELECT content_hash, to_json({'removed': removed, 'sentence_count': sentence_count})::VARCHAR"
                " FROM article_extras"
            )
            self.extras: dict[str, str] = {}
            while batch := cur.fetchmany(BATCH_ROWS):
                self.extras.update((h, doc[1:-1]) for h, doc in batch if h is not None)
            cur.execute("SELECT title_lc || chr(10) || text_lc FROM article_index ORDER BY rank")

            def texts():
                while batch := cur.fetchmany(BATCH_ROWS):
                    yield from (r[0] for r in batch)

            self.tokens = TokenIndex(texts())
            listing = "to_json({" + ", ".join(f"'{k}': {k}" for k in _LISTING_KEYS) + "})::VARCHAR"
            rows = cur.execute(f"SELECT outlet_lc, day, {listing} FROM article_index ORDER BY rank").fetchall()
            self.outlets = JoinedStrings([r[0] for r in rows])
            self.days = DayColumn([r[1] for r in rows])
            self.listings = [r[2] for r in rows]
            rows = cur.execute("SELECT id_lc, label_lc, outlets_lc, data, id FROM story_index ORDER BY rank").fetchall()
        self.story_data = [r[3] for r in rows]
        self.story_rank = {r[4]: n for n, r in enumerate(rows)}
        self.story_rows = [
            json.dumps({k: v for k, v in json.loads(d).items() if k not in LISTING_OMITS}) for d in self.story_data
        ]
        self.article_count = len(self.listings)
        self.story_count = len(rows)
        self.stories = JoinedStrings([v for r in rows for v in r[:3]], per_row=3)  # id, label or outlets
        # Only what the index needs stays in DuckDB's memory: the attached file's blocks it cached
        # while these tables were built are let go (the file stays the source of article texts).
        con.execute("DROP TABLE article_extras")  # now in `extras`
        used = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0] or 0
        con.execute(f"SET memory_limit = '{(used + DUCKDB_HEADROOM) // 1_000_000}MB'")

    def article_rows(self, q_lc: str | None, outlet_lc: str | None, date_from: str | None,
                     date_to: str | None) -> np.ndarray | None:
        """Ranks of the articles matching every given filter, or None if `q_lc` needs a scan."""
        mask = None
        if q_lc:
            found = self.tokens.matching_rows(q_lc)
            if found is None:
                return None
            mask = np.zeros(self.article_count, dtype=bool)
            mask[found] = True
        for test in (
            self.outlets.mask(outlet_lc) if outlet_lc else None,
            self.days.at_least(date_from) if date_from else None,
            self.days.at_most(date_to) if date_to else None,
        ):
            if test is not None:
                mask = test if mask is None else mask & test
        return np.ones(self.article_count, dtype=bool) if mask is None else mask

    @staticmethod
    def page(mask: np.ndarray | None, count: int, limit: int, offset: int) -> tuple[list[int], int]:
        """(ranks of one page, number of all matches) for a row mask; None means every row."""
        if mask is None:
            return list(range(min(offset, count), min(offset + limit, count))), count
        ranks = np.flatnonzero(mask)
        return ranks[offset : offset + limit].tolist(), len(ranks)
