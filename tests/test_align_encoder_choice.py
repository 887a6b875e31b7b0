"""The per-story stages' encoder choice: match models keyed by encoder and the opt-in
`Settings.align_encoder` (invented texts; stand-in encoders, so no model is loaded)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from wiretrace.align import aligner
from wiretrace.align.aligner import (
    MATCH_BIAS,
    MATCH_WEIGHTS,
    EmbeddingCache,
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


def test_unknown_encoders_use_the_use_fit_and_the_static_encoder_has_its_own():
    use = match_model("use")
    assert (use.weights, use.bias) == (MATCH_WEIGHTS, MATCH_BIAS)
    assert match_model(None) is use and match_model("hash") is use
    static = match_model("use-static")
    assert static is not use and static.candidate_min_cosine > use.candidate_min_cosine


def test_default_match_probability_is_the_use_models():
    edits = compare("The pier closes on Tuesday.", "The pier will close on Tuesday.")
    assert match_probability(0.8, edits) == match_probability(0.8, edits, match_model("use"))


def test_align_encoder_defaults_to_the_settings_encoder():
    assert align_encoder_name(Settings(encoder="hash")) == "hash"
    chosen = Settings(encoder="hash", align_encoder="use-static")
    assert align_encoder_name(chosen) == "use-static"
    assert EmbeddingCache(settings=chosen)._encoder_name == "use-static"


def test_the_cli_takes_an_align_encoder_and_refuses_unknown_ones():
    from wiretrace.cli import _settings
    from wiretrace.errors import WiretraceError

    assert _settings(None, "use", None, "use-static").align_encoder == "use-static"
    assert _settings(None, "use").align_encoder is None
    with pytest.raises(WiretraceError, match="align encoder"):
        _settings(None, "use", None, "glove")


def test_units_record_whose_vectors_they_hold():
    cache = EmbeddingCache(settings=Settings(encoder="hash"))
    units = cache.units(article("a", ORIGINAL))
    assert units.encoder == "hash"


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
