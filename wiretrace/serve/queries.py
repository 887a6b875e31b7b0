"""Read queries over the store for the web app: paged, parameterised, one DuckDB cursor per call.

Text search is a case-insensitive substring match (`col ILIKE ? ESCAPE`, wildcards in input escaped) over the
stored text: DuckDB's full-text extension would have to be downloaded, and a substring scan of
10,000 articles is fast enough in DuckDB's columnar engine. User input is only ever a bound
parameter, never part of the SQL.
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


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}


def like_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, its own % _ and backslash taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def clamp(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))


class StoreReader:
    """The queries behind every page and API route; safe to call from many threads at once."""

    def __init__(self, path: str, allow_writes: bool = False) -> None:
        self.path = path
        self.allow_writes = allow_writes
        # Store() opens the file (read_only unless writes are allowed) and, if writable, creates the tables.
        self.con = Store(path, read_only=not allow_writes).con
        self.write_lock = threading.Lock()

    def close(self) -> None:
        self.con.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own for one request (a DuckDB connection is not shared across threads)."""
        return self.con.cursor()

    def store(self, cur: duckdb.DuckDBPyConnection) -> Store:
        """A `Store` over this cursor, to reuse its readers and writers without opening the file twice."""
        st = Store.__new__(Store)
        st.path, st.con = self.path, cur
        return st

    # -- stories --------------------------------------------------------------------------

    def stories(self, q: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Stories, largest first; `q` matches the id, label or an outlet."""
        limit, offset = clamp(limit, offset)
        where, params = "", []
        if q:
            where = (
                "WHERE s.id ILIKE ? ESCAPE '\\' OR s.label ILIKE ? ESCAPE '\\'"
                " OR array_to_string(s.outlets, ' ') ILIKE ? ESCAPE '\\'"
            )
            params = [like_pattern(q)] * 3
        with self.cursor() as cur:
            rows = cur.execute(
                f"""SELECT s.data, count(*) OVER () FROM stories s
                    LEFT JOIN (SELECT story, count(*) AS n FROM story_articles GROUP BY story) c ON c.story = s.id
                    {where} ORDER BY coalesce(c.n, 0) DESC, s.id LIMIT ? OFFSET ?""",
                [*params, limit, offset],
            ).fetchall()
            total = (
                rows[0][1] if rows else self._count(cur, f"SELECT count(*) FROM stories s {where}", params)
            )
        return Page([json.loads(r[0]) for r in rows], total, limit, offset)

    def story(self, story_id: str) -> dict[str, Any] | None:
        with self.cursor() as cur:
            row = cur.execute("SELECT data FROM stories WHERE id = ?", [story_id]).fetchone()
        return json.loads(row[0]) if row else None

    def stories_of(self, article_id: str) -> list[dict[str, Any]]:
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT s.data FROM stories s JOIN story_articles sa ON sa.story = s.id WHERE sa.article = ?"
                " ORDER BY s.id",
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
            conds.append(
                "(contains(lower(coalesce(title, '')), lower(?)) OR contains(lower(text), lower(?)))"
            )
            params += [q, q]
        if outlet:
            conds.append("outlet ILIKE ? ESCAPE '\\'")
            params.append(like_pattern(outlet))
        if date_from:
            conds.append("left(published, 10) >= ?")
            params.append(date_from[:10])
        if date_to:
            conds.append("left(published, 10) <= ?")
            params.append(date_to[:10])
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        with self.cursor() as cur:
            rows = cur.execute(
                f"""SELECT id, title, outlet, language, published, url, source, left(text, {SNIPPET_CHARS}),
                           length(text), count(*) OVER () FROM articles {where} ORDER BY id LIMIT ? OFFSET ?""",
                [*params, limit, offset],
            ).fetchall()
            total = (
                rows[0][-1] if rows else self._count(cur, f"SELECT count(*) FROM articles {where}", params)
            )
        keys = ("id", "title", "outlet", "language", "published", "url", "source", "snippet", "length")
        return Page([dict(zip(keys, r[:-1])) for r in rows], total, limit, offset)

    def articles_by_id(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Full article documents (as in report.json) for the given ids."""
        if not ids:
            return {}
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT content_hash, id, source, title, language, outlet, url, published, dateline, byline,"
                " credited, captions, text FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY id",
                [list(ids)],
            ).fetchall()
            hashes = [r[0] for r in rows]
            removed: dict[str, list[dict[str, str]]] = {h: [] for h in hashes}
            for h, text, reason in cur.execute(
                "SELECT content_hash, text, reason FROM removed WHERE content_hash IN (SELECT unnest(?))"
                " ORDER BY content_hash, idx",
                [hashes],
            ).fetchall():
                removed[h].append({"text": text, "reason": reason})
            counts = dict(
                cur.execute(
                    "SELECT content_hash, count(*) FROM sentences WHERE content_hash IN (SELECT unnest(?))"
                    " GROUP BY content_hash",
                    [hashes],
                ).fetchall()
            )
        out = {}
        for r in rows:
            keys = (
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
            d = dict(zip(keys, r))
            d["credited"], d["captions"] = list(d["credited"] or []), list(d["captions"] or [])
            d["removed"] = removed[r[0]]
            d["sentence_count"] = counts.get(r[0], 0)
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

    @staticmethod
    def _count(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> int:
        return cur.execute(sql, params).fetchone()[0]
