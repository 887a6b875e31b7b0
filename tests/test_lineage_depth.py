"""Versions hung too high in the tree (round 12): a copy that cut some of the lines its source added
still descends from it, the closest of several carriers is the one with fewest changes the copy
lacks, a version hung on its grandparent moves down to its parent, and two lead excerpts cut at the
same sentence are weighed by how often the family cuts there."""

from __future__ import annotations

from functools import partial

from test_lineage_fixtures import ORIGIN, article, closest_parent

from wiretrace.lineage.parents import CONTAINMENT_MAX_CHANCE, FamilyRates, second_chance

SIZE = 10
COMMENTS = tuple(
    ("add", line)
    for line in (
        "we have been warning about this for months and few people listened",
        "readers of this site will not be surprised by what happened next",
        "critics of the plan were quick to respond on social media",
        "we will keep following this story as it develops",
    )
)


def _keeps(kept: set[int], *extra: tuple, size: int = SIZE) -> set:
    return {("drop", j) for j in range(size) if j not in kept} | set(extra)


def _family(**versions: set) -> dict[str, set]:
    """Versions plus six full copies, each with an edit of its own (the family's keep rates)."""
    full = {f"full{k}": {("swap", k, f"new{k}", f"old{k}")} for k in range(6)}
    return {**full, **versions}


_parent = partial(closest_parent, size=SIZE)


def test_an_excerpt_of_a_commented_copy_that_cut_some_comments_descends_from_it():
    commented = _keeps(set(range(6)), *COMMENTS)
    # the excerpt kept the two comments above the quote and dropped the two below
    excerpt = _keeps(set(range(3)), *COMMENTS[:2])
    mutations = _family(commented=commented, excerpt=excerpt)
    assert _parent("excerpt", mutations) == "commented"


def test_partly_carried_lines_that_many_versions_carry_prove_nothing():
    mutations = _family(commented=_keeps(set(range(6)), *COMMENTS), excerpt=_keeps(set(range(3)), *COMMENTS[:2]))
    for k in range(5):  # a template pasted by most outlets
        mutations[f"full{k}"] |= set(COMMENTS[:2])
    assert _parent("excerpt", mutations) is None


def test_of_two_carriers_the_one_with_fewest_changes_the_child_lacks_is_the_parent():
    commented = set(COMMENTS)
    # a reprint of the commented copy: its lines plus a swap of its own, which the child lacks
    reprint = set(COMMENTS) | {("swap", 7, "vowed", "promised")}
    child = set(COMMENTS) | {("swap", 2, "glad", "happy")}
    mutations = _family(commented=commented, reprint=reprint, child=child)
    # ids sort the reprint last: only the tie-break on lacked changes picks the commented copy
    assert _parent("child", mutations) == "commented"


def test_second_chance_moves_a_version_from_its_grandparent_down_to_its_parent():
    grandparent = {("swap", 1, "a", "b")}
    parent = {("swap", 1, "a", "b"), ("swap", 2, "c", "d"), ("swap", 5, "e", "f"), ("swap", 6, "g", "h")}
    # the child dropped the sentences holding two of its parent's swaps, so it was placed first
    child = {("swap", 1, "a", "b"), ("swap", 2, "c", "d"), ("drop", 5), ("drop", 6)}
    mutations = {"grandparent": grandparent, "parent": parent, "child": child}
    parents = {"grandparent": "o", "parent": "grandparent", "child": "grandparent"}
    articles = {m: article(m, ORIGIN) for m in mutations}
    second_chance(parents, "o", mutations, articles)
    assert parents == {"grandparent": "o", "parent": "grandparent", "child": "parent"}


def test_second_chance_never_moves_a_version_sideways_to_another_branch():
    first = {("swap", 1, "a", "b")}
    other = {("swap", 1, "a", "b"), ("swap", 2, "c", "d")}
    child = {("swap", 1, "a", "b"), ("swap", 2, "c", "d"), ("swap", 3, "e", "f")}
    mutations = {"first": first, "other": other, "child": child}
    # the child hangs below "first"; "other" carries more of it but is not below "first"
    parents = {"first": "o", "other": "o", "child": "first"}
    articles = {m: article(m, ORIGIN) for m in mutations}
    second_chance(parents, "o", mutations, articles)
    assert parents["child"] == "first"


def test_a_copy_cut_where_a_lead_excerpt_stopped_is_weighed_by_the_familys_cuts():
    size = 30
    lead = set(range(12))
    mutations = _family(excerpt=_keeps(lead, size=size), copy=_keeps(lead, ("swap", 3, "x", "y"), size=size))
    rates = FamilyRates.of(mutations, size)
    # nobody else cut there: stopping at the same one of 29 cut points is a coincidence below 5%
    assert rates.chance_inside(mutations["copy"], mutations["excerpt"]) < CONTAINMENT_MAX_CHANCE
    assert _parent("copy", mutations, size=size) == "excerpt"
    # a shorter lead lies inside any longer one: no evidence
    shorter = _keeps(set(range(5)), ("swap", 3, "x", "y"), size=size)
    assert rates.chance_inside(shorter, mutations["excerpt"]) == 1.0
    # where most of the family stops (a paywall, a feed's cut), stopping there too is no coincidence
    for k in range(4):
        mutations[f"full{k}"] |= {("drop", j) for j in range(12, size)}
    rates = FamilyRates.of(mutations, size)
    assert rates.chance_inside(mutations["copy"], mutations["excerpt"]) > CONTAINMENT_MAX_CHANCE
