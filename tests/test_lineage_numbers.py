"""A changed number is a mutation like a changed word: copies inherit it, so a copy of a version
that changed a figure hangs below that version (the aligner leaves numbers out of its word swaps,
they are the facts stage's business; lineage reads them as inherited readings)."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, article, light_edit

from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.readings import number_swaps, word_swaps


def test_a_replaced_number_is_a_swap():
    swaps = word_swaps("About 5,100 passengers used it.", "About 4,200 passengers used it.")
    assert ("4,200", "5,100") in swaps or ("4200", "5100") in swaps
    # a number added or dropped is no replacement; nor are numbers in a different count
    assert word_swaps("It cost 12 dollars in 2020.", "It cost 12 dollars.") == []
    assert word_swaps("Same 3 words.", "Same 3 words.") == []


def test_a_copy_keeping_a_changed_figure_hangs_below_the_version_that_changed_it(cache):
    changed = list(ORIGIN)
    changed[2] = changed[2].replace("4,200", "5,100")
    changed[4] = changed[4].replace("12 million", "18 million")
    copy = changed[:-1]  # a reprint of the changed version that cut the last paragraph
    other = list(ORIGIN)
    other[8] = other[8].replace("built", "constructed")
    corpus = {
        "origin": article("origin", ORIGIN, published="2026-03-03T08:00:00"),
        "changed": article("changed", changed, published="2026-03-03T09:00:00"),
        "other": article("other", other, published="2026-03-03T09:30:00"),
        "copy": article("copy", copy, published="2026-03-03T11:00:00"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    parents = {e.article: e.parent for e in story.lineage}
    assert parents == {"origin": None, "changed": "origin", "other": "origin", "copy": "changed"}


def _figure_changed() -> list[str]:
    changed = list(ORIGIN)
    changed[2] = changed[2].replace("4,200", "5,100")
    return changed


def test_a_version_whose_figure_most_versions_read_otherwise_is_not_the_origin(cache):
    # the wire is missing; the fullest, earliest version changed a figure and a reprint kept it, while
    # three other copies read the wire's figure: the changed version cannot be their source
    changed = _figure_changed()
    other = list(ORIGIN)
    other[8] = other[8].replace("built", "constructed")
    trimmed = ORIGIN[:-2]
    corpus = {
        "changed": article("changed", changed, published="2026-03-03T08:00:00"),
        "reprint": article("reprint", changed[:-1], published="2026-03-03T09:00:00"),
        "other": article("other", other, published="2026-03-03T09:30:00"),
        "edit": article("edit", light_edit(ORIGIN), published="2026-03-03T10:00:00"),
        "trimmed": article("trimmed", trimmed, published="2026-03-03T10:30:00"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert len(story.origins) == 1 and story.origins[0].inferred, story.origins
    edges = {e.article: e for e in story.lineage}
    assert edges["changed"].parent == story.origins[0].id
    assert any("4,200→5,100" in line for line in edges["changed"].evidence), edges["changed"].evidence
    assert edges["reprint"].parent == "changed"


def test_the_origin_keeps_its_figure_when_one_branch_changed_it(cache):
    # the same versions with the wire present: the changed figure is the branch's, the wire stays the origin
    corpus = {
        "wire": article("wire", ORIGIN, published="2026-03-03T07:00:00"),
        "changed": article("changed", _figure_changed(), published="2026-03-03T08:00:00"),
        "reprint": article("reprint", _figure_changed()[:-1], published="2026-03-03T09:00:00"),
        "edit": article("edit", light_edit(ORIGIN), published="2026-03-03T10:00:00"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [o.article for o in story.origins] == ["wire"]
    parents = {e.article: e.parent for e in story.lineage}
    assert parents == {"wire": None, "changed": "wire", "reprint": "changed", "edit": "wire"}


def test_a_figure_written_twice_and_changed_once_is_a_changed_figure():
    source = "Norland will be carbon neutral by 2040, the minister said, and coal ends by 2040 too."
    copy = "Norland will be carbon neutral by 2045, the minister said, and coal ends by 2040 too."
    assert number_swaps(copy, source) == [("2040", "2045")]
    # figures merely repeated or reordered replace nothing
    assert number_swaps(source, source) == []
    assert number_swaps("Coal ends by 2040 and 2040.", "Coal ends by 2040.") == []
