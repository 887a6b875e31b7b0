"""Score `wiretrace analyze examples/` against examples/TRUTH.json: stories, families, parents,
relations and planted drift. The corpus is small (11 articles), so this is a demo check, not an
accuracy claim; the accuracy benchmarks are bench/stories, bench/lineage and bench/facts.

    .venv/bin/python -m bench.examples.run [--report out/demo/report.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def score(report: dict, truth: dict) -> dict:
    found = {a: s["id"] for s in report["stories"] for a in s["articles"]}
    true_story = {a: s["id"] for s in truth["stories"] for a in s["articles"]}
    ids = sorted(true_story)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    same_true = {(a, b) for a, b in pairs if true_story[a] == true_story[b]}
    same_found = {(a, b) for a, b in pairs if a in found and b in found and found[a] == found[b]}
    stories_exact = same_true == same_found
    edges = {e["article"]: e for s in report["stories"] for e in s["lineage"]}
    origins = {o["id"]: o for s in report["stories"] for o in s["origins"]}
    rel_ok = par_ok = total = 0
    rows = []
    for story in truth["stories"]:
        for fam in story.get("families", []):
            for v in fam["versions"]:
                total += 1
                e = edges.get(v["id"], {})
                relation_ok = e.get("relation") == v["relation"]
                parent = e.get("parent")
                if parent in origins and origins[parent]["article"] is None:
                    parent = None if v["parent"] is None else parent
                parent_ok = parent == v["parent"] or parent in v.get("also_acceptable_parents", [])
                rel_ok += relation_ok
                par_ok += parent_ok
                rows.append((v["id"][:40], v["relation"], e.get("relation"), v["parent"] and v["parent"][:30],
                             parent and parent[:30]))
    planted = truth.get("drift", [])
    changed = [
        (v["value"].lower(), set(v["articles"]))
        for s in report["stories"]
        for d in s["drift"]
        for v in d["variants"]
        if v["value"] != d["reading"]
    ]

    def caught(p: dict) -> bool:
        """A planted change is caught when a non-original variant carried by its articles names it."""
        phrase = str(p.get("changed", "")).lower()
        return any(
            arts & set(p.get("articles", [])) and value and (value in phrase or phrase in value)
            for value, arts in changed
        )

    caught_list = [p for p in planted if caught(p)]
    return {
        "stories_exact": stories_exact,
        "pair_precision": len(same_true & same_found) / max(1, len(same_found)),
        "pair_recall": len(same_true & same_found) / max(1, len(same_true)),
        "relation_accuracy": rel_ok / max(1, total),
        "parent_accuracy": par_ok / max(1, total),
        "planted_drift_caught": f"{len(caught_list)}/{len(planted)}",
        "drift_entries": sum(len(s["drift"]) for s in report["stories"]),
        "versions": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default=str(ROOT / "out" / "demo" / "report.json"))
    args = parser.parse_args()
    report = json.loads(Path(args.report).read_text(encoding="utf-8"))
    truth = json.loads((ROOT / "examples" / "TRUTH.json").read_text(encoding="utf-8"))
    result = score(report, truth)
    for row in result.pop("versions"):
        vid, truth_rel, found_rel, truth_parent, found_parent = (str(x) for x in row)
        print(f"  {vid:<40} truth {truth_rel:<16} found {found_rel:<16} parent {truth_parent:<30} found {found_parent}")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
