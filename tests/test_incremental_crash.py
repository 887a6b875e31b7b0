"""Crash safety of an incremental run: `wiretrace analyze` of a second batch killed with SIGKILL at
random points, then run again, writes the report a from-scratch run over both batches writes (the
stored index and the stories are each committed whole, the index first)."""

from __future__ import annotations

import json
import os
import random

import duckdb
import pytest
from test_crash import analyze_cmd, kill_at_random, load_report, run_to_end  # the crash test's own helpers

from wiretrace.engine.synthetic import write_corpus
from wiretrace.pipeline import LAST_RUN_STATE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

N_ARTICLES = 60
KILLS = 4


def test_sigkill_during_an_incremental_run_then_rerun(tmp_path):
    corpus, config = tmp_path / "in", tmp_path / "settings.json"
    files = sorted(write_corpus(corpus, N_ARTICLES, seed=11, per_file=4))
    config.write_text('{"batch_size": 4}')
    older, newest = tmp_path / "older", tmp_path / "newest"
    older.mkdir()
    newest.mkdir()
    for k, f in enumerate(files):
        f.rename((older if k % 3 else newest) / f.name)

    reference = tmp_path / "reference"
    both = analyze_cmd(older, tmp_path / "reference.duckdb", reference, config)
    run_to_end([*both[:5], str(newest), *both[5:]])  # one from-scratch run over both batches

    store, out = tmp_path / "crashed.duckdb", tmp_path / "crashed"
    # the first batch is twice the second: its run time bounds an incremental run's, so kills land inside one
    duration = run_to_end(analyze_cmd(older, store, out, config)) / 2
    rng = random.Random(20250313)
    killed = kill_at_random(analyze_cmd(newest, store, out, config), duration, rng, KILLS, earliest=0.2)
    run_to_end(analyze_cmd(newest, store, out, config))
    assert killed >= 2, f"only {killed} of {KILLS} runs were still running when killed"
    con = duckdb.connect(str(store), read_only=True)
    try:
        last = json.loads(con.execute("SELECT value FROM meta WHERE key = ?", [LAST_RUN_STATE]).fetchall()[0][0])
    finally:
        con.close()
    assert last["rebuild"] == "" and last["indexed"] > 0, "the last run reused the stored index"
    got, want = load_report(out), load_report(reference)
    assert got["stories"] == want["stories"]
    assert sorted(a["id"] for a in got["articles"]) == sorted(a["id"] for a in want["articles"])
