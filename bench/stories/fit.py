"""Fit the pair-score coefficients (wiretrace/stories/score.py WEIGHTS) on data, never on the seeds.

Training data: candidate pairs of a generated corpus over the *train* split of base articles
(seed 1; the benchmark uses the disjoint eval split), labelled by the generator's truth, plus the
SemEval-2022 pairs of the HFL training file (Overall <= 1.5 same story, >= 3 different; the
benchmark's Pearson is reported on all pairs and, separately, on the HFL testing file).
Logistic regression with L2 (1e-3), fitted by Newton's method; 5-fold CV numbers are printed.

Run: .venv/bin/python -m bench.stories.fit   (writes bench/stories/weights.json)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.generator import generate
from bench.stories.common import feature_index, to_articles
from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.stories.candidates import candidate_pairs
from wiretrace.stories.score import FEATURES, pair_features

SEMEVAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "semeval2022_task8_subset"
L2 = 1e-3


def logistic_fit(x: np.ndarray, y: np.ndarray, w8: np.ndarray | None = None, iters: int = 50) -> np.ndarray:
    w8 = np.ones(len(y)) if w8 is None else w8
    w = np.zeros(x.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (w8 * (p - y)) + L2 * w
        hess = (x * (w8 * p * (1 - p))[:, None]).T @ x + L2 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def generated_pairs(settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    versions = generate(seed=1, split="train")
    story = {v.id: v.story for v in versions}
    index, _ = feature_index(to_articles(versions), settings, "fit-train")
    pairs = candidate_pairs(index, list(range(len(index))))
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    y = np.array([story[index.ids[i]] == story[index.ids[j]] for i, j in pairs], dtype=np.float64)
    return pair_features(index, a, b), y


def semeval_pairs(settings: Settings, source_file: str | None = "hfl_training_set") -> tuple[np.ndarray, ...]:
    """Features and Overall of SemEval pairs (all pairs when `source_file` is None)."""
    with open(SEMEVAL / "pairs_original_text.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = [r for r in rows if source_file is None or r["source_file"] == source_file]
    arts = []
    for r in rows:
        a, b = r["pair_id"].split("_")
        arts.append(Article(id=f"{r['pair_id']}:1", source=a, content_hash=a, text=r["text1"], language=r["lang1"]))
        arts.append(Article(id=f"{r['pair_id']}:2", source=b, content_hash=b, text=r["text2"], language=r["lang2"]))
    index, _ = feature_index(arts, settings, f"semeval-{source_file or 'all'}")
    a = np.array([index.row[art.id] for art in arts[0::2]])
    b = np.array([index.row[art.id] for art in arts[1::2]])
    x = pair_features(index, a, b)
    return x, np.array([r["labels"]["Overall"] for r in rows]), rows


def main() -> None:
    settings = Settings()
    xg, yg = generated_pairs(settings)
    xs, overall, rows = semeval_pairs(settings, None)
    train_file = np.array([r["source_file"] == "hfl_training_set" for r in rows])
    keep = train_file & ((overall <= 1.5) | (overall >= 3.0))
    xs, ys = xs[keep], (overall[keep] <= 1.5).astype(np.float64)
    x = np.vstack([xg, xs])
    y = np.concatenate([yg, ys])
    # weight the small SemEval set up so it counts about as much as a quarter of the generated pairs
    w8 = np.concatenate([np.ones(len(yg)), np.full(len(ys), max(1.0, 0.25 * len(yg) / max(len(ys), 1)))])
    rng = np.random.default_rng(0)
    fold = rng.integers(0, 5, size=len(y))
    acc = []
    for k in range(5):
        w = logistic_fit(x[fold != k], y[fold != k], w8[fold != k])
        p = 1 / (1 + np.exp(-(x[fold == k] @ w)))
        acc.append(float(((p >= 0.5) == (y[fold == k] == 1)).mean()))
    w = logistic_fit(x, y, w8)
    out = {
        "features": list(FEATURES),
        "weights": [round(float(v), 4) for v in w],
        "cv_accuracy": round(float(np.mean(acc)), 4),
        "n_generated_pairs": len(yg),
        "generated_positive_share": round(float(yg.mean()), 4),
        "n_semeval_pairs": len(ys),
    }
    Path(__file__).with_name("weights.json").write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
