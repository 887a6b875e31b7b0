"""Origin choice between a source and its edited copy when the ranking ties them (undated).

An edited copy (one word of a quote changed) and its source carry the same material; two spun
copies of the edited copy read its word and changed the quote further, which balances the graded
vote, so the two score alike and only the order of their ids would decide. The exact words of that
sentence decide instead: copies that left it alone (here two lead excerpts) carry the source's
wording, nobody but the edited copy carries its own wording (its spun copies changed the sentence
further), so the source is the origin and the edited copy hangs below it."""

from __future__ import annotations

from functools import partial

import pytest
from test_lineage_fixtures import article, replaced

from wiretrace.align import EmbeddingCache
from wiretrace.data import Story
from wiretrace.lineage import trace

# invented: a regional news story, no agency, no dateline
SOURCE = [
    "Workers in the port town of Kellby finished repairs on the old swing bridge on Thursday after "
    "four months of closures.",
    "The bridge carries about 6,000 cars a day between the harbour and the northern suburbs.",
    "Engineer Maja Lindqvist said the steel frame had rusted far more than the first survey showed.",
    '"We replaced nearly every bolt around the central pivot," Lindqvist said.',
    "The council paid 3 million euros for the work, a third more than planned.",
    "Shop owners on the harbour front said the closures had cost them many customers.",
    "Ferry traffic through the channel was halted for two weekends while the span was lifted.",
    "The council said the bridge should now last another forty years.",
]
QUOTE = 3  # the sentence the edited copy changes, and the spinners too


_with = partial(replaced, count=1)  # the first occurrence only


def _corpus() -> dict:
    # the edited copy: one word of the quote changed ("around" -> "near")
    edited = _with(SOURCE, QUOTE, "around", "near")
    # two spun copies of the edited copy: one more word of the quote changed, and words elsewhere
    spun1 = _with(_with(_with(edited, QUOTE, "replaced", "swapped"), 0, "finished", "completed"), 5, "cost", "lost")
    spun2 = _with(_with(_with(edited, QUOTE, "bolt", "rivet"), 2, "rusted", "corroded"), 6, "halted", "stopped")
    versions = [
        # ids chosen so that the edited copy sorts before its source: on a tie, id order would pick it
        article("a-edited", edited),
        article("b-spun1", spun1),
        article("c-spun2", spun2),
        article("d-lead5", SOURCE[:5]),
        article("e-lead6", SOURCE[:6]),
        article("z-source", SOURCE),
    ]
    return {a.id: a for a in versions}


@pytest.fixture(scope="module")
def traced():
    corpus = _corpus()
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=EmbeddingCache())
    return story.origins, {e.article: e for e in story.lineage}


def test_the_source_not_its_edited_copy_is_the_origin(traced):
    origins, edges = traced
    assert [(o.article, o.inferred) for o in origins] == [("z-source", False)], edges
    assert edges["z-source"].parent is None
    assert edges["a-edited"].parent == "z-source"


def test_each_copy_hangs_on_the_text_it_was_made_from(traced):
    _, edges = traced
    assert edges["d-lead5"].parent == "z-source"
    assert edges["e-lead6"].parent == "z-source"
    # the spun copies carry the edited copy's word: they descend from it, not from the source
    assert edges["b-spun1"].parent == "a-edited"
    assert edges["c-spun2"].parent == "a-edited"


def test_the_origin_evidence_says_why(traced):
    _, edges = traced
    why = "tied with a-edited, which has 1 sentence worded its own way"
    assert any(why in line for line in edges["z-source"].evidence)


# invented: a share line a reprint appends, which its own reprint keeps
PLUG = "Share this story with your friends and follow us for more local news every day."


def _moved(sentences: list[str], k: int) -> list[str]:
    out = list(sentences)
    out[k], out[k + 1] = out[k + 1], out[k]
    return out


def _other_copies() -> list:
    """Copies of the source that keep its every line in its order, each with a word of its own."""
    return [
        article("c-edit1", _with(SOURCE, 1, "about", "roughly")),
        article("d-edit2", _with(SOURCE, 2, "steel", "iron")),
    ]


@pytest.mark.parametrize(
    ("copy", "why"),
    [
        # a reprint that appended a share line (its own reprint keeps the line too)
        ([*SOURCE, PLUG], "1 line of its own"),
        # a copy that swapped two paragraphs
        (_moved(SOURCE, 5), "1 pair of sentences in its own order"),
    ],
    ids=["added-line", "moved-paragraph"],
)
def test_a_tied_copy_with_a_line_or_an_order_of_its_own_yields_to_its_source(copy, why):
    versions = [
        article("a-copy", copy),  # sorts before its source: on a tie, id order would pick it
        article("b-copy-reprint", _with(copy, 2, "survey", "inspection")),
        *_other_copies(),
        article("e-lead6", SOURCE[:6]),
        article("z-source", SOURCE),
    ]
    corpus = {a.id: a for a in versions}
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=EmbeddingCache())
    edges = {e.article: e for e in story.lineage}
    assert [(o.article, o.inferred) for o in story.origins] == [("z-source", False)], edges
    assert edges["a-copy"].parent == "z-source"
    assert any(f"tied with a-copy, which has {why}" in line for line in edges["z-source"].evidence)
