"""Candidate pairs without comparing all pairs.

Three generators, unioned: MinHash LSH over word shingles (verbatim copies, excerpts -- two-row
bands so an excerpt whose *containment* is high but whose Jaccard is low still collides), MinHash
LSH over anchors (names, numbers, quotes: what spinners and translators leave), and a range
search over article vectors (paraphrase and translation). Each returns rows (i, j) with i < j
where at least one side is in `query_rows`, so an incremental run only looks up new articles.

Everything is sort- or matrix-based: O(n log n) per band, memory bounded by the query block.
"""

from __future__ import annotations

import numpy as np

from wiretrace.stories.features import _mix
from wiretrace.stories.index import StoryIndex

SHINGLE_ROWS = 2  # rows per band: P(collide) = 1-(1-J^2)^32, J=0.3 -> 0.95, J=0.05 -> 0.08
ANCHOR_ROWS = 2
BUCKET_CAP = 64  # a band bucket larger than this is boilerplate (or one huge story): skipped
MIN_ANCHORS = 3
SEMANTIC_FLOOR = 0.5  # doc-vector cosine below which no semantic candidate is proposed
SEMANTIC_K = 30  # at most this many semantic neighbours per article
EXACT_SEARCH_LIMIT = 20_000  # above this many articles, use the usearch HNSW index
WINDOW_DAYS = 30  # pairs further apart than this (both dates known) are never candidates
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


def _band_pairs(sig: np.ndarray, rows_per_band: int, valid: np.ndarray, query: np.ndarray) -> set[tuple[int, int]]:
    k = sig.shape[1]
    out: set[tuple[int, int]] = set()
    idx_all = np.flatnonzero(valid)
    if idx_all.size < 2:
        return out
    for b in range(k // rows_per_band):
        cols = sig[idx_all, b * rows_per_band : (b + 1) * rows_per_band]
        key = np.zeros(idx_all.size, dtype=np.uint64)
        for c in range(cols.shape[1]):
            key = _mix(key ^ cols[:, c])
        order = np.argsort(key, kind="stable")
        skey = key[order]
        bounds = np.flatnonzero(np.diff(skey)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [skey.size]])
        sizes = ends - starts
        for s, e in zip(starts[(sizes > 1) & (sizes <= BUCKET_CAP)], ends[(sizes > 1) & (sizes <= BUCKET_CAP)]):
            members = np.sort(idx_all[order[s:e]])
            qm = members[query[members]]
            if qm.size == 0:
                continue
            for i in qm.tolist():
                for j in members.tolist():
                    if i != j:
                        out.add((min(i, j), max(i, j)))
    return out


def lexical_candidates(index: StoryIndex, query: np.ndarray) -> set[tuple[int, int]]:
    """Pairs colliding in a shingle-MinHash band (verbatim copies, excerpts, light edits)."""
    valid = (index.signatures != _EMPTY).any(axis=1)
    return _band_pairs(index.signatures, SHINGLE_ROWS, valid, query)


def anchor_candidates(index: StoryIndex, query: np.ndarray) -> set[tuple[int, int]]:
    """Pairs colliding in an anchor-MinHash band (spun and translated copies keep names, numbers)."""
    counts = np.diff(index.anchor_ptr)
    return _band_pairs(index.anchor_signatures, ANCHOR_ROWS, counts >= MIN_ANCHORS, query)


def semantic_candidates(index: StoryIndex, query: np.ndarray, block: int = 256) -> set[tuple[int, int]]:
    """Pairs whose doc vectors have cosine >= SEMANTIC_FLOOR (top SEMANTIC_K per query article).

    Exact blocked search up to EXACT_SEARCH_LIMIT articles (exactly reproducible, so incremental
    equals from-scratch); usearch HNSW above it (approximate, single-threaded build for
    determinism).
    """
    out: set[tuple[int, int]] = set()
    n = len(index)
    qrows = np.flatnonzero(query & (index.n_chunks > 0))
    if n < 2 or qrows.size == 0:
        return out
    vecs = index.doc_vectors()
    k = min(SEMANTIC_K + 1, n)
    if n <= EXACT_SEARCH_LIMIT:
        for s in range(0, qrows.size, block):
            q = qrows[s : s + block]
            sims = vecs[q] @ vecs.T
            sims[np.arange(q.size), q] = -1.0
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for r, i in enumerate(q.tolist()):
                for j in top[r].tolist():
                    if j != i and sims[r, j] >= SEMANTIC_FLOOR:
                        out.add((min(i, j), max(i, j)))
        return out
    from usearch.index import Index

    ann = Index(ndim=vecs.shape[1], metric="cos", dtype="f16", connectivity=16, expansion_add=64, expansion_search=64)
    valid = np.flatnonzero(index.n_chunks > 0)
    ann.add(valid.astype(np.uint64), vecs[valid], threads=1)
    for s in range(0, qrows.size, block):
        q = qrows[s : s + block]
        res = ann.search(vecs[q], k, threads=2)
        keys, dists = np.asarray(res.keys), np.asarray(res.distances)
        for r, i in enumerate(q.tolist()):
            for j, d in zip(keys[r].tolist(), dists[r].tolist()):
                if j != i and 1.0 - d >= SEMANTIC_FLOOR:
                    out.add((min(i, j), max(i, j)))
    return out


def candidate_pairs(index: StoryIndex, new_rows: list[int]) -> list[tuple[int, int]]:
    """Union of the three generators for pairs touching `new_rows`, minus pairs outside the time window."""
    query = np.zeros(len(index), dtype=bool)
    query[new_rows] = True
    pairs = lexical_candidates(index, query) | anchor_candidates(index, query) | semantic_candidates(index, query)
    day = index.day
    kept = [
        (i, j)
        for i, j in pairs
        if day[i] < 0 or day[j] < 0 or abs(int(day[i]) - int(day[j])) <= WINDOW_DAYS
    ]
    return sorted(kept)
