"""`Store.save_stories` writes its rows a bounded number of stories at a time: the tables must hold
the same rows, in the same order, as one insert of every story (corpus: wiretrace.engine.synthetic)."""

from __future__ import annotations

from pathlib import Path

import wiretrace.store as store_mod
from wiretrace.config import Settings
from wiretrace.engine.synthetic import write_corpus
from wiretrace.pipeline import analyze_store
from wiretrace.store import Store

HASH = Settings(encoder="hash")
TABLES = ("stories", "story_articles", "lineage", "drift")


def _tables(store: Store) -> dict[str, list[tuple]]:
    return {t: store.con.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}


def test_stories_saved_in_batches_equal_one_insert(tmp_path: Path, monkeypatch):
    write_corpus(tmp_path / "in", 30, seed=13, per_file=15)
    with Store(tmp_path / "a.duckdb") as first:
        report, _ = analyze_store(first, [tmp_path / "in"], HASH)
        whole = _tables(first)
    stories = report.stories  # in the order the pipeline saved them
    assert len(stories) > 3 and whole["lineage"] and whole["drift"]
    monkeypatch.setattr(store_mod, "STORIES_PER_INSERT", 2)
    with Store(tmp_path / "b.duckdb") as second:
        second.save_stories(stories, state="x")
        second.save_stories(stories, state="x")  # a second save replaces, never appends
        assert _tables(second) == whole
        assert [s.to_dict() for s in second.stories()] == [s.to_dict() for s in sorted(stories, key=lambda s: s.id)]
