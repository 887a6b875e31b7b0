"""The generated benchmark's honest measures: a wrong parent whose words equal the true parent's is
counted apart (interchangeable, never instead of the strict figure), and parents are split by
whether time could decide them."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
generated = pytest.importorskip("bench.lineage.generated")
INFERRED, date_bucket, interchangeable = generated.INFERRED, generated.date_bucket, generated.interchangeable


def _truth() -> dict:
    same, other = ("a", "wire", "text"), ("a", "spun", "text")
    return {
        "p": {"parent": None, "family": "f", "words": same, "parent_words": None, "dated": True, "parent_dated": False},
        "twin": {"parent": "p", "family": "f", "words": same, "parent_words": same, "dated": True,
                 "parent_dated": True},
        "spin": {"parent": "p", "family": "f", "words": other, "parent_words": same, "dated": False,
                 "parent_dated": True},
        "child": {"parent": "p", "family": "f", "words": other, "parent_words": same, "dated": True,
                  "parent_dated": True},
    }


def test_only_a_parent_with_the_true_parents_words_is_interchangeable():
    truth = _truth()
    assert interchangeable("child", "twin", truth, {})  # an identical copy of the true parent
    assert not interchangeable("child", "spin", truth, {})  # different words: a real error
    assert not interchangeable("p", "twin", truth, {})  # the true origin has no parent to swap


def test_under_a_removed_root_the_inferred_origin_and_an_identical_copy_are_interchangeable():
    root = ("the", "wire")
    truth = {
        "copy": {"parent": INFERRED, "family": "f", "words": root, "parent_words": root},
        "edit": {"parent": INFERRED, "family": "f", "words": ("the", "edit"), "parent_words": root},
        "child": {"parent": "copy", "family": "f", "words": ("x",), "parent_words": root},
    }
    origins = {"o1": SimpleNamespace(inferred=True)}
    assert interchangeable("edit", "copy", truth, origins)  # hung on the removed root's twin
    assert interchangeable("child", "o1", truth, origins)  # its parent's words are the root's
    assert interchangeable("copy", None, truth, origins)  # judged the origin: it is the root's words
    assert not interchangeable("copy", None, {**truth, "copy": {**truth["copy"], "words": ("y",)}}, origins)


def test_date_buckets():
    truth = _truth()
    assert date_bucket(truth["p"]) == "is an origin"
    assert date_bucket(truth["twin"]) == "both dated"
    assert date_bucket(truth["spin"]) == "one or both undated"
    assert date_bucket({"parent": INFERRED}) == "parent missing from the corpus"


def test_origin_dump_reads_carriers_relations_from_the_true_tree():
    wrong_parents = pytest.importorskip("bench.lineage.wrong_parents")
    truth = {
        "root": {"parent": None}, "a": {"parent": "root"}, "b": {"parent": "root"},
        "a1": {"parent": "a"}, "a2": {"parent": "a1"}, "c": {"parent": INFERRED},
    }
    assert wrong_parents._truth_ancestors("a2", truth) == ["a2", "a1", "a", "root"]
    assert wrong_parents._common_ancestor(["a1", "a2"], truth) == "a1"  # a copy and its copy: one line
    assert wrong_parents._common_ancestor(["a2", "b"], truth) == "root"  # two branches
    assert wrong_parents._common_ancestor(["c"], truth) == "c"
    assert wrong_parents._truth_ancestors("c", truth) == ["c", INFERRED]


def _placement(mutations: dict, size: int, root: str = "o1") -> dict:
    """A family as the dump tool captures it from `parents.place_by_inheritance`."""

    from wiretrace.lineage.parents import FamilyRates
    return {
        "root": root, "mutations": mutations, "origin_size": size, "parents": {},
        "rates": FamilyRates.of(mutations, size),
    }


def test_sibling_dump_names_the_rule_that_took_a_parent():
    wrong_parents = pytest.importorskip("bench.lineage.wrong_parents")
    swap = ("swap", 0, "stated", "said")
    family = _placement(
        {
            "spun": {swap},
            "copy": {swap, ("drop", 3)},
            "plain": {("drop", 2)},
            "fuller": set(),
            **{f"full{k}": {("swap", 1, f"new{k}", f"old{k}")} for k in range(4)},
        },
        size=4,
    )
    assert wrong_parents.accepted_by("copy", "spun", family) == "inherits swaps (1/1)"
    assert wrong_parents.accepted_by("copy", "fuller", family) == "none: no mutation on one side"
    # `copy` keeps sentence 2, which `plain` dropped: it cannot descend from it
    assert wrong_parents.accepted_by("copy", "plain", family) == "none: restores a drop"
    assert wrong_parents._shared("copy", "spun", family) == "swap1"
    assert wrong_parents._shared("copy", "plain", family) == "nothing; child has 1 sentence(s) it dropped"


def test_sibling_dump_reads_the_shape_of_a_version():
    wrong_parents = pytest.importorskip("bench.lineage.wrong_parents")
    family = _placement(
        {
            "lead": {("drop", 2), ("drop", 3)},
            "middle": {("drop", 0), ("drop", 3), ("add", "we will keep following this story as it develops")},
            "same": set(),
            "other": None,
        },
        size=4,
    )
    assert wrong_parents._shape("lead", family) == "lead cut"
    assert wrong_parents._shape("middle", family) == "drops+adds"
    assert wrong_parents._shape("same", family) == "origin's text"
    assert wrong_parents._shape("other", family) == "other language"


def test_reconstruction_errors_count_a_witness_word_taken_for_the_roots():
    wrong_parents = pytest.importorskip("bench.lineage.wrong_parents")
    root = ["The mayor said 40 people were hurt.", "Officials closed the bridge on Monday."]
    witnesses = {
        0: ["The mayor stated 40 people were hurt.", "The mayor said 40 people were hurt."],
        1: ["Officials closed the bridge on Monday."],
    }
    exact = wrong_parents.reconstruction_errors([root[0], root[1]], witnesses, root)
    assert exact["sentences"] == 2 and exact["sentences_exact"] == 2 and exact["swapped_words"] == 0
    spun = wrong_parents.reconstruction_errors([witnesses[0][0], root[1]], witnesses, root)
    assert spun["sentences_exact"] == 1 and spun["swapped_words"] == 1 and spun["word_edits"] == 1
    assert spun["best_witness_swapped_words"] == 0  # another witness read the root's word
    added = wrong_parents.reconstruction_errors(["We will keep following this story."], witnesses, root)
    assert added["sentences_not_in_root"] == 1 and added["sentences"] == 0


def test_swapped_counts_replaced_words_not_added_or_dropped_ones():
    wrong_parents = pytest.importorskip("bench.lineage.wrong_parents")
    words = wrong_parents._folded
    target = words("the mayor said 40 people were hurt")
    assert wrong_parents._swapped(words("the mayor stated 41 people were hurt"), target) == 2
    assert wrong_parents._swapped(words("reportedly the mayor said 40 people were hurt"), target) == 0
    assert wrong_parents._swapped(words("the mayor said people were hurt"), target) == 0  # a dropped figure
