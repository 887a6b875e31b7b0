"""The outlets view: what each outlet does with stories, measured from its behaviour in this corpus.

No rating list: an outlet's profile is how many stories it carries, the relations its versions
have to their parents (how often it copies verbatim, spins, translates) and the drifted facts it
introduced first, i.e. it published a variant reading that none of its ancestors in the copy
graph carried.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from wiretrace.report.graph import parent_map

UNKNOWN_OUTLET = "(unknown outlet)"


def ancestors(article: str, parents: dict[str, str]) -> list[str]:
    """Parents, grandparents, ... of `article`, stopping at a root or a cycle."""
    seen: list[str] = []
    node = parents.get(article)
    while node is not None and node not in seen and node != article:
        seen.append(node)
        node = parents.get(node)
    return seen


def introducers(story: dict[str, Any], variant_articles: list[str]) -> list[str]:
    """The articles of a drift variant that carry it first: none of their ancestors carries it."""
    parents = parent_map(story)
    carrying = set(variant_articles)
    return sorted(a for a in carrying if not carrying.intersection(ancestors(a, parents)))


def outlet_profiles(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per outlet, most articles first: stories, relations published, drift introduced."""
    outlet_of = {a["id"]: a.get("outlet") or UNKNOWN_OUTLET for a in doc["articles"]}
    rows: dict[str, dict[str, Any]] = {}

    def row(outlet: str) -> dict[str, Any]:
        return rows.setdefault(
            outlet,
            {"outlet": outlet, "articles": 0, "stories": set(), "relations": Counter(), "introduced": []},
        )

    for a in doc["articles"]:
        row(outlet_of[a["id"]])["articles"] += 1
    for s in doc["stories"]:
        for aid in s["articles"]:
            row(outlet_of.get(aid, UNKNOWN_OUTLET))["stories"].add(s["id"])
        for e in s.get("lineage", []):
            row(outlet_of.get(e["article"], UNKNOWN_OUTLET))["relations"][e["relation"]] += 1
        for d in s.get("drift", []):
            for v in d["variants"]:
                if v["value"] == d["reading"]:
                    continue
                for aid in introducers(s, v["articles"]):
                    row(outlet_of.get(aid, UNKNOWN_OUTLET))["introduced"].append(
                        {
                            "story": s["id"],
                            "article": aid,
                            "kind": d["kind"],
                            "reading": d["reading"],
                            "value": v["value"],
                        }
                    )
    out = []
    for r in rows.values():
        typed = sum(r["relations"].values())
        out.append(
            {
                "outlet": r["outlet"],
                "articles": r["articles"],
                "stories": len(r["stories"]),
                "relations": sorted(r["relations"].items(), key=lambda kv: (-kv[1], kv[0])),
                "typed": typed,
                "introduced": sorted(
                    r["introduced"], key=lambda x: (x["story"], x["article"], x["kind"], x["value"])
                ),
            }
        )
    return sorted(out, key=lambda r: (-r["articles"], r["outlet"]))
