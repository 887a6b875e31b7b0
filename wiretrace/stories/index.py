"""`StoryIndex`: the state an incremental run needs, kept as columns (not per-article objects).

Holds per-article evidence (MinHash signatures, anchor hashes, float16 chunk vectors, dates)
and the scores of every verified pair, so new files are matched against the corpus without
re-encoding or re-scoring it. Saved as one `.npz` of columns plus a JSON of strings; the
DuckDB store can hold the same columns as tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from wiretrace.stories.features import ANCHOR_PERM, MAX_CHUNKS, NUM_PERM, ArticleFeatures

_FORMAT = 2


def _csr(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(arrays) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([a.size for a in arrays]) if arrays else []
    vals = np.concatenate(arrays).astype(np.uint64) if arrays else np.zeros(0, dtype=np.uint64)
    return vals, ptr


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
        """Write the index to directory `path` (created if missing)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        pairs = sorted(self.pairs.items())
        keys = [k for k, _ in pairs]
        np.savez(
            path / "index.npz",
            day=self.day,
            n_shingles=self.n_shingles,
            signatures=self.signatures,
            anchor_signatures=self.anchor_signatures,
            anchor_vals=self.anchor_vals,
            anchor_ptr=self.anchor_ptr,
            number_vals=self.number_vals,
            number_ptr=self.number_ptr,
            lead_number_vals=self.lead_number_vals,
            lead_number_ptr=self.lead_number_ptr,
            chunks=self.chunks,
            n_chunks=self.n_chunks,
            pair_scores=np.array([v[0] for _, v in pairs], dtype=np.float64),
            pair_candidate=np.array([v[1] for _, v in pairs], dtype=bool),
        )
        meta = {
            "format": _FORMAT,
            "dim": self.dim,
            "encoder": self.encoder,
            "ids": self.ids,
            "language": self.language,
            "outlet": self.outlet,
            "published": self.published,
            "lead": self.lead,
            "pairs": [list(k) for k in keys],
        }
        (path / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> StoryIndex:
        """Read an index written by `save`."""
        path = Path(path)
        meta = json.loads((path / "index.json").read_text(encoding="utf-8"))
        if meta.get("format") != _FORMAT:
            from wiretrace.errors import WiretraceError

            raise WiretraceError(f"story index at {path} has format {meta.get('format')}, expected {_FORMAT}")
        idx = cls(dim=meta["dim"], encoder=meta.get("encoder", ""))
        with np.load(path / "index.npz") as z:
            for name in (
                "day", "n_shingles", "signatures", "anchor_signatures", "anchor_vals", "anchor_ptr",
                "number_vals", "number_ptr", "lead_number_vals", "lead_number_ptr", "chunks", "n_chunks",
            ):
                setattr(idx, name, z[name])
            scores, cand = z["pair_scores"], z["pair_candidate"]
        for name in ("ids", "language", "outlet", "published", "lead"):
            setattr(idx, name, list(meta[name]))
        idx.row = {a: i for i, a in enumerate(idx.ids)}
        idx.sum_norms = _sum_norms(idx.chunks)
        idx.pairs = PairStore(idx.ids, idx.row)
        idx.pairs.update(((a, b), (float(s), bool(c))) for (a, b), s, c in zip(meta["pairs"], scores, cand))
        return idx
