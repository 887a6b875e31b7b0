"""Verification: a same-story probability for candidate pairs, from evidence stronger than one cosine.

Pair features (all pair-local, so a score never changes when the corpus grows):
chunk alignment (how many of the shorter article's chunks find a close chunk in the other),
lead and document cosine, shingle containment (estimated from MinHash), anchor agreement
(shared names/numbers/quotes), number agreement, and the time gap. A logistic model combines
them; its coefficients are fitted on data by `bench/stories/fit.py`, never set by hand.
"""

from __future__ import annotations

import numpy as np

from wiretrace.stories.features import NUM_PERM
from wiretrace.stories.index import StoryIndex

FEATURES = (
    "bias",
    "lead_cos",
    "doc_cos",
    "chunk_max",
    "chunk_align",
    "containment",
    "anchor_overlap",
    "anchor_shared",
    "number_overlap",
    "numbers_known",
    "lead_number_overlap",
    "lead_numbers_known",
    "cross_lingual",
    "day_gap",
    "days_known",
)

# Fitted by `.venv/bin/python -m bench.stories.fit` (logistic regression, L2 1e-3, Newton) on the
# generator's training split (seed 1, base articles disjoint from the evaluation split) plus the
# SemEval-2022 training-file pairs (Overall <= 1.5 positive, >= 3 negative). Refit with that command.
WEIGHTS = np.array(
    [-7.4174, -0.154, 0.0697, 5.0808, 3.9873, -0.0387, 3.5465, 1.6774,
     0.7023, 0.049, 1.2514, -0.7189, 1.2397, -2.9397, 2.4533],
    dtype=np.float64,
)
_UNUSED = np.uint64(0xFFFFFFFFFFFFFFFF)


def _csr_overlap(vals: np.ndarray, ptr: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per pair: |A ∩ B|, |A|, |B| for CSR-stored sorted hash sets, vectorised by keying on pair id."""
    na, nb = ptr[a + 1] - ptr[a], ptr[b + 1] - ptr[b]
    inter = np.zeros(a.size, dtype=np.int64)
    if a.size == 0 or vals.size == 0:
        return inter, na, nb

    def expand(rows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pair = np.repeat(np.arange(rows.size), counts)
        offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return pair, vals[np.repeat(ptr[rows], counts) + offs]

    pa, va = expand(a, na)
    pb, vb = expand(b, nb)
    with np.errstate(over="ignore"):
        ka = va ^ (pa.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        kb = vb ^ (pb.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    hit = np.isin(ka, kb, assume_unique=True)
    inter = np.bincount(pa[hit], minlength=a.size).astype(np.int64)
    return inter, na, nb


def pair_features(index: StoryIndex, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Feature matrix (len(a), len(FEATURES)) for row pairs (a[k], b[k])."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    x = np.zeros((a.size, len(FEATURES)), dtype=np.float64)
    if a.size == 0:
        return x
    x[:, 0] = 1.0
    # each row converted to float32 once per batch (batches repeat rows: a query meets many partners)
    rows, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    chunks = index.chunks[rows].astype(np.float32)
    ca, cb = chunks[inverse[: a.size]], chunks[inverse[a.size :]]
    sims = np.einsum("pid,pjd->pij", ca, cb)
    # doc cosine = cosine of the chunk sums = sum of all chunk sims / both sums' norms (padding is 0)
    doc_dot = sims.sum(axis=(1, 2))
    mask_a = np.arange(ca.shape[1])[None, :] < index.n_chunks[a][:, None]
    mask_b = np.arange(cb.shape[1])[None, :] < index.n_chunks[b][:, None]
    valid = mask_a[:, :, None] & mask_b[:, None, :]
    sims = np.where(valid, sims, -1.0)
    has = valid.any(axis=(1, 2))
    x[:, 1] = np.where(has, sims[:, 0, 0], 0.0)
    norms = np.maximum(index.sum_norms[a] * index.sum_norms[b], 1e-12)
    x[:, 2] = np.where(has, doc_dot / norms, 0.0)
    x[:, 3] = np.where(has, sims.max(axis=(1, 2)), 0.0)
    row_best = np.where(mask_a, sims.max(axis=2), 0.0).sum(axis=1) / np.maximum(mask_a.sum(axis=1), 1)
    col_best = np.where(mask_b, sims.max(axis=1), 0.0).sum(axis=1) / np.maximum(mask_b.sum(axis=1), 1)
    x[:, 4] = np.where(has, np.maximum(row_best, col_best), 0.0)
    # containment |A∩B| / min(|A|,|B|) from the MinHash Jaccard estimate
    sa, sb = index.signatures[a], index.signatures[b]
    used = (sa != _UNUSED) & (sb != _UNUSED)
    jac = ((sa == sb) & used).sum(axis=1) / NUM_PERM
    na = index.n_shingles[a].astype(np.float64)
    nb = index.n_shingles[b].astype(np.float64)
    inter = jac * (na + nb) / (1.0 + jac)
    x[:, 5] = np.clip(inter / np.maximum(np.minimum(na, nb), 1.0), 0.0, 1.0)
    ai, aa, ab = _csr_overlap(index.anchor_vals, index.anchor_ptr, a, b)
    x[:, 6] = ai / np.maximum(np.minimum(aa, ab), 5)
    x[:, 7] = np.log1p(ai) / np.log(50.0)
    ni, nna, nnb = _csr_overlap(index.number_vals, index.number_ptr, a, b)
    known = (nna > 0) & (nnb > 0)
    x[:, 8] = np.where(known, ni / np.maximum(np.minimum(nna, nnb), 1), 0.0)
    x[:, 9] = known
    li, lna, lnb = _csr_overlap(index.lead_number_vals, index.lead_number_ptr, a, b)
    lknown = (lna > 0) & (lnb > 0)
    x[:, 10] = np.where(lknown, li / np.maximum(np.minimum(lna, lnb), 1), 0.0)
    x[:, 11] = lknown
    la = np.array([index.language[i] for i in a.tolist()], dtype=object)
    lb = np.array([index.language[i] for i in b.tolist()], dtype=object)
    x[:, 12] = (la != lb) & (la != "") & (lb != "")
    dayk = (index.day[a] >= 0) & (index.day[b] >= 0)
    x[:, 13] = np.where(dayk, np.minimum(np.abs(index.day[a] - index.day[b]), 30) / 7.0, 0.0)
    x[:, 14] = dayk
    return x


def probability(x: np.ndarray, weights: np.ndarray = WEIGHTS) -> np.ndarray:
    """Same-story probability from a feature matrix (rounded to 1e-6 so sums are reproducible)."""
    z = np.clip(x @ weights, -30, 30)
    return np.round(1.0 / (1.0 + np.exp(-z)), 6)


def score_pairs(index: StoryIndex, pairs: list[tuple[int, int]], batch: int = 2048) -> np.ndarray:
    """Same-story probability of each row pair, computed in batches (memory bounded by `batch`)."""
    out = np.zeros(len(pairs), dtype=np.float64)
    for s in range(0, len(pairs), batch):
        part = np.asarray(pairs[s : s + batch], dtype=np.int64).reshape(-1, 2)
        out[s : s + len(part)] = probability(pair_features(index, part[:, 0], part[:, 1]))
    return out
