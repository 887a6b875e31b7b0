"""Speed and memory of the stories stage on generated corpora of growing size.

Each size runs in its own process (so peak RSS is that run's): the full `group()` from scratch
(features incl. encoding, candidates, scoring, clustering), then the datasketch MinHash baseline
(256 permutations, word 5-grams, threshold 0.72) on the same corpus. Corpora above the number
of real base articles reuse them through synthetic spliced bases (see bench/generator).

Run: .venv/bin/python -m bench.stories.speed [--sizes 1000 3000 10000 100000]  -> results_speed.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).with_name("results_speed.json")


def one(size: int) -> dict:
    from bench.generator import generate
    from bench.stories.common import minhash_baseline, to_articles
    from wiretrace.config import Settings
    from wiretrace.embed import get_encoder
    from wiretrace.stories import group

    articles = to_articles(generate(seed=5, split=None, n_articles=size))
    get_encoder(Settings().encoder).encode(["warm up"])
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    stories = group(articles, Settings())
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    before = resource.getrusage(resource.RUSAGE_SELF)
    _, base_s = minhash_baseline(articles, 5, 0.72)
    after = resource.getrusage(resource.RUSAGE_SELF)
    base_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "articles": len(articles),
        "stories": len(stories),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(articles) / seconds, 1),
        "cpu_seconds": round(cpu, 2),  # less sensitive than wall time to other jobs on the shared cores
        "articles_per_cpu_s": round(len(articles) / cpu, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "minhash_5gram_seconds": round(base_s, 2),
        "minhash_articles_per_s": round(len(articles) / base_s, 1),
        "minhash_cpu_seconds": round(base_cpu, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10_000, 100_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    runs = []
    for size in args.sizes:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.stories.speed", "--one", str(size)],
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
    result = {"runs": runs, "cpu_time_growth_exponent": growth, "note": "2 shared cores: wall time varies"}
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
