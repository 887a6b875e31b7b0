"""Export a store as Parquet: one file per table, so Spark, pandas or DuckDB users read the results
without wiretrace. DuckDB writes Parquet natively, so this is a COPY per table."""

from __future__ import annotations

from pathlib import Path

import duckdb

TABLES = ("articles", "sentences", "removed", "aliases", "errors", "stories", "story_articles", "lineage", "drift")


def export_parquet(store: str | Path, out: str | Path) -> list[Path]:
    """Write `out/<table>.parquet` for each store table; returns the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    con = duckdb.connect(str(store), read_only=True)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for table in TABLES:
            if table not in present:
                continue
            path = out / f"{table}.parquet"
            target = str(path).replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT PARQUET, COMPRESSION ZSTD)")
            written.append(path)
    finally:
        con.close()
    return written
