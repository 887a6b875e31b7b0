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


@pytest.mark.parametrize("k", [1, 2, 4])
def test_semantic_generator_picks_the_top_k_of_crowded_rows(monkeypatch, k):
    monkeypatch.setattr(candidates, "SEMANTIC_K", k)  # most rows have more than k neighbours above the floor
    index = PlantedIndex(30 + k, 150)
    query = np.random.default_rng(k).random(len(index)) < 0.6
    found = semantic_candidates(index, query, block=32)
    _check_rows(found, len(index))
    assert len(found) > 0 and _as_set(found) == _reference_semantic(index, query)


@pytest.mark.parametrize("k", [1, 4, 30])
def test_semantic_generator_over_every_row_multiplies_each_block_pair_once(monkeypatch, k):
    """Every row queried (a from-scratch run, a recheck): the symmetric search finds the reference's pairs."""
    monkeypatch.setattr(candidates, "SEMANTIC_K", k)
    monkeypatch.setattr(candidates, "MERGE_ROWS", 40)  # merges in several row slices
    index = PlantedIndex(40 + k, 150)
    query = np.ones(len(index), dtype=bool)
    for block in (8, 16, 64, 1000):  # pending blocks merged, a ragged last block, a single block
        found = semantic_candidates(index, query, block=block)
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


# --- verification on arrays: bulk pair writes, set overlaps, cached word hashes ---------------


def test_bulk_pair_writes_leave_the_store_as_per_pair_writes_do(monkeypatch):
    from wiretrace.stories import index as index_module
    from wiretrace.stories.index import PairStore

    monkeypatch.setattr(index_module, "_MIN_PENDING", 8)  # some earlier writes merged, some pending
    rng = np.random.default_rng(3)
    ids = [f"a{k:03d}" for k in rng.permutation(80)]  # row order is not id order
    row = {a: r for r, a in enumerate(ids)}
    bulk, single = PairStore(ids, row), PairStore(ids, row)
    everything = [(a, b) for a in ids for b in ids if a < b]
    picked = [everything[k] for k in rng.choice(len(everything), 300, replace=False).tolist()]
    earlier, later = picked[:100], picked[100:]
    for pair in earlier:
        value = (float(rng.random()), bool(rng.random() < 0.5))
        bulk[pair] = single[pair] = value
    flagged = earlier[::3]
    for pair in flagged:
        single[pair] = (single[pair][0], True)
    rows_a = np.array([row[a] for a, _ in flagged])
    rows_b = np.array([row[b] for _, b in flagged])
    assert bulk.has_rows(rows_a, rows_b).all()
    bulk.put_rows(rows_a, rows_b, None, True)
    scores = rng.random(len(later))
    for pair, p in zip(later, scores.tolist()):
        single[pair] = (p, True)
    rows_a = np.array([row[a] for a, _ in later])
    rows_b = np.array([row[b] for _, b in later])
    assert not bulk.has_rows(rows_a, rows_b).any()
    bulk.put_rows(rows_a, rows_b, scores, True)
    assert len(bulk) == len(single) == 300
    for got, want in zip(bulk.columns(), single.columns()):
        assert np.array_equal(got, want)
    with pytest.raises(ValueError):
        bulk.put_rows(rows_a[:2].repeat(2), rows_b[:2].repeat(2), np.zeros(4), True)
    missing = [p for p in everything if p not in bulk][:1]
    with pytest.raises(KeyError):
        bulk.put_rows(np.array([row[missing[0][0]]]), np.array([row[missing[0][1]]]), None, True)


def _hash_index(articles):
    from wiretrace.embed import get_encoder
    from wiretrace.stories import StoryIndex
    from wiretrace.stories.features import compute_features

    encoder = get_encoder("hash")
    index = StoryIndex(dim=encoder.dim, encoder=encoder.name)
    index.add(compute_features(sorted(articles, key=lambda a: a.id), encoder))
    return index


def _near_copies(n_events: int = 6, copies: int = 4):
    from wiretrace.data import Article

    rng = np.random.default_rng(11)
    vocab = [f"word{k}" for k in range(400)] + [f"Name{k}" for k in range(40)] + [str(k) for k in range(17, 90)]
    out = []
    for e in range(n_events):
        base = list(rng.choice(vocab, 90))
        for c in range(copies):
            words = [w if rng.random() > 0.15 * c else str(rng.choice(vocab)) for w in base]
            text = ". ".join(" ".join(words[s : s + 15]) for s in range(0, len(words), 15)) + "."
            out.append(Article(id=f"e{e}-c{c}-{rng.integers(1000)}", source="t", content_hash=f"{e}{c}", text=text,
                               published=f"2024-03-{1 + e:02d}"))
    return out


def test_verify_new_scores_each_candidate_once_and_flags_stored_fill_in_pairs():
    from wiretrace.stories import verify_new
    from wiretrace.stories.score import score_pairs

    index = _hash_index(_near_copies())
    pairs = candidate_array(index, list(range(len(index))))
    assert len(pairs) > 10
    expected = score_pairs(index, pairs)
    ids = index.ids
    stored = {tuple(sorted((ids[i], ids[j]))) for i, j in pairs[:3].tolist()}
    for key in stored:  # as `_fill_in` leaves them: scored, not (yet) candidates
        index.pairs[key] = (0.123, False)
    verify_new(index, list(range(len(index))))
    assert len(index.pairs) == len(pairs)
    for (i, j), p in zip(pairs.tolist(), expected.tolist()):
        key = tuple(sorted((ids[i], ids[j])))
        assert index.pairs[key] == ((0.123, True) if key in stored else (p, True))


def test_set_overlaps_count_the_shared_hashes():
    from wiretrace.stories.score import _csr_overlap

    rng = np.random.default_rng(5)
    sets = [np.unique(rng.integers(0, 60, rng.integers(0, 25)).astype(np.uint64)) for _ in range(40)]
    ptr = np.concatenate([[0], np.cumsum([s.size for s in sets])]).astype(np.int64)
    vals = np.concatenate(sets)
    a, b = rng.integers(0, 40, 500), rng.integers(0, 40, 500)
    inter, na, nb = _csr_overlap(vals, ptr, a, b)
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist())):
        assert inter[k] == len(set(sets[i].tolist()) & set(sets[j].tolist()))
        assert (na[k], nb[k]) == (sets[i].size, sets[j].size)


def test_shingle_hashes_with_remembered_word_hashes_equal_hashing_every_word():
    from wiretrace.stories import features

    def reference(text: str) -> np.ndarray:
        words = features._WORD.findall(text.lower())
        ids = np.array([features.stable_hash(w) for w in words], dtype=np.uint64)
        n = len(ids) - features.SHINGLE + 1
        acc = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(features.SHINGLE):
                acc = acc + ids[j : j + n] * features._SHINGLE_MULT[j]
        return np.unique(features._mix(acc))

    texts = [a.text for a in _near_copies(3, 3)] + ["Ünïcode wörds, wörds again — and “quotes” 12,5 %."]
    features._word_hashes.cache_clear()
    for _ in range(2):  # cold, then every word remembered
        for text in texts:
            assert np.array_equal(features.shingle_hashes(text), reference(text))
        misses = features._word_hashes.misses
    assert 0 < misses == features._word_hashes.misses  # the second round hashed nothing new


@pytest.mark.parametrize("dtype", [np.uint64, np.int64, np.int32])
def test_sorted_distinct_is_numpys_unique(dtype):
    from wiretrace.stories.arrays import sorted_distinct

    rng = np.random.default_rng(4)
    samples = (rng.integers(0, 50, 400), rng.integers(0, 2**31 - 1, 1000), np.zeros(0), np.array([7]), np.full(5, 3))
    for values in samples:
        values = values.astype(dtype)
        got = sorted_distinct(values)
        assert got.dtype == values.dtype and np.array_equal(got, np.unique(values))


def test_pair_store_reads_rows_as_it_reads_id_pairs(monkeypatch):
    """`get_rows` (the array read of `_central`) returns what `get` returns per pair, pending writes included."""
    from wiretrace.stories import index as index_module
    from wiretrace.stories.index import PairStore

    monkeypatch.setattr(index_module, "_MIN_PENDING", 8)
    rng = np.random.default_rng(5)
    ids = [f"a{k:02d}" for k in rng.permutation(30)]
    row = {a: r for r, a in enumerate(ids)}
    store = PairStore(ids, row)
    everything = [(a, b) for a in ids for b in ids if a < b]
    for k in rng.choice(len(everything), 150, replace=False).tolist():
        store[everything[k]] = (float(rng.random()), bool(rng.random() < 0.5))
    store[everything[0]] = (0.25, True)  # the last writes may still be pending
    held, scores, candidate = store.get_rows(
        np.array([row[a] for a, _ in everything]), np.array([row[b] for _, b in everything])
    )
    for k, pair in enumerate(everything):
        want = store.get(pair)
        assert held[k] == (want is not None)
        assert (scores[k], candidate[k]) == (want if want is not None else (0.0, False))


@pytest.mark.parametrize("filled", [True, False])
def test_central_member_sums_as_the_pair_loop_did(monkeypatch, filled):
    """`_central`'s totals (array lookups gathered with `np.add.at`, a block of first members at a time) are
    the float sums of the loop over sorted id pairs it replaced, bit for bit, and it picks the same member."""
    from types import SimpleNamespace

    import wiretrace.stories as stage
    from wiretrace.stories.index import PairStore

    def loop_totals(index, ids: list[str]) -> dict[str, float]:
        totals = dict.fromkeys(ids, 0.0)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                p, candidate = index.pairs.get((a, b), (0.0, False))
                if filled or candidate:
                    totals[a] += p
                    totals[b] += p
        return totals

    rng = np.random.default_rng(6)
    ids = [f"a{k:02d}" for k in rng.permutation(40)]
    row = {a: r for r, a in enumerate(ids)}
    index = SimpleNamespace(row=row, pairs=PairStore(ids, row))
    everything = [(a, b) for a in ids for b in ids if a < b]
    for k in rng.choice(len(everything), 500, replace=False).tolist():
        p = float(rng.choice([0.1, 0.2, 0.3, 0.7]))  # repeated values: sums that tie unless added in order
        index.pairs[everything[k]] = (p, bool(rng.random() < 0.6))
    members = sorted(ids)
    totals = loop_totals(index, members)
    expected = min(members, key=lambda a: (-round(totals[a], 6), a))
    for block in (1 << 20, 37, 1):  # one block, several, one first member a block
        monkeypatch.setattr(stage, "CENTRAL_PAIRS", block)
        assert stage._member_totals(index, members, filled).tolist() == [totals[a] for a in members]
        assert stage._central(index, members, filled) == expected
    assert stage._central(index, members[:1], filled) == members[0]
