"""The aligner's shortcuts give the answers of the plain computation: candidate search, memoised
comparison, and the sentence vectors alignment hands on to the facts stage."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_lineage_fixtures import ORIGIN, article, light_edit

from wiretrace.align import EmbeddingCache, StoryAlignments, compare
from wiretrace.align.aligner import CANDIDATE_MIN_COSINE, CANDIDATES_PER_SENTENCE, candidate_pairs
from wiretrace.config import Settings
from wiretrace.data import AlignedPair, Alignment, Story
from wiretrace.facts import groups


def _candidates_by_loops(sims: np.ndarray) -> list[tuple[int, int]]:
    """The definition, one sentence at a time: each side's nearest partners, ties by position."""
    n_a, n_b = sims.shape
    found = set()
    for i in range(n_a):
        order = sorted(range(n_b), key=lambda j: (-sims[i, j], j))[:CANDIDATES_PER_SENTENCE]
        found |= {(i, j) for j in order}
    for j in range(n_b):
        order = sorted(range(n_a), key=lambda i: (-sims[i, j], i))[:CANDIDATES_PER_SENTENCE]
        found |= {(i, j) for i in order}
    return sorted((i, j) for i, j in found if float(sims[i, j]) >= CANDIDATE_MIN_COSINE)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 2**32 - 1))
def test_candidate_search_matches_the_definition(n_a, n_b, seed):
    rng = np.random.default_rng(seed)
    # coarse values so ties (verbatim copies share cosines) are common
    sims = (rng.integers(-4, 11, size=(n_a, n_b)) / 10).astype(np.float32)
    assert candidate_pairs(sims) == _candidates_by_loops(sims)


def test_compare_of_identical_sentences_is_verbatim_with_no_edits():
    e = compare(ORIGIN[0], ORIGIN[0])
    assert (e.token_similarity, e.char_similarity, e.long_edits) == (1.0, 1.0, 0)
    assert e.word_swaps == [] and e.name_swaps == [] and e.tokens_a == e.tokens_b > 0


def test_compare_results_are_independent_objects():
    edited = light_edit(ORIGIN)[1]
    first = compare(edited, ORIGIN[1])
    assert first.word_swaps, "the fixture's light edit swaps words"
    swaps = list(first.word_swaps)
    first.word_swaps.append(("mutated", "by caller"))
    again = compare(edited, ORIGIN[1])
    assert again.word_swaps == swaps and again is not first


def test_cache_hands_out_the_vectors_it_encoded():
    cache = EmbeddingCache(settings=Settings(encoder="hash"))
    a, b = article("a", ORIGIN[:3]), article("b", ORIGIN[2:5])
    cache.prefetch([a, b])
    vectors = cache.vectors_by_text()
    assert sorted(vectors) == sorted(set(ORIGIN[:5]))
    ua = cache.units(a)
    assert np.array_equal(vectors[ORIGIN[0]], ua.vectors[0])


def test_facts_groups_reuse_alignment_vectors_instead_of_encoding(monkeypatch):
    """A gap sentence between two anchors is compared with the vectors alignment passed on."""
    a = article("a", [ORIGIN[0], ORIGIN[1], ORIGIN[2]])
    b = article("b", [ORIGIN[0], light_edit(ORIGIN)[1], ORIGIN[2]])
    members = {"a": a, "b": b}
    cache = EmbeddingCache(settings=Settings(encoder="hash"))
    cache.prefetch([a, b])
    anchors = [AlignedPair(a=k, b=k, similarity=1.0, kind="verbatim") for k in (0, 2)]
    store = StoryAlignments(story="s", all={("a", "b"): Alignment(a="a", b="b", pairs=anchors)})
    store.vectors = cache.vectors_by_text()

    def no_encoding(texts, *args):
        assert not texts, f"re-encoded {texts}"
        return {}

    monkeypatch.setattr(groups, "_vectors", no_encoding)
    groups._CACHE.clear()
    graph = groups.sentence_graph(Story(id="s", articles=["a", "b"]), members, Settings(encoder="hash"), store)
    assert graph.group_of[("a", 1)] == graph.group_of[("b", 1)]  # the gap pair joined by cosine


class _CountingEncoder:
    """HashEncoder that records every text it is asked to encode."""

    name, dim = "counting", 512

    def __init__(self) -> None:
        from wiretrace.embed import HashEncoder

        self.inner = HashEncoder(self.dim)
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_prefetch_encodes_each_text_once_across_batches():
    encoder = _CountingEncoder()
    cache = EmbeddingCache(encoder=encoder, settings=Settings(encoder="hash", batch_size=2))
    copies = [article(f"c{k}", ORIGIN[:4]) for k in range(3)] + [article("e", light_edit(ORIGIN)[:4])]
    cache.prefetch(copies)
    assert sorted(encoder.seen) == sorted(set(encoder.seen))  # no text twice, batches notwithstanding
    assert set(encoder.seen) == set(ORIGIN[:4]) | set(light_edit(ORIGIN)[:4])
    for a in copies:  # each article's rows are its own sentences' vectors
        units = cache.units(a)
        assert np.array_equal(units.vectors, encoder.inner.encode(units.texts))
