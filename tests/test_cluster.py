"""Clustering on arrays: the same groups, merge for merge, as the dict-of-dicts algorithm it replaced."""

from __future__ import annotations

import heapq
import random

import networkx as nx
import numpy as np
import pytest

from wiretrace.stories.cluster import ATTACH_MAX_SIZE, Links, attach_satellites, average_linkage, components


def _reference_linkage(nodes: list[int], weights: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """The per-pair dict version (the specification: best average first, ties by node number)."""
    members = {v: [v] for v in nodes}
    links: dict[int, dict[int, float]] = {v: {} for v in nodes}
    for (a, b), w in weights.items():
        if a in links and b in links and w > 0:
            links[a][b] = links[a].get(b, 0.0) + w
            links[b][a] = links[b].get(a, 0.0) + w
    heap = [(-t, a, b) for a in nodes for b, t in links[a].items() if a < b and t >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        avg = links[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:
            if avg >= threshold:
                heapq.heappush(heap, (-avg, a, b))
            continue
        if avg < threshold:
            continue
        keep, drop = min(a, b), max(a, b)
        members[keep].extend(members.pop(drop))
        for c, total in links.pop(drop).items():
            links[c].pop(drop, None)
            if c != keep:
                links[keep][c] = links[keep].get(c, 0.0) + total
                links[c][keep] = links[keep][c]
        links[keep].pop(drop, None)
        for c, total in links[keep].items():
            if total / (len(members[keep]) * len(members[c])) >= threshold:
                heapq.heappush(heap, (-total / (len(members[keep]) * len(members[c])), min(keep, c), max(keep, c)))
    return sorted(sorted(m) for m in members.values())


class Columns:
    """Weights as (a, b, w) arrays, the way the stories stage hands them over."""

    def __init__(self, weights: dict[tuple[int, int], float]) -> None:
        self.a = np.array([a for a, _ in weights], dtype=np.int64)
        self.b = np.array([b for _, b in weights], dtype=np.int64)
        self.w = np.array(list(weights.values()), dtype=np.float64)

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.a, self.b, self.w


def _random_graph(rng: random.Random, ties: bool) -> tuple[list[int], dict[tuple[int, int], float]]:
    """Planted families plus noise; with `ties`, weights from a few values so equal averages are common."""
    nodes = sorted(rng.sample(range(400), rng.randint(1, 60)))
    family = {v: rng.randrange(max(len(nodes) // 6, 1)) for v in nodes}
    weights: dict[tuple[int, int], float] = {}
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            same = family[a] == family[b]
            if rng.random() < (0.7 if same else 0.08):
                if ties:
                    weights[(a, b)] = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0] if same else [0.0, 0.25, 0.5, 0.6])
                else:
                    weights[(a, b)] = rng.uniform(0.4, 1.0) if same else rng.uniform(-0.1, 0.7)
    return nodes, weights


@pytest.mark.parametrize("ties", [False, True])
def test_average_linkage_matches_the_dict_algorithm(ties):
    rng = random.Random(7 + ties)
    for _ in range(150):
        nodes, weights = _random_graph(rng, ties)
        threshold = rng.choice([0.3, 0.5, 0.6])
        expected = _reference_linkage(nodes, weights, threshold)
        assert average_linkage(nodes, weights, threshold) == expected
        assert average_linkage(nodes, Columns(weights), threshold) == expected


def test_average_linkage_ties_go_to_the_smaller_nodes():
    # 0-1 and 1-2 are equally strong: the pair with the smaller nodes merges first, then 2 averages 0.5 / 2
    weights = {(0, 1): 0.9, (1, 2): 0.9}
    assert average_linkage([0, 1, 2], weights, 0.5) == [[0, 1], [2]]
    assert average_linkage([0, 1, 2], {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.2}, 0.5) == [[0, 1, 2]]


def test_average_linkage_ignores_hostile_weights():
    weights = {(0, 1): float("nan"), (1, 2): -1.0, (2, 3): 0.9, (3, 99): 1.0}  # 99 is not a node
    assert average_linkage([0, 1, 2, 3], weights) == [[0], [1], [2, 3]]
    assert average_linkage([], {}) == []
    assert average_linkage([5], {}) == [[5]]


def _reference_attach(groups, weights, threshold=0.6, floor=0.3, max_size=ATTACH_MAX_SIZE):
    """The adjacency-dict version of `attach_satellites` (the specification)."""
    groups = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    where = {v: k for k, g in enumerate(groups) for v in g}
    adjacent: dict[int, list[tuple[int, float]]] = {}
    for (a, b), w in sorted(weights.items()):
        if w > 0:
            adjacent.setdefault(a, []).append((b, w))
            adjacent.setdefault(b, []).append((a, w))
    changed = True
    while changed:
        changed = False
        for small_k in range(len(groups) - 1, -1, -1):
            small = groups[small_k]
            if not small or len(small) > max_size:
                continue
            best: dict[int, float] = {}
            total: dict[int, float] = {}
            for v in small:
                per_group: dict[int, float] = {}
                for other, w in adjacent.get(v, ()):
                    k = where.get(other)
                    if k is None or k == small_k or len(groups[k]) < len(small):
                        continue
                    per_group[k] = max(per_group.get(k, 0.0), w)
                    total[k] = total.get(k, 0.0) + w
                for k, w in per_group.items():
                    best[k] = best.get(k, 0.0) + w
            options = [(best[k] / len(small), k) for k in best
                       if best[k] / len(small) >= threshold and total[k] / (len(small) * len(groups[k])) >= floor]
            if options:
                _, target = max(options, key=lambda o: (o[0], -o[1]))
                for v in small:
                    where[v] = target
                groups[target] = sorted(groups[target] + small)
                groups[small_k] = []
                changed = True
    return sorted(g for g in groups if g)


@pytest.mark.parametrize("max_size", [1, 2, 3])
def test_attach_satellites_matches_the_dict_algorithm(max_size):
    rng = random.Random(3)
    for _ in range(100):
        nodes, weights = _random_graph(rng, ties=True)
        groups = _reference_linkage(nodes, weights, 0.5)
        expected = _reference_attach(groups, weights, max_size=max_size)
        assert attach_satellites(groups, Columns(weights), max_size=max_size) == expected
        assert attach_satellites(groups, weights, max_size=max_size) == expected


def test_attach_satellites_joins_a_small_family_to_the_other_agencys():
    # agency A's family {0..4}; agency B's report 5 with its copy 6: B's report matches A's closely,
    # its copy less so, and the two families' plain average is low (copies of A do not match B well)
    weights = {(i, j): 0.9 for i in range(5) for j in range(i + 1, 5)} | {(5, 6): 0.95}
    weights |= {(0, 5): 0.75, (0, 6): 0.7, (1, 5): 0.3, (2, 5): 0.3, (4, 5): 0.3}
    weights |= {(1, 6): 0.25, (2, 6): 0.3, (3, 6): 0.2}
    groups = [[0, 1, 2, 3, 4], [5, 6]]
    assert attach_satellites(groups, weights, max_size=1) == groups
    assert attach_satellites(groups, weights, max_size=2) == [[0, 1, 2, 3, 4, 5, 6]]


def test_attach_satellites_joins_a_stranded_excerpt():
    # family A {0,1,2} and family B {3,4,5} of one story; excerpt 6 matches A strongly and B not at all
    weights = {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.9, (3, 4): 0.9, (3, 5): 0.9, (4, 5): 0.9, (0, 6): 0.8, (1, 6): 0.7}
    assert attach_satellites([[0, 1, 2], [3, 4, 5], [6]], weights) == [[0, 1, 2, 6], [3, 4, 5]]


def test_components_match_networkx():
    rng = np.random.default_rng(5)
    for n in (0, 1, 7, 300):
        m = int(rng.integers(0, 2 * n + 1)) if n else 0
        edges = rng.integers(0, max(n, 1), size=(m, 2)) if n else np.zeros((0, 2), dtype=np.int64)
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(edges.tolist())
        expected = sorted(sorted(c) for c in nx.connected_components(graph))
        assert components(n, edges) == expected
        assert components(n, [tuple(e) for e in edges.tolist()]) == expected


def test_components_of_a_long_chain():
    n = 2000
    order = np.random.default_rng(1).permutation(n)  # a path visiting the nodes in random order
    edges = np.stack([order[:-1], order[1:]], axis=1)
    assert components(n, edges) == [list(range(n))]


def test_links_rows_are_symmetric_and_sorted():
    links = Links(5, np.array([3, 0, 1, 2]), np.array([1, 4, 0, 2]), np.array([0.5, 0.25, 0.75, 0.9]))
    nbr, val = links.row(1)
    assert nbr.tolist() == [0, 3] and val.tolist() == [0.75, 0.5]
    assert links.row(4)[0].tolist() == [0] and links.row(2)[0].size == 0  # the self pair is dropped
