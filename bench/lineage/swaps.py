"""Are the reported word substitutions real? Precision and recall against the generator's record.

    .venv/bin/python -m bench.lineage.swaps [--stories 150] [--split train|eval]

Each derived version of the generated corpus (bench.lineage.generated.build) is compared with its
true parent the way lineage does (`relation_features` over `align_units` pairs). Two lists are
scored: `substitutions`, what the evidence shows, and `word_swaps`, every short replacement of the
word alignment, which machine-rewrite detection and reading inheritance count. The generator
records the words its operators substituted (spin's synonyms, a respelt name, said→says,
said→told reporters; with the figures number_change altered): a reported pair is right when the
generator made it in that version. The figures are per operator, so a swap reported on a reordered
or paraphrased version (words moved, not replaced) shows as a false one. Scored on casefolded words
without punctuation.
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


def matched(reported: list[tuple[str, str]], true: list[tuple[str, str]]) -> tuple[int, list, list]:
    """How many reported swaps the generator made (each true one matched once), the wrong ones, the missed ones.

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
    return len(reported) - len(wrong), wrong, left


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# what each list is (wiretrace/align/edits.py PairEdits): `substitutions` the evidence shows,
# `word_swaps` every short replacement of the word alignment, which spin detection counts
LISTS = ("substitutions", "word_swaps")


def score(cases, cache: EmbeddingCache) -> dict:
    """Per list and operator: versions, reported swaps, true swaps, right ones, precision, recall,
    wrong ones per 100 words and the commonest wrong ones."""
    counts: dict[tuple[str, str], Counter] = {}
    examples: dict[tuple[str, str], Counter] = {}
    for _, articles, truth, *_ in cases:
        for aid, t in sorted(truth.items()):
            if t["parent"] not in articles or t["operator"] == "translation":
                continue
            uc, up = cache.units(articles[aid]), cache.units(articles[t["parent"]])
            if uc.language and up.language and uc.language != up.language:
                continue
            f = relation_features(uc.texts, up.texts, align_units(uc, up).pairs, False)
            for name in LISTS:
                reported = getattr(f, name)
                right, wrong, missed = matched(reported, t["swaps"])
                c = counts.setdefault((name, t["operator"]), Counter())
                c["versions"] += 1
                c["words"] += len(t["words"])
                c["reported"] += len(reported)
                # a bare figure changed is the facts stage's business, never a word swap (edits.py): a
                # missed one does not count against recall
                c["true"] += len(t["swaps"]) - sum(old.isdigit() for old, _ in missed)
                c["right"] += right
                examples.setdefault((name, t["operator"]), Counter()).update(wrong)
    out: dict = {}
    for name in LISTS:
        rows = {op: c for (n, op), c in sorted(counts.items()) if n == name}
        out[name] = {op: _row(c, examples[(name, op)]) for op, c in rows.items()}
        out[name]["all"] = _row(sum(rows.values(), Counter()), Counter())
    return out


def _row(c: Counter, wrong: Counter) -> dict:
    return {
        **{k: c[k] for k in ("versions", "reported", "true", "right")},
        "precision": _rate(c["right"], c["reported"]),
        "recall": _rate(c["right"], c["true"]),
        "wrong_per_100_words": round(100 * (c["reported"] - c["right"]) / max(1, c["words"]), 3),
        "wrong_examples": [f"{a}→{b}" for (a, b), _ in wrong.most_common(5)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    result = score(build(args.split, args.stories), EmbeddingCache())
    result["command"] = f".venv/bin/python -m bench.lineage.swaps --stories {args.stories} --split {args.split}"
    for name in LISTS:
        for op, row in result[name].items():
            print(f"{name:14} {op:20} {row}")
    save_result(f"swaps_{args.split}", result)


if __name__ == "__main__":
    main()
