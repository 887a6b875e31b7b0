"""The copy graph of a story drawn as SVG: a layered tree, origins on top, each version below its parent.

Hand-written because the layout is small and specific (layers by depth in the lineage forest,
wide layers wrapped into rows) and must produce a static, script-free picture inside one HTML
file; graph libraries that lay out trees either need Graphviz binaries or draw with JavaScript.
Every label goes through `markupsafe.escape`, so hostile ids, outlets or titles stay text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

RELATION_COLOURS = {
    "verbatim": "#2e7d32",
    "light-edit": "#7cb342",
    "excerpt": "#7e57c2",
    "rewrite": "#1e88e5",
    "machine-rewrite": "#e64a19",
    "translation": "#00897b",
    "independent": "#b8860b",
}
UNKNOWN_COLOUR = "#78909c"
NODE_W, NODE_H = 168, 42
GAP_X, GAP_Y, ROW_GAP = 18, 58, 14
MAX_PER_ROW = 8  # a wider layer wraps, so a 500-version story stays a readable page width
LABEL_CHARS = 24


def _short(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def parent_map(story: dict[str, Any]) -> dict[str, str]:
    """Version -> parent node id, with an origin that is a corpus article replaced by that article."""
    origin_article = {o["id"]: o["article"] for o in story.get("origins", []) if o.get("article")}
    parents: dict[str, str] = {}
    for e in sorted(story.get("lineage", []), key=lambda e: e["article"]):
        p = e.get("parent")
        if p:
            p = origin_article.get(p, p)
            if p != e["article"]:
                parents[e["article"]] = p
    return parents


def depths(nodes: list[str], parents: dict[str, str]) -> dict[str, int]:
    """Depth of each node in the lineage forest; a parent outside `nodes` or a cycle makes a root."""
    known = set(nodes)
    depth: dict[str, int] = {}
    for start in nodes:
        chain: list[str] = []
        on_chain: set[str] = set()
        node = start
        while node not in depth:
            p = parents.get(node)
            if p is None or p not in known or p in on_chain or p == node:
                depth[node] = 0
                break
            chain.append(node)
            on_chain.add(node)
            node = p
        for n in reversed(chain):
            depth[n] = depth[parents[n]] + 1
    return depth


def marker_id(story_id: str) -> str:
    """The arrowhead marker's element id for one story's graph.

    Unique per story because report.html inlines every graph in one document (ids must not
    repeat); a digest rather than the id itself, so any story id gives a valid, quote-free name.
    """
    return "arrow-" + hashlib.sha1(story_id.encode("utf-8")).hexdigest()[:16]


def copy_graph_svg(
    story: dict[str, Any],
    articles: dict[str, dict[str, Any]],
    link: Callable[[str], str],
) -> Markup:
    """An inline SVG of the story's lineage; `link(article_id)` gives each node's href."""
    inferred = {o["id"]: o for o in story.get("origins", []) if not o.get("article")}
    nodes = sorted(set(story.get("articles", [])) | set(inferred))
    if not nodes:
        return Markup("")
    parents = parent_map(story)
    arrow = marker_id(str(story.get("id", "")))
    relation = {e["article"]: e["relation"] for e in story.get("lineage", [])}
    depth = depths(nodes, parents)

    # Layers in order: roots by id, then each layer ordered by its parents' positions.
    position: dict[str, tuple[float, float]] = {}
    order: dict[str, int] = {}
    y = 12.0
    width = 0.0
    for level in range(max(depth.values()) + 1):
        layer = [n for n in nodes if depth[n] == level]
        layer.sort(
            key=lambda n: (
                order.get(parents.get(n, ""), -1),
                (articles.get(n) or {}).get("published") or "",
                n,
            )
        )
        for i, n in enumerate(layer):
            order[n] = i
        for row_start in range(0, len(layer), MAX_PER_ROW):
            row = layer[row_start : row_start + MAX_PER_ROW]
            for k, n in enumerate(row):
                position[n] = (12 + k * (NODE_W + GAP_X), y)
            width = max(width, 12 + len(row) * (NODE_W + GAP_X))
            y += NODE_H + ROW_GAP
        y += GAP_Y - ROW_GAP
    height = y - GAP_Y + ROW_GAP + 12

    parts: list[str] = []
    for n in nodes:  # edges first, so nodes are drawn over them
        p = parents.get(n)
        if p not in position or depth[n] == 0:
            continue
        (px, py), (cx, cy) = position[p], position[n]
        x1, y1, x2, y2 = px + NODE_W / 2, py + NODE_H, cx + NODE_W / 2, cy
        rel = relation.get(n, "")
        colour = RELATION_COLOURS.get(rel, UNKNOWN_COLOUR)
        mid = (y1 + y2) / 2
        dash = ' stroke-dasharray="5 4"' if p in inferred else ""
        parts.append(
            f'<path class="edge" d="M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2 - 4:.0f}"'
            f' stroke="{colour}"{dash} marker-end="url(#{arrow})"><title>{escape(rel)}</title></path>'
        )
        parts.append(
            f'<text x="{(x1 + x2) / 2:.0f}" y="{mid + 3:.0f}" class="edge-label" fill="{colour}">{escape(rel)}</text>'
        )
    for n in nodes:
        x, y0 = position[n]
        if n in inferred:
            o = inferred[n]
            credited = ", ".join(o.get("credited") or []) or "uncredited"
            parts.append(
                f'<g class="node inferred"><title>{escape(n)}: missing origin inferred from'
                f" {len(o.get('articles') or [])} versions</title>"
                f'<rect x="{x:.0f}" y="{y0:.0f}" width="{NODE_W}" height="{NODE_H}" rx="6"'
                f' stroke="#555" stroke-dasharray="6 4"/>'
                f'<text x="{x + 8:.0f}" y="{y0 + 17:.0f}" class="node-title">inferred origin</text>'
                f'<text x="{x + 8:.0f}" y="{y0 + 33:.0f}" class="node-sub">{escape(_short(credited))}</text></g>'
            )
            continue
        a = articles.get(n) or {}
        rel = relation.get(n, "")
        colour = RELATION_COLOURS.get(rel, "#14233a" if depth[n] == 0 else UNKNOWN_COLOUR)
        sub = " · ".join(x for x in ((a.get("published") or "")[:10], a.get("language") or "", rel) if x)
        root = ' class="root"' if depth[n] == 0 else ""
        parts.append(
            f'<a href="{escape(link(n))}"><g class="node"><title>{escape(n)}'
            f"{': ' + escape(a['title']) if a.get('title') else ''}</title>"
            f'<rect x="{x:.0f}" y="{y0:.0f}" width="{NODE_W}" height="{NODE_H}" rx="6" stroke="{colour}"'
            f"{root}/>"
            f'<text x="{x + 8:.0f}" y="{y0 + 17:.0f}" class="node-title">{escape(_short(a.get("outlet") or n))}</text>'
            f'<text x="{x + 8:.0f}" y="{y0 + 33:.0f}" class="node-sub">{escape(_short(sub, 30))}</text></g></a>'
        )
    return Markup(
        f'<svg class="copy-graph" xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}"'
        f' height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}"><desc>copy graph: origins on top,'
        " each version below its parent, edges coloured by relation</desc>"
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
        ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#78909c"/></marker></defs>'
        + "".join(parts)
        + "</svg>"
    )
