"""Are the reported word substitutions real? Precision and recall against the generator's record.

    .venv/bin/python -m bench.lineage.swaps [--stories 150] [--split train|eval]

Each derived version of the generated corpus (bench.lineage.generated.build) is compared with its
true parent the way lineage does (`relation_features` over `align_units` pairs); its `word_swaps`
are the substitutions the evidence lists and machine-rewrite detection counts. The generator
records the words its operators substituted (spin's synonyms, a respelt name, said→says,
said→told reporters; with the figures number_change altered): a reported pair is right when the
generator made it in that version. The
figures are per operator, so a swap reported on a reordered or paraphrased version (words moved,
not replaced) shows as a false one. Scored on casefolded words without punctuation.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

from bench.lineage.common import save_result
from bench.lineage.generated import build
from wiretrace.align import EmbeddingCache, align_units
from wiretrace.lineage.features import relation_features


def _key(pair: tuple[str, str]) -> tuple[str, str]:
    old, new = pair
    return (re.sub(r"[^\w ]", "", old.casefold()), re.sub(r"[^\w ]", "", new.casefold()))


def matched(reported: list[tuple[str, str]], true: list[tuple[str, str]]) -> tuple[int, list[tuple[str, str]]]:
    """How many reported swaps the generator made (each true one matched once), and the others.

    A reported pair is a true one written inside a longer token ("Italy's"→"Itlay's" for
    Italy→Itlay, "COVID-19"→"COVID-46" for a changed 19)."""
    left = [_key(p) for p in true]
    wrong = []
    for pair in map(_key, reported):
        old, new = pair
        hit = next((k for k, (o, n) in enumerate(left) if o and o in old and old.replace(o, n) == new), None)
        if hit is None:
            wrong.append(pair)
        else:
            left.pop(hit)
    return len(reported) - len(wrong), wrong


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def score(cases, cache: EmbeddingCache) -> dict:
    """Per operator: versions, reported swaps, true swaps, right ones, precision, recall, swaps per 100 words."""
    counts: dict[str, Counter] = {}
    examples: dict[str, Counter] = {}
    for _, articles, truth, *_ in cases:
        for aid, t in sorted(truth.items()):
            if t["parent"] not in articles or t["operator"] == "translation":
                continue
            uc, up = cache.units(articles[aid]), cache.units(articles[t["parent"]])
            if uc.language and up.language and uc.language != up.language:
                continue
            f = relation_features(uc.texts, up.texts, align_units(uc, up).pairs, False)
            # a bare figure changed is the facts stage's business: never a word swap (edits.py)
            true = [p for p in t["swaps"] if not p[0].replace(",", "").replace(".", "").isdigit()]
            right, wrong = matched(f.word_swaps, true)
            c = counts.setdefault(t["operator"], Counter())
            c["versions"] += 1
            c["words"] += len(t["words"])
            c["reported"] += len(f.word_swaps)
            c["true"] += len(true)
            c["right"] += right
            examples.setdefault(t["operator"], Counter()).update(wrong)
    out: dict = {}
    for op, c in sorted(counts.items()):
        out[op] = {
            **{k: c[k] for k in ("versions", "reported", "true", "right")},
            "precision": _rate(c["right"], c["reported"]),
            "recall": _rate(c["right"], c["true"]),
            "false_per_100_words": round(100 * (c["reported"] - c["right"]) / max(1, c["words"]), 3),
            "false_examples": [f"{a}→{b}" for (a, b), _ in examples[op].most_common(6)],
        }
    total = sum(counts.values(), Counter())
    out["all"] = {
        **{k: total[k] for k in ("versions", "reported", "true", "right")},
        "precision": _rate(total["right"], total["reported"]),
        "recall": _rate(total["right"], total["true"]),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    result = score(build(args.split, args.stories), EmbeddingCache())
    result["command"] = f".venv/bin/python -m bench.lineage.swaps --stories {args.stories} --split {args.split}"
    for op, row in result.items():
        if isinstance(row, dict):
            print(f"{op:20} {row}")
    save_result(f"swaps_{args.split}", result)


if __name__ == "__main__":
    main()
