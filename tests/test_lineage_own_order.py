"""Sentence order is a reading (round 26): copies keep their source's order, so a version that has
a pair of sentences the other way round from every independent copy moved them and is no origin;
and where the missing origin is rebuilt in such a version's order (or without a line most versions
carry), the change all the others then share is the reconstruction's error, not an innovation that
makes them copies of one another."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, article

from wiretrace.align import EmbeddingCache
from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.archetype import archetype_errors, without_archetype_errors
from wiretrace.lineage.parents import place_by_inheritance


def _edited(k: int, old: str, new: str) -> list[str]:
    out = list(ORIGIN)
    assert old in out[k]
    out[k] = out[k].replace(old, new, 1)
    return out


def _copies() -> dict[str, list[str]]:
    """Five copies of ORIGIN, each with a word of its own, and one that swapped two paragraphs."""
    return {
        "copy1": _edited(1, "painful", "hard"),
        "copy2": _edited(3, "collapse", "fail"),
        "copy3": _edited(6, "warned", "said"),
        "copy4": _edited(8, "built", "opened"),
        "copy5": _edited(2, "every day", "daily"),
        "moved": [*ORIGIN[:4], ORIGIN[5], ORIGIN[4], *ORIGIN[6:]],
    }


def _trace(versions: dict[str, list[str]]):
    articles = {k: article(k, v) for k, v in versions.items()}
    return trace(Story(id="s", articles=sorted(articles)), articles, cache=EmbeddingCache())


def test_a_version_with_two_paragraphs_moved_is_not_the_origin_of_copies_that_keep_the_order():
    # the moved copy has every word of the origin and no reading of its own: only its order tells
    story = _trace(_copies())
    assert len(story.origins) == 1 and story.origins[0].inferred
    origin = story.origins[0].id
    assert {e.article: e.parent for e in story.lineage} == {m: origin for m in _copies()}
    moved = next(e for e in story.lineage if e.article == "moved")
    assert "order of its own" in moved.evidence[0]


def test_the_origin_present_keeps_its_place_beside_a_copy_that_moved_paragraphs():
    story = _trace({**_copies(), "wire": ORIGIN})
    assert [o.article for o in story.origins] == ["wire"]
    assert {e.article: e.parent for e in story.lineage if e.article != "wire"} == {m: "wire" for m in _copies()}


def test_own_order_needs_independent_copies_all_agreeing():
    # one other independent version keeping the moved order is enough to make it no version's own
    also_moved = _edited(9, "calling it rushed", "calling it hasty")
    also_moved[4], also_moved[5] = also_moved[5], also_moved[4]
    story = _trace({**_copies(), "also_moved": also_moved})
    assert not any("order of its own" in line for e in story.lineage for line in e.evidence)


SIZE = 10


def test_an_order_most_versions_share_against_a_reconstruction_is_its_error():
    error = ("order", 4, 5)  # the reconstruction read the pivot's order; five of six keep the other
    mutations = {f"copy{k}": {error, ("swap", k, f"new{k}", f"old{k}")} for k in range(5)}
    mutations["pivot"] = set()
    assert archetype_errors(mutations) == {error}
    cleaned = without_archetype_errors(mutations)
    articles = {m: article(m, ORIGIN) for m in cleaned}
    assert all(error not in found for found in cleaned.values())
    parents = place_by_inheritance(sorted(cleaned), "origin", cleaned, articles, SIZE)
    assert set(parents.values()) == {"origin"}


def test_an_order_change_of_one_branch_stays_an_innovation():
    moved = ("order", 4, 5)
    mutations = {f"copy{k}": {("swap", k, f"new{k}", f"old{k}")} for k in range(5)}
    mutations["mover"] = {moved}
    mutations["mover_copy"] = {moved, ("swap", 7, "new", "old")}
    mutations["translation"] = None
    assert archetype_errors(mutations) == set()
    # a change the witnesses that dropped its sentences cannot show is not outvoted by them
    cut = {f"excerpt{k}": {("drop", 4), ("drop", 5)} for k in range(4)}
    three = {f"c{k}": {moved} for k in range(3)}
    assert archetype_errors({**three, **cut, "plain": set()}) == {moved}


def test_a_line_most_versions_carry_is_the_origins_not_an_addition():
    # the reconstruction left out a line four of six versions have: they did not all add it
    line = ("add", "the ferry will run again next spring")
    mutations = {f"copy{k}": {line, ("swap", k, f"new{k}", f"old{k}")} for k in range(4)}
    mutations["pivot"], mutations["excerpt"] = set(), {("drop", 8), ("drop", 9)}
    assert archetype_errors(mutations) == {line}
    # a line two copies share (a reprint and its source) stays their innovation
    mutations = {f"copy{k}": {("swap", k, f"new{k}", f"old{k}")} for k in range(4)}
    mutations["reprint"], mutations["its_copy"] = {line}, {line, ("drop", 9)}
    assert archetype_errors(mutations) == set()
