"""Who is an independent witness: the copy graph, not a head count, decides the original reading.

Each version hangs below an origin through `Story.lineage`. A chain of copies is one witness:
below the origin each branch votes once, through its member closest to the origin, and a branch
whose closest voter sits far downstream weighs less. An origin in the corpus outvotes the branches
unless several independent branches agree against it. With no lineage, every version is its own
branch. `reliability` (set after a first pass) lowers versions that lost clear votes elsewhere,
which breaks one-against-one ties in favour of the version that does not mangle other facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wiretrace.data import Story

# The origin article's vote, in branch votes: three independent branches agreeing outvote it.
ORIGIN_WEIGHT = 2.5
# How much a derivation keeps the facts of its parent (machine spinning garbles them).
RELATION_TRUST = {
    "verbatim": 1.0,
    "light-edit": 1.0,
    "excerpt": 1.0,
    "rewrite": 0.9,
    "translation": 0.8,
    "machine-rewrite": 0.5,
    "independent": 1.0,
}


@dataclass(slots=True)
class Witnesses:
    parent: dict[str, str | None]
    relation: dict[str, str]
    origin_articles: set[str]
    reliability: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_story(cls, story: Story) -> Witnesses:
        parent = {a: None for a in story.articles}
        relation: dict[str, str] = {}
        for edge in story.lineage:
            parent[edge.article] = edge.parent if edge.parent != edge.article else None
            relation[edge.article] = edge.relation
        origins = {o.article for o in story.origins if o.article and not o.inferred}
        return cls(parent=parent, relation=relation, origin_articles=origins)

    def path(self, article: str) -> list[str]:
        """`article` and its ancestors up to the root (cycles cut)."""
        seen = [article]
        node = self.parent.get(article)
        while node is not None and node not in seen:
            seen.append(node)
            node = self.parent.get(node)
        return seen

    def branch(self, article: str) -> str:
        """The top of `article`'s chain below its origin: the independent line it belongs to."""
        path = self.path(article)
        if path[-1] in self.origin_articles and len(path) > 1:
            return path[-2]
        if len(path) >= 2 and path[-1] not in self.parent:  # an inferred origin (not an article)
            return path[-2]
        return path[-1]

    def depth(self, article: str) -> int:
        """Copies between `article` and its origin: 0 for an origin article, 1 for its direct copies."""
        path = self.path(article)
        if article in self.origin_articles:
            return 0
        ends_at_origin = path[-1] in self.origin_articles or path[-1] not in self.parent
        return len(path) - 1 if ends_at_origin and len(path) > 1 else len(path)

    def weight(self, article: str) -> float:
        if article in self.origin_articles:
            return ORIGIN_WEIGHT
        depth = max(1, self.depth(article))
        trust = RELATION_TRUST.get(self.relation.get(article, ""), 1.0)
        return trust * self.reliability.get(article, 1.0) / (1.0 + 0.5 * (depth - 1))

    def scores(self, readings: dict[str, set[str]]) -> dict[str, float]:
        """Score of each reading (value -> articles carrying it): one vote per branch, by its shallowest voter."""
        voter_of: dict[str, tuple[int, str, str]] = {}
        for value in sorted(readings):
            for article in sorted(readings[value]):
                b = "origin" if article in self.origin_articles else self.branch(article)
                key = (self.depth(article), article, value)
                if b not in voter_of or key < voter_of[b]:
                    voter_of[b] = key
        scores = dict.fromkeys(readings, 0.0)
        for _, article, value in voter_of.values():
            scores[value] += self.weight(article)
        return scores

    def branches(self, articles: set[str]) -> set[str]:
        return {"origin" if a in self.origin_articles else self.branch(a) for a in articles}
