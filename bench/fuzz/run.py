"""Coverage-guided fuzzing of readers, cleaner and fact extractor with atheris (libFuzzer).

    .venv/bin/python -m bench.fuzz.run [--runs 40000] [--seed 1]

Runs each target in bench/fuzz/targets.py for `--runs` inputs (seeded, max 4 KiB each, seeded
with the bundled examples), restarting after a crash so one bug does not end the campaign, and
writes bench/fuzz/results.json: inputs run, crashes (input file and traceback), time per target.
Every crash should become a case in tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TARGETS = ("readers", "cleaner", "facts")
MAX_RESTARTS = 5
_STAT = re.compile(r"^#(\d+)\s", re.M)
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def seed_corpus(folder: Path, target: str) -> None:
    """Seeds: each bundled example (readers: with the leading format byte the target consumes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, path in enumerate(sorted((ROOT / "examples").glob("*.*"))):
        data = path.read_bytes()[:4000]
        if target == "readers":
            data = bytes([k % 11]) + data
        (folder / f"seed-{k:02d}").write_bytes(data)


def run_target(target: str, runs: int, seed: int, work: Path) -> dict:
    corpus = work / f"corpus-{target}"
    seed_corpus(corpus, target)
    done, crashes, started, restarts = 0, [], time.monotonic(), 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    while done < runs and restarts <= MAX_RESTARTS:
        cmd = [sys.executable, "-m", "bench.fuzz.targets", target, f"-runs={runs - done}", f"-seed={seed + restarts}",
               "-max_len=4096", "-timeout=20", "-rss_limit_mb=4096", "-print_final_stats=1", str(corpus)]
        proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, errors="replace")
        finished = _DONE.search(proc.stderr)
        if finished:
            done += int(finished.group(1))
            break
        counts = [int(n) for n in _STAT.findall(proc.stderr)]
        done += max(counts, default=0)
        artifact = re.findall(r"Test unit written to (\S+)", proc.stderr)
        tail = proc.stderr[proc.stderr.find("=== Uncaught Python exception"):][:4000]
        crashes.append({"input": artifact[-1] if artifact else None, "traceback": tail or proc.stderr[-4000:]})
        restarts += 1
    return {"target": target, "inputs": done, "crashes": crashes, "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=40_000, help="inputs per target")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--targets", nargs="*", default=list(TARGETS))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wiretrace-fuzz-run-"))
    results = [run_target(t, args.runs, args.seed, work) for t in args.targets]
    for r in results:
        print(f"{r['target']}: {r['inputs']} inputs, {len(r['crashes'])} crashes, {r['seconds']} s")
    out = {
        "command": f".venv/bin/python -m bench.fuzz.run --runs {args.runs} --seed {args.seed}",
        "engine": "atheris (libFuzzer, coverage-guided), max_len 4096",
        "total_inputs": sum(r["inputs"] for r in results),
        "total_crashes": sum(len(r["crashes"]) for r in results),
        "artifacts": str(work),
        "targets": results,
    }
    (HERE / "results.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
