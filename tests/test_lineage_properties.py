"""Properties of any traced story, over random families of invented copies: whatever the rules
decide, every version gets one edge, parents form trees under the origins, and the answer does not
depend on the order the articles come in.

The rules of `lineage/trace.py` are many and each reads a different piece of evidence (swaps,
innovations, added lines, ties, sentence order, an inferred origin's majority errors); these checks
hold for their combination on families none of the hand-written tests describe.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lineage_fixtures import COMMENTARY_AFTER, COMMENTARY_BEFORE, ORIGIN, article

from wiretrace.data import Story
from wiretrace.lineage import trace

# what an editor may do to the text it copies (each keeps the copy recognisably the same story)
EDITS = ("drop", "swap", "negate", "word", "comment", "prefix", "none")


def _edit(sentences: list[str], kind: str, rng: random.Random) -> list[str]:
    out = list(sentences)
    if len(out) < 3:
        return out
    k = rng.randrange(1, len(out) - 1)
    if kind == "drop":
        del out[k]
    elif kind == "swap":
        out[k], out[k + 1] = out[k + 1], out[k]
    elif kind == "negate":
        out[k] = out[k].replace(" is ", " is not ", 1).replace(" was ", " was not ", 1)
    elif kind == "word":
        out[k] = out[k].replace(" the ", " that ", 1)
    elif kind == "comment":
        out = [*COMMENTARY_BEFORE[:1], *out, *COMMENTARY_AFTER[:1]]
    elif kind == "prefix":
        out[k] = "Sources say that " + out[k][0].lower() + out[k][1:]
    return out


@st.composite
def families(draw) -> dict:
    """A random copy tree over ORIGIN: each version edits an earlier one (or the root, which may be
    left out of the corpus), dated or not."""
    seed = draw(st.integers(0, 10_000))
    size = draw(st.integers(2, 6))
    keep_root = draw(st.booleans())
    dated = draw(st.booleans())
    rng = random.Random(seed)
    texts = [list(ORIGIN)]
    for _ in range(size):
        source = texts[rng.randrange(len(texts))]
        texts.append(_edit(source, rng.choice(EDITS), rng))
    arts = {}
    for n, sentences in enumerate(texts):
        if n == 0 and not keep_root:
            continue
        published = f"2026-03-03T{8 + n:02d}:00:00" if dated else None
        a = article(f"v{n}", sentences, published=published)
        arts[a.id] = a
    return arts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(families())
def test_every_version_hangs_in_one_tree_and_order_does_not_matter(cache, arts):
    story = trace(Story(id="st", articles=sorted(arts)), arts, cache=cache)
    edges = {e.article: e for e in story.lineage}
    # one edge per version, and only for versions of the story
    assert sorted(edges) == sorted(arts)
    assert len(story.lineage) == len(arts)
    origins = {o.id: o for o in story.origins}
    # the origins' members partition the story
    members = [m for o in story.origins for m in o.articles]
    assert sorted(members) == sorted(arts)
    for e in story.lineage:
        assert e.parent != e.article
        assert e.parent is None or e.parent in arts or e.parent in origins
        assert 0 < e.confidence <= 1 and e.evidence
        # following parents ends at an origin without a cycle
        seen, node = set(), e.article
        while node in edges and edges[node].parent is not None:
            assert node not in seen, f"cycle through {node}"
            seen.add(node)
            node = edges[node].parent
        assert node in origins or any(o.article == node for o in story.origins)
    again = trace(Story(id="st", articles=sorted(arts, reverse=True)), dict(reversed(arts.items())), cache=cache)
    assert again.to_dict()["lineage"] == story.to_dict()["lineage"]
    assert again.to_dict()["origins"] == story.to_dict()["origins"]
