"""Does the name tagger's memory grow with the corpus? spaCy's string store with and without a memory zone.

    .venv/bin/python -m bench.facts.ner_memory [--rounds 6] [--per-round 5000]

Feeds rounds of sentences made of unseen (random, seeded) words through `facts.names.ner_names`,
as a worker does over a large corpus, and prints the string store's size and the peak RSS after
each round. `--no-zone` runs spaCy's pipe directly, without the memory zone `ner_names` uses.
"""

from __future__ import annotations

import argparse
import json
import random
import resource


def sentences(rng: random.Random, n: int) -> list[str]:
    def word() -> str:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 10)))

    return [" ".join(word().capitalize() if i % 4 == 0 else word() for i in range(15)) + "." for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--per-round", type=int, default=5000)
    ap.add_argument("--no-zone", action="store_true", help="spaCy's pipe without a memory zone (the old behaviour)")
    args = ap.parse_args()
    from wiretrace.facts.names import english_pipeline, ner_names

    nlp = english_pipeline()
    if nlp is None:
        raise SystemExit("spaCy's English model is not installed")
    rng = random.Random(0)
    for r in range(args.rounds):
        batch = sentences(rng, args.per_round)
        if args.no_zone:
            list(nlp.pipe(batch, batch_size=256))
        else:
            ner_names(batch)
        print(json.dumps({"round": r + 1, "sentences": (r + 1) * args.per_round, "strings": len(nlp.vocab.strings),
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}), flush=True)


if __name__ == "__main__":
    main()
