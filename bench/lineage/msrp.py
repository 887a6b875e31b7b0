"""MSRP: F1 of the aligner's "same statement" decision, fitted on train, reported on test.

    .venv/bin/python -m bench.lineage.msrp

Prints the fitted logistic weights (MATCH_WEIGHTS / MATCH_BIAS in wiretrace/align/aligner.py
are copied from this fit) and the test scores of the decision as shipped.
"""

from __future__ import annotations

import numpy as np

from bench.lineage.common import DATA, f1, fit_logistic, save_result
from wiretrace.align.aligner import CROSS_LINGUAL_MIN_COSINE, is_same_statement
from wiretrace.align.edits import compare
from wiretrace.embed import get_encoder


def load(split: str) -> list[tuple[int, str, str]]:
    rows = []
    with open(DATA / "msrp" / f"msr_paraphrase_{split}.txt", encoding="utf-8-sig") as f:
        for line in f:
            if line.strip():
                label, _, _, s1, s2 = line.rstrip("\n").split("\t")
                rows.append((int(label), s1, s2))
    return rows


def features(rows, encoder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    va = encoder.encode([r[1] for r in rows])
    vb = encoder.encode([r[2] for r in rows])
    cos = np.sum(va * vb, axis=1)
    x = []
    for (_, a, b), c in zip(rows, cos, strict=True):
        e = compare(a, b)
        ratio = min(e.tokens_a, e.tokens_b) / max(1, e.tokens_a, e.tokens_b)
        x.append((float(c), e.token_similarity, e.char_similarity, ratio))
    return np.array(x), np.array([r[0] for r in rows], dtype=float), cos


def best_threshold(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in np.unique(np.round(scores, 3)):
        pred = scores >= t
        score = f1(int(np.sum(pred & (y == 1))), int(np.sum(pred & (y == 0))), int(np.sum(~pred & (y == 1))))
        best = max(best, (score, float(t)))
    return best[1], best[0]


def scores(pred: np.ndarray, y: np.ndarray) -> dict:
    tp = int(np.sum(pred & (y == 1)))
    return {
        "f1": round(f1(tp, int(np.sum(pred & (y == 0))), int(np.sum(~pred & (y == 1)))), 4),
        "accuracy": round(float(np.mean(pred == (y == 1))), 4),
    }


def main() -> None:
    encoder = get_encoder("use")
    train, test = load("train"), load("test")
    x_tr, y_tr, cos_tr = features(train, encoder)
    x_te, y_te, cos_te = features(test, encoder)
    w, b = fit_logistic(x_tr, y_tr)
    # move the F1-optimal train threshold into the bias so the shipped decision is p >= 0.5
    p_tr = 1 / (1 + np.exp(-(x_tr @ w + b)))
    t, train_f1 = best_threshold(p_tr, y_tr)
    b_shift = b - float(np.log(t / (1 - t)))
    cos_t, cos_train_f1 = best_threshold(cos_tr, y_tr)
    print(
        "fitted weights", np.round(w, 3).tolist(), "bias", round(b_shift, 3), "train F1", round(train_f1, 4)
    )
    print("cosine-only threshold", cos_t, "train F1", round(cos_train_f1, 4))
    shipped = np.array(
        [is_same_statement(a, bb, float(c)) for (_, a, bb), c in zip(test, cos_te, strict=True)]
    )
    refit = (x_te @ w + b_shift) >= 0
    result = {
        "command": ".venv/bin/python -m bench.lineage.msrp",
        "test_pairs": len(test),
        "shipped_decision": scores(shipped, y_te),
        "refit_decision": scores(refit, y_te),
        "cosine_only_at_shipped_cut": scores(cos_te >= CROSS_LINGUAL_MIN_COSINE, y_te),
        "all_positive_baseline": scores(np.ones(len(y_te), dtype=bool), y_te),
        "fit": {"weights": np.round(w, 3).tolist(), "bias": round(b_shift, 3), "cosine_cut": cos_t},
        "published_reference": "BERT-large about 0.89 F1",
    }
    print(result)
    save_result("msrp", result)


if __name__ == "__main__":
    main()
