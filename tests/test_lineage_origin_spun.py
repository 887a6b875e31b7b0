"""The origin decision reads the direction of spinning: a version that reads odd synonyms where
another reads the common words was spun from a plainer text, so it is not the origin even when its
reprints outvote the plain copy (the origin is then missing); the plain text itself, present in
the corpus, stays the origin."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, SPUN, article

from wiretrace.align.story import StoryAlignments
from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.readings import ODD_SWAPS_MIN, plainer_witness, plainer_word
from wiretrace.lineage.versions import Aligner


def _plain_copy() -> list[str]:
    out = list(ORIGIN)
    out[9] = out[9].replace("rushed", "hasty")  # an edit of its own: the copy is no origin either
    return out


def _spun_branch() -> dict:
    """A spun version and two reprints of it (the branch that outvotes a lone plain copy)."""
    reprint = list(SPUN)
    reprint[4] = reprint[4].replace("short-lived", "brief")
    return {
        "spun": article("spun", SPUN, published="2026-03-03T09:00:00"),
        "spun-reprint1": article("spun-reprint1", SPUN[:-1], published="2026-03-03T11:00:00"),
        "spun-reprint2": article("spun-reprint2", reprint, published="2026-03-03T12:00:00"),
    }


def _aligner(corpus, cache):
    units = {i: cache.units(a) for i, a in sorted(corpus.items())}
    return Aligner(units, StoryAlignments(story="st"))


def test_the_plainer_witness_is_found_one_way_only(cache):
    corpus = {"spun": article("spun", SPUN), "plain": article("plain", _plain_copy())}
    aligner = _aligner(corpus, cache)
    found = plainer_witness("spun", ["plain"], aligner, {}, {})
    assert found is not None
    witness, sentences, swaps = found
    assert witness == "plain" and sentences >= ODD_SWAPS_MIN
    assert all(plainer_word(common, odd, "en") for common, odd in swaps)
    # the plain copy is not spun from the spun one: spinning never goes from odd words to common ones
    assert plainer_witness("plain", ["spun"], aligner, {}, {}) is None


def test_two_light_edits_are_no_spinning(cache):
    edited = list(ORIGIN)
    edited[3] = edited[3].replace("could collapse", "might collapse")
    corpus = {"a": article("a", _plain_copy()), "b": article("b", edited)}
    aligner = _aligner(corpus, cache)
    assert plainer_witness("a", ["b"], aligner, {}, {}) is None
    assert plainer_witness("b", ["a"], aligner, {}, {}) is None


def test_a_spun_branch_outvoting_a_plain_copy_has_a_missing_origin(cache):
    corpus = {**_spun_branch(), "plain": article("plain", _plain_copy(), published="2026-03-03T10:00:00")}
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert len(story.origins) == 1
    origin = story.origins[0]
    assert origin.inferred and origin.article is None, story.lineage
    edges = {e.article: e for e in story.lineage}
    assert edges["plain"].parent == origin.id


def test_the_plain_wire_stays_the_origin_of_its_spun_branch(cache):
    corpus = {**_spun_branch(), "wire": article("wire", ORIGIN, published="2026-03-03T08:00:00")}
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("wire", False)]


FORMAL = [
    "The municipal authority commenced demolition of the dilapidated granary on Monday, officials stated.",
    "Contractors purchased additional machinery to expedite the removal of the structure.",
    "Residents had petitioned for years to eliminate the hazard near the elementary school.",
    "The authority anticipates that the site will accommodate a public garden by autumn.",
    "Approximately 40 workers are employed on the project, according to the municipal engineer.",
]
# a desk rewrite: its own sentence structure, and plainer words where it pleased the editor
PLAIN_REWRITE = [
    "Officials said on Monday that the city began tearing down the old, crumbling grain store.",
    "To speed up the work, the builders bought more machines.",
    "People living nearby had asked for years for the danger next to the primary school to go.",
    "By autumn the city expects a public garden on the site.",
    "The city engineer said about 40 people work on the project.",
]


def test_a_rewrite_in_plainer_words_is_no_spinning(cache):
    corpus = {"formal": article("formal", FORMAL), "rewrite": article("rewrite", PLAIN_REWRITE)}
    aligner = _aligner(corpus, cache)
    assert plainer_witness("formal", ["rewrite"], aligner, {}, {}) is None
