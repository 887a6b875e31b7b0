"""Copies of excerpts: a version lying inside an excerpt hangs below it when chance cannot explain
it (`parents.FamilyRates.chance_inside`), and a version carrying the lines an excerpt added (commentary)
hangs below it unless other versions carry them too (boilerplate)."""

from __future__ import annotations

from functools import partial

from test_lineage_fixtures import ORIGIN, article, closest_parent

from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.parents import CONTAINMENT_MAX_CHANCE, FamilyRates, add_additions, closest_ancestor

SIZE = 10


def _keeps(kept: set[int], *extra: tuple) -> set:
    """Mutations of a version that kept the origin sentences `kept` (and made `extra` changes)."""
    return {("drop", j) for j in range(SIZE) if j not in kept} | set(extra)


def _family(**versions: set) -> dict[str, set]:
    """Versions plus six full copies, each with an edit of its own (the family's keep rates)."""
    full = {f"full{k}": {("swap", k, f"new{k}", f"old{k}")} for k in range(6)}
    return {**full, **versions}


_parent = partial(closest_parent, size=SIZE)


def test_a_copy_inside_a_mid_story_excerpt_hangs_below_it():
    mutations = _family(excerpt=_keeps({3, 4, 5, 6}), copy=_keeps({4, 5, 6}))
    rates = FamilyRates.of(mutations, SIZE)
    assert rates.chance_inside(mutations["copy"], mutations["excerpt"]) < CONTAINMENT_MAX_CHANCE
    assert _parent("copy", mutations) == "excerpt"


def test_the_smallest_container_is_the_parent():
    size = 20
    drops = {("drop", j) for j in range(size)}
    full = {f"full{k}": {("swap", k, f"new{k}", f"old{k}")} for k in range(6)}
    mutations = {
        **full,
        "wide": drops - {("drop", j) for j in range(8, 14)},
        "narrow": drops - {("drop", j) for j in range(9, 12)},
        "copy": drops - {("drop", j) for j in range(9, 12)},
    }
    rates = FamilyRates.of(mutations, size)
    for container in ("wide", "narrow"):
        assert rates.chance_inside(mutations["copy"], mutations[container]) < CONTAINMENT_MAX_CHANCE
    assert closest_ancestor("copy", ["full0", "narrow", "wide"], mutations, rates) == "narrow"


def test_a_copy_with_material_the_excerpt_dropped_is_not_its_copy():
    mutations = _family(excerpt=_keeps({4, 5, 6}), other=_keeps({5, 6, 7}))
    assert _parent("other", mutations) is None


def test_a_lead_excerpt_inside_a_longer_lead_excerpt_is_chance():
    # everyone who excerpts cuts the lead: two lead excerpts are siblings as likely as a chain
    mutations = _family(longer=_keeps(set(range(6))), shorter=_keeps(set(range(3))))
    rates = FamilyRates.of(mutations, SIZE)
    assert rates.chance_inside(mutations["shorter"], mutations["longer"]) == 1.0
    assert _parent("shorter", mutations) is None


def test_a_container_most_versions_resemble_proves_nothing():
    # a child of the origin that dropped one sentence lies inside any version that dropped only that
    # sentence too; when most versions drop it, landing inside is no coincidence
    common = {("drop", 9)}
    versions = {f"v{k}": common | {("swap", k, f"new{k}", f"old{k}")} for k in range(6)}
    mutations = {**versions, "container": set(common), "child": common | {("swap", 7, "x", "y")}}
    rates = FamilyRates.of(mutations, SIZE)
    assert rates.chance_inside(mutations["child"], mutations["container"]) > CONTAINMENT_MAX_CHANCE
    assert _parent("child", mutations) is None


def test_inherited_swaps_outrank_containment():
    spin = _keeps(set(range(SIZE)), ("swap", 5, "glad", "happy"), ("swap", 6, "vow", "promise"))
    excerpt = _keeps({4, 5, 6})
    child = _keeps({4, 5, 6}, ("swap", 5, "glad", "happy"), ("swap", 6, "vow", "promise"))
    mutations = _family(spin=spin, excerpt=excerpt, child=child)
    assert _parent("child", mutations) == "spin"


def test_added_lines_are_inherited_unless_boilerplate():
    comment = ("add", "we have been warning about this for months and few people listened")
    aside = ("add", "readers of this site will not be surprised by what happened next")
    mutations = _family(reprint={comment, aside}, copy={comment, aside, ("swap", 3, "x", "y")})
    assert _parent("copy", mutations) == "reprint"
    # the same lines in four other versions: a template many outlets paste, no trace of copying
    for k in range(4):
        mutations[f"full{k}"] |= {comment, aside}
    assert _parent("copy", mutations) is None


def test_additions_leave_out_the_dateline_and_fragments():
    found: set = set()
    texts = ["BERLIN (AFP) - We will keep following this story as it develops.", "With AFP.", "Aligned."]
    add_additions(found, texts, {2}, {"berlin", "afp"})
    assert found == {("add", "we will keep following this story as it develops")}
    add_additions(None, texts, set(), set())  # another language: nothing to read


def test_trace_hangs_a_reprint_of_a_commented_excerpt_below_it(cache):
    commentary = [
        "We have been warning about this for months, and few people listened.",
        "Readers of this site will not be surprised by what happened next.",
    ]
    excerpt = commentary + ORIGIN[3:6]
    corpus = {
        "origin": article("origin", ORIGIN, published="2026-03-03T08:00:00"),
        "full1": article("full1", ORIGIN[:-1], published="2026-03-03T09:00:00"),
        "full2": article("full2", ORIGIN[:8], published="2026-03-03T09:05:00"),
        "excerpt": article("excerpt", excerpt, published="2026-03-03T10:00:00"),
        "reprint": article("reprint", excerpt, published="2026-03-03T11:00:00"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("origin", False)], story.lineage
    parents = {e.article: e.parent for e in story.lineage}
    assert parents["reprint"] == "excerpt"
    assert parents["excerpt"] == "origin"
