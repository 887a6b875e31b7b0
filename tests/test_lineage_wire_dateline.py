"""A wire that keeps its own dateline is not off-centre for it (undated, no credits).

Copies keep or strip a wire's dateline ("KELLBY, Norland (AP) —") as house style. When most copies
strip it, the wire's first sentence reads differently from theirs by the dateline's words alone;
the graded majority vote must not count that against the wire, or a stripped reprint with the
same words ranks first and the wire hangs below its own copy."""

from __future__ import annotations

from test_lineage_exact_wording import SOURCE, _with
from test_lineage_fixtures import article

from wiretrace.align import EmbeddingCache
from wiretrace.data import Story
from wiretrace.lineage import trace

WIRE = ["KELLBY, Norland (AP) — " + SOURCE[0], *SOURCE[1:]]


def test_a_wire_whose_copies_strip_its_dateline_is_their_origin():
    versions = [
        article("a-stripped", SOURCE),  # the wire's words without the dateline; sorts first on a tie
        article("c-edit1", _with(SOURCE, 1, "about", "roughly")),
        article("d-edit2", _with(SOURCE, 2, "steel", "iron")),
        article("e-lead6", SOURCE[:6]),
        article("z-wire", WIRE),
    ]
    corpus = {a.id: a for a in versions}
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=EmbeddingCache())
    edges = {e.article: e for e in story.lineage}
    assert [(o.article, o.inferred) for o in story.origins] == [("z-wire", False)], edges
    for copy in ("a-stripped", "c-edit1", "d-edit2", "e-lead6"):
        assert edges[copy].parent == "z-wire", edges[copy]
