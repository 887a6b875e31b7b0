"""The per-story stages' encoder choice: match models keyed by encoder, the opt-in ALIGN_ENCODER, and the
fast>exact cascade (invented texts; stand-in encoders, so no model is loaded)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from wiretrace import embed
from wiretrace.align import aligner
from wiretrace.align.aligner import (
    MATCH_BIAS,
    MATCH_WEIGHTS,
    EmbeddingCache,
    align,
    align_encoder_name,
    match_model,
    match_probability,
)
from wiretrace.align.edits import compare
from wiretrace.config import Settings
from wiretrace.data import Article

ORIGINAL = [
    "The harbour board voted on Tuesday to close the old ferry pier for repairs.",
    "Inspectors found cracked pilings under the northern landing last month.",
    "Repairs are expected to cost about 4 million crowns and take two years.",
    "Commuters will be moved to a temporary landing beside the fish market.",
]
# sentence 1 reworded (an unsure pair: few words shared), the others kept
COPY = [
    ORIGINAL[0],
    "Inspectors said last month they found cracks in pilings beneath the north landing.",
    *ORIGINAL[2:],
]


def article(aid: str, sentences: list[str]) -> Article:
    text = "\n\n".join(sentences)
    return Article(id=aid, source=aid, content_hash=hashlib.sha1(text.encode()).hexdigest(), text=text, language="en")


class ConstantEncoder:
    """Every text gets the same vector: cosine 1 for every pair (an encoder that calls everything a match)."""

    name = "constant"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        out[:, 0] = 1.0
        return out


@pytest.fixture
def encoders(monkeypatch):
    """The hash encoder and a constant one under names the cascade can look up."""
    constant = ConstantEncoder()
    monkeypatch.setitem(embed._ENCODERS, "constant", constant)
    return constant


def test_unknown_encoders_use_the_use_fit_and_the_static_encoder_has_its_own():
    use = match_model("use")
    assert (use.weights, use.bias) == (MATCH_WEIGHTS, MATCH_BIAS)
    assert match_model(None) is use and match_model("hash") is use
    static = match_model("use-static")
    assert static is not use and static.candidate_min_cosine > use.candidate_min_cosine


def test_default_match_probability_is_the_use_models():
    edits = compare("The pier closes on Tuesday.", "The pier will close on Tuesday.")
    assert match_probability(0.8, edits) == match_probability(0.8, edits, match_model("use"))


def test_align_encoder_defaults_to_the_settings_encoder(monkeypatch):
    assert align_encoder_name(Settings(encoder="hash")) == "hash"
    monkeypatch.setattr(aligner, "ALIGN_ENCODER", "use-static")
    assert align_encoder_name(Settings(encoder="hash")) == "use-static"
    assert EmbeddingCache(settings=Settings(encoder="hash"))._encoder_name == "use-static"


def test_units_record_whose_vectors_they_hold():
    cache = EmbeddingCache(settings=Settings(encoder="hash"))
    units = cache.units(article("a", ORIGINAL))
    assert units.encoder == "hash" and units.refine is None


def test_cascade_with_the_same_encoder_twice_aligns_as_the_encoder_alone(monkeypatch, encoders):
    a, b = article("a", COPY), article("b", ORIGINAL)
    alone = align(a, b, cache=EmbeddingCache(settings=Settings(encoder="hash")))
    monkeypatch.setattr(aligner, "ALIGN_ENCODER", "hash>hash")
    cache = EmbeddingCache(settings=Settings(encoder="use"))
    twice = align(a, b, cache=cache)
    assert twice == alone


def test_cascade_re_encodes_only_the_sentences_of_unsure_pairs(monkeypatch, encoders):
    a, b = article("a", COPY), article("b", ORIGINAL)
    alone = align(a, b, cache=EmbeddingCache(settings=Settings(encoder="hash")))
    monkeypatch.setattr(aligner, "ALIGN_ENCODER", "hash>constant")
    monkeypatch.setattr(aligner, "CASCADE_UNSURE", (0.1, 0.9))
    cache = EmbeddingCache(settings=Settings())
    cascaded = align(a, b, cache=cache)
    # verbatim sentences are sure matches: never sent to the second encoder
    assert not set(encoders.seen) & {ORIGINAL[0], *ORIGINAL[2:]}
    assert 0 < cache.refined_sentences < len(COPY) + len(ORIGINAL)
    # the reworded sentence: unsure on the hash cosine (no match), a match on the second encoder's cosine of 1
    assert set(encoders.seen) == {COPY[1], ORIGINAL[1]}
    before = {(p.a, p.b): p.similarity for p in alone.pairs}
    after = {(p.a, p.b): p.similarity for p in cascaded.pairs}
    assert (1, 1) not in before and after[(1, 1)] == 1.0
    assert {k: v for k, v in after.items() if k != (1, 1)} == {k: v for k, v in before.items() if k != (1, 1)}


def test_cascade_is_deterministic(monkeypatch, encoders):
    monkeypatch.setattr(aligner, "ALIGN_ENCODER", "hash>constant")
    a, b = article("a", COPY), article("b", ORIGINAL)
    first = align(a, b, cache=EmbeddingCache(settings=Settings()))
    second = align(b, a, cache=EmbeddingCache(settings=Settings()))
    assert sorted((p.a, p.b) for p in first.pairs) == sorted((p.b, p.a) for p in second.pairs)


def test_static_vectors_rank_versions_by_a_stand_in_and_others_by_their_own_mean():
    from wiretrace.embed import get_encoder
    from wiretrace.lineage.versions import DOC_VECTOR_ENCODER, doc_vectors

    rng = np.random.default_rng(7)
    texts = [ORIGINAL, COPY, ORIGINAL[:2]]
    vectors = [rng.standard_normal((len(t), 8)).astype(np.float32) for t in texts]
    own = [aligner.Units(f"v{k}", "en", t, v) for k, (t, v) in enumerate(zip(texts, vectors, strict=True))]
    mean = np.stack([u.vectors.mean(axis=0) / np.linalg.norm(u.vectors.mean(axis=0)) for u in own])
    assert np.allclose(doc_vectors(own), mean)
    static = [aligner.Units(u.article, u.language, u.texts, u.vectors, encoder="use-static") for u in own]
    hashed = get_encoder(DOC_VECTOR_ENCODER["use-static"])
    expected = np.stack([hashed.encode(t).mean(axis=0) for t in texts])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(doc_vectors(static), expected)
