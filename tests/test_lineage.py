"""Lineage on invented stories: relations, chains, families, origins, additions, determinism."""

from __future__ import annotations

import pytest
from test_lineage_fixtures import (
    COMMENTARY_AFTER,
    COMMENTARY_BEFORE,
    GERMAN,
    INDEPENDENT,
    ORIGIN,
    SPUN,
    article,
    light_edit,
)

from wiretrace.align import EmbeddingCache
from wiretrace.data import Story
from wiretrace.lineage import trace, trace_with_alignments
from wiretrace.lineage.credits import credited_agencies, dateline
from wiretrace.lineage.features import RelationFeatures
from wiretrace.lineage.relations import DEFAULT_RULE, classify, model_probabilities, swaps_phrase

EXCERPT = [*COMMENTARY_BEFORE, "The Associated Press reported:", *ORIGIN[1:5], *COMMENTARY_AFTER]


@pytest.fixture(scope="module")
def corpus():
    arts = [
        article("orig", ORIGIN, published="2026-03-03T08:00:00"),
        article("copy", ORIGIN, published="2026-03-03T10:00:00", paragraphs=False),
        article("edit", light_edit(ORIGIN), published="2026-03-03T11:00:00"),
        article("blog", EXCERPT, published="2026-03-03T12:00:00"),
        article("spun", SPUN, published="2026-03-03T13:00:00"),
        article("spun-copy", SPUN, published="2026-03-03T15:00:00", paragraphs=False),
        article("german", GERMAN, language="de", published="2026-03-03T14:00:00"),
    ]
    return {a.id: a for a in arts}


@pytest.fixture(scope="module")
def traced(corpus, cache):
    return trace_with_alignments(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)


def edges(story):
    return {e.article: e for e in story.lineage}


def test_origin_in_corpus_is_chosen(traced):
    story, _ = traced
    assert len(story.origins) == 1
    origin = story.origins[0]
    assert origin.article == "orig" and not origin.inferred
    assert "The Associated Press" in origin.credited
    assert edges(story)["orig"].parent is None


@pytest.mark.parametrize(
    ("version", "parent", "relation"),
    [
        ("copy", "orig", "verbatim"),
        ("edit", "orig", "light-edit"),
        ("blog", "orig", "excerpt"),
        ("spun", "orig", "machine-rewrite"),
        ("german", "orig", "translation"),
    ],
)
def test_relations_to_the_origin(traced, version, parent, relation):
    edge = edges(traced[0])[version]
    assert (edge.parent, edge.relation) == (parent, relation), edge.evidence
    assert 0.0 < edge.confidence <= 1.0 and edge.evidence


def test_copy_of_a_spun_copy_descends_from_the_spun_copy(traced):
    edge = edges(traced[0])["spun-copy"]
    assert edge.parent == "spun" and edge.relation in ("verbatim", "light-edit"), edge.evidence


def test_spun_evidence_names_the_odd_substitutions(traced):
    text = " ".join(edges(traced[0])["spun"].evidence)
    assert "substitutions" in text and "→" in text


def test_additions_and_omissions_of_an_excerpt(traced):
    edge = edges(traced[0])["blog"]
    n_before = len(COMMENTARY_BEFORE) + 1
    assert set(range(len(COMMENTARY_BEFORE))) <= set(edge.additions)
    assert set(range(n_before + 4, len(EXCERPT))) <= set(edge.additions)
    assert not set(range(n_before, n_before + 4)) & set(edge.additions)
    assert edge.omissions == [0, 5, 6, 7, 8, 9]


def _block_features(**runs) -> RelationFeatures:
    """A version carrying four of its parent's ten sentences, in order, inside four of its own."""
    f = RelationFeatures(child_sentences=8, parent_sentences=10, aligned_child=4, aligned_parent=4, cross_lingual=False)
    f.additions, f.omissions = [0, 1, 6, 7], [0, 5, 6, 7, 8, 9]
    f.token_similarity, f.verbatim_share, f.copied_share = 0.95, 0.75, 0.5
    f.word_containment, f.phrase_containment, f.lcs_share = 1.0, 1.0, 1.0
    for name, value in runs.items():
        setattr(f, name, value)
    return f


@pytest.mark.parametrize(
    "reworded",
    [
        {"lcs_share": 0.6},
        {"token_similarity": 0.6, "restructured_share": 0.5, "verbatim_share": 0.0, "edited_share": 1.0},
        {"token_similarity": 0.6, "restructured_share": 1.0, "word_containment": 0.7, "lcs_share": 0.6},
    ],
)
def test_an_excerpt_pastes_its_part(reworded):
    assert classify(_block_features())[0] == "excerpt"
    # the same block reworded throughout (few of its 5-word runs in the parent) is no cut, whatever
    # the rest of the evidence says
    few_runs = _block_features(phrase_containment=DEFAULT_RULE.excerpt_pasted / 2, **reworded)
    assert classify(few_runs)[0] != "excerpt"


def test_against_a_reconstruction_the_word_runs_are_not_read():
    """Word runs against an inferred origin compare with the other witnesses' wording: ignored."""
    pasted = _block_features(inferred_parent=True)
    reworded = _block_features(inferred_parent=True, word_containment=0.5, phrase_containment=0.1, lcs_share=0.4)
    assert model_probabilities(pasted) == model_probabilities(reworded)
    assert model_probabilities(_block_features()) != model_probabilities(
        _block_features(word_containment=0.5, phrase_containment=0.1, lcs_share=0.4)
    )


def test_alignments_are_kept_for_the_facts_stage(traced):
    story, alignments = traced
    assert set(alignments.to_parent) == {e.article for e in story.lineage if e.parent}
    assert alignments.to_parent["spun-copy"].b == "spun"
    assert alignments.pivot in story.articles
    assert alignments.sentence_pairs()


def test_two_independent_families(cache):
    arts = [
        article("ap", ORIGIN, published="2026-03-03T08:00:00"),
        article("ap-copy", ORIGIN, published="2026-03-03T09:00:00", paragraphs=False),
        article("rt", INDEPENDENT, published="2026-03-03T08:30:00"),
        article("rt-copy", INDEPENDENT, published="2026-03-03T09:30:00", paragraphs=False),
    ]
    corpus = {a.id: a for a in arts}
    story = trace(Story(id="two", articles=sorted(corpus)), corpus, cache=cache)
    families = sorted(sorted(o.articles) for o in story.origins)
    assert families == [["ap", "ap-copy"], ["rt", "rt-copy"]]
    assert {o.article for o in story.origins} == {"ap", "rt"}
    assert sorted(o.id for o in story.origins) == ["two-o1", "two-o2"]
    e = edges(story)
    assert e["ap"].parent is None and e["rt"].parent is None
    assert e["rt-copy"].parent == "rt"


def test_missing_origin_is_inferred(cache):
    arts = [
        article("edit", light_edit(ORIGIN)[1:]),
        article("spun", SPUN[1:]),
        article("blog", EXCERPT),
        article("german", GERMAN[1:], language="de"),
    ]
    # no version is the original: each carries readings the others do not share
    corpus = {a.id: a for a in arts}
    story = trace(Story(id="m", articles=sorted(corpus)), corpus, cache=cache)
    assert len(story.origins) == 1
    origin = story.origins[0]
    assert origin.inferred and origin.article is None and origin.id == "m-o1"
    assert sorted(origin.articles) == sorted(corpus)
    e = edges(story)
    assert e["spun"].parent == "m-o1" and e["spun"].relation == "machine-rewrite", e["spun"].evidence
    assert e["german"].relation == "translation"


def test_trace_is_deterministic(corpus):
    first = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=EmbeddingCache())
    second = trace(
        Story(id="st", articles=sorted(corpus, reverse=True)),
        dict(reversed(corpus.items())),
        cache=EmbeddingCache(),
    )
    assert first.to_dict()["origins"] == second.to_dict()["origins"]
    assert first.to_dict()["lineage"] == second.to_dict()["lineage"]


def test_single_article_and_empty_story(cache):
    a = article("solo", ORIGIN)
    story = trace(Story(id="s", articles=["solo"]), {"solo": a}, cache=cache)
    assert story.origins[0].article == "solo" and story.lineage[0].relation == "independent"
    assert trace(Story(id="e", articles=[]), {}, cache=cache).origins == []


def test_credit_and_dateline_fallback():
    a = article("x", ORIGIN)
    assert credited_agencies(a) == ["The Associated Press"]
    assert dateline(a) == "HARBORVILLE, Norland (AP)"
    assert credited_agencies(article("y", INDEPENDENT)) == ["Reuters"]


def test_evidence_lists_each_swap_once_whatever_its_case():
    swaps = [("The", "These"), ("the", "these"), ("Doha", "Dhaha"), ("the", "these"), ("weekend", "week")]
    assert swaps_phrase(swaps) == "The→These, Doha→Dhaha, weekend→week"
    assert swaps_phrase(swaps, limit=2) == "The→These, Doha→Dhaha, ..."
