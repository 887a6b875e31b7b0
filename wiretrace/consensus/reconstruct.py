"""`reconstruct`: the story as the witnesses tell it, sentence by sentence, with who says it.

Each aligned sentence group becomes one consensus sentence: the text of its best witness (the
origin, else the version nearest the origin that does not carry a losing drift variant), its
witnesses, and the drifted facts' variants. A group carried by one branch of the copy graph only
is an addition (one outlet's background or commentary) and is listed after the shared story.
Order follows the pivot version; a sentence it lacks goes after its nearest predecessor there.
"""

from __future__ import annotations

from dataclasses import replace

from wiretrace.config import Settings
from wiretrace.data import Article, ConsensusSentence, Story
from wiretrace.facts.drift import drift_by_group
from wiretrace.facts.groups import SentenceGraph, sentence_graph
from wiretrace.facts.witnesses import Witnesses


def _order(graph: SentenceGraph, witnesses: Witnesses) -> list[int]:
    """Group ids in reading order: the pivot's order, other groups slotted after their predecessor."""
    position: dict[int, tuple[float, ...]] = {}
    if graph.pivot:
        for i in range(len(graph.texts[graph.pivot])):
            position.setdefault(graph.group_of[(graph.pivot, i)], (float(i),))
    readers = sorted(graph.texts, key=lambda a: (-witnesses.weight(a), a))
    for article in readers:
        last: tuple[float, ...] = (-1.0,)
        for i in range(len(graph.texts[article])):
            gid = graph.group_of[(article, i)]
            if gid not in position:
                position[gid] = (*last, float(i))
            last = position[gid]
    return sorted(range(len(graph.groups)), key=lambda g: (position.get(g, (1e9,)), g))


def reconstruct(story: Story, articles: dict[str, Article], settings: Settings | None = None, alignments=None) -> Story:
    """Fill `story.consensus` (run after `wiretrace.facts.find_drift`, whose drift it shows)."""
    members = [a for a in story.articles if a in articles]
    if not members:
        return replace(story, consensus=[])
    graph = sentence_graph(story, articles, settings, alignments)
    witnesses = Witnesses.from_story(story)
    variants_of = drift_by_group(story, graph)
    losing = {(a, v.sentence) for d in story.drift for v in d.variants[1:] for a in v.articles}
    core: list[ConsensusSentence] = []
    extra: list[ConsensusSentence] = []
    for gid in _order(graph, witnesses):
        nodes = graph.groups[gid]
        if not nodes:
            continue
        ids = sorted({a for a, _ in nodes})

        def rank(n):
            return ((n[0], graph.text(n)) in losing, -witnesses.weight(n[0]), witnesses.depth(n[0]), n)

        best = min(nodes, key=rank)
        sentence = ConsensusSentence(
            text=graph.text(best),
            witnesses=ids,
            addition=len(witnesses.branches(set(ids))) < 2 and len(members) > 1,
            variants=list(variants_of.get(gid, [])),
        )
        (extra if sentence.addition else core).append(sentence)
    return replace(story, consensus=core + extra)
