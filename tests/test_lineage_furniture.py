"""Headlines and bylines are house style, not readings: they neither veto an origin nor vote; and a copy
of a copy that dropped sentences still finds its parent (the second chance in the parent search)."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, article, light_edit

from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.furniture import furniture_sentences
from wiretrace.lineage.parents import second_chance

# a headline in the present tense over a lead in the past tense: the words of the lead, one changed
HEADLINE = "Harborville council votes to close old ferry terminal after inspectors found deep cracks"


def test_headline_found_through_a_site_suffix():
    a = article("wire", [HEADLINE, *ORIGIN], title=f"{HEADLINE} | Wire News")
    assert furniture_sentences(a, [HEADLINE, *ORIGIN]) == {0}


def test_byline_is_furniture_and_body_sentences_are_not():
    texts = ["By Jane Doe and John Roe", *ORIGIN]
    a = article("copy", texts, title="Something else entirely")
    assert furniture_sentences(a, texts) == {0}
    # no title, no byline: nothing is furniture
    assert furniture_sentences(article("plain", ORIGIN), ORIGIN) == set()


def test_a_repeated_title_deep_in_the_text_is_text():
    texts = [*ORIGIN[:4], HEADLINE]
    assert furniture_sentences(article("late", texts, title=HEADLINE), texts) == set()


def _second_edit(sentences: list[str]) -> list[str]:
    out = list(sentences)
    out[2] = out[2].replace("every day", "each day")
    return out


def test_own_headline_does_not_rule_out_the_origin(cache):
    # the wire carries its headline in the text; its copies carry the body only. The headline's
    # tense ("votes") differs from the lead every copy keeps ("voted"): house style, not a copying
    # mutation, so the wire stays the origin of its family.
    corpus = {
        a.id: a
        for a in (
            article("wire", [HEADLINE, *ORIGIN], published="2026-03-03T08:00:00", title=f"{HEADLINE} | Wire"),
            article("edit", light_edit(ORIGIN), published="2026-03-03T09:00:00"),
            article("edit2", _second_edit(ORIGIN), published="2026-03-03T10:00:00"),
            article("copy", ORIGIN, published="2026-03-03T11:00:00"),
        )
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("wire", False)], story.lineage


def test_second_chance_finds_a_parent_ranked_after_its_child():
    # "child" dropped the sentences holding some of its parent's swaps, so it ranked first and was
    # hung on the origin; its parent's visible swaps are all in it: the parent is its parent
    parent = {("swap", 1, "a", "b"), ("swap", 2, "c", "d"), ("swap", 5, "e", "f")}
    child = {("swap", 1, "a", "b"), ("swap", 2, "c", "d"), ("drop", 5), ("drop", 6)}
    sibling = {("swap", 3, "g", "h")}
    mutations = {"parent": parent, "child": child, "sibling": sibling}
    parents = {"child": "o", "parent": "o", "sibling": "o"}
    articles = {m: article(m, ORIGIN) for m in mutations}
    second_chance(parents, "o", mutations, articles)
    assert parents == {"child": "parent", "parent": "o", "sibling": "o"}


def test_second_chance_respects_publication_time_and_makes_no_cycle():
    same = {("swap", 1, "a", "b"), ("swap", 2, "c", "d")}
    mutations = {"x": set(same), "y": set(same)}
    articles = {
        "x": article("x", ORIGIN, published="2026-03-03T08:00:00"),
        "y": article("y", ORIGIN, published="2026-03-03T09:00:00"),
    }
    parents = {"x": "o", "y": "o"}
    second_chance(parents, "o", mutations, articles)
    # y came later, so it cannot be x's parent; x may be y's
    assert parents == {"x": "o", "y": "x"}
    # undated: the two carry each other's mutations, and only one may hang below the other
    undated = {m: article(m, ORIGIN) for m in mutations}
    parents = {"x": "o", "y": "o"}
    second_chance(parents, "o", mutations, undated)
    assert sorted(parents.values()).count("o") == 1


def test_sign_offs_at_the_foot_are_furniture():
    texts = [
        "The mayor opened the new bridge on Monday.",
        "Traffic is expected to ease within a month.",
        "Reporter Ana Ruiz contributed to this report.",
    ]
    art = article("a", texts)
    assert furniture_sentences(art, texts) == {2}
    # the same words mid-story, or a plug at the foot, are text
    assert furniture_sentences(art, [texts[2], *texts[:2], "Follow us for more stories like this one."]) == set()
