"""Why versions get the wrong parent in the generated benchmark: one row per wrong parent of the
kinds asked for, with the true derivation chain and the evidence the tracer had.

    .venv/bin/python -m bench.lineage.wrong_parents --split train --kind depth [--show 20]

`--kind` is a `wrong_parent_cells` cell of bench/lineage/generated.py ("grandparent or above",
"inferred origin, truth a member", ...) or `depth` for both of those (versions hung above their
true parent). For each case: the true chain as generator operators (grandparent's -> parent's ->
version's: "excerpt>excerpt" is an excerpt of an excerpt), the relation the relation model gives
the version against its true parent and against the chosen one, and why the inheritance test of
`trace._closest_ancestor` did not accept the true parent (`why`: swaps not inherited, a dropped
sentence restored, no mutation to inherit, containment or added lines explained by chance, ...).
The tracer's own mutation records are captured as it runs (a wrapper around
`_place_by_inheritance`), so the reasons are the tracer's, not a re-computation. Measures; asserts
nothing. Results: printed, and the counts saved as `wrong_parents_<split>` in results.json.
"""

from __future__ import annotations

import argparse
from collections import Counter
from contextlib import contextmanager

from bench.lineage.common import save_result
from bench.lineage.generated import CREDIT_SHARE, INFERRED, build, parent_cell
from wiretrace.align import EmbeddingCache
from wiretrace.align.aligner import align_units
from wiretrace.data import Story
from wiretrace.lineage import classify, relation_features, trace
from wiretrace.lineage.timing import published_after

DEPTH = ("grandparent or above", "inferred origin, truth a member")


def _trace_module():
    import importlib

    return importlib.import_module("wiretrace.lineage.trace")


@contextmanager
def capture_placements(log: list[dict]):
    """Record every call of the tracer's `_place_by_inheritance`: its versions, root, mutations
    (what each version changed in the family's origin), the family rates and the parents chosen."""
    module = _trace_module()
    original = module._place_by_inheritance

    def wrapper(versions, root, mutations, articles, origin_size=None):
        parents = original(versions, root, mutations, articles, origin_size)
        rates = module._FamilyRates.of(mutations, origin_size) if origin_size else None
        log.append({"root": root, "mutations": mutations, "rates": rates, "parents": dict(parents)})
        return parents

    module._place_by_inheritance = wrapper
    try:
        yield
    finally:
        module._place_by_inheritance = original


def why_not(child: str, parent: str, family: dict, articles: dict) -> str:
    """Why the inheritance test did not take `parent` for `child` (the branches of `_closest_ancestor`)."""
    module = _trace_module()
    mutations, rates = family["mutations"], family["rates"]
    if parent == family["root"]:
        return "true parent is the origin"
    if parent not in mutations:
        return "true parent not placed in this family"
    if published_after(articles[parent], articles[child]):
        return "true parent dated after it"
    mine, theirs = mutations.get(child), mutations[parent]
    if mine is None or theirs is None:
        return "other language"
    if not mine:
        return "child has no mutation"
    if not theirs:
        return "parent has no mutation (a copy of the origin)"
    dropped = {m for m in mine if m[0] == "drop"}
    visible = {m for m in theirs if m[0] == "drop" or (m[0] == "swap" and ("drop", m[1]) not in dropped)}
    swaps = [m for m in visible if m[0] == "swap"]
    drops = [m for m in visible if m[0] == "drop"]
    added = {m for m in theirs if m[0] == "add"}
    restored = sum(m not in dropped for m in drops)
    if restored > (1.0 - module.INHERIT_MIN) * len(drops):
        return f"restores {restored} of the parent's {len(drops)} drops"
    if swaps:
        kept = sum(m in mine for m in swaps)
        if kept < module.INHERIT_MIN * len(swaps):
            return f"keeps {kept} of the parent's {len(swaps)} swaps"
        return "inherits the swaps (lost on ranking or order)"
    if any(m[0] == "swap" for m in theirs):
        return "parent's swaps all fell where the child dropped"
    parts = []
    if added:
        carried = added & mine
        chance = rates.chance_added(carried) if rates and carried else 1.0
        parts.append(f"carries {len(carried)}/{len(added)} added lines (chance {chance:.2f})")
    if drops:
        chance = rates.chance_inside(mine, theirs) if rates else 1.0
        parts.append(f"inside the parent (chance {chance:.2f})")
    if not parts:
        return "nothing to inherit"
    return "no swaps; " + "; ".join(parts)


def _ops(article: str, truth: dict) -> str:
    t = truth[article]
    parent = t["parent"]
    if parent is None:
        return "root"
    if parent == INFERRED:
        return f"missing>{t['operator']}"
    return f"{truth[parent]['operator']}>{t['operator']}"


def _relation(child: str, parent: str | None, articles: dict, cache: EmbeddingCache) -> str:
    if parent is None or parent not in articles:
        return "-"
    uc, up = cache.units(articles[child]), cache.units(articles[parent])
    lo, hi = sorted((child, parent))
    al = align_units(cache.units(articles[lo]), cache.units(articles[hi]))
    pairs = al.pairs if lo == child else [type(p)(a=p.b, b=p.a, similarity=p.similarity, kind=p.kind) for p in al.pairs]
    cross = bool(uc.language and up.language and uc.language != up.language)
    return classify(relation_features(uc.texts, up.texts, pairs, cross))[0]


def collect(cases, cache: EmbeddingCache, kinds: tuple[str, ...]) -> list[dict]:
    rows: list[dict] = []
    for story_id, articles, truth, _missing, _undecidable in cases:
        log: list[dict] = []
        with capture_placements(log):
            story = trace(Story(id=story_id, articles=sorted(articles)), articles, cache=cache)
        origins = {o.id: o for o in story.origins}
        for e in story.lineage:
            t = truth[e.article]
            right = (e.parent in origins and origins[e.parent].inferred) if t["parent"] == INFERRED else (
                e.parent == t["parent"]
            )
            if right:
                continue
            cell = parent_cell(e.article, e.parent, truth, origins)
            if cell not in kinds:
                continue
            family = next((f for f in log if e.article in f["parents"]), None)
            true_parent = t["parent"]
            rows.append(
                {
                    "story": story_id,
                    "article": e.article,
                    "cell": cell,
                    "chain": _ops(e.article, truth),
                    "parent_chain": _ops(true_parent, truth) if true_parent not in (None, INFERRED) else "none",
                    "chosen": e.parent,
                    "relation_truth": t["relation"],
                    "relation_to_true_parent": _relation(e.article, true_parent, articles, cache),
                    "relation_to_chosen": e.relation,
                    "why": why_not(e.article, true_parent, family, articles) if family else "no placement",
                    "dated": f"{t['dated']}/{t['parent_dated']}",
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--split", default="train")
    parser.add_argument("--kind", default="depth", help="a wrong_parent_cells cell, or 'depth' for both depth cells")
    parser.add_argument("--dates", choices=("causal", "generator", "none"), default="causal")
    parser.add_argument("--credits", type=float, default=CREDIT_SHARE)
    parser.add_argument("--show", type=int, default=0, help="print this many cases in full")
    args = parser.parse_args()
    kinds = DEPTH if args.kind == "depth" else (args.kind,)
    cases = build(args.split, args.stories, dates=args.dates, credits=args.credits)
    rows = collect(cases, EmbeddingCache(), kinds)
    chains = Counter((r["cell"], r["chain"]) for r in rows)
    grand = Counter((r["cell"], f"{r['parent_chain'].split('>')[0]}>{r['chain']}") for r in rows)
    print(f"{len(rows)} wrong parents of kinds {kinds}\n\nby true chain (parent's operator > version's):")
    for (cell, chain), n in sorted(chains.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4d}  {cell:34s} {chain}")
    print("\nby the true parent's operator (what the version could inherit from it):")
    by_parent = Counter((r["cell"], r["chain"].split(">")[0]) for r in rows)
    for (cell, op), n in sorted(by_parent.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4d}  {cell:34s} {op}")
    print("\nby full chain (grandparent > parent > version):")
    for (cell, chain), n in sorted(grand.items(), key=lambda kv: (-kv[1], kv[0]))[:25]:
        print(f"  {n:4d}  {cell:34s} {chain}")
    print("\nwhy the true parent was not taken:")
    generic = Counter((r["cell"], _bucket(r["why"])) for r in rows)
    for (cell, why), n in sorted(generic.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4d}  {cell:34s} {why}")
    for r in rows[: args.show]:
        print(r)
    save_result(
        f"wrong_parents_{args.split}",
        {
            "command": f".venv/bin/python -m bench.lineage.wrong_parents --split {args.split} --kind {args.kind}",
            "cases": len(rows),
            "by_parent_operator": {
                f"{c} | {k}": n for (c, k), n in sorted(by_parent.items(), key=lambda kv: (-kv[1], kv[0]))
            },
            "by_chain": {f"{c} | {k}": n for (c, k), n in sorted(chains.items(), key=lambda kv: (-kv[1], kv[0]))},
            "by_reason": {f"{c} | {k}": n for (c, k), n in sorted(generic.items(), key=lambda kv: (-kv[1], kv[0]))},
        },
    )


def _bucket(why: str) -> str:
    """A reason with its chance figures reduced to below/above the significance level."""
    import re

    module = _trace_module()
    return re.sub(
        r"chance (\d\.\d+)",
        lambda m: "chance<0.05" if float(m.group(1)) < module.CONTAINMENT_MAX_CHANCE else "chance>=0.05",
        why,
    )


if __name__ == "__main__":
    main()
