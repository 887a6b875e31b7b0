"""Credits as origin evidence: a version from outlet X that credits agency Y != X is a copy of Y's
wire, so Y's own version is the origin, and without it the origin is missing and credited to Y,
even when a copy's words are the wire's words exactly (text alone cannot decide that)."""

from __future__ import annotations

import pytest
from test_lineage_fixtures import ORIGIN, article, light_edit

from wiretrace.align import EmbeddingCache
from wiretrace.data import Article, Story
from wiretrace.lineage import trace
from wiretrace.lineage.credits import copied_from_agencies, outlet_agency

AP = "The Associated Press"


@pytest.mark.parametrize(
    ("name", "agency"),
    [
        ("AP", AP),
        ("The Associated Press", AP),
        ("apnews.com", AP),
        ("AP News", AP),
        ("reuters.com", "Reuters"),
        ("AFP", "Agence France-Presse"),
        ("Apple Daily", None),
        ("Fox News", None),
        ("outlet-007", None),
        ("", None),
        (None, None),
    ],
)
def test_outlet_agency(name, agency):
    assert outlet_agency(name) == agency


def _doc(outlet: str | None, credited: list[str]) -> Article:
    return Article(id="x", source="x", content_hash="x", text="Text.", outlet=outlet, credited=credited)


def test_copied_from_agencies_needs_a_known_outlet_that_is_not_the_agency():
    assert copied_from_agencies(_doc("Daily Planet", [AP])) == [AP]
    assert copied_from_agencies(_doc("AP", [AP])) == []  # the agency's own wire
    assert copied_from_agencies(_doc(None, [AP])) == []  # no outlet: no evidence either way
    assert copied_from_agencies(_doc("Daily Planet", [])) == []


def _copies() -> list[Article]:
    # a verbatim reprint of the wire (its words are the wire's exactly) and a light edit of it
    return [
        article("reprint", ORIGIN, published="2026-03-03T09:00:00", outlet="Daily Planet"),
        article("edit", light_edit(ORIGIN), published="2026-03-03T10:00:00", outlet="Evening Star"),
    ]


def _trace(articles: list[Article], cache: EmbeddingCache) -> Story:
    corpus = {a.id: a for a in articles}
    return trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)


def test_without_outlets_the_verbatim_reprint_reads_as_the_origin(cache):
    # the control: with no outlet known the reprint is textually the origin (undecidable by text)
    anonymous = [article(a.id, a.text.split("\n\n"), published=a.published) for a in _copies()]
    story = _trace(anonymous, cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("reprint", False)]


def test_copies_crediting_an_agency_descend_from_its_missing_wire(cache):
    story = _trace(_copies(), cache)
    assert len(story.origins) == 1
    origin = story.origins[0]
    assert origin.inferred and origin.article is None, origin
    assert AP in origin.credited
    edges = {e.article: e for e in story.lineage}
    assert edges["reprint"].parent == origin.id
    assert any("none is The Associated Press's own" in line for line in edges["reprint"].evidence)


def test_the_agency_own_version_is_the_origin_of_its_crediting_copies(cache):
    wire = article("wire", ORIGIN, published="2026-03-03T08:00:00", outlet="AP")
    story = _trace([wire, *_copies()], cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("wire", False)]
    edges = {e.article: e for e in story.lineage}
    assert edges["wire"].parent is None
    assert edges["reprint"].parent == "wire" and edges["edit"].parent in {"wire", "reprint"}
