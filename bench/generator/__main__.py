"""Write a generated corpus.

.venv/bin/python -m bench.generator OUT_DIR [--seed N] [--articles N] [--split eval|train|all]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.generator.corpus import generate, write


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--articles", type=int, default=None)
    ap.add_argument("--split", default="eval", choices=["eval", "train", "all"])
    args = ap.parse_args()
    versions = generate(seed=args.seed, split=None if args.split == "all" else args.split, n_articles=args.articles)
    write(versions, args.out)
    print(f"{len(versions)} articles, {len({v.story for v in versions})} stories -> {args.out}")


if __name__ == "__main__":
    main()
