"""Facts + consensus on frozen inputs: CPU per article, an optional profile, and an output check.

    .venv/bin/python -m bench.scale.facts prepare [--n 2500] [--encoder use]   # once: corpus, stories, lineage
    .venv/bin/python -m bench.scale.facts run [--repeat 3] [--cold] [--profile] [--out /tmp/facts-after.json]
    .venv/bin/python -m bench.scale.facts compare /tmp/facts-before.json /tmp/facts-after.json

`prepare` builds bench/generator's corpus (needs ../shared), runs ingest, templates, stories and
lineage once (lineage in a worker pool) and pickles each story's inputs (story, members, alignments)
to /tmp, so `run` times only `find_drift` + `reconstruct` exactly as `pipeline.process_story` calls
them, in one process, on the same inputs every time (the per-story stages' cost moves with lineage
and clustering changes other engineers make; frozen inputs keep before/after comparable).
`run` reports process CPU seconds (min over repeats: the cores are shared) and writes every story's
drift and consensus as JSON; `compare` says whether two such files are identical (a speed change
must not change a single output). Results go to bench/scale/facts_results.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pickle
import pstats
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from wiretrace.pipeline import clear_text_caches

HERE = Path(__file__).resolve().parent
DEFAULT_INPUTS = Path(tempfile.gettempdir()) / "wiretrace-facts-inputs.pkl"


def _trace_many(task):
    from wiretrace.lineage import trace_with_alignments

    items, settings = task
    return [(*trace_with_alignments(story, members, settings), members) for story, members in items]


def prepare(n: int, encoder: str, path: Path) -> None:
    """Corpus -> stories -> lineage, pickled as [(story with lineage, members, alignments)]."""
    from bench.scale.run import write_generated
    from wiretrace.clean import remove_templates
    from wiretrace.config import Settings
    from wiretrace.pipeline import ingest_into, worker_pool
    from wiretrace.store import Store
    from wiretrace.stories import group

    work = Path(tempfile.mkdtemp(prefix="wiretrace-facts-"))
    write_generated(work / "in", n)
    settings = Settings(encoder=encoder)
    with worker_pool() as pool, Store(work / "s.duckdb") as store:
        ingest_into(store, [work / "in"], settings, pool=pool)
        articles = remove_templates(store.articles(), settings)
        stories = group(articles, settings, pool=pool)
        by_id = {a.id: a for a in articles}
        tasks = [([(s, {i: by_id[i] for i in s.articles if i in by_id}) for s in stories[k : k + 8]], settings)
                 for k in range(0, len(stories), 8)]
        traced = [t for part in pool.map(_trace_many, tasks) for t in part]
    with path.open("wb") as fh:
        pickle.dump({"n": n, "encoder": encoder, "items": traced}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{len(traced)} stories of {len(articles)} articles -> {path}")


def _run_once(items, settings) -> tuple[float, list]:
    from wiretrace.consensus import reconstruct
    from wiretrace.facts import find_drift

    start = time.process_time()
    done = []
    for story, alignments, members in items:
        story = find_drift(story, members, settings, alignments=alignments)
        done.append(reconstruct(story, members, settings, alignments=alignments))
    return time.process_time() - start, done




def run(path: Path, repeat: int, profile: bool, out: Path | None, cold: bool = False) -> dict:
    from wiretrace.config import Settings
    from wiretrace.facts import groups

    with path.open("rb") as fh:
        data = pickle.load(fh)
    items, settings = data["items"], Settings(encoder=data["encoder"])
    n_articles = sum(len(members) for _, _, members in items)
    seconds, done = [], []
    for _ in range(repeat):
        groups._CACHE.clear()  # each repeat starts cold, as a worker does
        if cold:
            clear_text_caches()
        if profile:
            prof = cProfile.Profile()
            prof.enable()
        cpu, done = _run_once(items, settings)
        if profile:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        seconds.append(cpu)
    if out:
        out.write_text(json.dumps([{"id": s.id, "drift": [asdict(d) for d in s.drift],
                                    "consensus": [asdict(c) for c in s.consensus]} for s in done],
                                  ensure_ascii=False, sort_keys=True), encoding="utf-8")
    best = min(seconds)
    result = {"articles": n_articles, "stories": len(items), "cpu_seconds_min": round(best, 2),
              "cpu_seconds_all": [round(s, 2) for s in seconds],
              "ms_per_article": round(1000 * best / max(1, n_articles), 2)}
    print(json.dumps(result))
    return result


def compare(a: Path, b: Path) -> bool:
    left, right = json.loads(a.read_text(encoding="utf-8")), json.loads(b.read_text(encoding="utf-8"))
    differing = [x["id"] for x, y in zip(left, right) if x != y]
    same = len(left) == len(right) and not differing
    shown = f": {differing[:10]}" if differing else ""
    print(f"{len(left)} vs {len(right)} stories; {len(differing)} differ{shown}")
    return same


def run_compare_parser(doc: str, repeat: int, results: str) -> tuple[argparse.ArgumentParser, Any]:
    """The `run` / `compare` subcommands both frozen-input benchmarks share (`results`: their JSON file)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--inputs", type=Path, default=DEFAULT_INPUTS)
    r.add_argument("--repeat", type=int, default=repeat)
    r.add_argument("--profile", action="store_true")
    r.add_argument("--out", type=Path)
    r.add_argument("--label", default="run", help=f"key under which the result is kept in {results}")
    r.add_argument("--cold", action="store_true", help="empty the per-text caches before each repeat")
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    return ap, sub


def save_labelled(path: Path, label: str, result: dict, command: str) -> None:
    """Keep `result` under `label` in the JSON file at `path`, beside earlier labels."""
    results = json.loads(path.read_text()) if path.exists() else {}
    results[label] = {**result, "command": command}
    path.write_text(json.dumps(results, indent=2) + "\n")


def main() -> None:
    ap, sub = run_compare_parser(__doc__, repeat=3, results="facts_results.json")
    p = sub.add_parser("prepare")
    p.add_argument("--n", type=int, default=2500)
    p.add_argument("--encoder", default="use")
    p.add_argument("--inputs", type=Path, default=DEFAULT_INPUTS)
    args = ap.parse_args()
    if args.cmd == "prepare":
        prepare(args.n, args.encoder, args.inputs)
    elif args.cmd == "run":
        result = run(args.inputs, args.repeat, args.profile, args.out, args.cold)
        save_labelled(HERE / "facts_results.json", args.label, result,
                      f"python -m bench.scale.facts run --repeat {args.repeat}" + " --cold" * args.cold)
    else:
        sys.exit(0 if compare(args.a, args.b) else 1)


if __name__ == "__main__":
    main()
