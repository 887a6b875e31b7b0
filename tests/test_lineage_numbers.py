"""A changed number is a mutation like a changed word: copies inherit it, so a copy of a version
that changed a figure hangs below that version (the aligner leaves numbers out of its word swaps,
they are the facts stage's business; lineage reads them as inherited readings)."""

from __future__ import annotations

import importlib

import pytest
from test_lineage_fixtures import ORIGIN, article

from wiretrace.align import EmbeddingCache
from wiretrace.data import Story
from wiretrace.lineage import trace

trace_module = importlib.import_module("wiretrace.lineage.trace")


@pytest.fixture(scope="module")
def cache() -> EmbeddingCache:
    return EmbeddingCache()


def test_a_replaced_number_is_a_swap():
    swaps = trace_module._swaps("About 5,100 passengers used it.", "About 4,200 passengers used it.")
    assert ("4,200", "5,100") in swaps or ("4200", "5100") in swaps
    # a number added or dropped is no replacement; nor are numbers in a different count
    assert trace_module._swaps("It cost 12 dollars in 2020.", "It cost 12 dollars.") == []
    assert trace_module._swaps("Same 3 words.", "Same 3 words.") == []


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
