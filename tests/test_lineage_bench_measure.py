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
