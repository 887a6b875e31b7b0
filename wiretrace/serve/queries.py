"""Read queries over the store for the web app: paged, parameterised, one DuckDB cursor per call.

The store file is ATTACHed (as `store`) to an in-memory DuckDB database that also holds two derived
tables, `article_index` and `story_index`: lower-cased search columns, snippets, sentence counts and
story sizes, so a request scans a few precomputed columns instead of lower-casing every text and
regrouping `story_articles` each time. A read-only store cannot change, so the tables are built once
at startup (about the size of the stored text in memory); with writes allowed they are views over
the live tables instead, same columns, same queries.

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
       a.content_hash
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
       row_number() OVER (ORDER BY coalesce(c.n, 0) DESC, s.id) AS rank,
       lower(s.id) AS id_lc, lower(coalesce(s.label, '')) AS label_lc,
       lower(array_to_string(s.outlets, ' ')) AS outlets_lc
FROM store.stories s
LEFT JOIN (SELECT story, count(*) AS n FROM store.story_articles GROUP BY story) c ON c.story = s.id
"""
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

    def stories(self, q: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Stories, largest first; `q` matches the id, label or an outlet."""
        limit, offset = clamp(limit, offset)
        where, params = "", []
        if q:
            where = "WHERE contains(id_lc, lower(?)) OR contains(label_lc, lower(?)) OR contains(outlets_lc, lower(?))"
            params = [q] * 3
        with self.cursor() as cur:
            rows, total = self._page(cur, "data", "story_index", where, "rank", params, limit, offset)
        return Page([json.loads(r[0]) for r in rows], total, limit, offset)

    def story(self, story_id: str) -> dict[str, Any] | None:
        with self.cursor() as cur:
            row = cur.execute("SELECT data FROM store.stories WHERE id = ?", [story_id]).fetchone()
        return json.loads(row[0]) if row else None

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
        keys = ("id", "title", "outlet", "language", "published", "url", "source", "snippet", "length")
        with self.cursor() as cur:
            rows, total = self._page(cur, ", ".join(keys), "article_index", where, "id", params, limit, offset)
        return Page([dict(zip(keys, r)) for r in rows], total, limit, offset)

    def articles_by_id(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Full article documents (as in report.json) for the given ids."""
        ids = sorted(set(ids))
        if not ids:
            return {}
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
