"""An edited copy of an excerpt (round 21): a version that changed words and kept exactly the lines
an excerpt kept descends from that excerpt when the family's editing copies keep their source whole
(one selection inherited, not the same selection made twice); where editing copies often lack those
same lines, it stays on the origin. A version hung on a plain excerpt by its lines moves to a copy
whose changed words it inherits."""

from __future__ import annotations

from functools import partial

from test_lineage_fixtures import ORIGIN, SPUN, article, closest_parent, replaced

from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.parents import CONTAINMENT_MAX_CHANCE, FamilyRates, second_chance

SIZE = 8
LEAD = set(range(4))


def _keeps(kept: set[int], *extra: tuple, size: int = SIZE) -> set:
    return {("drop", j) for j in range(size) if j not in kept} | set(extra)


def _spin(*sentences: int) -> tuple:
    return tuple(("swap", j, f"plain{j}", f"odd{j}") for j in sentences)


def _family(**versions: set) -> dict[str, set]:
    """Versions plus five full copies, each with an edit of its own: editing copies that keep every line."""
    full = {f"full{k}": {("swap", k, f"new{k}", f"old{k}")} for k in range(5)}
    return {**full, **versions}


_parent = partial(closest_parent, size=SIZE)


def test_a_spin_that_kept_exactly_an_excerpts_lines_descends_from_it():
    mutations = _family(excerpt=_keeps(LEAD), spin=_keeps(LEAD, *_spin(0, 1, 3)))
    rates = FamilyRates.of(mutations, SIZE)
    # the cut alone is no proof: two lead excerpts of eight lines stop at the same one by chance
    assert rates.chance_inside(mutations["spin"], mutations["excerpt"]) >= CONTAINMENT_MAX_CHANCE
    assert _parent("spin", mutations) == "excerpt"


def test_an_edited_copy_stays_on_the_origin_where_editors_often_lack_the_same_lines():
    mutations = _family(excerpt=_keeps(LEAD), spin=_keeps(LEAD, *_spin(0, 1, 3)))
    for k in range(3):  # most editing copies stop where the excerpt stopped (a feed's cut)
        mutations[f"full{k}"] |= {("drop", j) for j in range(4, SIZE)}
    assert _parent("spin", mutations) is None


def test_an_edited_copy_that_kept_fewer_or_more_lines_is_not_judged_by_the_selection():
    shorter = _keeps(set(range(3)), *_spin(0, 1))
    mutations = _family(excerpt=_keeps(LEAD), shorter=shorter)
    # a shorter lead lies inside any longer one: anyone's cut
    assert _parent("shorter", mutations) is None
    rates = FamilyRates.of(mutations, SIZE)
    assert not rates.editor_keeps_whole(shorter, mutations["excerpt"])


def test_a_plain_copy_of_the_same_cut_is_still_weighed_by_where_the_family_cuts():
    # no changed word: its only act is the selection, which two excerpts make alike by chance
    mutations = _family(excerpt=_keeps(LEAD), copy=_keeps(LEAD))
    assert _parent("copy", mutations) is None


def test_second_chance_moves_a_version_from_a_plain_excerpt_to_the_spin_it_reads():
    spin = {*_spin(0, 1, 2, 5, 6)}
    # an excerpt of the spin: the spin's words in the lines it kept, cut where a plain excerpt cut
    child = _keeps(LEAD, *_spin(0, 1, 2))
    mutations = {"plain": _keeps(LEAD), "spin": spin, "child": child}
    parents = {"plain": "o", "spin": "o", "child": "plain"}
    articles = {m: article(m, ORIGIN) for m in mutations}
    second_chance(parents, "o", mutations, articles)
    assert parents["child"] == "spin"


def test_second_chance_keeps_a_version_below_a_plain_excerpt_when_no_spin_explains_it():
    mutations = {"plain": _keeps(LEAD), "other": {*_spin(6)}, "child": _keeps(LEAD, *_spin(0, 1))}
    parents = {"plain": "o", "other": "o", "child": "plain"}
    articles = {m: article(m, ORIGIN) for m in mutations}
    second_chance(parents, "o", mutations, articles)
    assert parents["child"] == "plain"


def test_a_spun_excerpt_hangs_below_the_excerpt_it_spun(cache):
    # a wire, three full reprints with an edit each, a lead excerpt and a spin of that excerpt
    corpus = {
        "wire": article("wire", ORIGIN, published="2026-03-03T08:00:00+00:00", outlet="AP"),
        "reprint1": article(
            "reprint1", replaced(ORIGIN, 5, "reroute", "redirect"), published="2026-03-03T09:10:00+00:00", outlet="One"
        ),
        "reprint2": article(
            "reprint2", replaced(ORIGIN, 8, "built", "constructed"), published="2026-03-03T09:20:00+00:00", outlet="Two"
        ),
        "reprint3": article(
            "reprint3", replaced(ORIGIN, 9, "rushed", "hasty"), published="2026-03-03T09:30:00+00:00", outlet="Three"
        ),
        "excerpt": article("excerpt", ORIGIN[:4], published="2026-03-03T09:00:00+00:00", outlet="Four"),
        "spun": article("spun", SPUN[:4], published="2026-03-03T11:00:00+00:00", outlet="Five"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    parents = {e.article: e.parent for e in story.lineage}
    assert parents["wire"] is None
    assert parents["excerpt"] == "wire"
    assert parents["spun"] == "excerpt"


def test_the_editor_test_is_safe_on_families_it_was_not_read_from():
    child, excerpt = _keeps(LEAD, *_spin(0)), _keeps(LEAD)
    empty = FamilyRates.of({}, SIZE)
    assert isinstance(empty.editor_keeps_whole(child, excerpt), bool)
    # nothing dropped: no selection to inherit
    assert not empty.editor_keeps_whole(set(_spin(0)), set())
