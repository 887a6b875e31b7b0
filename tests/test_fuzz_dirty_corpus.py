"""A scaled-down dirty corpus (bench/dirty): every good article stored, every bad item listed, exit code 1."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb

from wiretrace.engine.dirty import build, check


def test_dirty_corpus_keeps_good_and_lists_bad(tmp_path):
    corpus = build(tmp_path / "in", 160, bad_share=0.05, seed=2, max_article_bytes=50_000)
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"max_article_bytes": 50_000}))
    proc = subprocess.run([sys.executable, "-m", "wiretrace", "ingest", str(corpus.folder), "--store",
                           str(tmp_path / "s.duckdb"), "--config", str(config), "-q"], capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr[-2000:]
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    ids = [r[0] for r in con.execute("SELECT id FROM articles").fetchall()]
    errors = con.execute("SELECT source, reason, code FROM errors").fetchall()
    con.close()
    result = check(corpus, ids, errors)
    assert result["good_missing"] == [] and result["stray_errors"] == []
    assert len(ids) == len(set(ids)) == len(corpus.good_ids)
    assert result["bad_unlisted"] == [], result["by_kind"]
    assert all(reason.strip() for _, reason, _ in errors)
