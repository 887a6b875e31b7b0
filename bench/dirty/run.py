"""Dirty corpus: 10,000 items, 1% corrupt; every good article stored, every bad one listed, exit code 1.

    .venv/bin/python -m bench.dirty.run [--articles 10000] [--encoder hash]

Runs `wiretrace analyze` as a user would (a subprocess), then reads the store. Writes
bench/dirty/results.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from wiretrace.engine.dirty import build, check

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--bad-share", type=float, default=0.01)
    ap.add_argument("--encoder", default="hash")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--command", default="analyze", choices=["analyze", "ingest"],
                    help="'ingest' stops after read+clean+store (where bad inputs are met)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wiretrace-dirty-"))
    corpus = build(work / "in", args.articles, args.bad_share, args.seed)
    start = time.monotonic()
    cmd = [sys.executable, "-m", "wiretrace", args.command, str(corpus.folder), "--store", str(work / "s.duckdb"), "-q"]
    if args.command == "analyze":
        cmd += ["--out", str(work / "report"), "--encoder", args.encoder]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    con = duckdb.connect(str(work / "s.duckdb"), read_only=True)
    ids = [r[0] for r in con.execute("SELECT id FROM articles").fetchall()]
    errors = con.execute("SELECT source, reason, code FROM errors").fetchall()
    con.close()
    result = check(corpus, ids, errors)
    result.update(articles=args.articles, exit_code=proc.returncode, seconds=round(seconds, 1),
                  command=f".venv/bin/python -m bench.dirty.run --articles {args.articles} --command {args.command}"
                  f" --encoder {args.encoder}")
    (HERE / "results.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k not in ("good_missing",)}, indent=1)[:3000])


if __name__ == "__main__":
    main()
