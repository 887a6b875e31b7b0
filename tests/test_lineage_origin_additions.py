"""Origin choice: a version's own added lines. A full copy keeps every line of its source, so a
line only the top version has, while independent full copies carry all the rest of it, was added
by that version: it is a copy, not the origin."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, SPUN, article, light_edit

from wiretrace.align import EmbeddingCache
from wiretrace.align.story import StoryAlignments
from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.versions import Aligner, added_sentences

SIGN_OFF = "Subscribe to our morning briefing for more news from the harbor towns of Norland."


def _copies() -> list:
    """A reprint that added a sign-off, and two independent full copies (a light edit, a spin)."""
    return [article("reprint", [*ORIGIN, SIGN_OFF]), article("edit", light_edit(ORIGIN)), article("spun", SPUN)]


def _edges(corpus, cache: EmbeddingCache) -> tuple:
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    return story.origins, {e.article: e for e in story.lineage}


def test_reprint_with_a_line_of_its_own_is_not_the_origin(cache):
    corpus = {a.id: a for a in _copies()}
    origins, edges = _edges(corpus, cache)
    assert len(origins) == 1 and origins[0].inferred, origins
    assert edges["reprint"].parent == origins[0].id
    assert any("in no other version" in line for line in edges["reprint"].evidence), edges["reprint"].evidence


def test_the_full_copy_without_the_added_line_is_the_origin(cache):
    # the wire text is present: the reprint carries everything it has plus its own line
    corpus = {a.id: a for a in [article("wire", ORIGIN), *_copies()]}
    origins, edges = _edges(corpus, cache)
    assert len(origins) == 1 and not origins[0].inferred and origins[0].article == "wire", origins
    assert edges["reprint"].parent == "wire"


def test_a_line_one_full_copy_lacks_is_no_addition(cache):
    # one full copy (the light edit) lacks the wire's last line; the others are excerpts, which carry
    # too little to count as full copies: one copy dropping a line proves nothing
    wire = [*ORIGIN, SIGN_OFF]
    versions = (article("wire", wire), article("edit", light_edit(ORIGIN)), article("cut", ORIGIN[:5]),
                article("cut2", SPUN[:6]))
    corpus = {a.id: a for a in versions}
    origins, _ = _edges(corpus, cache)
    assert len(origins) == 1 and not origins[0].inferred and origins[0].article == "wire", origins


def test_added_sentences_names_the_full_copies(cache):
    corpus = {a.id: a for a in _copies()}
    units = {i: cache.units(a) for i, a in corpus.items()}
    aligner = Aligner(units, StoryAlignments(story="st"))
    witnesses = {"edit": 0, "spun": 1}
    added, full = added_sentences("reprint", ["edit", "spun"], witnesses, aligner, {})
    assert [units["reprint"].texts[i] for i in added] == [SIGN_OFF]
    assert full == {"edit", "spun"}
    # one witness group is not enough: the two copies could share one source that dropped the line
    assert added_sentences("reprint", ["edit", "spun"], {"edit": 0, "spun": 0}, aligner, {}) == (
        [],
        set(),
    )
