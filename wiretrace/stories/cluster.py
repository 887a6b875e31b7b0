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


ATTACH_THRESHOLD = 0.6  # chosen on the generator's train split (ARI 0.9818 -> 0.9832); eval split 0.9573 -> 0.9576
ATTACH_MAX_SIZE = 1  # only groups this small are judged from their own side
ATTACH_FLOOR = 0.3  # ... and the two groups' plain average link is at least this


def attach_satellites(
    groups: list[list[int]],
    weights: dict[tuple[int, int], float],
    threshold: float = ATTACH_THRESHOLD,
    floor: float = ATTACH_FLOOR,
) -> list[list[int]]:
    """Join single articles to the larger group they clearly match.

    Average linkage is right between families of similar size, but it strands an excerpt or a
    rewrite of one agency's report when the story also holds another agency's family: the
    excerpt matches its own family well and the other family not at all, so its average over
    the whole story falls below the threshold. Here the smaller group is judged from its own
    side: the mean, over its members, of each one's best link into the larger group. The floor
    on the plain average keeps a single strong link from chaining two events together.
    """
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
            if not small or len(small) > ATTACH_MAX_SIZE:
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
            options = [
                (best[k] / len(small), k)
                for k in best
                if best[k] / len(small) >= threshold and total[k] / (len(small) * len(groups[k])) >= floor
            ]
            if not options:
                continue
            _, target = max(options, key=lambda o: (o[0], -o[1]))
            for v in small:
                where[v] = target
            groups[target] = sorted(groups[target] + small)
            groups[small_k] = []
            changed = True
    return sorted(g for g in groups if g)

