"""Parent choice inside a family: a copy of a copy hangs below the copy whose mutations it carries,
also when the family's origin is missing (mutations then read against the inferred text), and a
version that still has a sentence the candidate dropped is not the candidate's copy."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, article

from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.parents import closest_ancestor, place_by_inheritance


def _swap(sentences: list[str], edits: dict[int, tuple[str, str]]) -> list[str]:
    out = list(sentences)
    for k, (old, new) in edits.items():
        assert old in out[k]
        out[k] = out[k].replace(old, new)
    return out


def test_copy_of_a_copy_below_a_missing_origin(cache):
    # four copies of a wire that is not in the corpus, each with edits of its own, and a copy of
    # the first that keeps its edits, adds one and drops the last sentence
    first = _swap(ORIGIN, {1: ("painful", "hurtful"), 3: ("could collapse", "might fall"), 6: ("warned", "cautioned")})
    second = _swap(ORIGIN, {2: ("used", "took"), 5: ("reroute", "redirect"), 8: ("built", "constructed")})
    third = _swap(ORIGIN, {4: ("approved", "passed"), 7: ("told", "informed"), 9: ("rushed", "hasty")})
    fourth = _swap(ORIGIN, {1: ("protect", "shield"), 5: ("three weeks", "21 days"), 8: ("early", "late")})
    copy = _swap(first, {2: ("every day", "each day")})[:-1]
    corpus = {
        "first": article("first", first, published="2026-03-03T09:00:00"),
        "second": article("second", second, published="2026-03-03T09:10:00"),
        "third": article("third", third, published="2026-03-03T09:20:00"),
        "fourth": article("fourth", fourth, published="2026-03-03T09:30:00"),
        "copy": article("copy", copy, published="2026-03-03T11:00:00"),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [o.inferred for o in story.origins] == [True], story.lineage
    origin = story.origins[0].id
    parents = {e.article: e.parent for e in story.lineage}
    assert parents == {"copy": "first", "first": origin, "second": origin, "third": origin, "fourth": origin}


def test_a_candidate_that_dropped_a_sentence_the_child_has_is_not_its_parent():
    # two light edits with the same systematic swaps, each dropping a different sentence: siblings
    swaps = {("swap", k, "says", "said") for k in range(12)}
    mutations = {"a": swaps | {("drop", 4)}, "b": swaps | {("drop", 7)}}
    assert closest_ancestor("b", ["a"], mutations) is None
    # a copy of "a" dropped what "a" dropped (and more): "a" is its parent
    mutations["c"] = swaps | {("drop", 4), ("drop", 9)}
    assert closest_ancestor("c", ["a", "b"], mutations) == "a"


def test_placement_orders_by_mutations_and_respects_time():
    base = {("swap", 1, "x", "y"), ("swap", 2, "z", "w")}
    mutations = {"late": base | {("swap", 3, "u", "v")}, "early": set(base)}
    articles = {
        "early": article("early", ORIGIN, published="2026-03-03T08:00:00"),
        "late": article("late", ORIGIN, published="2026-03-03T09:00:00"),
    }
    assert place_by_inheritance(["late", "early"], "o", mutations, articles) == {
        "early": "o",
        "late": "early",
    }
    # published before its would-be parent: it cannot be the copy
    articles["late"] = article("late", ORIGIN, published="2026-03-03T07:00:00")
    assert place_by_inheritance(["late", "early"], "o", mutations, articles)["late"] == "o"
