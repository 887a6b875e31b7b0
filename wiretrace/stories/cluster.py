"""Clustering without chaining: average linkage on the sparse verified-pair graph.

Single-link components chain: two earthquakes two weeks apart join through one article that
mentions both. Average linkage merges two groups only if their pairs agree *on average*
(a missing pair counts as 0), so one bridging article cannot join two events. Written by hand
because scipy's linkage needs a dense matrix (quadratic in the corpus); this works on the
sparse graph with a heap, O(E log E), and breaks ties by node number (= rank of article id).
"""

from __future__ import annotations

import heapq

MERGE_THRESHOLD = 0.5  # merge two groups while their average pair probability is at least this


def components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find), each sorted, ordered by smallest node."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(find(x), []).append(x)
    return [groups[r] for r in sorted(groups)]


def average_linkage(
    nodes: list[int], weights: dict[tuple[int, int], float], threshold: float = MERGE_THRESHOLD
) -> list[list[int]]:
    """Groups of `nodes` from sparse average linkage; `weights[(a, b)]` with a < b, absent = 0."""
    members: dict[int, list[int]] = {v: [v] for v in nodes}
    links: dict[int, dict[int, float]] = {v: {} for v in nodes}
    for (a, b), w in weights.items():
        if a in links and b in links and w > 0:
            links[a][b] = links[a].get(b, 0.0) + w
            links[b][a] = links[b].get(a, 0.0) + w
    heap: list[tuple[float, int, int]] = []
    for a in nodes:
        for b, total in links[a].items():
            if a < b and total >= threshold:
                heapq.heappush(heap, (-total, a, b))
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        avg = links[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:  # stale entry: push the current value back
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
        size = len(members[keep])
        for c, total in links[keep].items():
            avg_c = total / (size * len(members[c]))
            if avg_c >= threshold:
                heapq.heappush(heap, (-avg_c, min(keep, c), max(keep, c)))
    return sorted(sorted(m) for m in members.values())
