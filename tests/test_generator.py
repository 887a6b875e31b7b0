"""The benchmark generator's story truth (bench/generator): which base articles make one story."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives

from bench.generator.corpus import story_roots

BASES = ["a1", "a2", "a3", "a4", "a5"]


def test_raters_pairs_alone_join_each_pair_under_its_smallest_id():
    roots = story_roots(BASES, [("a3", "a1"), ("a4", "a5")])
    assert roots == {"a1": "a1", "a2": "a2", "a3": "a1", "a4": "a4", "a5": "a4"}
    assert story_roots(BASES, [("a3", "a1"), ("a4", "a5")], None) == roots


def test_judged_pairs_add_links_and_drop_the_raters_ones_judged_different():
    events = {"same": [["a2", "a5"]], "different": [["a5", "a4"]]}
    roots = story_roots(BASES, [("a3", "a1"), ("a4", "a5")], events)
    assert roots == {"a1": "a1", "a2": "a2", "a3": "a1", "a4": "a4", "a5": "a2"}


def test_a_pair_judged_different_stays_together_through_a_third_article():
    # "different" removes one link; two articles still joined through another same-event link stay one story
    events = {"same": [["a1", "a2"], ["a2", "a3"]], "different": [["a1", "a3"]]}
    roots = story_roots(BASES, [("a1", "a3")], events)
    assert roots["a1"] == roots["a2"] == roots["a3"] == "a1"


def test_pairs_outside_the_split_are_ignored():
    assert story_roots(["a1", "a2"], [("a1", "b9")], {"same": [["a2", "b8"]]}) == {"a1": "a1", "a2": "a2"}
