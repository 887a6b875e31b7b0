"""Speed machinery must not change results: worker pools, per-call text dedup in the encoder,
shared vectors for repeated chunks in the stories stage.

The corpus is wiretrace.engine.synthetic's (invented names and places, nothing from ../shared).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.embed import HashEncoder, UniqueTextEncoder, get_encoder, text_key
from wiretrace.engine.synthetic import write_corpus
from wiretrace.pipeline import _bounded_map, default_workers, ingest_into, run_stages, worker_pool
from wiretrace.store import Store
from wiretrace.stories.features import compute_features

HASH = Settings(encoder="hash")


def _square(x: int) -> int:
    return x * x


def test_bounded_map_keeps_task_order_with_few_tasks_in_flight():
    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(_bounded_map(pool, _square, iter(range(50)), in_flight=4)) == [x * x for x in range(50)]
        assert list(_bounded_map(pool, _square, iter([]), in_flight=4)) == []


def test_default_workers_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WIRETRACE_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("WIRETRACE_WORKERS", "zero")
    assert default_workers() >= 1


def test_worker_pool_of_one_is_no_pool():
    with worker_pool(1) as pool:
        assert pool is None


class CountingEncoder(HashEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return super().encode(texts)


def test_unique_text_encoder_encodes_each_distinct_text_once_and_keeps_order():
    inner = CountingEncoder()
    enc = UniqueTextEncoder(inner)
    texts = ["b c d", "a b", "b c d", "A b", "a b"]
    got = enc.encode(texts)
    assert inner.calls == [["b c d", "a b", "A b"]]  # exact text: case differs, so "A b" is its own
    np.testing.assert_array_equal(got, HashEncoder().encode(texts))
    assert enc.encode([]).shape == (0, enc.dim)
    assert text_key("x") == text_key("x") != text_key("x ")


def test_shared_encoder_is_wrapped():
    assert isinstance(get_encoder("hash"), UniqueTextEncoder)


def _articles() -> list[Article]:
    body = "Officials in Varnholm said 41 people were moved. The bridge reopened on Monday after repairs."
    other = "The council of Tembury approved a budget of 12 million dollars. Residents had asked for years."
    return [
        Article(id="a", source="a", content_hash="a", text=body, language="en", title="Bridge"),
        Article(id="b", source="b", content_hash="b", text=body, language="en", title="Bridge"),  # reprint
        Article(id="c", source="c", content_hash="c", text=other, language="en"),
        Article(id="d", source="d", content_hash="d", text="", language="en"),  # nothing to encode
    ]


def test_repeated_chunks_are_encoded_once_with_the_same_features():
    inner = CountingEncoder()
    feats = compute_features(_articles(), inner, batch_size=2)
    encoded = [t for call in inner.calls for t in call]
    assert len(encoded) == len(set(encoded))  # every distinct chunk once, across batches
    fa, fb, fc, fd = feats
    assert fa.n_chunks == fb.n_chunks >= 1 and fd.n_chunks == 0
    np.testing.assert_array_equal(fa.chunks, fb.chunks)
    # the same vectors as encoding each article on its own
    alone = compute_features([_articles()[2]], HashEncoder(), batch_size=1)[0]
    np.testing.assert_array_equal(fc.chunks, alone.chunks)


def test_timings_name_every_stage(tmp_path: Path):
    write_corpus(tmp_path / "in", 12, seed=4, per_file=12)
    timings: dict[str, float] = {}
    with Store(":memory:") as store:
        ingest_into(store, [tmp_path / "in"], HASH)
        _, stories = run_stages(store.articles(), HASH, timings=timings)
    assert stories
    assert {"templates", "stories", "lineage", "facts", "consensus", "per-story wall"} <= set(timings)
    assert all(v >= 0 for v in timings.values())


@pytest.mark.slow
def test_workers_run_single_threaded_and_the_parent_keeps_its_environment(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with worker_pool(2) as pool:
        seen = {pool.submit(os.getenv, "OPENBLAS_NUM_THREADS").result() for _ in range(6)}
        encoder_threads = pool.submit(os.getenv, "WIRETRACE_ENCODER_THREADS").result()
        assert os.getenv("OPENBLAS_NUM_THREADS") is None
    assert seen == {"1"} and encoder_threads == "1"


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_pool_workers_leave_when_the_parent_is_killed(tmp_path: Path, method: str):
    """A SIGKILLed `wiretrace analyze` must not leave idle workers behind, waiting forever (a fork
    server's workers are its children, not the parent's)."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import os, sys, time\n"
        "from wiretrace.pipeline import worker_pool\n"
        "with worker_pool(2) as pool:\n"
        "    print(' '.join(str(pool.submit(os.getpid).result()) for _ in range(4)), flush=True)\n"
        "    time.sleep(600)\n"
    )
    env = dict(os.environ, WIRETRACE_START_METHOD=method)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
    workers = {int(p) for p in proc.stdout.readline().split()}
    assert workers and proc.pid not in workers
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().split(")")[-1].split()[0] != "Z"  # a zombie has left
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 30
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in workers)
