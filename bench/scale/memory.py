"""Memory probe: how many MB per 1,000 articles each holder of the main process takes.

    .venv/bin/python -m bench.scale.memory [--articles 3000] [--encoder use] [--corpus generator]

Ingests a fresh corpus (as bench.scale.run does), then follows `wiretrace analyze`'s steps in this
process under tracemalloc (Python-level allocations: numpy buffers are counted, DuckDB's own heap
is not) and records, per step, the bytes still held and the step's peak above what was held
before it. The holders: the article list `store.articles()` returns, the template pass's copies,
the stories stage's `StoryIndex` (features and verified pairs), the stories list, the per-story
results and the Report's JSON document. `--streamed` measures the store-backed path
(`pipeline.analyze_store`'s) instead of the list-based one, with the candidate pairs (built once
more over every row, as `verify_new` builds them) and the clustering as lines of their own.
-> bench/scale/memory_results.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import shutil
import tempfile
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "memory_results.json"


def _mb(n: int) -> float:
    return round(n / 2**20, 1)


class Steps:
    """Held bytes after each step and each step's peak over what was held before it."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        gc.collect()
        self.base = tracemalloc.get_traced_memory()[0]
        self.last = self.base

    def start(self) -> None:
        gc.collect()
        self.last = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()

    def end(self, name: str) -> None:
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
        self.rows.append({"step": name, "held_mb": _mb(current - self.last), "step_peak_mb": _mb(peak - self.last),
                          "total_held_mb": _mb(current - self.base), "total_peak_mb": _mb(peak - self.base)})
        print(json.dumps(self.rows[-1]), flush=True)


def probe(n: int, encoder: str, corpus: str, streamed: bool, workers: int) -> dict:
    from bench.scale.run import write_generated, write_synthetic
    from wiretrace.config import Settings
    from wiretrace.pipeline import ingest_into, worker_pool
    from wiretrace.store import Store

    work = Path(tempfile.mkdtemp(prefix="wiretrace-memory-"))
    try:
        writer = write_generated if corpus == "generator" else write_synthetic
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            child.submit(writer, work / "in", n).result()
        settings = Settings(encoder=encoder)
        with Store(work / "s.duckdb") as store, worker_pool(workers) as pool:
            ingest_into(store, [work / "in"], settings, pool=pool)
            tracemalloc.start()
            steps = Steps()
            rows = (_streamed if streamed else _listed)(store, settings, pool, steps)
            tracemalloc.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for r in rows:
        r["held_mb_per_1000"] = round(r["held_mb"] * 1000 / n, 2)
        r["step_peak_mb_per_1000"] = round(r["step_peak_mb"] * 1000 / n, 2)
    return {"articles": n, "encoder": encoder, "corpus": corpus, "path": "streamed" if streamed else "list",
            "steps": rows}


def _listed(store, settings, pool, steps: Steps) -> list[dict]:
    """The list-based path (`run_stages` over `store.articles()`), holder by holder."""
    from wiretrace.clean import remove_templates
    from wiretrace.data import Report
    from wiretrace.embed import get_encoder
    from wiretrace.pipeline import InMemoryArticles, _story_stages
    from wiretrace.progress import Progress
    from wiretrace.report import report_dict
    from wiretrace.stories import StoryIndex, stories_of, update_index

    steps.start()
    articles = store.articles()
    steps.end("articles list (store.articles())")
    steps.start()
    cleaned = remove_templates(articles, settings)
    steps.end("template pass (copies of changed articles)")
    steps.start()
    index = StoryIndex(dim=get_encoder(settings.encoder).dim)
    update_index(cleaned, settings, index, pool)
    steps.end("StoryIndex (features + verified pairs)")
    steps.start()
    stories = stories_of(index)
    steps.end("stories list (clustering)")
    steps.start()
    del index
    steps.end("StoryIndex released")
    progress = Progress(enabled=False)
    steps.start()
    done = _story_stages(stories, InMemoryArticles(cleaned), settings, pool, progress, 0, {})
    steps.end("per-story results (lineage, facts, consensus)")
    steps.start()
    doc = report_dict(Report(articles=cleaned, stories=done, errors=[], settings=settings.to_dict(), version=""))
    steps.end("report.json document (dict)")
    del doc, articles
    return steps.rows


def _streamed(store, settings, pool, steps: Steps) -> list[dict]:
    """The store-backed path `analyze_store` takes (`group_from`'s two halves measured apart).

    The candidate pairs are built once more on their own (the same call `verify_new` makes over
    every row) so their holder shows as a line of its own; the clustering is `stories_of`."""
    from wiretrace.embed import get_encoder
    from wiretrace.pipeline import StoredArticles, _story_stages
    from wiretrace.progress import Progress
    from wiretrace.stories import StoryIndex, stories_of, update_index_from
    from wiretrace.stories.candidates import candidate_array

    steps.start()
    source = StoredArticles(store, settings)
    steps.end("template counts (streamed pass)")
    steps.start()
    index = StoryIndex(dim=get_encoder(settings.encoder).dim)
    update_index_from(source.ids(), source.load, settings, index, pool)
    steps.end("StoryIndex (features + verified pairs)")
    steps.start()
    pairs = candidate_array(index, list(range(len(index))))
    steps.end(f"candidate pairs, all rows ({len(pairs)} pairs, held)")
    del pairs
    steps.start()
    stories = stories_of(index)
    steps.end("stories list (clustering)")
    steps.start()
    del index
    steps.end("StoryIndex released")
    steps.start()
    done = _story_stages(stories, source, settings, pool, Progress(enabled=False), 0, {})
    steps.end("per-story results (lineage, facts, consensus)")
    del done
    return steps.rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--corpus", default="generator", choices=["synthetic", "generator"])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--streamed", action="store_true")
    args = ap.parse_args()
    result = probe(args.articles, args.encoder, args.corpus, args.streamed, args.workers)
    runs = json.loads(OUT.read_text()) if OUT.exists() else []
    runs = [r for r in runs if (r["articles"], r["encoder"], r["corpus"], r["path"])
            != (result["articles"], result["encoder"], result["corpus"], result["path"])]
    OUT.write_text(json.dumps([*runs, result], indent=1) + "\n")


if __name__ == "__main__":
    main()
