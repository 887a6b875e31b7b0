"""Scale benchmark: articles/s end to end, peak memory, time per stage, growth exponent of time.

    .venv/bin/python -m bench.scale.run [--sizes 1000 3000 10000] [--encoder hash] [--engine local]

Each size runs in a fresh subprocess (so peak RSS is that run's), over a synthetic corpus
(wiretrace.engine.synthetic: no shared data needed; bench/generator's real-text corpora need
../shared). Stages are timed as the local engine runs them (wiretrace.pipeline's own functions).
The exponent b is the least-squares fit of log t = a + b log n; larger sizes are projected from it.
Writes bench/scale/results.json.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def measure(n: int, encoder: str, engine: str) -> dict:
    """One run, in this process: the timings of each stage over `n` fresh synthetic articles."""
    from wiretrace.clean import remove_templates
    from wiretrace.config import Settings
    from wiretrace.engine.synthetic import write_corpus
    from wiretrace.pipeline import group_stories, ingest_into, story_stages
    from wiretrace.store import Store

    work = Path(tempfile.mkdtemp(prefix="wiretrace-scale-"))
    write_corpus(work / "in", n, seed=n, per_file=200)
    settings = Settings(encoder=encoder)
    times: dict[str, float] = {}
    start = time.perf_counter()
    with Store(work / "s.duckdb") as store:
        if engine == "spark":
            from wiretrace.engine.spark import analyze_store_spark

            analyze_store_spark(store, [work / "in"], settings, master="local[2]")
            times["spark (all stages)"] = time.perf_counter() - start
        else:
            t = time.perf_counter()
            ingest_into(store, [work / "in"], settings)
            times["ingest+clean"] = time.perf_counter() - t
            t = time.perf_counter()
            articles = remove_templates(store.articles(), settings)
            times["load+templates"] = time.perf_counter() - t
            t = time.perf_counter()
            stories = group_stories(articles, settings)
            times["stories"] = time.perf_counter() - t
            by_id = {a.id: a for a in articles}
            stage_fns = story_stages()
            per = dict.fromkeys((name for name, _ in stage_fns), 0.0)
            done = []
            for story in stories:
                members = {i: by_id[i] for i in story.articles}
                for name, fn in stage_fns:
                    t = time.perf_counter()
                    story = fn(story, members, settings)
                    per[name] += time.perf_counter() - t
                done.append(story)
            times.update(per)
            t = time.perf_counter()
            store.save_stories(done)
            times["save"] = time.perf_counter() - t
    total = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss
    return {"articles": n, "engine": engine, "encoder": encoder, "seconds": round(total, 2),
            "articles_per_s": round(n / total, 1), "peak_rss_mb": round(peak_kb / 1024),
            "stage_seconds": {k: round(v, 2) for k, v in times.items()}}


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares a, b of log t = a + b log n."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10_000])
    ap.add_argument("--encoder", default="hash")
    ap.add_argument("--engine", default="local", choices=["local", "spark"])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    ap.add_argument("--from-log", type=Path, help="refit from the JSON lines a (partly) finished run printed")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.encoder, args.engine)))
        return
    if args.from_log:
        runs = [json.loads(line) for line in args.from_log.read_text().splitlines() if line.startswith("{")]
        args.sizes = [r["articles"] for r in runs]
        write_results(args, runs)
        return
    runs = []
    for n in args.sizes:
        proc = subprocess.run([sys.executable, "-m", "bench.scale.run", "--one", str(n), "--encoder", args.encoder,
                               "--engine", args.engine], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            break
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), flush=True)
        write_results(args, runs)


def write_results(args: argparse.Namespace, runs: list[dict]) -> None:
    out = {"command": f".venv/bin/python -m bench.scale.run --sizes {' '.join(map(str, args.sizes))} "
                      f"--encoder {args.encoder} --engine {args.engine}", "runs": runs}
    if len(runs) >= 2:
        a, b = fit([(r["articles"], r["seconds"]) for r in runs])
        out["growth_exponent"] = round(b, 3)
        out["projected"] = {str(n): {"seconds": round(math.exp(a) * n**b), "articles_per_s": round(n / (math.exp(a)
                            * n**b), 1)} for n in (100_000, 1_000_000)}
    (HERE / "results.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
