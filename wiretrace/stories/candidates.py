"""Candidate pairs without comparing all pairs.

Three generators, unioned: MinHash LSH over word shingles (verbatim copies, excerpts -- two-row
bands so an excerpt whose *containment* is high but whose Jaccard is low still collides), MinHash
LSH over anchors (names, numbers, quotes: what spinners and translators leave), and a range
search over article vectors (paraphrase and translation). Each returns rows (i, j) with i < j
where at least one side is in `query_rows`, so an incremental run only looks up new articles.

Everything is sort- or matrix-based: O(n log n) per band, memory bounded by the query block.
Pairs are NumPy arrays throughout, never Python tuples: a pair is packed into one uint64 key
(i * n + j, n the number of rows) so a union is a sort and the keys sort as (i, j) do. A set
of tuples cost ~100 bytes a pair (5 million pairs at 100k articles); a key costs 8.
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from wiretrace.stories.arrays import sorted_distinct
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




def _pack(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Keys of the pairs (min, max) of `i`, `j`: sorting the keys sorts the pairs by (row, row)."""
    lo, hi = np.minimum(i, j).astype(np.uint64), np.maximum(i, j).astype(np.uint64)
    return lo * np.uint64(n) + hi


def _unpack(keys: np.ndarray, n: int) -> np.ndarray:
    """(m, 2) int64 rows (i, j) of packed keys."""
    out = np.empty((keys.size, 2), dtype=np.int64)
    if keys.size:
        out[:, 0] = keys // np.uint64(n)
        out[:, 1] = keys % np.uint64(n)
    return out


class _KeyUnion:
    """Distinct keys of many batches, deduplicated whenever the new batches outgrow what is kept.

    Bounds memory by about twice the distinct keys, not by all keys proposed (a verbatim copy
    collides in every band), at O(log) re-sorts of the kept keys."""

    def __init__(self) -> None:
        self.kept = np.zeros(0, dtype=np.uint64)
        self._new: list[np.ndarray] = []
        self._new_size = 0

    def add(self, keys: np.ndarray) -> None:
        if keys.size:
            self._new.append(keys)
            self._new_size += keys.size
            if self._new_size > max(self.kept.size, 1 << 20):
                self._merge()

    def _merge(self) -> None:
        if self._new:
            self.kept = sorted_distinct(np.concatenate([self.kept, *self._new]))
            self._new, self._new_size = [], 0

    def result(self) -> np.ndarray:
        """The sorted distinct keys."""
        self._merge()
        return self.kept


def _bucket_keys(members: np.ndarray, query: np.ndarray, n: int) -> np.ndarray:
    """Keys of every pair inside each row of `members` (one bucket a row, all the same size)
    that has at least one side in `query`."""
    members = members[query[members].any(axis=1)]
    if members.size == 0:
        return np.zeros(0, dtype=np.uint64)
    first, second = np.triu_indices(members.shape[1], 1)
    i, j = members[:, first].ravel(), members[:, second].ravel()
    touch = query[i] | query[j]
    return _pack(i[touch], j[touch], n)


def _band_keys(sig: np.ndarray, rows_per_band: int, valid: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Sorted keys of the pairs sharing a band bucket of at most BUCKET_CAP rows, one side in `query`."""
    n, k = sig.shape
    found = _KeyUnion()
    idx_all = np.flatnonzero(valid)
    if idx_all.size < 2:
        return found.result()
    for b in range(k // rows_per_band):
        cols = sig[idx_all, b * rows_per_band : (b + 1) * rows_per_band]
        key = np.zeros(idx_all.size, dtype=np.uint64)
        for c in range(cols.shape[1]):
            key = _mix(key ^ cols[:, c])
        order = np.argsort(key, kind="stable")
        skey = key[order]
        bounds = np.flatnonzero(np.diff(skey)) + 1
        starts = np.concatenate([[0], bounds])
        sizes = np.diff(np.concatenate([starts, [skey.size]]))
        for size in sorted_distinct(sizes[(sizes > 1) & (sizes <= BUCKET_CAP)]).tolist():
            first = starts[sizes == size]
            members = idx_all[order[first[:, None] + np.arange(size)]]
            found.add(_bucket_keys(members, query, n))
    return found.result()


def lexical_candidates(index: StoryIndex, query: np.ndarray) -> np.ndarray:
    """Pairs colliding in a shingle-MinHash band (verbatim copies, excerpts, light edits): (m, 2) rows."""
    return _unpack(_lexical_keys(index, query), len(index))


def _lexical_keys(index: StoryIndex, query: np.ndarray) -> np.ndarray:
    valid = (index.signatures != _EMPTY).any(axis=1)
    return _band_keys(index.signatures, SHINGLE_ROWS, valid, query)


def anchor_candidates(index: StoryIndex, query: np.ndarray) -> np.ndarray:
    """Pairs colliding in an anchor-MinHash band (spun and translated copies keep names, numbers): (m, 2) rows."""
    return _unpack(_anchor_keys(index, query), len(index))


def _anchor_keys(index: StoryIndex, query: np.ndarray) -> np.ndarray:
    counts = np.diff(index.anchor_ptr)
    return _band_keys(index.anchor_signatures, ANCHOR_ROWS, counts >= MIN_ANCHORS, query)


def semantic_candidates(index: StoryIndex, query: np.ndarray, block: int = 256) -> np.ndarray:
    """Pairs whose doc vectors have cosine >= SEMANTIC_FLOOR (top SEMANTIC_K per query article): (m, 2) rows.

    Exact blocked search up to EXACT_SEARCH_LIMIT articles (exactly reproducible, so incremental
    equals from-scratch); usearch HNSW above it (approximate, single-threaded build for
    determinism).
    """
    return _unpack(_semantic_keys(index, query, block), len(index))


def _semantic_keys(index: StoryIndex, query: np.ndarray, block: int = 256) -> np.ndarray:
    found = _KeyUnion()
    n = len(index)
    qrows = np.flatnonzero(query & (index.n_chunks > 0))
    if n < 2 or qrows.size == 0:
        return found.result()
    vecs = index.doc_vectors()
    k = min(SEMANTIC_K + 1, n)
    if n <= EXACT_SEARCH_LIMIT and qrows.size == np.count_nonzero(index.n_chunks > 0):
        found.add(_symmetric_keys(vecs[qrows], qrows, k, n, block))  # k others: as many as the row search keeps
        return found.result()
    if n <= EXACT_SEARCH_LIMIT:
        scratch = np.empty((min(block, qrows.size), n), dtype=np.float32)  # one buffer: no fresh pages per block
        # one BLAS thread: how OpenBLAS splits a product among threads moves the last bits of a cosine,
        # and with them which near-tied neighbours make the top k; so the pairs no longer depend on the
        # machine's core count (and a second thread only spun on these products: -24% CPU at 10k)
        with threadpool_limits(limits=1, user_api="blas"):
            for s in range(0, qrows.size, block):
                q = qrows[s : s + block]
                negated = np.matmul(vecs[q], vecs.T, out=scratch[: q.size])
                negated[np.arange(q.size), q] = -1.0
                np.negative(negated, out=negated)  # the largest cosines first, as argpartition(-sims) read them
                top = np.argpartition(negated, k - 1, axis=1)[:, :k]
                near = np.take_along_axis(negated, top, axis=1) <= -SEMANTIC_FLOOR
                i = np.broadcast_to(q[:, None], top.shape)
                keep = near & (top != i)
                found.add(_pack(i[keep], top[keep], n))
        return found.result()
    from usearch.index import Index

    ann = Index(ndim=vecs.shape[1], metric="cos", dtype="f16", connectivity=16, expansion_add=64, expansion_search=64)
    valid = np.flatnonzero(index.n_chunks > 0)
    ann.add(valid.astype(np.uint64), vecs[valid], threads=1)
    for s in range(0, qrows.size, block):
        q = qrows[s : s + block]
        res = ann.search(vecs[q], k, threads=2)
        keys = np.asarray(res.keys).astype(np.uint64).reshape(q.size, -1)
        with np.errstate(invalid="ignore"):  # slots past a row's count hold uninitialised distances
            dists = np.asarray(res.distances).astype(np.float64).reshape(q.size, -1)
            near = 1.0 - dists >= SEMANTIC_FLOOR
        found_here = np.arange(keys.shape[1]) < np.asarray(res.counts).reshape(-1, 1)
        i = np.broadcast_to(q.astype(np.uint64)[:, None], keys.shape)
        keep = near & found_here & (keys != i) & (keys < np.uint64(n))
        found.add(_pack(i[keep], keys[keep], n))
    return found.result()


PENDING_BLOCKS = 4  # transposed query blocks merged into the later rows' running top k at once
MERGE_ROWS = 2048  # later rows merged at a time (bounds the merge buffer: rows x (k + 4 blocks) float32)


def _largest(vals: np.ndarray, k: int) -> np.ndarray:
    """Positions of each row's `k` largest values (all positions when a row has at most `k`)."""
    if vals.shape[1] <= k:
        return np.broadcast_to(np.arange(vals.shape[1]), vals.shape)
    return np.argpartition(vals, vals.shape[1] - k, axis=1)[:, vals.shape[1] - k :]


def _symmetric_keys(v: np.ndarray, rows: np.ndarray, k: int, n: int, block: int) -> np.ndarray:
    """Keys of each of `rows`' (vectors `v`) `k` nearest other rows at SEMANTIC_FLOOR or above,
    every product computed once.

    When every row with vectors is a query (every from-scratch run and every recheck) the cosine
    matrix is symmetric, so only its upper block triangle is multiplied: block `s` of rows times the
    rows from `s` on. Its own rows then get their final top `k` (the columns before `s` came in
    through earlier blocks' transposes); the later rows get the block's transpose, merged
    `PENDING_BLOCKS` blocks at a time into a running top `k` per row (n x k). Half the O(n^2)
    products of the row-by-row search. Written by hand: no library offers an exact, deterministic
    top-k self-join (the blocks and their one-thread products depend only on the row count and order)."""
    found = _KeyUnion()
    m = rows.size
    best_val = np.full((m, k), -np.inf, dtype=np.float32)
    best_col = np.zeros((m, k), dtype=np.int64)
    pending: list[tuple[int, int, np.ndarray]] = []  # (s, e, block rows s..e against rows e..m)

    def merge() -> None:
        """Every pending block into the running top k of the rows after the last of them."""
        lo = pending[-1][1]
        cols = np.concatenate([np.arange(s, e) for s, e, _ in pending])
        for r in range(lo, m, MERGE_ROWS):
            stop = min(r + MERGE_ROWS, m)
            vals = np.concatenate([best_val[r:stop]] + [later[:, r - pe : stop - pe].T for _, pe, later in pending],
                                  axis=1)
            at = _largest(vals, k)
            picked = np.where(at < k, np.take_along_axis(best_col[r:stop], np.minimum(at, k - 1), axis=1),
                              cols[np.maximum(at - k, 0)])
            best_val[r:stop], best_col[r:stop] = np.take_along_axis(vals, at, axis=1), picked
        pending.clear()

    with threadpool_limits(limits=1, user_api="blas"):  # see the row-by-row search below
        for s in range(0, m, block):
            e = min(s + block, m)
            sims = v[s:e] @ v[s:].T  # rows s..e against rows s..m
            sims[np.arange(e - s), np.arange(e - s)] = -np.inf  # not its own neighbour
            cols = np.concatenate([np.arange(ps, pe) for ps, pe, _ in pending] + [np.arange(s, m)])
            vals = np.concatenate([best_val[s:e]] + [later[:, s - pe : e - pe].T for _, pe, later in pending] + [sims],
                                  axis=1)
            at = _largest(vals, k)
            val = np.take_along_axis(vals, at, axis=1)
            col = np.where(at < k, np.take_along_axis(best_col[s:e], np.minimum(at, k - 1), axis=1),
                           cols[np.maximum(at - k, 0)])
            near = val >= SEMANTIC_FLOOR
            found.add(_pack(np.broadcast_to(rows[s:e, None], col.shape)[near], rows[col[near]], n))
            if e < m:
                pending.append((s, e, sims[:, e - s :]))
                if len(pending) == PENDING_BLOCKS:
                    merge()
    return found.result()


def candidate_array(index: StoryIndex, new_rows) -> np.ndarray:
    """Union of the three generators for pairs touching `new_rows`, minus pairs outside the time window.

    (m, 2) int64 rows (i, j), i < j, sorted by (i, j)."""
    n = len(index)
    query = np.zeros(n, dtype=bool)
    query[np.asarray(new_rows, dtype=np.int64)] = True
    found = _KeyUnion()
    for keys in (_lexical_keys, _anchor_keys, _semantic_keys):
        found.add(keys(index, query))
    pairs = _unpack(found.result(), n)
    day_i, day_j = index.day[pairs[:, 0]], index.day[pairs[:, 1]]
    near = (day_i < 0) | (day_j < 0) | (np.abs(day_i - day_j) <= WINDOW_DAYS)
    return pairs[near]


def candidate_pairs(index: StoryIndex, new_rows) -> list[tuple[int, int]]:
    """`candidate_array` as a sorted list of (i, j) tuples, for callers that want Python pairs."""
    return [(i, j) for i, j in candidate_array(index, new_rows).tolist()]
