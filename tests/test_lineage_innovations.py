"""Innovations beyond word swaps (round 23): a copy inherits the words its source inserted or cut
inside a sentence (a negation, a "According to reports," prefix) and the sentence order it
changed, so a copy of such an edit hangs on it, not on its grandparent; words merely moved (a
clause put first, a sentence split elsewhere) and dateline words are no innovation, and innovations
the family's other versions make as well prove nothing."""

from __future__ import annotations

from functools import partial

from test_lineage_fixtures import ORIGIN, SPUN, article, closest_parent, replaced

from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.innovations import add_innovations, order_inversions, phrase_edits
from wiretrace.lineage.parents import FamilyRates

SIZE = 10


def test_an_inserted_negation_is_an_edit_and_a_swapped_word_is_not():
    source = "The council approved the plan on Tuesday after a long debate."
    assert phrase_edits(source.replace("approved", "did not approve"), source) == ()  # swap-sized
    negated = "The council has not approved the plan on Tuesday after a long debate."
    assert phrase_edits(negated, source) == (("council", "", "has not"),)
    assert phrase_edits(source.replace("approved", "passed"), source) == ()
    prefixed = "According to reports, the council approved the plan on Tuesday after a long debate."
    assert phrase_edits(prefixed, source) == (("", "", "according to reports"),)


def test_a_cut_phrase_is_an_edit_and_dateline_words_are_not():
    source = "PARIS (AFP) — The council approved the plan, which critics called rushed and costly, on Tuesday."
    cut = "The council approved the plan on Tuesday."
    edits = phrase_edits(cut, source, frozenset({"paris", "afp"}))
    assert edits == (("plan", "which critics called rushed and costly", ""),)


def test_an_insertion_after_a_dateline_reads_alike_whether_a_copy_kept_the_dateline_or_not():
    source = "BERLIN (AFP) — The ministry confirmed the talks would resume next week."
    stamp = frozenset({"berlin", "afp"})
    kept = phrase_edits("BERLIN (AFP) — Sources say that the ministry confirmed the talks would resume next week.",
                        source, stamp)
    dropped = phrase_edits("Sources say that the ministry confirmed the talks would resume next week.", source, stamp)
    assert kept == dropped == (("", "", "sources say that"),)


def test_moved_words_are_not_innovations():
    source = ["In a statement on Monday, the mayor said the ferry would stop.", "Shops fear losses in the harbor."]
    moved = ["The mayor said the ferry would stop, in a statement on Monday.", "Shops fear losses in the harbor."]
    found: set = set()
    add_innovations(found, moved, source, [(0, 0), (1, 1)], set(), set())
    assert not [m for m in found if m[0] == "edit"]
    negated = ["In a statement on Monday, the mayor said the ferry would not stop.", source[1]]
    found = set()
    add_innovations(found, negated, source, [(0, 0), (1, 1)], set(), set())
    assert found == {("edit", 0, "would", "", "not")}


def test_order_inversions_are_the_pairs_a_transposition_crossed():
    # source sentences 0..5, the copy reads 0, 3, 4, 1, 2, 5 (two blocks transposed)
    pairs = list(enumerate([0, 3, 4, 1, 2, 5]))
    assert order_inversions(pairs) == [(1, 3), (1, 4), (2, 3), (2, 4)]
    # a copy of it that lost a sentence still shares most of them; a dropped sentence is no inversion
    assert set(order_inversions(list(enumerate([0, 3, 1, 2, 5])))) < set(order_inversions(pairs))
    assert order_inversions([(2, 2), (0, 0), (1, 1), (3, 5)]) == []
    # the copy's sentence order is what counts, not the order the pairs are listed in
    assert order_inversions([(1, 0), (0, 2)]) == [(0, 2)]


def _family(**versions: set) -> dict[str, set]:
    """Versions plus five full copies, each with an edit of its own."""
    full = {f"full{k}": {("swap", k, f"new{k}", f"old{k}")} for k in range(5)}
    return {**full, **versions}


_parent = partial(closest_parent, size=SIZE)


NEGATION = ("edit", 2, "would", "", "not")
PREFIX = ("edit", 5, "", "", "according to reports")


def test_a_copy_carrying_its_sources_inserted_words_descends_from_it():
    mutations = _family(negated={NEGATION, PREFIX}, child={NEGATION, PREFIX, ("drop", 9)})
    assert _parent("child", mutations) == "negated"


def test_inserted_words_the_family_often_inserts_prove_nothing():
    mutations = _family(negated={NEGATION, PREFIX}, child={NEGATION, PREFIX, ("drop", 9)})
    for k in range(4):  # a house template that most outlets apply
        mutations[f"full{k}"] |= {NEGATION, PREFIX}
    assert _parent("child", mutations) is None


def test_the_pairs_one_transposition_crossed_count_as_one_innovation():
    crossed = {("order", 1, 6), ("order", 1, 7), ("order", 2, 6), ("order", 2, 7)}
    mutations = _family(reordered=set(crossed), child=crossed | {("drop", 9)})
    rates = FamilyRates.of(mutations, SIZE)
    one = rates.chance_added({("order", 1, 6)})
    assert rates.chance_inherited(crossed) == one
    assert rates.chance_added(crossed) < one  # read as independent, four pairs would look like proof
    assert _parent("child", mutations) is None  # one transposition in a small family: chance explains it
    assert _parent("child", {**mutations, "reordered": crossed | {NEGATION}, "child": crossed | {NEGATION}}) == (
        "reordered"
    )


def _negate(sentences: list[str]) -> list[str]:
    out = list(sentences)
    assert "could collapse" in out[3] and out[6].startswith("Local")
    out[3] = out[3].replace("could collapse", "could not collapse")
    out[6] = "According to reports, local" + out[6][len("Local") :]
    return out


def test_a_copy_of_a_negated_copy_hangs_on_it_not_on_the_wire(cache):
    negated = _negate(ORIGIN)
    corpus = {
        "wire": article("wire", ORIGIN, published="2026-03-03T08:00:00+00:00", outlet="AP"),
        "reprint1": article("reprint1", replaced(ORIGIN, 5, "reroute", "redirect"), outlet="One"),
        "reprint2": article("reprint2", replaced(ORIGIN, 8, "built", "constructed"), outlet="Two"),
        "reprint3": article("reprint3", replaced(ORIGIN, 9, "rushed", "hasty"), outlet="Three"),
        "reprint4": article("reprint4", replaced(ORIGIN, 1, "painful", "hard"), outlet="Four"),
        "negated": article("negated", negated, outlet="Five"),
        # a reprint of the negated copy that changed a word of its own
        "copy": article("copy", replaced(negated, 4, "temporary", "provisional"), outlet="Six"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    parents = {e.article: e.parent for e in story.lineage}
    assert parents["wire"] is None
    assert parents["negated"] == "wire"
    assert parents["copy"] == "negated"


def test_a_reordered_copy_of_a_spin_hangs_below_the_spin(cache):
    # two blocks of the spin transposed; the ids sort the reordered copy first, and nothing is dated
    reordered = SPUN[:2] + SPUN[4:6] + SPUN[2:4] + SPUN[6:]
    corpus = {
        "wire": article("wire", ORIGIN, outlet="AP"),
        # reprints with edits of their own that the spin does not share
        "reprint1": article("reprint1", replaced(ORIGIN, 4, "approved", "authorised"), outlet="One"),
        "reprint2": article("reprint2", replaced(ORIGIN, 2, "passengers", "travelers"), outlet="Two"),
        "reprint3": article("reprint3", replaced(ORIGIN, 9, "rushed", "hasty"), outlet="Three"),
        "a-reordered": article("a-reordered", reordered, outlet="Four"),
        "b-spun": article("b-spun", SPUN, outlet="Five"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    parents = {e.article: e.parent for e in story.lineage}
    assert parents["wire"] is None
    assert parents["b-spun"] == "wire"
    assert parents["a-reordered"] == "b-spun"


def test_innovations_of_a_version_in_another_language_are_not_read():
    add_innovations(None, ["x"], ["y"], [(0, 0)], set(), set())  # no error, nothing to record


def test_a_text_rearranged_throughout_records_no_order_and_stays_cheap():
    reversed_copy = [(i, 3000 - i) for i in range(3001)]
    assert order_inversions(reversed_copy) == []
    assert order_inversions([(0, 1), (1, 0)], limit=0) == []
