"""Calibrate the spin / rewrite thresholds of RelationRule on generated *train* derivations.

    .venv/bin/python -m bench.lineage.fit_relations [--stories 120]

Each derived version is compared with its true parent (when the parent is in the corpus and in
the same language); a grid over the machine-rewrite and rewrite thresholds maximises relation
accuracy on the train split. The fitted values are copied into RelationRule; the eval split is
scored by bench.lineage.generated, never used here.
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter
from dataclasses import replace

from bench.lineage.common import save_result
from bench.lineage.generated import build
from wiretrace.align import EmbeddingCache, align_units
from wiretrace.lineage.features import relation_features
from wiretrace.lineage.relations import DEFAULT_RULE, classify

GRID = {
    "spin_swap_rate": [0.01, 0.02, 0.03, 0.05, 0.08],
    "spin_max_restructured": [0.2, 0.35, 0.5, 0.7],
    "rewrite_restructured": [0.15, 0.25, 0.35, 0.5, 1.01],
    "spin_order": [0.75, 0.85, 0.95],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=120)
    args = parser.parse_args()
    cache = EmbeddingCache()
    rows = []
    for _, articles, truth, _ in build("train", args.stories, seed=11):
        for aid, t in sorted(truth.items()):
            parent = t["parent"]
            if parent not in articles or t["relation"] == "translation":
                continue
            uc, up = cache.units(articles[aid]), cache.units(articles[parent])
            f = relation_features(uc.texts, up.texts, align_units(uc, up).pairs, False)
            rows.append((t["relation"], f))
    best = (-1.0, DEFAULT_RULE)
    for values in itertools.product(*GRID.values()):
        rule = replace(DEFAULT_RULE, **dict(zip(GRID, values, strict=True)))
        acc = sum(classify(f, rule)[0] == truth for truth, f in rows) / len(rows)
        if acc > best[0] + 1e-9:
            best = (acc, rule)
    acc, rule = best
    confusion = Counter((truth, classify(f, rule)[0]) for truth, f in rows)
    result = {
        "command": f".venv/bin/python -m bench.lineage.fit_relations --stories {args.stories}",
        "train_pairs": len(rows),
        "train_relation_accuracy_given_true_parent": round(acc, 4),
        "fitted": {k: getattr(rule, k) for k in GRID},
        "confusion_truth_pred": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items())},
    }
    print(result)
    save_result("fit_relations_train", result)


if __name__ == "__main__":
    main()
