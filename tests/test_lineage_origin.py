"""Origin choice: material independent copies share belongs to the origin, near-copies vote once,
and the speed helpers (token similarity without an edit script, cached trigrams) agree with the
slow path."""

from __future__ import annotations

import pytest
from test_lineage_fixtures import ORIGIN, SPUN, article, hub_frame, light_edit

from wiretrace.align.edits import compare, token_similarity
from wiretrace.align.story import StoryAlignments
from wiretrace.data import Article, Story
from wiretrace.lineage import trace
from wiretrace.lineage import versions as versions_module
from wiretrace.lineage.families import witness_groups
from wiretrace.lineage.features import trigram_containment
from wiretrace.lineage.versions import Aligner, lacked_sentences, runs_in

DROPPED = 4  # the sentence the trimmed copy leaves out


def _trimmed() -> list[str]:
    return [s for k, s in enumerate(ORIGIN) if k != DROPPED]


def _missing_wire_corpus() -> dict[str, Article]:
    """The wire text is absent: a trimmed verbatim copy, a light edit and a spun copy are present."""
    versions = (article("trimmed", _trimmed()), article("edit", light_edit(ORIGIN)), article("spun", SPUN))
    return {a.id: a for a in versions}


def test_origin_lacking_what_independent_copies_share_is_inferred_missing(cache):
    # the wire text is not in the corpus: a trimmed verbatim copy, a light edit and a spun copy are.
    # The trimmed copy has no readings of its own, but it lacks a sentence two independent copies
    # carry: it dropped it, so it cannot be their source.
    corpus = _missing_wire_corpus()
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert len(story.origins) == 1
    origin = story.origins[0]
    assert origin.inferred and origin.article is None, origin
    edges = {e.article: e for e in story.lineage}
    assert edges["trimmed"].parent == origin.id
    assert any("missing from trimmed" in line for line in edges["trimmed"].evidence), edges["trimmed"].evidence


def test_full_origin_is_kept_when_copies_drop_sentences(cache):
    # the same copies with the wire text present: it carries everything, so it stays the origin
    corpus = {
        a.id: a
        for a in (
            article("wire", ORIGIN, published="2026-03-03T08:00:00"),
            article("trimmed", _trimmed(), published="2026-03-03T09:00:00"),
            article("edit", light_edit(ORIGIN), published="2026-03-03T10:00:00"),
            article("spun", SPUN, published="2026-03-03T11:00:00"),
        )
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("wire", False)]


def _aligner(corpus, cache):
    units = {i: cache.units(a) for i, a in sorted(corpus.items())}
    return Aligner(units, StoryAlignments(story="st"))


def test_a_copy_and_its_verbatim_copy_are_one_witness(cache):
    corpus = {
        a.id: a
        for a in (
            article("spun", SPUN),
            article("spun-copy", SPUN, paragraphs=False),
            article("edit", light_edit(ORIGIN)),
            article("trimmed", _trimmed()),
        )
    }
    ids = sorted(corpus)
    pairs = [(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]]
    groups = witness_groups(ids, pairs, _aligner(corpus, cache))
    assert groups["spun"] == groups["spun-copy"]
    assert groups["spun"] != groups["edit"]
    # pairing is by mutual nearest neighbour: the two light variants pair up, they do not chain
    # into the spun pair
    assert len(set(groups.values())) == 2


def test_lacked_sentences_reads_carriage_through_the_hub(cache):
    corpus = _missing_wire_corpus()
    aligner = _aligner(corpus, cache)
    hub = "edit"
    to_hub, independent = hub_frame(aligner, corpus, hub)
    assert lacked_sentences("trimmed", hub, to_hub, independent, aligner) == [DROPPED]
    assert lacked_sentences("edit", hub, to_hub, independent, aligner) == []
    # two carriers that are one witness (a copy and its copy) do not outvote the candidate
    one_voice = {m: 0 for m in corpus}
    assert lacked_sentences("trimmed", hub, to_hub, one_voice, aligner) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The council voted on Tuesday.", "The council voted on Tuesday."),
        ("The council voted on Tuesday.", "the Council voted, on Tuesday"),
        ("The council voted on Tuesday.", "On Tuesday the board decided."),
        ("", "Something."),
        ("", ""),
    ],
)
def test_token_similarity_matches_compare(a, b):
    assert token_similarity(a, b) == pytest.approx(compare(a, b).token_similarity)
    assert token_similarity(b, a) == pytest.approx(compare(a, b).token_similarity)


def test_token_similarity_cutoff_returns_zero_below_it():
    a, b = "The council voted on Tuesday.", "On Tuesday the board decided."
    value = token_similarity(a, b)
    assert 0.0 < value < 0.9
    assert token_similarity(a, b, score_cutoff=0.9) == 0.0


def test_cached_trigram_containment_is_the_share_of_child_trigrams():
    child = ["one two three four", "five six"]
    parent = ["zero one two three", "nine"]
    # child trigrams: (one two three) (two three four) (three four five) (four five six): one shared
    assert trigram_containment(child, parent) == pytest.approx(0.25)
    assert trigram_containment(child, parent) == pytest.approx(0.25)  # the cached path
    assert trigram_containment([], parent) == 0.0


def _split_last(sentences: list[str]) -> list[str]:
    """The last sentence broken before its last word at a paragraph break, as some page layouts do."""
    head, tail = sentences[-1].rsplit(" ", 1)
    return [*sentences[:-1], head, tail]


def _split_copies_corpus() -> dict[str, Article]:
    versions = (
        article("wire", ORIGIN, published="2026-03-03T08:00:00"),
        article("edit", _split_last(light_edit(ORIGIN)), published="2026-03-03T09:00:00"),
        article("trimmed", _split_last(_trimmed()), published="2026-03-03T10:00:00"),
    )
    return {a.id: a for a in versions}


def test_a_sentence_split_elsewhere_is_not_lacked(cache, monkeypatch):
    # two copies break the wire's last sentence in two: the fragment aligns to nothing in the wire,
    # yet all its words are there in a row, so the wire does not lack it
    corpus = _split_copies_corpus()
    aligner = _aligner(corpus, cache)
    hub = "edit"
    to_hub, independent = hub_frame(aligner, corpus, hub)
    assert lacked_sentences("wire", hub, to_hub, independent, aligner) == []
    # without the word-run test the fragment would count as material the wire lacks
    monkeypatch.setattr(versions_module, "runs_in", lambda sentence, text: False)
    assert lacked_sentences("wire", hub, to_hub, independent, aligner) != []


def test_runs_in_needs_the_words_in_a_row():
    text = "the council voted on tuesday to close the terminal"
    assert runs_in("Voted on Tuesday.", text)
    assert not runs_in("Tuesday voted.", text)
    assert not runs_in("vote", text)  # whole words only
    assert not runs_in("", text)
