"""Scale benchmark: articles/s end to end, peak memory, time per stage, growth exponent of time.

    .venv/bin/python -m bench.scale.run [--sizes 1000 3000 10000] [--encoder hash] [--workers 2]

Each size runs in a fresh subprocess (so peak memory is that run's), over a synthetic corpus
(wiretrace.engine.synthetic: no shared data needed; bench/generator's real-text corpora need
../shared). The run is `wiretrace analyze`'s own path (pipeline.analyze_store's steps, with the
same worker pool), timed per stage: ingest+clean, templates (a streamed pass over the store),
stories, then lineage, facts and consensus (summed over worker processes) and the per-story
wall time. Peak memory is the largest sum of PSS (proportional set size: shared pages split
between processes, so spawned workers are not double-counted) over this process and all its
descendants, sampled every 0.2 s. The exponent b is the least-squares fit of log t = a + b log n;
larger sizes are projected from it.
Writes bench/scale/results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
                out.extend(kids)
                todo.extend(kids)
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_ticks(pid: int) -> int:
    """User + system clock ticks of one process so far (not of its children)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


class TreeMemory:
    """Samples the PSS of this process tree in a thread; `peak_mb` is the largest sum seen.

    It also keeps each descendant's last-seen CPU time: Spark's JVM and its Python workers are
    never joined by this process, so `getrusage` cannot see them (`descendants_cpu_seconds`)."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peak_kb = every, 0
        self._ticks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            kids = _descendants(me)
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in [me, *kids]))
            for pid in kids:
                self._ticks[pid] = max(self._ticks.get(pid, 0), _cpu_ticks(pid))
            self._stop.wait(self.every)

    @property
    def descendants_cpu_seconds(self) -> float:
        """CPU of the descendants seen while sampling (up to their last sample: a lower bound)."""
        return sum(self._ticks.values()) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> int:
        return round(self.peak_kb / 1024)


def write_synthetic(folder: Path, n: int) -> dict[str, str]:
    """wiretrace.engine.synthetic's corpus (invented template text); truth: the story part of each id."""
    from wiretrace.engine.synthetic import write_corpus

    write_corpus(folder, n, seed=n, per_file=200)
    return {}  # the truth is in the ids (see story_stats)


def write_generated(folder: Path, n: int) -> dict[str, str]:
    """bench/generator's corpus (real SemEval texts rewritten, excerpted, spun, translated) as JSONL
    files; needs ../shared. Returns article id -> true story."""
    from bench.generator import generate

    folder.mkdir(parents=True, exist_ok=True)
    versions = generate(seed=5, split=None, n_articles=n)
    for k in range(0, len(versions), 200):
        rows = [{"id": v.id, "text": v.text, "language": v.language, "published": v.published, "outlet": v.outlet}
                for v in versions[k : k + 200]]
        (folder / f"part-{k // 200:05d}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return {v.id: v.story for v in versions}


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the joined workers)."""
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def _self_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(n: int, encoder: str, engine: str, corpus: str = "synthetic") -> dict:
    """One run, in this process: the timings of each stage over `n` fresh synthetic articles."""
    from wiretrace.config import Settings
    from wiretrace.pipeline import PARALLEL_MIN_ARTICLES, analyze_stored, default_workers, ingest_into, worker_pool
    from wiretrace.store import Store

    work = Path(tempfile.mkdtemp(prefix="wiretrace-scale-"))
    try:
        # the corpus is written by a child process: generating 100k articles leaves ~1 GB of freed
        # but still mapped heap behind, which would count as the pipeline's memory
        writer = write_generated if corpus == "generator" else write_synthetic
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            truth = child.submit(writer, work / "in", n).result()
        settings = Settings(encoder=encoder)
        times: dict[str, float] = {}
        workers = default_workers()
        cpu_before, self_before = _cpu_seconds(), _self_cpu_seconds()  # not the corpus writer's
        start = time.perf_counter()
        with Store(work / "s.duckdb") as store:
            with TreeMemory() as memory:
                if engine == "spark":
                    from wiretrace.engine.spark import analyze_store_spark

                    # the product's path: ingest on Spark, then analyze_stored with the Spark engine's steps
                    analyze_store_spark(store, [work / "in"], settings, master="local[2]", timings=times)
                    times["spark (all stages)"] = time.perf_counter() - start
                else:
                    with worker_pool(workers) as pool:
                        t = time.perf_counter()
                        ingest_into(store, [work / "in"], settings, pool=pool)
                        times["ingest+clean"] = time.perf_counter() - t
                        # analyze_store's own stages: batch by batch from the store ("templates" is
                        # the streamed template pass), the story index saved, stories saved ("save")
                        analyze_stored(store, settings, pool=pool if n >= PARALLEL_MIN_ARTICLES else None,
                                       timings=times)
            total = time.perf_counter() - start
            # CPU seconds of this process and its (joined) workers: less sensitive than wall time to
            # other jobs on shared cores; n / (cpu / cores) is the rate an idle machine would approach
            cpu = _cpu_seconds() - cpu_before
            if engine == "spark":  # the JVM and its Python workers are still alive, never joined
                cpu = _self_cpu_seconds() - self_before + memory.descendants_cpu_seconds
            # read back outside the clock and the memory sampler: both engines are compared on these
            stored = store.stories()
    finally:  # a 100k corpus and its store take ~1 GB of /tmp
        shutil.rmtree(work, ignore_errors=True)
    main_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"articles": n, "engine": engine, "encoder": encoder, "workers": workers, "seconds": round(total, 2),
            "articles_per_s": round(n / total, 1),
            "cpu_seconds": round(cpu, 1), "articles_per_cpu_s": round(n / cpu, 1), "peak_tree_pss_mb": memory.peak_mb,
            "peak_main_rss_mb": round(main_kb / 1024), "stage_seconds": {k: round(v, 2) for k, v in times.items()},
            "load_average_1m": round(os.getloadavg()[0], 2), "corpus": corpus, **story_stats(stored, truth),
            "digests": output_digests(stored)}


def output_digests(stories: list) -> dict[str, str]:
    """Short hashes of what the store holds, part by part, so runs of the two engines (or of two
    commits) on one corpus can be compared without keeping a 100k store."""
    dicts = sorted((s.to_dict() for s in stories), key=lambda d: d["id"])

    def digest(value: object) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]

    parts = ("articles", "origins", "lineage", "drift", "consensus")
    return {"all": digest(dicts), **{part: digest([d[part] for d in dicts]) for part in parts}}


def story_stats(stories: list, truth: dict[str, str]) -> dict:
    """How many stories, the largest (per-story stages cost grows faster than linear in its size)
    and, when the truth is known, the ARI of the grouping."""
    from bench.stories.common import ari

    out = {"stories": len(stories), "largest_story": max((len(s.articles) for s in stories), default=0)}
    where = {a: s.id for s in stories for a in s.articles}
    ids = sorted(where)
    if not truth:  # synthetic ids are "st<seed>-<story>-v<version>"
        truth = {a: a.rsplit("-v", 1)[0] for a in ids}
    if ids and all(a in truth for a in ids):
        out["stories_true"] = len({truth[a] for a in ids})
        out["ari"] = round(ari([truth[a] for a in ids], [where[a] for a in ids]), 4)
    return out


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
    ap.add_argument("--corpus", default="synthetic", choices=["synthetic", "generator"],
                    help="synthetic: invented template text, no data needed; generator: real texts, needs ../shared")
    ap.add_argument("--workers", type=int, help="worker processes (default: the CPUs this process may use)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    ap.add_argument("--from-log", type=Path, help="refit from the JSON lines a (partly) finished run printed")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.encoder, args.engine, args.corpus)))
        return
    if args.from_log:
        runs = [json.loads(line) for line in args.from_log.read_text().splitlines() if line.startswith("{")]
        args.sizes = [r["articles"] for r in runs]
        write_results(args, runs)
        return
    runs = []
    env = dict(os.environ, **({"WIRETRACE_WORKERS": str(args.workers)} if args.workers else {}))
    for n in args.sizes:
        cmd = [sys.executable, "-m", "bench.scale.run", "--one", str(n), "--encoder", args.encoder,
               "--engine", args.engine, "--corpus", args.corpus]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            break
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), flush=True)
        write_results(args, runs)


def write_results(args: argparse.Namespace, runs: list[dict]) -> None:
    """Merge this configuration's runs into results.json (one entry per corpus/encoder/engine)."""
    out = {"command": f".venv/bin/python -m bench.scale.run --sizes {' '.join(map(str, args.sizes))} "
                      f"--encoder {args.encoder} --engine {args.engine} --corpus {args.corpus}"
                      + (f" --workers {args.workers}" if getattr(args, "workers", None) else ""),
           "note": "2 shared cores, loaded by other jobs (see load_average_1m): wall times are pessimistic",
           "runs": runs}
    if len(runs) >= 2:
        a, b = fit([(r["articles"], r["seconds"]) for r in runs])
        out["growth_exponent"] = round(b, 3)
        cpu = [(r["articles"], r["cpu_seconds"]) for r in runs if "cpu_seconds" in r]
        if len(cpu) >= 2:
            out["cpu_growth_exponent"] = round(fit(cpu)[1], 3)
        out["projected"] = {str(n): {"seconds": round(math.exp(a) * n**b), "articles_per_s": round(n / (math.exp(a)
                            * n**b), 1)} for n in (100_000, 1_000_000)}
    path = HERE / "results.json"
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
    if "runs" in results:  # the single-configuration layout of earlier versions
        results = {}
    results[f"{args.corpus}/{args.encoder}/{args.engine}"] = out
    path.write_text(json.dumps(dict(sorted(results.items())), indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
