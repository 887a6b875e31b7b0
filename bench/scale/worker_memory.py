"""Worker memory probe: what a pool worker holds after the per-story stages, and why.

    .venv/bin/python -m bench.scale.worker_memory [--articles 3000] [--encoder use] [--corpus generator]

A worker of `wiretrace analyze`'s pool runs lineage, facts and consensus story after story and
stays alive until the pool is shut down; its resident memory is most of the run's peak (two
workers of ~0.6 GB each at 10,000 articles, bench/scale/run.py). This probe groups a fresh corpus
in this process, then replays the per-story tasks (`pipeline._process_many`, STORIES_PER_TASK
stories each, in story order) in one freshly spawned process, as a pool worker does, and records
its RSS: before the first task, after every task, then after each release step at the end:
`gc.collect()`, clearing wiretrace's module caches (every `functools` cache and facts.groups'
graph cache), and glibc's `malloc_trim(0)` (freed heap handed back to the system). What each step
returns is what that holder kept. -> bench/scale/worker_memory_results.json.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import multiprocessing
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "worker_memory_results.json"


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _clear_module_caches() -> int:
    """Clear every functools cache defined in a wiretrace module, and facts.groups' graph cache."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("wiretrace") or module is None:
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
                cleared += 1
    groups = sys.modules.get("wiretrace.facts.groups")
    if groups is not None:
        groups._CACHE.clear()
    return cleared


def replay(store_path: str, stories: list, settings, per_task: int, trace: bool) -> dict:
    """In a fresh process: the per-story tasks one after the other, RSS after each, then the release steps.

    The encoder is loaded first (a pool worker loads it in the stories stage, before these tasks);
    with `trace`, tracemalloc names the Python lines whose allocations are still alive at the end."""
    import tracemalloc

    from wiretrace.embed import get_encoder
    from wiretrace.pipeline import StoredArticles, _process_many, _with_members
    from wiretrace.store import Store

    fresh = _rss_mb()
    get_encoder(settings.encoder).encode(["An encoder is loaded by its first sentence."])
    loaded = _rss_mb()
    if trace:
        tracemalloc.start(1)
    with Store(store_path, read_only=True) as store:
        source = StoredArticles(store, settings)
        items = _with_members(stories, source)
        start = _rss_mb()
        after_task: list[float] = []
        while chunk := [item for _, item in zip(range(per_task), items)]:
            _process_many((chunk, settings))
            del chunk
            after_task.append(_rss_mb())
        del items, source
    steps = {"fresh process": fresh, "encoder loaded": loaded, "before tasks": start,
             "after last task": after_task[-1] if after_task else start,
             "peak after a task": max(after_task, default=start)}
    gc.collect()
    steps["after gc.collect"] = _rss_mb()
    held = []
    if trace:
        stats = tracemalloc.take_snapshot().statistics("lineno")
        held = [{"line": str(s.traceback[0]), "mb": round(s.size / 2**20, 1), "blocks": s.count} for s in stats[:15]]
        steps["python heap traced, mb"] = round(sum(s.size for s in stats) / 2**20, 1)
        tracemalloc.stop()
    steps["caches cleared"] = _clear_module_caches()
    gc.collect()
    steps["after clearing module caches"] = _rss_mb()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    steps["after malloc_trim(0)"] = _rss_mb()
    return {"tasks": len(after_task), "rss_mb": steps, "largest_live_python_lines": held,
            "rss_mb_every_10th_task": after_task[::10]}


def probe(n: int, encoder: str, corpus: str, trace: bool = False) -> dict:
    from bench.scale.run import write_generated, write_synthetic
    from wiretrace.config import Settings
    from wiretrace.pipeline import STORIES_PER_TASK, StoredArticles, ingest_into
    from wiretrace.store import Store
    from wiretrace.stories import group_from

    work = Path(tempfile.mkdtemp(prefix="wiretrace-worker-memory-"))
    spawn = multiprocessing.get_context("spawn")
    try:
        writer = write_generated if corpus == "generator" else write_synthetic
        with ProcessPoolExecutor(1, mp_context=spawn) as child:
            child.submit(writer, work / "in", n).result()
        settings = Settings(encoder=encoder)
        with Store(work / "s.duckdb") as store:
            ingest_into(store, [work / "in"], settings)
            source = StoredArticles(store, settings)
            stories = group_from(source.ids(), source.load, settings)
        with ProcessPoolExecutor(1, mp_context=spawn) as worker:
            result = worker.submit(replay, str(work / "s.duckdb"), stories, settings, STORIES_PER_TASK, trace).result()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"articles": n, "encoder": encoder, "corpus": corpus, "stories": len(stories),
            "largest_story": max((len(s.articles) for s in stories), default=0), **result}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--corpus", default="generator", choices=["synthetic", "generator"])
    ap.add_argument("--trace", action="store_true", help="tracemalloc the worker (slower): the lines holding memory")
    args = ap.parse_args()
    result = probe(args.articles, args.encoder, args.corpus, args.trace)
    print(json.dumps(result), flush=True)
    runs = json.loads(OUT.read_text()) if OUT.exists() else []
    runs = [r for r in runs if (r["articles"], r["encoder"], r["corpus"]) != (args.articles, args.encoder, args.corpus)]
    OUT.write_text(json.dumps([*runs, result], indent=1) + "\n")


if __name__ == "__main__":
    main()
