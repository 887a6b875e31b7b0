"""Crash safety: `wiretrace analyze` killed with SIGKILL at random points, then run again, ends
with a consistent store (every input article exactly once, sentences whole) and the very report an
uninterrupted run writes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from wiretrace.engine.synthetic import write_corpus

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

N_ARTICLES = 120
KILLS = 10


def analyze_cmd(corpus: Path, store: Path, out: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "wiretrace", "analyze", str(corpus), "--store", str(store), "--out", str(out),
            "--config", str(config), "--encoder", "hash", "-q"]


def run_to_end(cmd: list[str]) -> float:
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - start


def kill_at_random(cmd: list[str], duration: float, rng: random.Random, kills: int, earliest: float) -> int:
    """Start `cmd` `kills` times, SIGKILL each at a random point of `duration` (from `earliest` of it
    to 0.9); returns how many runs were still running when killed.

    The runs share one store, so each resumes what the killed ones left: a run that finishes before
    its kill point shows how long the rest now takes, and the next points are drawn within that (on
    a loaded machine the first run's length says little about a resumed one)."""
    killed = 0
    for _ in range(kills):
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = start + rng.uniform(earliest, 0.9) * duration
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            duration = time.monotonic() - start
        proc.wait()
    return killed


def load_report(folder: Path) -> dict:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def check_store(store: Path, expected_ids: list[str]) -> None:
    con = duckdb.connect(str(store), read_only=True)
    try:
        ids = sorted(r[0] for r in con.execute("SELECT id FROM articles").fetchall())
        assert ids == expected_ids, "every input article is stored exactly once"
        dup = con.execute(
            "SELECT count(*) FROM (SELECT content_hash, idx FROM sentences GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        orphans = con.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM sentences s WHERE s.content_hash = a.content_hash)"
        ).fetchone()[0]
        stray = con.execute(
            "SELECT count(*) FROM sentences s WHERE NOT EXISTS"
            " (SELECT 1 FROM articles a WHERE a.content_hash = s.content_hash)"
        ).fetchone()[0]
        in_stories = con.execute("SELECT count(*), count(DISTINCT article) FROM story_articles").fetchone()
        assert (dup, orphans, stray) == (0, 0, 0)
        assert in_stories == (len(expected_ids), len(expected_ids)), "each article in exactly one story"
    finally:
        con.close()


def test_sigkill_at_random_points_then_rerun(tmp_path):
    corpus, config = tmp_path / "in", tmp_path / "settings.json"
    write_corpus(corpus, N_ARTICLES, seed=3, per_file=4)
    expected = sorted(json.loads(line)["id"] for f in corpus.iterdir() for line in f.read_text().splitlines())
    config.write_text(json.dumps({"batch_size": 4}))  # small batches: many commits to land a kill between

    reference_out = tmp_path / "reference"
    duration = run_to_end(analyze_cmd(corpus, tmp_path / "reference.duckdb", reference_out, config))

    store, out = tmp_path / "crashed.duckdb", tmp_path / "crashed"
    rng = random.Random(20250312)
    killed_mid_run = kill_at_random(analyze_cmd(corpus, store, out, config), duration, rng, KILLS, earliest=0.1)
    run_to_end(analyze_cmd(corpus, store, out, config))

    assert killed_mid_run >= 5, f"only {killed_mid_run} of {KILLS} runs were still running when killed"
    check_store(store, expected)
    assert load_report(out) == load_report(reference_out)
