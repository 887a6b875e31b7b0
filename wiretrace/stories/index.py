"""`StoryIndex`: the state an incremental run needs, kept as columns (not per-article objects).

Holds per-article evidence (MinHash signatures, anchor hashes, float16 chunk vectors, dates)
and the scores of every verified pair, so new files are matched against the corpus without
re-encoding or re-scoring it. Kept as Arrow tables (`rows_arrow`, `pairs_arrow`, `from_arrow`): in
the DuckDB store beside the stories, which `wiretrace analyze` loads so the next run only encodes
and scores the new articles, or as Parquet files in a directory (`save`, `load`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from wiretrace.stories.features import ANCHOR_PERM, MAX_CHUNKS, NUM_PERM, ArticleFeatures

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow is imported where it is used: importing it starts threads (jemalloc's), and pool workers,
# which import this module for the features, must stay fork-safe (see `wiretrace.workers`) and light.

_FORMAT = 3  # 3: Parquet of the store's tables (2: .npz and JSON)


def _csr(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(arrays) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([a.size for a in arrays]) if arrays else []
    vals = np.concatenate(arrays).astype(np.uint64) if arrays else np.zeros(0, dtype=np.uint64)
    return vals, ptr


def _fixed_blobs(values: np.ndarray, n: int) -> pa.Array:
    """One blob per row of `values` (its bytes), without a Python object per row."""
    import pyarrow as pa
    data = np.ascontiguousarray(values)
    width = data.nbytes // n if n else 0
    offsets = np.arange(n + 1, dtype=np.int64) * width
    return pa.Array.from_buffers(pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _csr_blobs(vals: np.ndarray, ptr: np.ndarray, start: int, stop: int) -> pa.Array:
    """One blob per row in [start, stop) of a CSR column: the row's uint64 values."""
    import pyarrow as pa
    pointers = ptr[start : stop + 1]
    data = np.ascontiguousarray(vals[pointers[0] : pointers[-1]].astype(np.uint64))
    offsets = ((pointers - pointers[0]) * 8).astype(np.int64)
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.large_binary(), len(pointers) - 1, buffers)


def _blob_parts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, offsets into them) of a binary column, read from its Arrow buffers (no copy per row)."""
    import pyarrow as pa
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.null_count:
        raise ValueError("story index blob is missing")
    large = pa.types.is_large_binary(column.type)
    _, offsets, data = column.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64 if large else np.int32)
    offsets = offsets[column.offset : column.offset + len(column) + 1]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return raw, offsets.astype(np.int64)


def _blob_values(column: pa.Array, dtype: type, rows: int, width: int) -> np.ndarray:
    """A binary column of `rows` blobs of `width` values each, as one flat array."""
    raw, offsets = _blob_parts(column)
    size = np.dtype(dtype).itemsize * width
    if not (np.diff(offsets) == size).all():
        raise ValueError("story index blob has the wrong size")
    return raw[offsets[0] : offsets[0] + rows * size].view(dtype).copy()


def _blob_lists(column: pa.Array, rows: int) -> list[np.ndarray]:
    """A binary column of variable-length uint64 lists, one array per row."""
    raw, offsets = _blob_parts(column)
    if ((np.diff(offsets) % 8) != 0).any():
        raise ValueError("story index list blob has the wrong size")
    return [raw[offsets[k] : offsets[k + 1]].view(np.uint64) for k in range(rows)]


ROWS_PER_BLOCK = 4096  # rows widened to float32 at once: a corpus-wide float32 copy of the chunks is 6 KB an article


def _chunk_sums(chunks: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, float32 sum of each row's chunk vectors) block by block; each row's sum is the
    same as over the whole array, only the float32 copy is bounded."""
    for start in range(0, len(chunks), ROWS_PER_BLOCK):
        yield start, chunks[start : start + ROWS_PER_BLOCK].astype(np.float32).sum(axis=1)


def _sum_norms(chunks: np.ndarray) -> np.ndarray:
    out = np.zeros(len(chunks), dtype=np.float32)
    for start, v in _chunk_sums(chunks):
        out[start : start + len(v)] = np.linalg.norm(v, axis=1).astype(np.float32)
    return out


_EMPTY_KEYS = np.zeros(0, dtype=np.int64)
_MIN_PENDING = 1 << 16  # writes buffered in a dict before they are merged into the sorted columns
_SHIFT = np.int64(32)


class PairStore:
    """Verified pair scores as columns: sorted int64 keys (row a << 32 | row b), float64 scores, candidate flags.

    A dict of ((id, id) -> (score, candidate)) costs ~250 bytes a pair (two tuples, a float, the
    slot); at 100k articles the millions of candidate pairs took over a gigabyte. Here a pair costs
    17 bytes. Scores stay float64 so clustering sums and the 6-decimal tie-break in choosing a
    story's central article are bit-for-bit what they were. Keys are rows of the owning index, a
    the row of the smaller id; writes go to a small dict that is merged into the sorted columns
    once it outgrows an eighth of them (amortised O(log n) a write). The mapping interface (keys
    are (smaller id, larger id)) is the one the dict had; `columns` is the vectorised view.
    """

    def __init__(self, ids: list[str], row: dict[str, int]) -> None:
        self._ids, self._row = ids, row
        self._keys = _EMPTY_KEYS
        self._scores = np.zeros(0, dtype=np.float64)
        self._candidate = np.zeros(0, dtype=bool)
        self._pending: dict[int, tuple[float, bool]] = {}

    def _key(self, pair: tuple[str, str]) -> int | None:
        a, b = pair
        ra, rb = self._row.get(a), self._row.get(b)
        if ra is None or rb is None or not a < b:
            return None
        return (ra << 32) | rb

    def _find(self, key: int) -> int:
        """Position of `key` in the sorted columns, or -1."""
        k = int(np.searchsorted(self._keys, key))
        return k if k < len(self._keys) and int(self._keys[k]) == key else -1

    def _flush(self) -> None:
        if not self._pending:
            return
        keys = np.fromiter(self._pending, dtype=np.int64, count=len(self._pending))
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        values = list(self._pending.values())
        scores = np.array([values[k][0] for k in order.tolist()], dtype=np.float64)
        candidate = np.array([values[k][1] for k in order.tolist()], dtype=bool)
        at = np.searchsorted(self._keys, keys)  # pending keys are never in the columns (see __setitem__)
        self._keys = np.insert(self._keys, at, keys)
        self._scores = np.insert(self._scores, at, scores)
        self._candidate = np.insert(self._candidate, at, candidate)
        self._pending = {}

    def __len__(self) -> int:
        return len(self._keys) + len(self._pending)

    def __contains__(self, pair: object) -> bool:
        key = self._key(pair) if isinstance(pair, tuple) and len(pair) == 2 else None
        return key is not None and (key in self._pending or self._find(key) >= 0)

    def __getitem__(self, pair: tuple[str, str]) -> tuple[float, bool]:
        key = self._key(pair)
        if key is not None:
            if key in self._pending:
                return self._pending[key]
            k = self._find(key)
            if k >= 0:
                return float(self._scores[k]), bool(self._candidate[k])
        raise KeyError(pair)

    def get(self, pair: tuple[str, str], default=None):
        try:
            return self[pair]
        except KeyError:
            return default

    def __setitem__(self, pair: tuple[str, str], value: tuple[float, bool]) -> None:
        key = self._key(pair)
        if key is None:
            raise KeyError(f"pair {pair!r}: both ids must be indexed and the first the smaller")
        k = -1 if key in self._pending else self._find(key)
        if k >= 0:
            self._scores[k], self._candidate[k] = value[0], value[1]
            return
        self._pending[key] = (float(value[0]), bool(value[1]))
        if len(self._pending) >= max(_MIN_PENDING, len(self._keys) // 8):
            self._flush()

    def has_rows(self, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
        """Which row pairs (rows_a[k], rows_b[k]) hold a score; rows_a[k] must be the row of the smaller id."""
        self._flush()
        keys = (np.asarray(rows_a, dtype=np.int64) << _SHIFT) | np.asarray(rows_b, dtype=np.int64)
        if not len(self._keys):
            return np.zeros(keys.size, dtype=bool)
        at = np.searchsorted(self._keys, keys).clip(0, len(self._keys) - 1)
        return self._keys[at] == keys

    def get_rows(self, rows_a: np.ndarray, rows_b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(held, score, candidate) per row pair, as `has_rows` reads them; 0.0 and False where not held."""
        self._flush()
        keys = (np.asarray(rows_a, dtype=np.int64) << _SHIFT) | np.asarray(rows_b, dtype=np.int64)
        if not len(self._keys):
            return np.zeros(keys.size, dtype=bool), np.zeros(keys.size), np.zeros(keys.size, dtype=bool)
        at = np.searchsorted(self._keys, keys).clip(0, len(self._keys) - 1)
        held = self._keys[at] == keys
        return held, np.where(held, self._scores[at], 0.0), held & self._candidate[at]

    def put_rows(
        self, rows_a: np.ndarray, rows_b: np.ndarray, scores: np.ndarray | None, candidate: bool
    ) -> None:
        """Many `__setitem__`s at once, by rows (rows_a[k] the row of the smaller id, pairs distinct).

        `scores` None keeps the stored scores and only sets the candidate flag (those pairs must be
        stored). One sorted merge instead of a dict entry and a binary search per pair: the per-pair
        writes were a tenth of the verification's CPU. The columns end as the per-pair writes leave them.
        """
        self._flush()
        keys = (np.asarray(rows_a, dtype=np.int64) << _SHIFT) | np.asarray(rows_b, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        if keys.size > 1 and not (np.diff(keys) > 0).all():
            raise ValueError("put_rows needs distinct pairs")
        at = np.searchsorted(self._keys, keys)
        present = at < len(self._keys)
        present[present] = self._keys[at[present]] == keys[present]
        if scores is None:
            if not present.all():
                raise KeyError("put_rows without scores on a pair that has no score")
            self._candidate[at] = candidate
            return
        scores = np.asarray(scores, dtype=np.float64)[order]
        self._scores[at[present]] = scores[present]
        self._candidate[at[present]] = candidate
        new = ~present
        self._keys = np.insert(self._keys, at[new], keys[new])
        self._scores = np.insert(self._scores, at[new], scores[new])
        self._candidate = np.insert(self._candidate, at[new], np.full(int(new.sum()), bool(candidate)))

    def set_columns(self, rows_a: np.ndarray, rows_b: np.ndarray, scores: np.ndarray, candidate: np.ndarray) -> None:
        """Replace every pair by these columns (rows_a[k] the row of the smaller id, pairs distinct)."""
        keys = (np.asarray(rows_a, dtype=np.int64) << _SHIFT) | np.asarray(rows_b, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        if keys.size > 1 and not (np.diff(keys) > 0).all():
            raise ValueError("set_columns needs distinct pairs")
        self._keys = keys
        self._scores = np.asarray(scores, dtype=np.float64)[order]
        self._candidate = np.asarray(candidate, dtype=bool)[order]
        self._pending = {}

    def clear_candidates(self) -> None:
        """Flag no pair as a candidate (scores kept): before the candidates are found again."""
        self._flush()
        self._candidate[:] = False

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row a int32, row b int32, score float64, candidate bool), sorted by (row a, row b)."""
        self._flush()
        return (
            (self._keys >> _SHIFT).astype(np.int32),
            (self._keys & np.int64(0xFFFFFFFF)).astype(np.int32),
            self._scores,
            self._candidate,
        )

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for key, _ in self.items():
            yield key

    def items(self) -> Iterator[tuple[tuple[str, str], tuple[float, bool]]]:
        """(id pair, (score, candidate)) in row order."""
        a, b, scores, candidate = self.columns()
        ids = self._ids
        for ra, rb, p, c in zip(a.tolist(), b.tolist(), scores.tolist(), candidate.tolist()):
            yield (ids[ra], ids[rb]), (p, c)

    def update(self, pairs) -> None:
        for key, value in (pairs.items() if hasattr(pairs, "items") else pairs):
            self[key] = value


class StoryIndex:
    """Article evidence and verified pair scores; rows are in insertion order, `row` maps id -> row."""

    def __init__(self, dim: int = 512, encoder: str = "") -> None:
        self.dim = dim
        self.encoder = encoder
        self.ids: list[str] = []
        self.language: list[str] = []
        self.outlet: list[str] = []
        self.published: list[str] = []
        self.lead: list[str] = []
        self.day = np.zeros(0, dtype=np.int64)
        self.n_shingles = np.zeros(0, dtype=np.int64)
        self.signatures = np.zeros((0, NUM_PERM), dtype=np.uint64)
        self.anchor_signatures = np.zeros((0, ANCHOR_PERM), dtype=np.uint64)
        self.anchor_vals, self.anchor_ptr = _csr([])
        self.number_vals, self.number_ptr = _csr([])
        self.lead_number_vals, self.lead_number_ptr = _csr([])
        self.chunks = np.zeros((0, MAX_CHUNKS, dim), dtype=np.float16)
        self.n_chunks = np.zeros(0, dtype=np.int64)
        self.sum_norms = np.zeros(0, dtype=np.float32)  # |sum of chunk vectors|: doc cosines from chunk sims
        # what the features were computed from (`article_fingerprint`), "" when unknown: a row whose
        # article now reads differently (or that has no fingerprint) is stale and must be re-added
        self.fingerprints: list[str] = []
        # rows [0, persisted) are the ones the store holds; `dropped` the stored ids removed since loading
        self.persisted = 0
        self.dropped: list[str] = []
        self.rows_removed = False  # rows went since the candidates were last found (they must be found again)
        # verified pairs, keyed by (smaller id, larger id): score and whether a candidate generator
        # proposed it (fill-in pairs scored only inside a small component are not candidates).
        self.row: dict[str, int] = {}
        self.pairs = PairStore(self.ids, self.row)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, feats: list[ArticleFeatures]) -> list[int]:
        """Append features (ids already present are ignored); return the rows added."""
        fresh = [f for f in feats if f.id not in self.row]
        seen: set[str] = set()
        fresh = [f for f in fresh if not (f.id in seen or seen.add(f.id))]
        if not fresh:
            return []
        first = len(self.ids)
        for f in fresh:
            self.row[f.id] = len(self.ids)
            self.ids.append(f.id)
            self.language.append(f.language)
            self.outlet.append(f.outlet)
            self.published.append(f.published)
            self.lead.append(f.lead)
            self.fingerprints.append("")
        self.day = np.concatenate([self.day, np.array([f.day for f in fresh], dtype=np.int64)])
        self.n_shingles = np.concatenate([self.n_shingles, np.array([f.n_shingles for f in fresh])])
        self.signatures = np.vstack([self.signatures, np.stack([f.signature for f in fresh])])
        self.anchor_signatures = np.vstack(
            [self.anchor_signatures, np.stack([f.anchor_signature for f in fresh])]
        )
        self.anchor_vals, self.anchor_ptr = self._extend(
            self.anchor_vals, self.anchor_ptr, [f.anchors for f in fresh]
        )
        self.number_vals, self.number_ptr = self._extend(
            self.number_vals, self.number_ptr, [f.numbers for f in fresh]
        )
        self.lead_number_vals, self.lead_number_ptr = self._extend(
            self.lead_number_vals, self.lead_number_ptr, [f.lead_numbers for f in fresh]
        )
        new_chunks = np.stack([f.chunks for f in fresh]).astype(np.float16)
        self.chunks = np.concatenate([self.chunks, new_chunks])
        self.n_chunks = np.concatenate([self.n_chunks, np.array([f.n_chunks for f in fresh])])
        self.sum_norms = np.concatenate([self.sum_norms, _sum_norms(new_chunks)])
        return list(range(first, len(self.ids)))

    @staticmethod
    def _extend(vals: np.ndarray, ptr: np.ndarray, arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        new_vals, new_ptr = _csr(arrays)
        return np.concatenate([vals, new_vals]), np.concatenate([ptr, new_ptr[1:] + ptr[-1]])

    def set_fingerprints(self, fingerprints: dict[str, str]) -> None:
        """Record what each indexed article's features were computed from (ids not indexed are ignored)."""
        for article_id, fingerprint in fingerprints.items():
            r = self.row.get(article_id)
            if r is not None:
                self.fingerprints[r] = fingerprint

    def remove(self, ids: Iterable[str]) -> int:
        """Drop the rows of `ids` (unknown ids ignored) and every pair touching them; return how many went.

        Rows keep their relative order (the new row of a kept one is its old row minus the removed rows
        before it), so pair keys stay sorted and `persisted` still counts the stored rows at the front.
        """
        gone = sorted({self.row[i] for i in ids if i in self.row})
        if not gone:
            return 0
        keep = np.ones(len(self.ids), dtype=bool)
        keep[gone] = False
        new_row = np.cumsum(keep) - 1
        self.dropped.extend(self.ids[r] for r in gone if r < self.persisted)
        self.persisted -= sum(1 for r in gone if r < self.persisted)
        kept = np.flatnonzero(keep).tolist()
        for name in ("ids", "language", "outlet", "published", "lead", "fingerprints"):
            column = getattr(self, name)
            setattr(self, name, [column[r] for r in kept])
        for name in ("day", "n_shingles", "signatures", "anchor_signatures", "chunks", "n_chunks", "sum_norms"):
            setattr(self, name, getattr(self, name)[keep])
        for vals, ptr in (("anchor_vals", "anchor_ptr"), ("number_vals", "number_ptr"),
                          ("lead_number_vals", "lead_number_ptr")):
            values, pointers = getattr(self, vals), getattr(self, ptr)
            lengths = np.diff(pointers)
            setattr(self, vals, values[np.repeat(keep, lengths)])
            setattr(self, ptr, np.concatenate([[0], np.cumsum(lengths[keep])]).astype(np.int64))
        rows_a, rows_b, scores, candidate = self.pairs.columns()
        both = keep[rows_a] & keep[rows_b]
        self.row = {a: i for i, a in enumerate(self.ids)}
        self.pairs = PairStore(self.ids, self.row)
        self.pairs.set_columns(new_row[rows_a[both]], new_row[rows_b[both]], scores[both], candidate[both])
        self.rows_removed = True
        return len(gone)

    # the store's tables ------------------------------------------------------------------------
    def rows_arrow(self, start: int = 0, stop: int | None = None) -> pa.Table:
        """Rows [start, stop) as an Arrow table (the store's `story_index` columns but `seq`): fixed
        arrays and CSR lists as blobs."""
        import pyarrow as pa
        stop = len(self.ids) if stop is None else min(stop, len(self.ids))
        n, part = stop - start, slice(start, stop)
        columns = {
            "id": pa.array(self.ids[part], pa.string()),
            "fingerprint": pa.array(self.fingerprints[part], pa.string()),
            "language": pa.array(self.language[part], pa.string()),
            "outlet": pa.array(self.outlet[part], pa.string()),
            "published": pa.array(self.published[part], pa.string()),
            "lead": pa.array(self.lead[part], pa.string()),
            "day": pa.array(self.day[part], pa.int64()),
            "n_shingles": pa.array(self.n_shingles[part].astype(np.int64), pa.int64()),
            "n_chunks": pa.array(self.n_chunks[part].astype(np.int64), pa.int64()),
            "signature": _fixed_blobs(self.signatures[part], n),
            "anchor_signature": _fixed_blobs(self.anchor_signatures[part], n),
            "anchors": _csr_blobs(self.anchor_vals, self.anchor_ptr, start, stop),
            "numbers": _csr_blobs(self.number_vals, self.number_ptr, start, stop),
            "lead_numbers": _csr_blobs(self.lead_number_vals, self.lead_number_ptr, start, stop),
            "chunks": _fixed_blobs(np.ascontiguousarray(self.chunks[part], dtype=np.float16), n),
        }
        return pa.table(columns)

    def rows_arrow_batches(self, start: int = 0, size: int = 8192) -> Iterator[pa.Table]:
        """`rows_arrow` from `start` on, `size` rows at a time, each made when asked for: writing a
        100k-article index never holds a second copy of all its rows (~3 KB each)."""
        for at in range(start, len(self.ids), size):
            yield self.rows_arrow(at, at + size)

    def pairs_arrow(self) -> pa.Table:
        """Every verified pair by rows: (a, b, score, candidate), a the row of the smaller id."""
        import pyarrow as pa
        a, b, scores, candidate = self.pairs.columns()
        return pa.table({"a": pa.array(a, pa.int32()), "b": pa.array(b, pa.int32()),
                         "score": pa.array(scores, pa.float64()), "candidate": pa.array(candidate, pa.bool_())})

    @classmethod
    def from_arrow(
        cls, batches: Iterable[pa.RecordBatch], pairs: pa.Table, dim: int, encoder: str, count: int
    ) -> StoryIndex:
        """The index `rows_arrow` (all rows, in row order, in record batches) and `pairs_arrow` wrote.

        `count` is the number of rows, so the chunk vectors (most of the bytes) are filled into one
        array instead of being concatenated from per-batch copies. Raises ValueError when the tables
        do not make one consistent index (the caller then rebuilds it)."""
        idx = cls(dim=dim, encoder=encoder)
        idx.chunks = np.zeros((count, MAX_CHUNKS, dim), dtype=np.float16)
        names = ("id", "fingerprint", "language", "outlet", "published", "lead")
        strings: dict[str, list[str]] = {k: [] for k in names}
        ints: dict[str, list[np.ndarray]] = {k: [] for k in ("day", "n_shingles", "n_chunks")}
        sigs: dict[str, list[np.ndarray]] = {"signature": [], "anchor_signature": []}
        lists: dict[str, list[list[np.ndarray]]] = {"anchors": [], "numbers": [], "lead_numbers": []}
        at = 0
        for batch in batches:
            m = batch.num_rows
            if at + m > count:
                raise ValueError("story index holds more rows than counted")
            for name, out in strings.items():
                out.extend("" if v is None else v for v in batch.column(name).to_pylist())
            for name, out in ints.items():
                out.append(np.asarray(batch.column(name).to_numpy(zero_copy_only=False), dtype=np.int64))
            for name, width in (("signature", NUM_PERM), ("anchor_signature", ANCHOR_PERM)):
                sigs[name].append(_blob_values(batch.column(name), np.uint64, m, width).reshape(m, width))
            for name in lists:
                lists[name].append(_blob_lists(batch.column(name), m))
            idx.chunks[at : at + m] = _blob_values(batch.column("chunks"), np.float16, m, MAX_CHUNKS * dim).reshape(
                m, MAX_CHUNKS, dim
            )
            at += m
        if at != count or len(set(strings["id"])) != count:
            raise ValueError("story index rows are missing or repeated")
        idx.ids, idx.fingerprints = strings["id"], strings["fingerprint"]
        idx.language, idx.outlet, idx.published, idx.lead = (
            strings["language"], strings["outlet"], strings["published"], strings["lead"]
        )
        idx.day, idx.n_shingles, idx.n_chunks = (
            np.concatenate(ints[k]) if ints[k] else np.zeros(0, dtype=np.int64) for k in ints
        )
        idx.signatures = np.concatenate(sigs["signature"]) if count else idx.signatures
        idx.anchor_signatures = np.concatenate(sigs["anchor_signature"]) if count else idx.anchor_signatures
        idx.anchor_vals, idx.anchor_ptr = _csr([a for part in lists["anchors"] for a in part])
        idx.number_vals, idx.number_ptr = _csr([a for part in lists["numbers"] for a in part])
        idx.lead_number_vals, idx.lead_number_ptr = _csr([a for part in lists["lead_numbers"] for a in part])
        idx.sum_norms = _sum_norms(idx.chunks)
        idx.row = {a: i for i, a in enumerate(idx.ids)}
        idx.pairs = PairStore(idx.ids, idx.row)
        a = pairs.column("a").to_numpy(zero_copy_only=False).astype(np.int64)
        b = pairs.column("b").to_numpy(zero_copy_only=False).astype(np.int64)
        if a.size and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= count):
            raise ValueError("story index pairs name rows it does not hold")
        idx.pairs.set_columns(
            a, b, pairs.column("score").to_numpy(zero_copy_only=False),
            pairs.column("candidate").to_numpy(zero_copy_only=False),
        )
        idx.persisted = count
        return idx

    def doc_vectors(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Mean of an article's chunk vectors, L2-normalised (float32)."""
        chunks = self.chunks if rows is None else self.chunks[rows]
        out = np.zeros((len(chunks), chunks.shape[2]), dtype=np.float32)
        for start, v in _chunk_sums(chunks):
            norms = np.linalg.norm(v, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            out[start : start + len(v)] = v / norms
        return out

    # persistence -------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the index to directory `path` (created if missing): the store's tables as Parquet
        (`rows_arrow`, `pairs_arrow`) and a JSON of what they need to be read back."""
        import pyarrow.parquet as pq

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        pq.write_table(self.rows_arrow(), path / "rows.parquet")
        pq.write_table(self.pairs_arrow(), path / "pairs.parquet")
        meta = {"format": _FORMAT, "dim": self.dim, "encoder": self.encoder, "rows": len(self)}
        (path / "index.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> StoryIndex:
        """Read an index written by `save` (a WiretraceError names a directory of another format)."""
        import pyarrow.parquet as pq

        path = Path(path)
        meta = json.loads((path / "index.json").read_text(encoding="utf-8"))
        if meta.get("format") != _FORMAT:
            from wiretrace.errors import WiretraceError

            raise WiretraceError(f"story index at {path} has format {meta.get('format')}, expected {_FORMAT}")
        rows = pq.read_table(path / "rows.parquet").to_batches()
        return cls.from_arrow(rows, pq.read_table(path / "pairs.parquet"), meta["dim"], meta["encoder"], meta["rows"])
