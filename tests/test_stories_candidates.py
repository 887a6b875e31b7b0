"""Candidate pairs as arrays: the same pairs the plain loops over buckets and neighbours give.

The index here is a stand-in with planted families (random signatures and vectors), so buckets of
every size, an oversized bucket, empty signatures, missing dates and zero-chunk rows all occur.
"""

from __future__ import annotations

import numpy as np
import pytest

from wiretrace.stories import candidates
from wiretrace.stories.candidates import (
    _EMPTY,
    BUCKET_CAP,
    SEMANTIC_FLOOR,
    WINDOW_DAYS,
    anchor_candidates,
    candidate_array,
    candidate_pairs,
    lexical_candidates,
    semantic_candidates,
)
from wiretrace.stories.features import _mix


class PlantedIndex:
    """What the generators read from a `StoryIndex`, for `n` rows in families of about five."""

    def __init__(self, seed: int, n: int) -> None:
        rng = np.random.default_rng(seed)
        families = n // 5 + 1
        family = rng.integers(0, families, size=n)
        sig = rng.integers(0, 2**63, size=(families, 64), dtype=np.uint64)[family]
        noise = rng.random((n, 64)) < rng.random((n, 1))  # each row keeps a random share of its family's minhashes
        sig[noise] = rng.integers(0, 2**63, size=int(noise.sum()), dtype=np.uint64)
        sig[rng.random(n) < 0.05] = _EMPTY  # no shingles
        sig[: min(n, BUCKET_CAP + 6), :4] = 7  # one bucket over the cap in the first two bands
        self.signatures = sig
        self.anchor_signatures = sig[:, ::-1][:, :32].copy()
        self.anchor_ptr = np.concatenate([[0], np.cumsum(rng.integers(0, 6, n))])
        self.n_chunks = rng.integers(0, 3, n)
        self.day = np.where(rng.random(n) < 0.2, -1, rng.integers(0, 90, n)).astype(np.int64)
        vecs = rng.normal(size=(families, 16))[family] + rng.normal(size=(n, 16)) * rng.random((n, 1))
        self.vectors = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
        self.vectors[self.n_chunks == 0] = 0.0  # no chunks, no vector (as in a StoryIndex)

    def __len__(self) -> int:
        return len(self.day)

    def doc_vectors(self) -> np.ndarray:
        return self.vectors


def _reference_band(sig: np.ndarray, rows: int, valid: np.ndarray, query: np.ndarray) -> set[tuple[int, int]]:
    """Every pair sharing a band bucket of 2..BUCKET_CAP valid rows, one side in `query`, by dict of buckets."""
    out = set()
    for band in range(sig.shape[1] // rows):
        buckets: dict[int, list[int]] = {}
        for r in np.flatnonzero(valid).tolist():
            key = np.zeros(1, dtype=np.uint64)
            for c in range(band * rows, (band + 1) * rows):
                key = _mix(key ^ sig[r, c])
            buckets.setdefault(int(key[0]), []).append(r)
        for members in buckets.values():
            if 2 <= len(members) <= BUCKET_CAP:
                out |= {(a, b) for a in members for b in members if a < b and (query[a] or query[b])}
    return out


def _reference_semantic(index: PlantedIndex, query: np.ndarray) -> set[tuple[int, int]]:
    """Top SEMANTIC_K + 1 by cosine per query row (with content), at least SEMANTIC_FLOOR, by sorting each row."""
    vecs, n, out = index.vectors, len(index), set()
    for i in np.flatnonzero(query & (index.n_chunks > 0)).tolist():
        sims = vecs[i] @ vecs.T
        sims[i] = -1.0
        for j in np.argsort(-sims, kind="stable")[: min(candidates.SEMANTIC_K + 1, n)].tolist():
            if sims[j] >= SEMANTIC_FLOOR and j != i:
                out.add((min(i, j), max(i, j)))
    return out


def _as_set(pairs: np.ndarray) -> set[tuple[int, int]]:
    return {(i, j) for i, j in pairs.tolist()}


def _check_rows(pairs: np.ndarray, n: int) -> None:
    assert pairs.ndim == 2 and pairs.shape[1] == 2 and pairs.dtype == np.int64
    assert (pairs[:, 0] < pairs[:, 1]).all() and (pairs >= 0).all() and (pairs < n).all()
    keys = pairs[:, 0] * n + pairs[:, 1]
    assert (np.diff(keys) > 0).all()  # sorted by (i, j), no repeats


@pytest.mark.parametrize("seed", range(4))
def test_band_generators_match_the_bucket_loops(seed):
    index = PlantedIndex(seed, 120 + 40 * seed)
    query = np.random.default_rng(seed).random(len(index)) < (1.0 if seed == 0 else 0.3)
    lexical = lexical_candidates(index, query)
    _check_rows(lexical, len(index))
    valid = (index.signatures != _EMPTY).any(axis=1)
    assert _as_set(lexical) == _reference_band(index.signatures, candidates.SHINGLE_ROWS, valid, query)
    anchors = anchor_candidates(index, query)
    _check_rows(anchors, len(index))
    enough = np.diff(index.anchor_ptr) >= candidates.MIN_ANCHORS
    assert _as_set(anchors) == _reference_band(index.anchor_signatures, candidates.ANCHOR_ROWS, enough, query)
    assert len(lexical) > 0 and len(anchors) > 0


@pytest.mark.parametrize("seed", range(3))
def test_semantic_generator_matches_the_sorted_neighbours(seed):
    index = PlantedIndex(10 + seed, 150)
    query = np.random.default_rng(seed).random(len(index)) < 0.5
    found = semantic_candidates(index, query, block=16)  # several blocks
    _check_rows(found, len(index))
    assert len(found) > 0 and _as_set(found) == _reference_semantic(index, query)


def test_candidate_array_is_the_windowed_union():
    index = PlantedIndex(20, 200)
    rows = list(range(0, 200, 3))
    query = np.zeros(len(index), dtype=bool)
    query[rows] = True
    union = set()
    for generator in (lexical_candidates, anchor_candidates, semantic_candidates):
        union |= _as_set(generator(index, query))
    day = index.day
    expected = sorted(p for p in union if day[p[0]] < 0 or day[p[1]] < 0 or abs(day[p[0]] - day[p[1]]) <= WINDOW_DAYS)
    found = candidate_array(index, rows)
    _check_rows(found, len(index))
    assert found.tolist() == [list(p) for p in expected] and len(expected) < len(union)  # the window cut some
    assert candidate_pairs(index, rows) == expected


def test_approximate_search_gives_well_formed_near_pairs(monkeypatch):
    index = PlantedIndex(30, 120)
    query = np.ones(len(index), dtype=bool)
    exact = _as_set(semantic_candidates(index, query))
    monkeypatch.setattr(candidates, "EXACT_SEARCH_LIMIT", 10)  # the usearch branch
    approximate = semantic_candidates(index, query)
    _check_rows(approximate, len(index))
    cosine = (index.vectors[approximate[:, 0]] * index.vectors[approximate[:, 1]]).sum(axis=1)
    assert (cosine >= SEMANTIC_FLOOR - 0.01).all()  # float16 distances
    # approximate: most of the exact pairs
    assert len(exact) > 0 and len(exact & _as_set(approximate)) >= 0.8 * len(exact)


def test_degenerate_indexes_give_no_pairs():
    for n in (0, 1):
        index = PlantedIndex(0, n)
        found = candidate_array(index, list(range(n)))
        assert found.shape == (0, 2)
    index = PlantedIndex(1, 50)
    assert candidate_array(index, []).shape == (0, 2)
