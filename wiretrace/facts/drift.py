"""`find_drift`: the facts that changed as a story was copied, and what the original said.

1. Sentence groups of the story (groups.py), facts of every sentence (extract.py); names only
   where a sentence can drift, and a changed name typed by the whole story's mentions.
2. Each aligned sentence pair is diffed fact by fact (compare.py); unaligned sentences about the
   same event are checked for conflicting counts (events.py).
3. Disagreeing readings of one statement are joined into one `Drift`; its reading is decided by
   the copy graph (witnesses.py), in two passes so versions that lose clear votes count less in
   close ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from wiretrace.config import Settings
from wiretrace.data import Article, Drift, Story, Variant
from wiretrace.facts.compare import SEVERITY_ORDER, Discrepancy, compare_facts, differing_words
from wiretrace.facts.events import event_conflicts
from wiretrace.facts.extract import MAX_SENTENCE_CHARS, extract_many
from wiretrace.facts.groups import Node, SentenceGraph, sentence_graph
from wiretrace.facts.names import canonical
from wiretrace.facts.quotes import CLOSE_CUT, open_quotes
from wiretrace.facts.record import NAME_KINDS, NEGATION, NUMBER, Fact
from wiretrace.facts.witnesses import Witnesses
from wiretrace.ingest.metadata import dateline_end

DATELINE_SENTENCES = 3  # a dateline opens one of an article's first sentences (a headline may come first)


@dataclass(slots=True)
class _Cluster:
    """Disagreeing readings of one statement: value key -> carriers, and the surface shown for each."""

    kind: str
    group: str
    carriers: dict[str, set[Node]] = field(default_factory=lambda: defaultdict(set))
    surfaces: dict[str, dict[Node, str]] = field(default_factory=lambda: defaultdict(dict))
    severity: str = "rounding"


def value_key(fact: Fact) -> str:
    """What two facts must share to be the same reading (a hedged "at least 46" is not "46")."""
    if fact.kind == NUMBER:
        return fact.value + ("~" if fact.approximate else "")
    return fact.value


def story_facts(graph: SentenceGraph) -> dict[Node, list[Fact]]:
    """The facts of every sentence of the story, with names and quotes only where they can drift.

    A group whose sentences all read the same cannot disagree within itself, and the only other
    comparison (events.py: unaligned sentences about one event) needs a counted number: the other
    sentences get the name-free facts, which spares the name tagger most of a story of copies.
    Within a varied group, readings that differ only in lower-case words share one tagging.
    """

    def item(node: Node) -> tuple[str, str | None]:
        return graph.text(node), graph.languages.get(node[0])

    varied = {n for group in graph.groups if len({item(m) for m in group}) > 1 for n in group}
    same = [(a, i) for a in sorted(graph.texts) for i in range(len(graph.texts[a])) if (a, i) not in varied]
    facts = dict(zip(same, extract_many([item(n) for n in same], names=False), strict=True))
    full = sorted(varied | {n for n in same if any(f.kind == NUMBER and f.counted for f in facts[n])})
    index = {n: i for i, n in enumerate(full)}
    groups = [[index[n] for n in group] for group in graph.groups if group and group[0] in varied]
    facts.update(zip(full, extract_many([item(n) for n in full], groups=groups), strict=True))
    # a dateline ("PORTO VELHO, Brazil (AFP) -") names where the report was filed, not what happened:
    # two agencies filing from different towns do not disagree about a place
    for node in sorted(facts):
        end = dateline_end(graph.text(node)) if node[1] < DATELINE_SENTENCES else 0
        if end:
            facts[node] = [f for f in facts[node] if not (f.kind in NAME_KINDS and f.span[0] < end)]
    # a quote read from a lone closing mark needs an opening mark in an earlier sentence
    for article in sorted(graph.texts):
        for i, is_open in enumerate(open_quotes([t[:MAX_SENTENCE_CHARS] for t in graph.texts[article]])):
            node = (article, i)
            if not is_open and any(f.extra.get("cut") == CLOSE_CUT for f in facts[node]):
                facts[node] = [f for f in facts[node] if f.extra.get("cut") != CLOSE_CUT]
    return facts


def name_kinds(facts: dict[Node, list[Fact]]) -> dict[str, Counter]:
    """How the tagger typed each name across the story's sentences (value -> kind -> mentions)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for node in sorted(facts):
        for f in facts[node]:
            if f.kind in NAME_KINDS and not f.extra.get("untagged"):
                out[f.value][f.kind] += 1
    return out


def story_kind(d: Discrepancy, kinds: dict[str, Counter]) -> str:
    """The kind of a changed name: the gazetteer's when it knows the name, else the kind the tagger
    gave both names most often across the story (one sentence's context can mistype a surname as a
    place; the story's other mentions outvote it)."""
    changed_a, changed_b = differing_words(d.a.surface, d.b.surface)
    if canonical(changed_a)[1] or canonical(changed_b)[1]:
        return d.kind
    votes = kinds.get(d.a.value, Counter()) + kinds.get(d.b.value, Counter())
    if not votes:
        return d.kind
    best = max(votes.values())
    return d.kind if votes[d.kind] == best else min(k for k, n in votes.items() if n == best)


def _clusters(graph: SentenceGraph, facts: dict[Node, list[Fact]]) -> list[_Cluster]:
    """Discrepancies of every aligned pair and every same-event pair, joined per statement and kind."""
    found: list[tuple[str, str, Node, Fact, Node, Fact, str]] = []
    kinds = name_kinds(facts)
    # copies repeat sentences: each distinct (sentence, sentence, languages) pair is diffed once
    diffs: dict[tuple[str, str, str | None, str | None], list] = {}
    for na, nb, _pair in graph.edges:
        la, lb = graph.languages.get(na[0]), graph.languages.get(nb[0])
        ta, tb = graph.text(na), graph.text(nb)
        if ta == tb:
            continue
        key = (ta, tb, la, lb)
        if key not in diffs:
            cross = bool(la and lb and la != lb)
            diffs[key] = compare_facts(ta, facts[na], tb, facts[nb], cross, la)
        for d in diffs[key]:
            kind = story_kind(d, kinds) if d.kind in NAME_KINDS else d.kind
            found.append((f"g{graph.group_of[na]}", kind, na, d.a, nb, d.b, d.severity))

    def related(a: Node, b: Node) -> bool:
        return graph.group_of[a] == graph.group_of[b]

    rows = [(n, graph.text(n), facts[n]) for n in sorted(facts)]
    for na, x, nb, y in event_conflicts(rows, related):
        ga, gb = sorted((graph.group_of[na], graph.group_of[nb]))
        found.append((f"e{ga}-{gb}", NUMBER, na, x, nb, y, "meaning"))
    # union-find over (statement, kind, value) so a chain of changes stays one drift
    parent: dict[tuple[str, str, str], tuple[str, str, str]] = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    # a sentence reading two of the values counts two different things: never join those values
    nodes_of: dict[tuple[str, str, str], set[Node]] = defaultdict(set)
    for group, kind, na, x, nb, y, _sev in found:
        nodes_of[(group, kind, value_key(x))].add(na)
        nodes_of[(group, kind, value_key(y))].add(nb)
    for group, kind, _na, x, _nb, y, _sev in found:
        ka, kb = find((group, kind, value_key(x))), find((group, kind, value_key(y)))
        if ka != kb and not nodes_of[ka] & nodes_of[kb]:
            parent[max(ka, kb)] = min(ka, kb)
            nodes_of[min(ka, kb)] |= nodes_of[max(ka, kb)]
    clusters: dict[tuple[str, str, str], _Cluster] = {}
    for group, kind, na, x, nb, y, severity in found:
        root = find((group, kind, value_key(x)))
        if root != find((group, kind, value_key(y))):
            continue  # a pairing the guard above refused
        cluster = clusters.setdefault(root, _Cluster(kind=kind, group=group))
        for node, fact in ((na, x), (nb, y)):
            cluster.carriers[value_key(fact)].add(node)
            cluster.surfaces[value_key(fact)][node] = fact.surface or "(no negation)"
        if SEVERITY_ORDER[severity] > SEVERITY_ORDER[cluster.severity]:
            cluster.severity = severity
    # other sentences of the statement that carry one of the readings are witnesses too
    for cluster in clusters.values():
        if cluster.kind == NEGATION:
            continue
        groups = [int(g) for g in cluster.group[1:].split("-")]
        for gid in groups:
            for node in graph.groups[gid]:
                for fact in facts[node]:
                    key = value_key(fact)
                    if fact.kind == cluster.kind and key in cluster.carriers and node not in cluster.carriers[key]:
                        cluster.carriers[key].add(node)
                        cluster.surfaces[key][node] = fact.surface
    return [clusters[k] for k in sorted(clusters)]


def _decide(cluster: _Cluster, witnesses: Witnesses) -> list[tuple[str, float]]:
    """Readings ranked: copy-graph score, then how well each explains the others (medoid), then value."""
    readings = {v: {n[0] for n in nodes} for v, nodes in cluster.carriers.items()}
    scores = witnesses.scores(readings)

    def centrality(v: str) -> float:
        others = [w for w in readings if w != v]
        return sum(fuzz.ratio(v, w) for w in others) / max(1, len(others))

    ranked = sorted(readings, key=lambda v: (-round(scores[v], 9), -centrality(v), v))
    return [(v, scores[v]) for v in ranked]


def _to_drift(cluster: _Cluster, ranked: list[tuple[str, float]], graph: SentenceGraph, witnesses: Witnesses) -> Drift:
    variants = []
    for value, _ in ranked:
        nodes = sorted(cluster.carriers[value], key=lambda n: (-witnesses.weight(n[0]), n))
        best = nodes[0]
        variants.append(
            Variant(
                value=cluster.surfaces[value][best], articles=sorted({n[0] for n in nodes}), sentence=graph.text(best)
            )
        )
    return Drift(kind=cluster.kind, reading=variants[0].value, variants=variants, severity=cluster.severity)


def find_drift(story: Story, articles: dict[str, Article], settings: Settings | None = None, alignments=None) -> Story:
    """Fill `story.drift` with the facts that differ between the story's versions.

    `alignments` (a `wiretrace.align.StoryAlignments` from the lineage stage) is used when given;
    otherwise the versions are aligned here.
    """
    members = [a for a in story.articles if a in articles]
    if len(members) < 2:
        return replace(story, drift=[])
    graph = sentence_graph(story, articles, settings, alignments)
    facts = story_facts(graph)
    clusters = [c for c in _clusters(graph, facts) if len(c.carriers) >= 2]
    witnesses = Witnesses.from_story(story)
    # pass 1: who loses clear votes; pass 2: decide with that reliability
    wins: dict[str, int] = defaultdict(int)
    losses: dict[str, int] = defaultdict(int)
    for cluster in clusters:
        ranked = _decide(cluster, witnesses)
        if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
            for value, _ in ranked:
                for article in {n[0] for n in cluster.carriers[value]}:
                    if value == ranked[0][0]:
                        wins[article] += 1
                    else:
                        losses[article] += 1
    witnesses.reliability = {a: (wins[a] + 1) / (wins[a] + losses[a] + 2) * 2 for a in members}
    drift = [_to_drift(c, _decide(c, witnesses), graph, witnesses) for c in clusters]
    drift.sort(key=lambda d: (d.kind, d.reading, [v.value for v in d.variants]))
    return replace(story, drift=drift)


def drift_by_group(story: Story, graph: SentenceGraph) -> dict[int, list[Variant]]:
    """Variants of each sentence group's drifted facts (for the consensus stage)."""
    where: dict[tuple[str, int], int] = {}
    for gid, nodes in enumerate(graph.groups):
        for a, i in nodes:
            where[(a, graph.texts[a][i])] = gid
    out: dict[int, list[Variant]] = defaultdict(list)
    for d in story.drift:
        gids = {where[(a, v.sentence)] for v in d.variants for a in v.articles if (a, v.sentence) in where}
        for gid in sorted(gids):
            out[gid].extend(v for v in d.variants if v not in out[gid])
    return out
