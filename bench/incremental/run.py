"""Incremental `analyze`: a corpus analysed at once vs. its older articles first and the newest later.

    .venv/bin/python -m bench.incremental.run [--articles 5000] [--new 0.1] [--encoder use]

The corpus is bench/generator's (real SemEval texts rewritten, excerpted, spun, translated; needs
../shared), or `--corpus synthetic` (wiretrace.engine.synthetic, no shared data). The newest
`--new` share of articles by publication date (undated ones spread by id) is "the next day's
crawl". Three stores: one analyses everything from scratch; the other analyses the older articles,
then the newest (the incremental run measured), then nothing new (a re-run). Each `analyze_store`
runs in a fresh process, so none inherits another's loaded models; CPU seconds include the joined
worker processes. Equality is of the final Story records (stories, lineage, drift, consensus).
Writes bench/incremental/results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cpu_seconds() -> float:
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def _records(corpus: str, n: int) -> list[dict]:
    if corpus == "generator":
        from bench.generator import generate

        return [{"id": v.id, "text": v.text, "language": v.language, "published": v.published, "outlet": v.outlet}
                for v in generate(seed=5, split=None, n_articles=n)]
    from wiretrace.engine.synthetic import write_corpus

    folder = Path(tempfile.mkdtemp(prefix="wiretrace-inc-syn-"))
    try:
        write_corpus(folder, n, seed=5)
        return [json.loads(line) for f in sorted(folder.iterdir()) for line in f.read_text().splitlines() if line]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _newest_last(record: dict) -> tuple[str, str]:
    """Sort key: by date, undated articles placed by a hash of their id (spread over the days)."""
    day = record.get("published") or ""
    if not day:
        day = "?" + hashlib.blake2b(str(record["id"]).encode(), digest_size=4).hexdigest()
    return day, str(record["id"])


def write_split(folder: Path, corpus: str, n: int, new_share: float) -> tuple[Path, Path]:
    """The corpus as JSONL in two folders: the older articles and the newest `new_share` of them."""
    records = sorted(_records(corpus, n), key=_newest_last)
    cut = len(records) - round(len(records) * new_share)
    parts = (folder / "older", folder / "newest")
    for part, rows in zip(parts, (records[:cut], records[cut:]), strict=True):
        part.mkdir(parents=True)
        for k in range(0, len(rows), 200):
            (part / f"part-{k // 200:05d}.jsonl").write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[k : k + 200]), encoding="utf-8")
    return parts


def analyze_once(store: str, paths: list[str], encoder: str) -> dict:
    """One `analyze_store` in this (fresh) process: wall and CPU seconds, what it reused, its stories."""
    from wiretrace.config import Settings
    from wiretrace.pipeline import analyze_store
    from wiretrace.store import Store

    cpu, start = _cpu_seconds(), time.perf_counter()
    timings: dict[str, float] = {}
    with Store(store) as st:
        report, result = analyze_store(st, paths, Settings(encoder=encoder), timings=timings)
    return {"seconds": round(time.perf_counter() - start, 2), "cpu_seconds": round(_cpu_seconds() - cpu, 1),
            # wall seconds; lineage, facts and consensus are summed over the worker processes
            "stage_seconds": {k: round(v, 2) for k, v in sorted(timings.items())},
            "store_mb": round(os.path.getsize(store) / 1e6, 1),
            "articles": len(report.articles), "run": result.stories.to_dict(),
            "stories": [s.to_dict() for s in report.stories]}


def _in_child(*args) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        return child.submit(analyze_once, *args).result()


def compare(a: list[dict], b: list[dict]) -> dict:
    """How far two runs' stories differ: whole records, the grouping alone, and which fields differ."""
    by_id = {s["id"]: s for s in b}
    groups_a = sorted(tuple(s["articles"]) for s in a)
    groups_b = sorted(tuple(s["articles"]) for s in b)
    fields: dict[str, int] = {}
    for s in a:
        other = by_id.get(s["id"])
        for key in sorted(s) if other is not None else []:
            if s[key] != other.get(key):
                fields[key] = fields.get(key, 0) + 1
    return {"stories_equal": a == b, "groupings_equal": groups_a == groups_b,
            "stories_differing": sum(1 for s in a if by_id.get(s["id"]) != s) + sum(
                1 for s in b if s["id"] not in {x["id"] for x in a}),
            "fields_differing": fields}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--new", type=float, default=0.1, help="share of the newest articles analysed second")
    parser.add_argument("--encoder", default="use")
    parser.add_argument("--corpus", default="generator", choices=("generator", "synthetic"))
    parser.add_argument("--dump", type=Path, help="also write each run's stories to this folder (for diffs)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wiretrace-incremental-"))
    try:
        older, newest = write_split(work / "in", args.corpus, args.articles, args.new)
        scratch = _in_child(str(work / "scratch.duckdb"), [str(older), str(newest)], args.encoder)
        first = _in_child(str(work / "inc.duckdb"), [str(older)], args.encoder)
        second = _in_child(str(work / "inc.duckdb"), [str(newest)], args.encoder)
        again = _in_child(str(work / "inc.duckdb"), [], args.encoder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for name, r in (("scratch", scratch), ("older", first), ("newest", second)):
            (args.dump / f"{name}.json").write_text(json.dumps(r["stories"], ensure_ascii=False), encoding="utf-8")
    runs = {"from scratch": scratch, "older articles": first, "newest articles (incremental)": second,
            "nothing new (re-run)": again}
    result = {
        "corpus": args.corpus, "encoder": args.encoder, "articles": scratch["articles"], "new_share": args.new,
        "stories": len(scratch["stories"]),
        "runs": {name: {k: v for k, v in r.items() if k != "stories"} for name, r in runs.items()},
        "incremental_vs_scratch": {
            "wall_ratio": round(second["seconds"] / scratch["seconds"], 3),
            "cpu_ratio": round(second["cpu_seconds"] / scratch["cpu_seconds"], 3),
            **compare(second["stories"], scratch["stories"]),
        },
        "rerun_equal": again["stories"] == second["stories"],
    }
    (HERE / "results.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
