"""Origin choice: a full text and excerpts of it. An excerpt cannot be the source of the fuller
text it lies inside, so the version that contains every other version's body is the origin, with
or without dates and agency credits; and an origin's own last line (a sign-off) that two full
copies both trim does not make it a copy."""

from __future__ import annotations

import pytest
from test_lineage_fixtures import COMMENTARY_AFTER, COMMENTARY_BEFORE, ORIGIN, article

from wiretrace.align import EmbeddingCache
from wiretrace.data import Story
from wiretrace.lineage import trace

UNCREDITED = [ORIGIN[0].replace(" (AP)", ""), *ORIGIN[1:]]
# invented: a staff story of a local paper, no agency, ending with a sign-off line
LOCAL = [
    "Volunteers in the valley town of Ostermark planted 3,000 oak saplings on Saturday along the "
    "banks of the flooded Merle river.",
    "Organiser Katrin Voss said the trees would hold the soil when the spring floods return.",
    "The forestry office supplied the saplings from its nursery near the old mill.",
    "Pupils from two village schools joined the planting and marked each tree with a coloured ribbon.",
    "Farmers downstream have lost fields to erosion in three of the last five winters.",
    "The town plans a second planting day in the autumn if enough volunteers sign up.",
    "Staff writer Jonas Pell contributed to this report.",
]


def _trace(versions, cache: EmbeddingCache) -> tuple:
    corpus = {a.id: a for a in versions}
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    return story.origins, {e.article: e for e in story.lineage}


def _assert_wire_is_origin(origins, edges, excerpts) -> None:
    assert len(origins) == 1 and not origins[0].inferred and origins[0].article == "wire", origins
    assert edges["wire"].parent is None
    for e in excerpts:
        assert edges[e].parent == "wire" and edges[e].relation == "excerpt", edges[e]


@pytest.mark.parametrize("text", [ORIGIN, UNCREDITED], ids=["credited", "uncredited"])
@pytest.mark.parametrize("dated", [False, True], ids=["undated", "dated"])
def test_wire_and_two_lead_excerpts(cache, text, dated):
    when = (lambda day: f"2026-03-0{day}T10:00:00Z") if dated else (lambda day: None)
    versions = [
        article("wire", text, published=when(1)),
        article("lead3", text[:3], published=when(2)),
        article("lead4", text[:4], published=when(3)),
    ]
    _assert_wire_is_origin(*_trace(versions, cache), ["lead3", "lead4"])


@pytest.mark.parametrize("text", [ORIGIN, UNCREDITED], ids=["credited", "uncredited"])
def test_wire_and_one_excerpt(cache, text):
    _assert_wire_is_origin(*_trace([article("wire", text), article("lead", text[:3])], cache), ["lead"])


def test_wire_and_three_excerpts(cache):
    versions = [article("wire", UNCREDITED), *(article(f"lead{k}", UNCREDITED[:k]) for k in (2, 3, 4))]
    _assert_wire_is_origin(*_trace(versions, cache), ["lead2", "lead3", "lead4"])


def test_short_wire_and_two_excerpts(cache):
    # a brief wire: the excerpts leave out only two or three of its lines, still no copy's sign-off
    versions = [article("wire", UNCREDITED[:5]), article("lead2", UNCREDITED[:2]), article("lead3", UNCREDITED[:3])]
    _assert_wire_is_origin(*_trace(versions, cache), ["lead2", "lead3"])


def test_excerpts_from_the_middle(cache):
    versions = [article("wire", UNCREDITED), article("mid3", UNCREDITED[3:6]), article("mid5", UNCREDITED[2:7])]
    _assert_wire_is_origin(*_trace(versions, cache), ["mid3", "mid5"])


def test_excerpts_inside_commentary(cache):
    versions = [
        article("wire", UNCREDITED),
        article("blog", [*COMMENTARY_BEFORE, *UNCREDITED[:3]]),
        article("column", [*UNCREDITED[:4], *COMMENTARY_AFTER]),
    ]
    _assert_wire_is_origin(*_trace(versions, cache), ["blog", "column"])


def test_wire_reprinted_once_plus_two_excerpts(cache):
    # the reprint is word for word the wire: either may be the origin, the other its verbatim copy
    versions = [
        article("wire", UNCREDITED),
        article("reprint", UNCREDITED),
        article("lead3", UNCREDITED[:3]),
        article("lead4", UNCREDITED[:4]),
    ]
    origins, edges = _trace(versions, cache)
    assert len(origins) == 1 and not origins[0].inferred and origins[0].article in {"wire", "reprint"}, origins
    full = origins[0].article
    other = "reprint" if full == "wire" else "wire"
    assert edges[other].parent == full and edges[other].relation == "verbatim"
    for e in ("lead3", "lead4"):
        assert edges[e].parent in {"wire", "reprint"} and edges[e].relation == "excerpt", edges[e]


def test_a_full_copy_with_a_short_addition_still_yields_to_its_source(cache):
    # the guard's other side: a copy adding one line contains the source, yet is no fuller text
    versions = [article("wire", UNCREDITED), article("reprint", [*UNCREDITED, COMMENTARY_AFTER[1]])]
    origins, edges = _trace(versions, cache)
    assert len(origins) == 1 and origins[0].article == "wire", origins
    assert edges["reprint"].parent == "wire"


@pytest.mark.parametrize(
    "sign_off", [LOCAL[-1], "This story has been updated to correct the number of schools taking part."]
)
def test_sign_off_trimmed_by_two_full_copies(cache, sign_off):
    # a staff story whose last line is a sign-off; two independent full copies both drop it.
    # Copies commonly trim such a line, so it is no addition of the origin's
    versions = [
        article("local", [*LOCAL[:-1], sign_off]),
        article("copy1", light_edit_local(LOCAL[:-1])),
        article("copy2", [s.replace("Saturday", "Saturday morning") for s in LOCAL[:-1]]),
    ]
    origins, edges = _trace(versions, cache)
    assert len(origins) == 1 and not origins[0].inferred and origins[0].article == "local", (
        origins,
        {k: e.evidence[:1] for k, e in edges.items()},
    )


def light_edit_local(sentences: list[str]) -> list[str]:
    out = list(sentences)
    out[1] = out[1].replace("would hold", "will hold")
    out[4] = out[4].replace("Farmers downstream", "Downstream farmers")
    return out


def test_a_plug_both_full_copies_lack_is_still_an_addition(cache):
    # the guard is narrow: a newsletter plug at the foot is no sign-off, so round 18's rule stands
    plug = "Subscribe to our weekly letter for more news from the towns along the Merle river."
    versions = [
        article("local", [*LOCAL[:-1], plug]),
        article("copy1", light_edit_local(LOCAL[:-1])),
        article("copy2", [s.replace("Saturday", "Saturday morning") for s in LOCAL[:-1]]),
    ]
    origins, _ = _trace(versions, cache)
    assert len(origins) == 1 and origins[0].inferred, origins


@pytest.mark.parametrize("before", [True, False], ids=["before-and-after", "after-only"])
@pytest.mark.parametrize("with_lead", [False, True], ids=["no-lead", "lead"])
def test_commentary_quoting_the_whole_wire_is_no_fuller_text(cache, before, with_lead):
    # a blog quotes the whole wire inside its own commentary: the wire lies inside it as an excerpt
    # would, yet the blog's surplus is commentary that no other version carries, so the wire stays
    # the origin
    wrapped = [*(COMMENTARY_BEFORE if before else []), *UNCREDITED, *COMMENTARY_AFTER]
    versions = [article("wire", UNCREDITED), article("blog", wrapped)]
    if with_lead:
        versions.append(article("lead", UNCREDITED[:3]))
    origins, edges = _trace(versions, cache)
    assert len(origins) == 1 and not origins[0].inferred and origins[0].article == "wire", origins
    assert edges["wire"].parent is None
    assert edges["blog"].parent == "wire", edges["blog"]
    if with_lead:
        assert edges["lead"].parent in {"wire", "blog"} and edges["lead"].relation == "excerpt", edges["lead"]


def test_opinion_voice_cues():
    from wiretrace.lineage.origin import opinion_voice

    assert opinion_voice(COMMENTARY_BEFORE) and opinion_voice(COMMENTARY_AFTER)
    assert not opinion_voice(UNCREDITED[3:])
    # a source's "we" inside quotes is still a news body
    assert not opinion_voice(['"We will appeal," the mayor said on Tuesday.', "The vote was 7-2."])
    # other languages: the English cues do not fire
    assert not opinion_voice(["Der Rat stimmte am Dienstag ab.", "Die Fähre fährt nicht mehr."])
