"""Coverage-guided fuzzing of readers, cleaner and fact extractor with atheris (libFuzzer).

    .venv/bin/python -m bench.fuzz.run [--scale 1.0] [--seed 1] [--targets readers cleaner facts]

Runs each target in bench/fuzz/targets.py for its budget of inputs (PLAN: readers 50,000,
cleaner 30,000, facts 25,000 at --scale 1), each with its own bounded `-max_len` (the cleaner's
cost grows with input length: trafilatura, sentence splitting) and a wall-clock guard, seeded with
the bundled examples. A crash ends a libFuzzer process, so the target is restarted with the next
seed until its budget is spent; every crash input is copied to bench/fuzz/crashes/ (named by
target and sha1, so re-runs do not duplicate) with its traceback, and bench/fuzz/results.json is
rewritten after every target, so an interrupted campaign keeps what it found. Every crash should
become a case in tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
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
CRASHES = HERE / "crashes"
# inputs, -max_len (bytes) and wall-clock guard (seconds) per target at --scale 1
PLAN = {
    "readers": (50_000, 4096, 900),
    "cleaner": (30_000, 1024, 900),
    "facts": (25_000, 512, 900),
}
MAX_RESTARTS = 10
UNIT_TIMEOUT_S = 20  # one input slower than this is recorded as a hang
_STAT = re.compile(r"^#(\d+)\s", re.M)
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_EXECUTED = re.compile(r"stat::number_of_executed_units:\s*(\d+)")


def seed_corpus(folder: Path, target: str, max_len: int) -> None:
    """Seeds: each bundled example, cut to max_len (readers: with the leading format byte they consume)."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, path in enumerate(sorted((ROOT / "examples").glob("*.*"))):
        data = path.read_bytes()[: max_len - 1]
        if target == "readers":
            data = bytes([k % 11]) + data
        (folder / f"seed-{k:02d}").write_bytes(data)


def keep_crash(target: str, artifact: str | None, log: str) -> dict:
    """Copy a crash input out of the scratch folder and describe it (input inline as base64)."""
    tail = log[log.find("=== Uncaught Python exception") :] if "=== Uncaught" in log else log[-3000:]
    crash: dict = {"kind": "timeout" if "ERROR: libFuzzer: timeout" in log else "crash", "traceback": tail[:4000]}
    if artifact and Path(artifact).exists():
        data = Path(artifact).read_bytes()
        CRASHES.mkdir(exist_ok=True)
        kept = CRASHES / f"{target}-{hashlib.sha1(data).hexdigest()[:16]}.bin"
        kept.write_bytes(data)
        crash.update(input_file=str(kept.relative_to(ROOT)), input_base64=base64.b64encode(data).decode("ascii"))
    return crash


def run_target(target: str, runs: int, max_len: int, guard_s: int, seed: int, work: Path) -> dict:
    corpus = work / f"corpus-{target}"
    seed_corpus(corpus, target, max_len)
    done, crashes, restarts, started = 0, [], 0, time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    while done < runs and restarts <= MAX_RESTARTS:
        left_s = int(guard_s - (time.monotonic() - started))
        if left_s <= 0:
            break
        cmd = [
            sys.executable, "-m", "bench.fuzz.targets", target,
            f"-runs={runs - done}", f"-seed={seed + restarts}", f"-max_len={max_len}",
            f"-timeout={UNIT_TIMEOUT_S}", f"-max_total_time={left_s}", "-rss_limit_mb=4096",
            "-print_final_stats=1", str(corpus),
        ]  # fmt: skip
        proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, errors="replace")
        executed = _EXECUTED.search(proc.stderr)
        counts = [int(n) for n in _STAT.findall(proc.stderr)]
        done += int(executed.group(1)) if executed else max(counts, default=0)
        if proc.returncode == 0 and (finished := _DONE.search(proc.stderr)):
            done = max(done, int(finished.group(1))) if not executed else done
            continue  # the budget is spent, or -max_total_time ended it (the loop checks both)
        artifact = _ARTIFACT.findall(proc.stderr)
        crashes.append(keep_crash(target, artifact[-1] if artifact else None, proc.stderr))
        restarts += 1
    return {
        "target": target,
        "inputs": done,
        "planned": runs,
        "max_len": max_len,
        "restarts": restarts,
        "outcome": "crashes" if crashes else ("clean" if done >= runs else "clean, budget cut by the time guard"),
        "crashes": crashes,
        "seconds": round(time.monotonic() - started, 1),
    }


def write_results(results: list[dict], args: argparse.Namespace) -> None:
    out = {
        "command": f".venv/bin/python -m bench.fuzz.run --scale {args.scale} --seed {args.seed}",
        "engine": "atheris (libFuzzer, coverage-guided)",
        "total_inputs": sum(r["inputs"] for r in results),
        "total_crashes": sum(len(r["crashes"]) for r in results),
        "machine": f"{os.cpu_count()} cores",
        "targets": results,
    }
    (HERE / "results.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every target's input budget")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--targets", nargs="*", default=list(PLAN))
    args = ap.parse_args()
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="wiretrace-fuzz-run-") as tmp:
        for target in args.targets:
            runs, max_len, guard_s = PLAN[target]
            results.append(run_target(target, int(runs * args.scale), max_len, guard_s, args.seed, Path(tmp)))
            r = results[-1]
            print(f"{target}: {r['inputs']} inputs, {len(r['crashes'])} crashes, {r['seconds']} s", flush=True)
            write_results(results, args)


if __name__ == "__main__":
    main()
