"""Scale benchmark: articles/s end to end, peak memory, time per stage, growth exponent of time.

    .venv/bin/python -m bench.scale.run [--sizes 1000 3000 10000] [--encoder hash] [--workers 2]

Each size runs in a fresh subprocess (so peak memory is that run's), over a synthetic corpus
(wiretrace.engine.synthetic: no shared data needed; bench/generator's real-text corpora need
../shared). The run is `wiretrace analyze`'s own path (pipeline.analyze_store's steps: ingest in
a worker pool, then `analyze_stored` in a pool of its own, shut down before the stories are saved),
timed per stage: ingest+clean, templates (a streamed pass over the store), stories, then lineage,
facts and consensus (summed over worker processes) and the per-story wall time. Peak memory is the
largest sum of PSS (proportional set size: shared pages split between processes, so spawned
workers are not double-counted) over this process and all its descendants, sampled every 0.2 s;
`memory` says where and when: each stage's tree peak, each process's peak RSS/PSS and its stage,
each process's PSS at the tree's peak (`Stages` wraps the stage functions to know the stage).
The exponent b is the least-squares fit of log t = a + b log n; larger sizes are projected from it.
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
    return _rss_pss_kb(pid)[1]


def _rss_pss_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB, from /proc/<pid>/smaps_rollup ((0, 0) once it is gone)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _cpu_ticks(pid: int) -> int:
    """User + system clock ticks of one process so far (not of its children)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


class Stages:
    """The stage the measured run is in, set by wrappers around the pipeline's stage functions.

    Only the benchmark wraps them (`watch_stages`): the product code carries no probe. A label
    holds until the next stage starts, so the time between two stages counts to the earlier one."""

    # (module, class or "", function, label): entered in this order by both paths
    WATCHED = (
        ("wiretrace.engine.spark", "", "ingest_spark", "ingest+clean"),
        ("wiretrace.pipeline", "", "load_index", "index load"),
        ("wiretrace.stories", "", "update_index_from", "stories features"),
        ("wiretrace.stories", "", "verify_new", "candidates+verify"),
        ("wiretrace.stories", "", "stories_of", "clustering"),
        ("wiretrace.store", "Store", "save_index", "index save"),
        ("wiretrace.pipeline", "", "_story_stages", "per-story stages"),
        ("wiretrace.engine.spark", "SparkEngine", "trace", "per-story stages"),
        ("wiretrace.store", "Store", "save_stories", "stories save"),
    )

    def __init__(self) -> None:
        self.current = "start"
        self.order: list[str] = ["start"]

    def enter(self, label: str) -> None:
        if label not in self.order:
            self.order.append(label)
        self.current = label

    def watch(self) -> None:
        """Wrap every WATCHED function so that entering it sets the stage."""
        import functools
        import importlib

        for module, cls, name, label in self.WATCHED:
            owner = importlib.import_module(module)
            owner = getattr(owner, cls) if cls else owner
            fn = getattr(owner, name)

            @functools.wraps(fn)
            def wrapped(*args, _fn=fn, _label=label, **kwargs):
                self.enter(_label)
                return _fn(*args, **kwargs)

            setattr(owner, name, wrapped)


class TreeMemory:
    """Samples the PSS of this process tree in a thread; `peak_mb` is the largest sum seen.

    With `stages`, it also keeps, per process (main, then workers in the order first seen), its
    peak RSS and PSS and the stage it was in, the largest tree sum per stage, and each process's
    share at the tree's peak: where the memory is, and when.
    It also keeps each descendant's last-seen CPU time: Spark's JVM and its Python workers are
    never joined by this process, so `getrusage` cannot see them (`descendants_cpu_seconds`)."""

    def __init__(self, every: float = 0.2, stages: Stages | None = None) -> None:
        self.every, self.peak_kb = every, 0
        self.stages = stages or Stages()
        self._ticks: dict[int, int] = {}
        self._names: dict[int, str] = {}
        self.per_process: dict[str, dict] = {}
        self.by_stage_kb: dict[str, dict[str, int]] = {}  # process -> stage -> peak PSS
        self.per_stage_kb: dict[str, int] = {}
        self.at_peak: dict = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.cpu_seconds = 0.0  # this sampler's own CPU (reading smaps_rollup costs ~4-11 ms a process)

    def _name(self, pid: int, me: int) -> str:
        if pid not in self._names:
            self._names[pid] = "main" if pid == me else f"child-{len(self._names)}"
        return self._names[pid]

    def _run(self) -> None:
        me = os.getpid()
        self._name(me, me)
        while not self._stop.is_set():
            kids = _descendants(me)
            stage = self.stages.current
            sizes = {pid: _rss_pss_kb(pid) for pid in [me, *kids]}
            total = sum(pss for _, pss in sizes.values())
            self.per_stage_kb[stage] = max(self.per_stage_kb.get(stage, 0), total)
            for pid, (rss, pss) in sizes.items():
                stage_peaks = self.by_stage_kb.setdefault(self._name(pid, me), {})
                stage_peaks[stage] = max(stage_peaks.get(stage, 0), pss)
                peak = self.per_process.setdefault(self._name(pid, me), {"rss_mb": 0, "pss_mb": 0})
                if rss // 1024 > peak["rss_mb"]:
                    peak.update(rss_mb=rss // 1024, rss_stage=stage)
                if pss // 1024 > peak["pss_mb"]:
                    peak.update(pss_mb=pss // 1024, pss_stage=stage)
            if total > self.peak_kb:
                self.peak_kb = total
                shares = {self._name(p, me): round(pss / 1024) for p, (_, pss) in sizes.items()}
                self.at_peak = {"stage": stage, **shares}
            for pid in kids:
                self._ticks[pid] = max(self._ticks.get(pid, 0), _cpu_ticks(pid))
            self.cpu_seconds = time.thread_time()
            self._stop.wait(self.every)

    def report(self) -> dict:
        """Per process and per stage peaks (MB), and the processes' PSS at the tree's peak."""
        order = {label: k for k, label in enumerate(self.stages.order)}
        stages = sorted(self.per_stage_kb.items(), key=lambda kv: order.get(kv[0], len(order)))
        by_process = {name: {k: round(peaks[k] / 1024) for k, _ in stages if k in peaks}
                      for name, peaks in self.by_stage_kb.items()}
        return {"tree_pss_mb_by_stage": {k: round(v / 1024) for k, v in stages},
                "at_tree_peak": self.at_peak, "per_process": self.per_process,
                "pss_mb_by_process_and_stage": by_process}

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


def measure(n: int, encoder: str, engine: str, corpus: str = "synthetic", static: bool = False) -> dict:
    """One run, in this process: the timings of each stage over `n` fresh synthetic articles (`static`:
    the stories stage and the per-story stages on the static encoder, `Settings.stories_encoder` and
    `align_encoder` = "use-static")."""
    from wiretrace.config import Settings
    from wiretrace.pipeline import CLEAN_PRELOAD, analyze_stored, default_workers, ingest_into, lazy_worker_pool
    from wiretrace.store import Store

    work = Path(tempfile.mkdtemp(prefix="wiretrace-scale-"))
    try:
        # the corpus is written by a child process: generating 100k articles leaves ~1 GB of freed
        # but still mapped heap behind, which would count as the pipeline's memory
        writer = write_generated if corpus == "generator" else write_synthetic
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            truth = child.submit(writer, work / "in", n).result()
        fast = "use-static" if static else None
        settings = Settings(encoder=encoder, stories_encoder=fast, align_encoder=fast)
        times: dict[str, float] = {}
        workers = default_workers()
        cpu_before, self_before = _cpu_seconds(), _self_cpu_seconds()  # not the corpus writer's
        start = time.perf_counter()
        stages = Stages()
        stages.watch()
        with Store(work / "s.duckdb") as store:
            with TreeMemory(stages=stages) as memory:
                if engine == "spark":
                    from wiretrace.engine.spark import analyze_store_spark

                    # the product's path: ingest on Spark, then analyze_stored with the Spark engine's steps
                    analyze_store_spark(store, [work / "in"], settings, master="local[2]", timings=times)
                    times["spark (all stages)"] = time.perf_counter() - start
                else:
                    # pipeline.analyze_store's steps: ingest in a pool, then the later stages in a pool
                    # of their own (started for PARALLEL_MIN_ARTICLES or more, shut down before the
                    # stories are saved), reading the store batch by batch ("templates" is the streamed
                    # template pass), the story index saved, stories saved ("save")
                    with lazy_worker_pool(workers, preload=CLEAN_PRELOAD) as pool:
                        stages.enter("ingest+clean")
                        t = time.perf_counter()
                        ingest_into(store, [work / "in"], settings, pool=pool)
                        times["ingest+clean"] = time.perf_counter() - t
                    stages.enter("templates")
                    analyze_stored(store, settings, timings=times)
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
    return {"articles": n, "engine": engine, "encoder": encoder, "static": static, "workers": workers,
            "seconds": round(total, 2),
            "articles_per_s": round(n / total, 1),
            "cpu_seconds": round(cpu, 1), "articles_per_cpu_s": round(n / cpu, 1), "peak_tree_pss_mb": memory.peak_mb,
            # the memory sampler's own CPU is in `cpu_seconds` (this process's); without it, what
            # `wiretrace analyze` itself would spend
            "sampler_cpu_seconds": round(memory.cpu_seconds, 1),
            "pipeline_cpu_seconds": round(cpu - memory.cpu_seconds, 1),
            "peak_main_rss_mb": round(main_kb / 1024), "stage_seconds": {k: round(v, 2) for k, v in times.items()},
            "load_average_1m": round(os.getloadavg()[0], 2), "corpus": corpus, **story_stats(stored, truth),
            "digests": output_digests(stored), "memory": memory.report(),
            "malloc_env": {k: v for k, v in os.environ.items() if k.startswith(("MALLOC_", "GLIBC_TUNABLES"))}}


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
    ap.add_argument("--static", action="store_true",
                    help="stories and per-story stages on the static encoder (stories_encoder, align_encoder)")
    ap.add_argument("--one", type=int, help="measure one size in this process and print its JSON")
    ap.add_argument("--from-log", type=Path, help="refit from the JSON lines a (partly) finished run printed")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.encoder, args.engine, args.corpus, args.static)))
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
               "--engine", args.engine, "--corpus", args.corpus, *(["--static"] if args.static else [])]
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
                      + (" --static" if getattr(args, "static", False) else "")
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
    static = "+static" if getattr(args, "static", False) else ""
    results[f"{args.corpus}/{args.encoder}{static}/{args.engine}"] = out
    path.write_text(json.dumps(dict(sorted(results.items())), indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
