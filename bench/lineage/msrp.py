"""MSRP: F1 of the aligner's "same statement" decision, fitted on train, reported on test.

    .venv/bin/python -m bench.lineage.msrp [--encoder use-static]

Prints the fitted logistic weights (MATCH_WEIGHTS / MATCH_BIAS in wiretrace/align/aligner.py
are copied from this fit; another encoder's go to `MATCH_MODELS`) and the test scores of the
decision as shipped. `candidate_cut_matched` is the encoder's cosine that as many mismatched
train sentences (each first sentence against another pair's second) reach as reach USE's
CANDIDATE_MIN_COSINE under USE: the candidate cut carried over to another encoder's scale.
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.lineage.common import DATA, f1, fit_logistic, save_result
from wiretrace.align.aligner import CANDIDATE_MIN_COSINE, is_same_statement, match_model
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


def mismatched_cosines(rows, encoder) -> np.ndarray:
    """Cosines of each first sentence with the second sentence of the pair after it (unrelated pairs)."""
    va = encoder.encode([r[1] for r in rows])
    vb = encoder.encode([r[2] for r in rows])
    return np.sum(va * np.roll(vb, 1, axis=0), axis=1)


def matched_cut(encoder, rows) -> float:
    """The encoder's cosine reached by the share of unrelated pairs that reach CANDIDATE_MIN_COSINE under USE."""
    share = float(np.mean(mismatched_cosines(rows, get_encoder("use")) >= CANDIDATE_MIN_COSINE))
    return round(float(np.quantile(mismatched_cosines(rows, encoder), 1.0 - share)), 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--encoder", default="use", help="sentence encoder (its own fit in MATCH_MODELS when shipped)")
    args = parser.parse_args()
    encoder = get_encoder(args.encoder)
    model = match_model(args.encoder)
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
        [is_same_statement(a, bb, float(c), encoder=args.encoder) for (_, a, bb), c in zip(test, cos_te, strict=True)]
    )
    refit = (x_te @ w + b_shift) >= 0
    result = {
        "command": ".venv/bin/python -m bench.lineage.msrp" + (args.encoder != "use") * f" --encoder {args.encoder}",
        "encoder": args.encoder,
        "test_pairs": len(test),
        "shipped_decision": scores(shipped, y_te),
        "refit_decision": scores(refit, y_te),
        "cosine_only_at_shipped_cut": scores(cos_te >= model.cross_lingual_min_cosine, y_te),
        "all_positive_baseline": scores(np.ones(len(y_te), dtype=bool), y_te),
        "fit": {"weights": np.round(w, 3).tolist(), "bias": round(b_shift, 3), "cosine_cut": cos_t,
                "candidate_cut_matched": matched_cut(encoder, train)},
        "published_reference": "BERT-large about 0.89 F1",
    }
    print(result)
    save_result("msrp" if args.encoder == "use" else f"msrp_{args.encoder.replace('-', '_')}", result)


if __name__ == "__main__":
    main()
