"""An excerpt of an edited copy that cut the edited sentences: the edit's changed words fell where
the excerpt cut, so they are no evidence either way, and the cut the two share is weighed as for
any container (`parents.closest_ancestor`)."""

from __future__ import annotations

from functools import partial

from test_lineage_fixtures import closest_parent

from wiretrace.data import Article
from wiretrace.lineage.parents import CONTAINMENT_MAX_CHANCE, FamilyRates, closest_ancestor, place_by_inheritance

SIZE = 10
EDIT = ("swap", 7, "rose", "climbed")  # the container's changed word, in origin sentence 7


def _keeps(kept: set[int], *extra: tuple) -> set:
    """Mutations of a version that kept the origin sentences `kept` (and made `extra` changes)."""
    return {("drop", j) for j in range(SIZE) if j not in kept} | set(extra)


def _family(**versions: set) -> dict[str, set]:
    """Versions plus twelve full copies, each with an edit of its own (the family's keep rates)."""
    full = {f"full{k}": {("swap", k % SIZE, f"new{k}", f"old{k}")} for k in range(12)}
    return {**full, **versions}


_parent = partial(closest_parent, size=SIZE)


def test_an_excerpt_that_cut_its_sources_edited_sentence_still_hangs_below_it():
    mutations = _family(edited_excerpt=_keeps({4, 5, 6, 7}, EDIT), copy=_keeps({4, 5, 6}))
    rates = FamilyRates.of(mutations, SIZE)
    assert rates.chance_inside(mutations["copy"], mutations["edited_excerpt"]) < CONTAINMENT_MAX_CHANCE
    assert _parent("copy", mutations) == "edited_excerpt"


def test_placement_puts_the_excerpt_under_the_edited_excerpt_not_the_origin():
    mutations = _family(edited_excerpt=_keeps({4, 5, 6, 7}, EDIT), copy=_keeps({4, 5, 6}))
    articles = {m: Article(id=m, source=m, content_hash=m, text="") for m in mutations}  # undated
    parents = place_by_inheritance(sorted(mutations), "origin", mutations, articles, SIZE)
    assert parents["copy"] == "edited_excerpt"
    assert parents["edited_excerpt"] == "origin"


def test_a_copy_that_kept_the_edited_sentence_without_the_edit_is_no_copy_of_it():
    unedited = _keeps({4, 5, 6, 7})  # sentence 7 in the origin's words
    mutations = _family(edited_excerpt=_keeps({4, 5, 6, 7}, EDIT), copy=unedited)
    assert _parent("copy", mutations) is None


def test_a_cut_chance_explains_is_still_no_descent():
    # every full copy is replaced by excerpts that lack the container's dropped sentences too
    others = {f"short{k}": _keeps({4, 5, 6}, ("swap", 4, f"new{k}", f"old{k}")) for k in range(6)}
    mutations = {**others, "edited_excerpt": _keeps({4, 5, 6, 7}, EDIT), "copy": _keeps({4, 5, 6})}
    rates = FamilyRates.of(mutations, SIZE)
    assert rates.chance_inside(mutations["copy"], mutations["edited_excerpt"]) >= CONTAINMENT_MAX_CHANCE
    assert closest_ancestor("copy", ["edited_excerpt"], mutations, rates) is None
