"""Memory of the verified-pair store: the old dict of id tuples against `PairStore`'s columns.

    .venv/bin/python -m bench.scale.pairs_memory [--pairs 1000000] [--articles 100000]

Fills both with the same random pairs (ids shaped like real ones, 24 characters) and reports the
bytes tracemalloc sees allocated for each, per pair; -> bench/scale/pairs_memory.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import tracemalloc
from pathlib import Path

OUT = Path(__file__).with_name("pairs_memory.json")


def _pairs(n_pairs: int, ids: list[str], seed: int = 0) -> list[tuple[str, str, float, bool]]:
    rng = random.Random(seed)
    out = {}
    while len(out) < n_pairs:
        a, b = sorted(rng.sample(ids, 2))
        out[(a, b)] = (rng.random(), rng.random() < 0.9)
    return [(a, b, p, c) for (a, b), (p, c) in out.items()]


def measure(n_pairs: int, n_articles: int) -> dict:
    from wiretrace.stories.index import PairStore

    ids = [f"doc-{k:08d}-{k * 7919 % 10**9:09d}"[:24] for k in range(n_articles)]
    row = {a: r for r, a in enumerate(ids)}
    pairs = _pairs(n_pairs, ids)
    sizes = {}
    for name in ("dict", "PairStore"):
        gc.collect()
        tracemalloc.start()
        store = {} if name == "dict" else PairStore(ids, row)
        for a, b, p, c in pairs:
            store[(a, b)] = (p, c)
        if name == "PairStore":
            store.columns()  # merge what is still buffered
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        sizes[name] = {"mb": round(size / 2**20, 1), "bytes_per_pair": round(size / n_pairs, 1)}
        del store
    return {"pairs": n_pairs, "articles": n_articles, **sizes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=100_000)
    args = ap.parse_args()
    result = measure(args.pairs, args.articles)
    print(json.dumps(result))
    OUT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
