"""`StoryIndex`: the state an incremental run needs, kept as columns (not per-article objects).

Holds per-article evidence (MinHash signatures, anchor hashes, float16 chunk vectors, dates)
and the scores of every verified pair, so new files are matched against the corpus without
re-encoding or re-scoring it. Saved as one `.npz` of columns plus a JSON of strings; the
DuckDB store can hold the same columns as tables.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from wiretrace.stories.features import ANCHOR_PERM, MAX_CHUNKS, NUM_PERM, ArticleFeatures

_FORMAT = 2


def _csr(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(arrays) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([a.size for a in arrays]) if arrays else []
    vals = np.concatenate(arrays).astype(np.uint64) if arrays else np.zeros(0, dtype=np.uint64)
    return vals, ptr


def _sum_norms(chunks: np.ndarray) -> np.ndarray:
    return np.linalg.norm(chunks.astype(np.float32).sum(axis=1), axis=1).astype(np.float32)


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
        self.pairs: dict[tuple[str, str], tuple[float, bool]] = {}
        self.row: dict[str, int] = {}

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
        v = chunks.astype(np.float32).sum(axis=1)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return v / norms

    # persistence -------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the index to directory `path` (created if missing)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.pairs)
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
            pair_scores=np.array([self.pairs[k][0] for k in keys], dtype=np.float64),
            pair_candidate=np.array([self.pairs[k][1] for k in keys], dtype=bool),
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
        idx.pairs = {(a, b): (float(s), bool(c)) for (a, b), s, c in zip(meta["pairs"], scores, cand)}
        return idx
