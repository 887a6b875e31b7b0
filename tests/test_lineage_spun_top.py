"""A spun version ranked first by its reprints' votes yields to the plain text it was spun from.

Undated, a spun version with two reprints outvotes the plain wire and a reordered copy of it, so
the spun version ranks first; the origin test rejects it (it reads odd synonyms where the plain
versions read common words). The witness with most plain sentences may itself be a copy (here a
reordered one), so the best-ranked version the top reads as spun from is weighed instead, and is
the origin when it passes the origin test itself. When that witness is itself rejected as spun,
spinning is followed back a step further, and a plain text weighed so is not outvoted by the
spinners' shared synonyms."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, SPUN, article

from wiretrace.align.story import StoryAlignments
from wiretrace.data import Story
from wiretrace.lineage import trace
from wiretrace.lineage.readings import plainer_witness, plainer_witnesses
from wiretrace.lineage.versions import Aligner


def _reordered(sentences: list[str]) -> list[str]:
    out = list(sentences)
    out[4], out[5] = out[5], out[4]
    out[7], out[8] = out[8], out[7]
    return out


def _corpus(with_wire: bool = True) -> dict:
    reprint = list(SPUN)
    reprint[4] = reprint[4].replace("short-lived", "brief")
    corpus = {
        "spun": article("spun", SPUN),
        "spun-reprint1": article("spun-reprint1", SPUN[:-1]),
        "spun-reprint2": article("spun-reprint2", reprint),
        "reordered": article("reordered", _reordered(ORIGIN)),
    }
    if with_wire:
        corpus["wire"] = article("wire", ORIGIN)
    return corpus


def test_an_undated_plain_wire_is_the_origin_of_a_spun_branch_that_outranks_it(cache):
    corpus = _corpus()
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("wire", False)], story.lineage
    edges = {e.article: e for e in story.lineage}
    assert edges["spun"].parent == "wire"
    assert edges["reordered"].parent == "wire"
    assert edges["spun-reprint1"].parent == "spun"


def test_every_plain_witness_is_offered_most_sentences_first(cache):
    corpus = _corpus()
    units = {i: cache.units(a) for i, a in sorted(corpus.items())}
    aligner = Aligner(units, StoryAlignments(story="st"))
    found = plainer_witnesses("spun", ["reordered", "spun-reprint1", "wire"], aligner, {}, {})
    assert {w for w, _, _ in found} == {"reordered", "wire"}
    assert [n for _, n, _ in found] == sorted((n for _, n, _ in found), reverse=True)
    assert plainer_witness("spun", ["reordered", "wire"], aligner, {}, {})[0] == found[0][0]
    # spinning never runs from odd words to common ones: the spun text is no witness for the plain ones
    assert plainer_witnesses("wire", ["spun", "spun-reprint2"], aligner, {}, {}) == []


def test_without_a_plain_version_that_passes_the_origin_is_missing(cache):
    # the reordered copy is the only plain text and orders sentences unlike everyone: it is a copy too
    corpus = _corpus(with_wire=False)
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert len(story.origins) == 1 and story.origins[0].inferred, story.lineage


def _respun() -> list[str]:
    """A second spin of SPUN: more common words swapped for odd ones."""
    out = list(SPUN)
    for i in (1, 3, 5):
        out[i] = out[i].replace("said", "averred")
    out[5] = out[5].replace("weeks", "sennights")
    out[9] = out[9].replace("against", "versus")
    return out


def test_spinning_is_followed_back_to_the_plain_wire(cache):
    # a twice-spun text and two reprints rank first; its plainest witness in rank order is a copy
    # spun in half its sentences (itself spun from the wire), and the wire, outvoted word by word
    # by the spinners (they share one synonym table), reads the common word at every such place
    respun = _respun()
    half_spun = [SPUN[i] if i in {1, 2, 3, 6, 8} else line for i, line in enumerate(ORIGIN)]
    corpus = {
        "wire": article("wire", ORIGIN),
        "spun": article("spun", SPUN),
        "respun": article("respun", respun),
        "respun-reprint1": article("respun-reprint1", respun[:-1]),
        "respun-reprint2": article("respun-reprint2", respun[1:]),
        "half-spun": article("half-spun", half_spun),
    }
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [(o.article, o.inferred) for o in story.origins] == [("wire", False)], story.lineage
    edges = {e.article: e for e in story.lineage}
    assert edges["respun"].parent == "spun"
    assert edges["respun-reprint1"].parent == "respun"
    assert edges["half-spun"].parent == "wire"
