"""SemEval-2022 Task 8 subset: Pearson correlation of the same-story pair score with -Overall.

Overall is 1 (very similar) .. 4 (very dissimilar), so a good score correlates with -Overall.
Reported on all 1,464 pairs, on de-en pairs, per language pair, and on the HFL *testing* file alone
(the fit in `fit.py` uses pairs of the HFL training file, so only the testing-file number is
held out). Both the probability and the raw logit are reported, and -- to show how much of the
graded Overall the same evidence carries -- a ridge read-out of the pair features cross-fitted
between the two HFL files (fit on one, predict the other; not shipped in the package).

Run: .venv/bin/python -m bench.stories.semeval   -> bench/stories/results_semeval.json
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.stories.fit import semeval_pairs
from wiretrace.config import Settings
from wiretrace.stories.score import WEIGHTS, probability

OUT = Path(__file__).with_name("results_semeval.json")


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1]) if len(x) > 2 and x.std() > 0 else float("nan")


def main() -> None:
    x, overall, rows = semeval_pairs(Settings(), source_file=None)
    prob = probability(x)
    logit = x @ WEIGHTS
    langs = np.array([f"{r['lang1']}-{r['lang2']}" for r in rows])
    held_out = np.array([r["source_file"] == "hfl_testing_set" for r in rows])
    out: dict = {}
    subsets = [("all", np.ones(len(rows), bool)), ("de-en", langs == "de-en"), ("held_out_testing_file", held_out)]
    for name, mask in subsets:
        out[name] = {
            "pairs": int(mask.sum()),
            "pearson_probability": round(pearson(prob[mask], -overall[mask]), 4),
            "pearson_logit": round(pearson(logit[mask], -overall[mask]), 4),
        }
    train = ~held_out
    graded = np.zeros(len(rows))
    for fit_mask in (train, held_out):
        w = np.linalg.solve(x[fit_mask].T @ x[fit_mask] + np.eye(x.shape[1]), x[fit_mask].T @ -overall[fit_mask])
        graded[~fit_mask] = x[~fit_mask] @ w
    out["graded_readout_crossfitted"] = {
        name: round(pearson(graded[mask], -overall[mask]), 4) for name, mask in subsets
    }
    out["by_language_pair"] = {
        lp: {
            "pairs": int((langs == lp).sum()),
            "pearson_probability": round(pearson(prob[langs == lp], -overall[langs == lp]), 4),
        }
        for lp in sorted(set(langs.tolist()))
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
