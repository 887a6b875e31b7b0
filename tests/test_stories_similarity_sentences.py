"""Whole-article e5 sentence alignment measured for the graded similarity (bench/stories/semeval.py; not
shipped): invented texts and synthetic vectors, so no e5 weights are needed."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives

from bench.stories.semeval import (
    SENTENCE_FEATURES,
    SENTENCE_MIN_WORDS,
    SENTENCE_TERMS,
    article_sentences,
    best_match_cosines,
    sentence_alignment_features,
    sentence_cuts,
    sentence_terms,
)
from wiretrace.data import Article
from wiretrace.stories.score import SECOND_ENCODER_CHARS

CUTS = {"same_language": (0.8, 0.9), "cross_language": (0.7, 0.8)}
COL = {n: k for k, n in enumerate(SENTENCE_FEATURES)}


def art(text: str, title: str | None = None) -> Article:
    return Article(id="a", source="s", content_hash="h", text=text, title=title)


def unit_rows(rng: np.random.Generator, n: int, dim: int = 16) -> np.ndarray:
    v = rng.normal(size=(n, dim))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_article_sentences_keep_order_drop_fragments_and_bound_the_cost():
    text = (
        "The harbour ferry ran aground near Varnholm on Tuesday. Advertisement. "
        "Rescuers took 41 passengers ashore by noon. The captain was unhurt."
    )
    sentences = article_sentences(art(text))
    assert sentences[0].startswith("The harbour ferry") and sentences[1].startswith("Rescuers took 41")
    assert all(len(s.split()) >= SENTENCE_MIN_WORDS for s in sentences)
    assert not any("Advertisement" in s for s in sentences)  # a one-word fragment aligns with anything
    many = " ".join(f"Sentence number {k} tells part of the story." for k in range(200))
    assert len(article_sentences(art(many), limit=7)) == 7
    wall = "word " * 5000  # no sentence boundary at all: one bounded e5 input
    assert [len(s) <= SECOND_ENCODER_CHARS for s in article_sentences(art(wall))] == [True]
    assert article_sentences(art("")) == []
    titled = art("Body text without a title here.", title="A quiet title line")
    assert article_sentences(titled)[0] == "A quiet title line."


def test_sentence_alignment_reads_copies_excerpts_and_unrelated_pairs():
    rng = np.random.default_rng(3)
    a = unit_rows(rng, 6)
    excerpt = a[1:3]
    other = unit_rows(rng, 5)
    out = sentence_alignment_features([a, a, excerpt, a, a[:0]], [a, excerpt, a, other, a], np.zeros(5), CUTS)
    copy, cut, cut_reversed, unrelated, empty = out
    assert np.allclose(copy, 1.0)
    # an excerpt is wholly found in its source: both shares 1, coverage 1 one way only
    assert cut[COL["e5_sentence_share_lo"]] == cut[COL["e5_sentence_share_hi"]] == 1.0
    assert cut[COL["e5_sentence_cover_max"]] == pytest.approx(1.0) and cut[COL["e5_sentence_cover_min"]] < 0.9
    assert np.allclose(cut, cut_reversed)  # the order of the two articles does not matter
    assert unrelated[COL["e5_sentence_share_lo"]] == 0.0 and unrelated[COL["e5_sentence_cover_max"]] < 0.8
    assert (empty == 0).all()
    assert sentence_alignment_features([], [], np.zeros(0), CUTS).shape == (0, len(SENTENCE_FEATURES))


def test_cross_language_pairs_are_read_against_their_own_cuts():
    rng = np.random.default_rng(5)
    a = unit_rows(rng, 4)
    noise = unit_rows(rng, 4)
    # each sentence of b matches its partner at cosine 0.75: below the same-language low cut (0.8),
    # above the cross-language one (0.7), as a translation's sentences sit below a rewording's
    b = 0.75 * a + np.sqrt(1 - 0.75**2) * (noise - (noise * a).sum(axis=1, keepdims=True) * a) / np.linalg.norm(
        noise - (noise * a).sum(axis=1, keepdims=True) * a, axis=1, keepdims=True
    )
    same, cross = sentence_alignment_features([a, a], [b, b], np.array([False, True]), CUTS)
    assert same[COL["e5_sentence_share_lo"]] == 0.0 and cross[COL["e5_sentence_share_lo"]] == 1.0
    assert same[COL["e5_sentence_cover_min"]] == pytest.approx(cross[COL["e5_sentence_cover_min"]])


def test_equal_length_pairs_are_symmetric():
    rng = np.random.default_rng(7)
    a, b = unit_rows(rng, 5), unit_rows(rng, 5)
    b[:2] = a[:2]
    one = sentence_alignment_features([a], [b], np.zeros(1), CUTS)
    two = sentence_alignment_features([b], [a], np.zeros(1), CUTS)
    assert np.array_equal(one, two)


def test_best_match_cosines_refuse_malformed_sides():
    rng = np.random.default_rng(9)
    a = unit_rows(rng, 3)
    assert best_match_cosines(a, np.zeros((1, 16))) is None  # an article without sentences: one zero row
    assert best_match_cosines(a, unit_rows(rng, 2, dim=8)) is None
    assert best_match_cosines(a, a[0]) is None
    best_a, best_b = best_match_cosines(a, a[:1])
    assert best_a.shape == (3,) and best_b.shape == (1,) and best_b[0] == pytest.approx(1.0)


def test_sentence_terms_split_the_shares_by_language_crossing():
    x = np.tile(np.arange(1, len(SENTENCE_FEATURES) + 1, dtype=float), (2, 1))
    terms = dict(zip(SENTENCE_TERMS, sentence_terms(x, np.array([0.0, 1.0])).T))
    assert terms["e5_sentence_share_lo_same_language"].tolist() == [1.0, 0.0]
    assert terms["e5_sentence_share_lo_cross_language"].tolist() == [0.0, 1.0]
    assert terms["e5_sentence_share_hi_cross_language"].tolist() == [0.0, 2.0]
    assert terms["e5_sentence_cover_max"].tolist() == [4.0, 4.0]


def test_aligned_sentences_must_also_share_a_name_or_number():
    from bench.stories.semeval import aligned_detail_share, sentence_details

    details = sentence_details(
        [
            "Police in Varnholm said 41 passengers were rescued.",
            "In Tromvik, rescuers brought 17 people to safety.",
            "the weather was calm all day long.",
            "The 2019 season opened early.",
        ]
    )
    assert {"varnh", "#41"} <= details[0] and "#17" in details[1] and details[2] == frozenset()
    assert "#2019" not in details[3]  # a year dates the topic, not the event
    rng = np.random.default_rng(11)
    a = unit_rows(rng, 2)
    # both of b's sentences align with a's (cosine 1), but only the first shares a detail
    share = aligned_detail_share(
        [a, a, a], [a, a, unit_rows(rng, 2)], [details[:2]] * 3,
        [[details[0], details[2]], details[:2], details[:2]], np.zeros(3), CUTS,
    )
    assert share.tolist()[:2] == [0.5, 1.0] and share[2] == 0.0  # the unaligned pair shares nothing
    mismatched = aligned_detail_share([a], [a], [details[:1]], [details[:2]], np.zeros(1), CUTS)
    assert mismatched.tolist() == [0.0]  # details that do not match the vectors are not trusted


def test_sentence_cuts_are_quantiles_of_each_kind_of_pair():
    rng = np.random.default_rng(13)
    a = unit_rows(rng, 10)
    b = a.copy()
    b[5:] = unit_rows(rng, 5)  # half of the sentences copied (cosine 1), half unrelated
    cuts = sentence_cuts([a, a], [b, unit_rows(rng, 10)], np.array([False, True]), quantiles=(0.4, 0.9))
    assert cuts["same_language"][1] == pytest.approx(1.0) and cuts["same_language"][0] < 0.9
    assert cuts["cross_language"][0] < cuts["cross_language"][1] < 0.9
    assert sentence_cuts([a], [b], np.array([False]))["cross_language"] == (1.0, 1.0)  # no pair of that kind


def test_sentence_cache_resumes_after_an_interruption(monkeypatch, tmp_path):
    from bench.stories import fit

    encoded: list[str] = []

    def fake_vectors(texts: list[str], fail_after: int | None = None) -> np.ndarray:
        if fail_after is not None and len(encoded) >= fail_after:
            raise KeyboardInterrupt
        encoded.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    cache = tmp_path / "e5-sentences"
    monkeypatch.setattr(fit, "SENTENCE_CACHE", cache)
    monkeypatch.setattr(fit, "SENTENCE_CHUNK", 2)
    monkeypatch.setattr(fit, "lead_vectors", lambda texts: fake_vectors(texts, fail_after=4))
    texts = [f"Sentence {'x' * k} of the story." for k in range(7)]
    with pytest.raises(KeyboardInterrupt):  # interrupted in the third chunk
        fit.encode_sentences(texts)
    assert len(list(cache.glob("part-*.npz"))) == 2 and not list(cache.glob("tmp-*"))  # no torn file
    encoded.clear()
    monkeypatch.setattr(fit, "lead_vectors", fake_vectors)
    vectors = fit.encode_sentences(texts + texts[:2])
    assert sorted(encoded) == sorted(texts[4:])  # only what the interruption left is encoded again
    assert [vectors[fit.hashlib.sha1(t.encode()).hexdigest()][0] for t in texts] == [len(t) for t in texts]
