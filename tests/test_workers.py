"""The worker pool's start: workers come from a fork server that imported the stages (Linux) or are
spawned; either way they never import the store, and results do not depend on how they started.

The corpus is wiretrace.engine.synthetic's (invented names and places, nothing from ../shared).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wiretrace.config import Settings
from wiretrace.engine.synthetic import write_corpus
from wiretrace.pipeline import ingest_into, run_stages
from wiretrace.store import Store
from wiretrace.workers import (
    CLEAN_PRELOAD,
    PRELOAD,
    PRELOAD_ENV,
    STAGE_PRELOAD_ENV,
    lazy_worker_pool,
    preloaded_stage,
    start_method,
    worker_pool,
)

HASH = Settings(encoder="hash")
LINUX = sys.platform.startswith("linux")
IN_WORKER = (
    "(__import__('os').getpid(), 'pyarrow' in __import__('sys').modules, 'duckdb' in __import__('sys').modules,"
    " sorted(__import__('wiretrace.embed').embed._ENCODERS))"
)


@pytest.mark.skipif(not LINUX, reason="the fork server is used on Linux only")
@pytest.mark.parametrize("modules", [PRELOAD, CLEAN_PRELOAD])
def test_the_fork_server_preload_starts_no_threads(modules):
    """Forking is safe only from a single-threaded process: what the fork server imports (and the encoder
    it loads) must start no thread, with the single-threaded BLAS environment `worker_pool` gives it."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               WIRETRACE_ENCODER_THREADS="1", **{PRELOAD_ENV: "hash", STAGE_PRELOAD_ENV: preloaded_stage(modules)})
    code = (
        "import os, sys\n"
        f"for m in {list(modules)!r}: __import__(m)\n"
        "print(len(os.listdir('/proc/self/task')), 'pyarrow' in sys.modules, 'duckdb' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False", "False"]


def test_the_fork_server_loads_the_models_of_its_pool():
    """The stage pool's fork server loads spaCy, the name tables and lingua; the ingest pool's, fastText only."""
    assert preloaded_stage(PRELOAD) == "stages"
    assert preloaded_stage(CLEAN_PRELOAD) == "clean"
    assert preloaded_stage(("wiretrace.workers", "wiretrace.clean")) == ""
    code = (
        "import wiretrace._preload, wiretrace.facts.names as n, wiretrace.align.aligner as a, "
        "wiretrace.clean.language as l\n"
        "print(n._NLP is not None, a._DETECTOR is not None, l._detector is not None)\n"
    )
    for stage, loaded in (("stages", "True True False"), ("clean", "False False True"), ("", "False False False")):
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                   **{PRELOAD_ENV: "", STAGE_PRELOAD_ENV: stage})
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.split() == loaded.split()


def test_start_method_defaults_and_override(monkeypatch):
    monkeypatch.delenv("WIRETRACE_START_METHOD", raising=False)
    assert start_method() == ("forkserver" if LINUX else "spawn")
    monkeypatch.setenv("WIRETRACE_START_METHOD", "spawn")
    assert start_method() == "spawn"


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_workers_do_not_import_the_store_and_get_the_encoders(monkeypatch, method):
    if method == "forkserver" and not LINUX:
        pytest.skip("Linux only")
    monkeypatch.setenv("WIRETRACE_START_METHOD", method)
    with worker_pool(2, encoders=("hash",)) as pool:
        seen = [pool.submit(eval, IN_WORKER).result() for _ in range(4)]
    assert {pid for pid, *_ in seen} and os.getpid() not in {pid for pid, *_ in seen}
    assert all(not pyarrow and not duckdb for _, pyarrow, duckdb, _ in seen)
    # forked from a server that loaded it; a spawned worker loads it when a task needs it
    assert all(encoders == (["hash"] if method == "forkserver" else []) for *_, encoders in seen)
    assert os.environ.get(PRELOAD_ENV) is None


def test_a_lazy_pool_starts_only_for_a_large_batch(tmp_path: Path):
    write_corpus(tmp_path / "few", 12, seed=4, per_file=12)
    with Store(":memory:") as store, lazy_worker_pool(2, preload=CLEAN_PRELOAD) as pool:
        assert ingest_into(store, [tmp_path / "few"], HASH, pool=pool).added == 12
        assert pool._pool is None  # a batch under two clean tasks is cleaned in this process


@pytest.mark.slow
@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_either_start_gives_the_same_stories_as_one_process(tmp_path: Path, monkeypatch, method):
    if method == "forkserver" and not LINUX:
        pytest.skip("Linux only")
    monkeypatch.setenv("WIRETRACE_START_METHOD", method)
    write_corpus(tmp_path / "in", 70, seed=3, per_file=20)  # one batch >= 2 clean tasks
    with Store(":memory:") as store, lazy_worker_pool(2, preload=CLEAN_PRELOAD) as pool:
        ingest_into(store, [tmp_path / "in"], HASH, pool=pool)
        assert pool._pool is not None
        articles = store.articles()
    with worker_pool(2, encoders=("hash",)) as pool:
        _, parallel = run_stages(articles, HASH, pool=pool)
    with Store(":memory:") as store:
        ingest_into(store, [tmp_path / "in"], HASH)
        serial_articles = store.articles()
        _, serial = run_stages(serial_articles, HASH)
    assert [a.to_dict() for a in articles] == [a.to_dict() for a in serial_articles]
    assert len(serial) > 5
    assert [s.to_dict() for s in parallel] == [s.to_dict() for s in serial]
