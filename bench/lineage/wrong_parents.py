"""Why versions get the wrong parent in the generated benchmark: one row per wrong parent of the
kinds asked for, with the true derivation chain and the evidence the tracer had.

    .venv/bin/python -m bench.lineage.wrong_parents --split train --kind depth [--show 20]
    .venv/bin/python -m bench.lineage.wrong_parents --split train --kind origin [--show 20]

`--kind` is a `wrong_parent_cells` cell of bench/lineage/generated.py ("grandparent or above",
"inferred origin, truth a member", ...) or `depth` for both of those (versions hung above their
true parent). For each case: the true chain as generator operators (grandparent's -> parent's ->
version's: "excerpt>excerpt" is an excerpt of an excerpt), the relation the relation model gives
the version against its true parent and against the chosen one, and why the inheritance test of
`parents.closest_ancestor` did not accept the true parent (`why`: swaps not inherited, a dropped
sentence restored, no mutation to inherit, containment or added lines explained by chance, ...).
The tracer's own mutation records are captured as it runs (a wrapper around
`parents.place_by_inheritance`), so the reasons are the tracer's, not a re-computation. Measures; asserts
nothing. Results: printed, and the counts saved as `wrong_parents_<split>` in results.json.

`--kind origin` lists instead the families whose origin decision is wrong: an in-corpus origin
judged missing, or a missing origin not detected (decidable families only: see `build`). For each,
the rules of `origin.missing_origin_reasons` that fired (captured as the tracer runs), whether the
version it weighed is the true root, and for the coverage rule each sentence "missing from the
origin": whether the true root has its words, and how its carriers are related in the true tree
(their nearest common ancestor: the root, or a member whose branch added it). Saved as
`wrong_origins_<split>`.

`--kind reconstruction` measures how far the inferred origins' text reads from the removed root's
(the generator knows it), per reconstructed sentence against its closest root sentence: word edits,
swapped words (a copy's changed word or figure taken for the origin's), and what the best whole
witness sentence would reach. Saved as `reconstruction_<split>`.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from contextlib import contextmanager

from rapidfuzz.distance import Indel, Levenshtein

from bench.lineage.common import save_result
from bench.lineage.generated import CREDIT_SHARE, INFERRED, build, parent_cell
from wiretrace.align import EmbeddingCache
from wiretrace.align.aligner import align_units
from wiretrace.align.sentences import tokens
from wiretrace.data import Story
from wiretrace.lineage import classify, relation_features, trace
from wiretrace.lineage.innovations import INNOVATION_KINDS
from wiretrace.lineage.kin import kin_of
from wiretrace.lineage.parents import CONTAINMENT_MAX_CHANCE, INHERIT_MIN, FamilyRates, changed_words, lead_cut
from wiretrace.lineage.relations import DEFAULT_RULE
from wiretrace.lineage.timing import published_after
from wiretrace.lineage.versions import lacked_sentences

DEPTH = ("grandparent or above", "inferred origin, truth a member")


def _by_count(counts: Counter) -> list[tuple]:
    """(key, count) pairs, most frequent first, ties by key: the order every table here prints."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _trace_module():
    """The tracer's module: `_trace_family` calls the rules captured below by their names there."""
    import importlib

    return importlib.import_module("wiretrace.lineage.trace")


@contextmanager
def capture_origin_decisions(log: list[dict]):
    """Record every call of the tracer's `origin.missing_origin_reasons`: the candidate, the frame it
    was weighed in (hub, alignments to it, witness groups) and the reasons it gave."""
    module = _trace_module()
    original = module.missing_origin_reasons

    def wrapper(top, ranked, own, reordered, hub, to_hub, witnesses, aligner, *rest):
        verdict = original(top, ranked, own, reordered, hub, to_hub, witnesses, aligner, *rest)
        log.append(
            {
                "top": top.id, "family": sorted(m.id for m in ranked), "hub": hub, "to_hub": to_hub,
                "witnesses": witnesses, "aligner": aligner, "verdict": verdict, "unique": list(top.unique),
                "own": list(own.get(top.id, [])),
            }
        )
        return verdict

    module.missing_origin_reasons = wrapper
    try:
        yield
    finally:
        module.missing_origin_reasons = original


def _truth_ancestors(x: str, truth: dict) -> list[str]:
    """`x` and its true ancestors, up to the root (INFERRED for a removed one)."""
    out = [x]
    while x in truth and truth[x]["parent"] is not None:
        x = truth[x]["parent"]
        out.append(x)
    return out


def _common_ancestor(members: list[str], truth: dict) -> str:
    lines = [_truth_ancestors(m, truth) for m in members]
    shared = set(lines[0]).intersection(*map(set, lines[1:]))
    return next(x for x in lines[0] if x in shared)


def _lacked_detail(decision: dict, truth: dict, root_words: tuple) -> list[str]:
    """Per sentence the coverage rule found missing from the candidate: where it comes from."""
    aligner, hub, to_hub, top = decision["aligner"], decision["hub"], decision["to_hub"], decision["top"]
    out = []
    for j in lacked_sentences(top, hub, to_hub, decision["witnesses"], aligner):
        carriers = sorted({m for m, mapping in to_hub.items() if j in mapping.values() and m != top} | {hub} - {top})
        words = " ".join(w.casefold() for w in re.findall(r"\w+", aligner.units[hub].texts[j]))
        in_root = bool(words) and f" {words} " in f" {' '.join(root_words)} "
        lca = _common_ancestor(carriers, truth)
        if lca in (INFERRED,) or truth.get(lca, {}).get("parent") is None:
            lca_kind = "root"
        elif lca in carriers:
            lca_kind = "a carrier (copies of it)"
        else:
            lca_kind = "a member above them"
        groups = len({decision["witnesses"][m] for m in carriers})
        out.append(
            f"{'in root' if in_root else 'not in root'}; carriers' common ancestor {lca_kind}; "
            f"{len(carriers)} carriers in {groups} witness groups"
            + ("" if in_root else f"; added by {'+'.join(sorted({truth[m]['operator'] for m in carriers}))}")
        )
    return out


def _outside_kin(decision: dict) -> int:
    """How many versions of the decided family are not the candidate's kin (their material does not
    count in the containment and coverage rules)."""
    top = decision["top"]
    others = [m for m in decision["family"] if m != top]
    return len(others) - len(kin_of(top, others, decision["aligner"], DEFAULT_RULE))


def collect_origins(cases, cache: EmbeddingCache) -> list[dict]:
    """Families whose origin decision is wrong: in-corpus origin judged missing, or (decidable)
    missing origin not detected."""
    rows: list[dict] = []
    for story_id, articles, truth, _missing, undecidable in cases:
        log: list[dict] = []
        with capture_origin_decisions(log):
            story = trace(Story(id=story_id, articles=sorted(articles)), articles, cache=cache)
        by_family: dict[str, list[str]] = {}
        for a, t in truth.items():
            by_family.setdefault(t["family"], []).append(a)
        for _family, members in sorted(by_family.items()):
            roots = [a for a in members if truth[a]["parent"] is None]
            removed = any(truth[a]["parent"] == INFERRED for a in members)
            # the traced family holding most of the true family
            origin = max(story.origins, key=lambda o: (len(set(o.articles) & set(members)), o.id))
            if removed:
                if origin.inferred or any(a in undecidable for a in members):
                    continue
                kind = "missing origin not detected"
            else:
                if not origin.inferred or not roots:
                    continue
                kind = "in-corpus origin judged missing"
            decision = next((d for d in log if set(d["family"]) == set(origin.articles)), None)
            if decision is None:
                continue
            root = roots[0] if roots else INFERRED
            root_words = truth[root]["words"] if roots else next(
                truth[a]["parent_words"] for a in members if truth[a]["parent"] == INFERRED
            )
            rules = [rule for rule, _ in decision["verdict"]]
            top = decision["top"]
            rows.append(
                {
                    "story": story_id,
                    "kind": kind,
                    "family_size": f"{len(members)} true / {len(origin.articles)} traced",
                    "top": top,
                    "top_is_root": top == root,
                    "top_chain": _ops(top, truth) if top in truth else "other family",
                    "rules": rules,
                    "reasons": [text for _, text in decision["verdict"]],
                    "unique": decision["unique"][:6],
                    "own": decision["own"][:6],
                    "lacked": _lacked_detail(decision, truth, root_words) if "coverage" in rules else [],
                    # versions the origin test does not hear: not the candidate's kin (lineage/kin.py)
                    "outside_kin": _outside_kin(decision),
                }
            )
    return rows


def main_origins(args) -> None:
    cases = build(args.split, args.stories, dates=args.dates, credits=args.credits)
    rows = collect_origins(cases, EmbeddingCache())
    print(f"{len(rows)} families with a wrong origin decision ({args.split}, dates {args.dates}, "
          f"credits {args.credits})")
    by_rules = Counter((r["kind"], "+".join(r["rules"]) or "none", r["top_is_root"]) for r in rows)
    print("\nby kind, rules that fired, and whether the candidate weighed is the true root:")
    for (kind, rules, is_root), n in _by_count(by_rules):
        print(f"  {n:4d}  {kind:32s} {rules:34s} top is root: {is_root}")
    lacked = Counter(d for r in rows for d in r["lacked"])
    print("\ncoverage rule: sentences 'missing from the origin', by where they come from:")
    for detail, n in _by_count(lacked):
        print(f"  {n:4d}  {detail}")
    tops = Counter((r["kind"], r["top_chain"]) for r in rows)
    print("\nthe candidate weighed, by its true chain:")
    for (kind, chain), n in _by_count(tops):
        print(f"  {n:4d}  {kind:32s} {chain}")
    for r in rows[: args.show]:
        print(r)
    save_result(
        f"wrong_origins_{args.split}{_run_suffix(args)}",
        {
            "command": f".venv/bin/python -m bench.lineage.wrong_parents --split {args.split} --kind origin"
            + _run_flags(args),
            "families": len(rows),
            "by_rules": {f"{k} | {r} | top is root: {t}": n for (k, r, t), n in sorted(by_rules.items())},
            "coverage_sentences": dict(sorted(lacked.items())),
            "by_candidate_chain": {f"{k} | {c}": n for (k, c), n in sorted(tops.items())},
        },
    )


@contextmanager
def capture_placements(log: list[dict]):
    """Record every call of the tracer's `parents.place_by_inheritance`: its versions, root, mutations
    (what each version changed in the family's origin), the family rates and the parents chosen."""
    module = _trace_module()
    original = module.place_by_inheritance

    def wrapper(versions, root, mutations, articles, origin_size=None):
        parents = original(versions, root, mutations, articles, origin_size)
        rates = FamilyRates.of(mutations, origin_size) if origin_size else None
        log.append(
            {
                "root": root, "mutations": mutations, "rates": rates, "parents": dict(parents),
                "versions": list(versions), "origin_size": origin_size,
            }
        )
        return parents

    module.place_by_inheritance = wrapper
    try:
        yield
    finally:
        module.place_by_inheritance = original


def why_not(child: str, parent: str, family: dict, articles: dict) -> str:
    """Why the inheritance test did not take `parent` for `child` (the branches of `parents.closest_ancestor`)."""
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
    if restored > (1.0 - INHERIT_MIN) * len(drops):
        return f"restores {restored} of the parent's {len(drops)} drops"
    if swaps:
        kept = sum(m in mine for m in swaps)
        if kept < INHERIT_MIN * len(swaps):
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
        edited = bool(rates) and changed_words(mine) and rates.editor_keeps_whole(mine, theirs)
        parts.append(f"inside the parent (chance {chance:.2f})" + ("; an edited copy of its lines" if edited else ""))
    if not parts:
        return "nothing to inherit"
    return "no swaps; " + "; ".join(parts)


def innovations_shared(child: str, parent: str, family: dict) -> str:
    """The true parent's innovations beyond word swaps (`lineage/innovations.py`: inserted or cut
    words, a changed sentence order) that the child carries, and the chance the family's rates give
    that (`parents.FamilyRates.chance_inherited`): what `why_not` does not show."""
    mine, theirs = family["mutations"].get(child), family["mutations"].get(parent)
    if not mine or not theirs:
        return "none"
    kinds = INNOVATION_KINDS
    own = {m for m in theirs if m[0] in kinds}
    carried = own & mine
    if not own:
        return "none"
    text = f"carries {len(carried)}/{len(own)} ({', '.join(sorted({m[0] for m in own}))})"
    if carried and family["rates"]:
        text += f", chance {family['rates'].chance_inherited(carried):.2f}"
    return text


def shown_of_parent(child: str, parent: str, family: dict, truth: dict) -> str:
    """What the true parent did (its mutations against the family's origin, in-corpus or inferred)
    that the child shows: the sort that says whether the texts can decide the parent at all.

    "parent reads as the origin" (no mutation: an inferred origin took its readings, or it is a
    verbatim copy) and "child reads as the origin" leave nothing to inherit; "the true parent is the
    in-corpus root" is an origin decision (the root was judged missing), not a placement; otherwise
    the kinds of the parent's changes the child carries (swap, add, edit, order), of how many, and
    how many of the parent's cuts the child restored."""
    if parent not in family["mutations"]:
        return "true parent not placed in this family"
    if truth[parent]["parent"] is None:
        return "the true parent is the in-corpus root (origin judged missing)"
    mine, theirs = family["mutations"].get(child), family["mutations"][parent]
    if mine is None or theirs is None:
        return "other language"
    if not theirs:
        return "parent reads as the origin (no mutation)"
    if not mine:
        return "child reads as the origin (no mutation)"
    own = {m for m in theirs if m[0] != "drop"}
    shown = Counter(m[0] for m in own & mine)
    cuts = {m for m in theirs if m[0] == "drop"}
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(shown.items())) or "nothing"
    text = f"shows {kinds} of the parent's {len(own)} changes"
    if cuts:
        text += f"; keeps {len(cuts & mine)}/{len(cuts)} of its cuts"
    return text


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


def _wrong_placements(cases, cache: EmbeddingCache, kinds: tuple[str, ...]):
    """Each wrongly placed version whose cell is in `kinds`, traced with its family's placement log:
    (story id, articles, truth, edge, cell, family log or None)."""
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
            if cell in kinds:
                yield story_id, articles, truth, e, cell, next((f for f in log if e.article in f["parents"]), None)


def collect(cases, cache: EmbeddingCache, kinds: tuple[str, ...]) -> list[dict]:
    rows: list[dict] = []
    for story_id, articles, truth, e, cell, family in _wrong_placements(cases, cache, kinds):
        t = truth[e.article]
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
                "innovations": innovations_shared(e.article, true_parent, family) if family else "no placement",
                "shows": shown_of_parent(e.article, true_parent, family, truth) if family else "no placement",
                "dated": f"{t['dated']}/{t['parent_dated']}",
            }
        )
    return rows


SIBLING_CELLS = (
    "member, truth inferred: sibling",
    "member, truth inferred: sibling's descendant",
    "inferred origin, truth a member",
)


def accepted_by(child: str, parent: str, family: dict) -> str:
    """The rule of `parents.closest_ancestor` that takes `parent` for `child` (or why none does):
    inherited swaps, carried added lines, or lying inside an excerpt."""
    mutations, rates = family["mutations"], family["rates"]
    mine, theirs = mutations.get(child), mutations.get(parent)
    if not mine or not theirs:
        return "none: no mutation on one side"
    dropped = {m for m in mine if m[0] == "drop"}
    visible = {m for m in theirs if m[0] == "drop" or (m[0] == "swap" and ("drop", m[1]) not in dropped)}
    swaps = [m for m in visible if m[0] == "swap"]
    drops = [m for m in visible if m[0] == "drop"]
    carried_added = {m for m in theirs if m[0] == "add"} & mine
    if sum(m not in dropped for m in drops) > (1.0 - INHERIT_MIN) * len(drops):
        return "none: restores a drop"
    if swaps:
        kept = sum(m in mine for m in swaps)
        return f"inherits swaps ({kept}/{len(swaps)})" if kept >= INHERIT_MIN * len(swaps) else "none: swaps"
    if any(m[0] == "swap" for m in theirs):
        return "none: swaps hidden"
    rules = []
    if carried_added and rates and rates.chance_added(carried_added) < CONTAINMENT_MAX_CHANCE:
        rules.append("added lines")
    if drops and rates and rates.chance_inside(mine, theirs) < CONTAINMENT_MAX_CHANCE:
        lead = lead_cut(mine, rates.size)
        rules.append("inside: same lead cut" if lead is not None else "inside an excerpt")
    elif drops and rates and changed_words(mine) and rates.editor_keeps_whole(mine, theirs):
        rules.append("inside: an edited copy of its lines")
    return "+".join(rules) or "none: chance"


def _shape(article: str, family: dict) -> str:
    """What a version changed in the reconstructed origin, in words: swaps, a lead cut, interior
    drops, added lines (or nothing: the origin's text as reconstructed)."""
    found = family["mutations"].get(article)
    if found is None:
        return "other language"
    size = family["origin_size"] or 0
    parts = []
    if any(m[0] == "swap" for m in found):
        parts.append("swaps")
    drops = sorted(m[1] for m in found if m[0] == "drop")
    if drops:
        parts.append("lead cut" if lead_cut(found, size) is not None else "drops")
    if any(m[0] == "add" for m in found):
        parts.append("adds")
    return "+".join(parts) or "origin's text"


def _shared(child: str, other: str, family: dict) -> str:
    """Which changes of the reconstructed origin `child` shares with `other` (what a reader could
    use to tell a copy of `other` from a copy of the origin), and whether `child` has a sentence
    `other` dropped."""
    mine, theirs = family["mutations"].get(child), family["mutations"].get(other)
    if mine is None or theirs is None:
        return "other language"
    both = mine & theirs
    kinds = Counter(m[0] for m in both)
    text = ",".join(f"{k}{kinds[k]}" for k in ("swap", "drop", "add") if kinds[k]) or "nothing"
    restored = sum(1 for m in theirs if m[0] == "drop" and m not in mine)
    return text + (f"; child has {restored} sentence(s) it dropped" if restored else "")


def collect_inferred(cases, cache: EmbeddingCache) -> list[dict]:
    """Versions under a missing origin hung on a sibling, and versions hung on the inferred origin
    though their parent is a member: the rule that decided and what the texts let a reader see."""
    rows: list[dict] = []
    for story_id, articles, truth, e, cell, family in _wrong_placements(cases, cache, SIBLING_CELLS):
        if family is None:
            continue
        t = truth[e.article]
        root_words = next(
            (x["parent_words"] for x in truth.values() if x["family"] == t["family"] and x["parent"] == INFERRED),
            None,
        )
        if cell.startswith("member"):
            other = e.parent  # the sibling it was hung on
            if other == family["root"]:
                decided = "origin decision: missing origin not detected, hung on the chosen origin"
            else:
                decided = accepted_by(e.article, other, family)
        else:
            other = t["parent"]
            if other is None or truth.get(other, {}).get("parent", "") is None:
                decided = "origin decision: in-corpus origin judged missing"
            else:
                decided = "default (origin): " + _bucket(why_not(e.article, other, family, articles))
        rows.append(
            {
                "story": story_id,
                "article": e.article,
                "cell": cell,
                "chain": _ops(e.article, truth),
                "other": other,
                "other_chain": _ops(other, truth) if other in truth else "-",
                "decided": decided,
                "child_shape": _shape(e.article, family),
                "other_shape": _shape(other, family) if other in family["mutations"] else "-",
                "shared": _shared(e.article, other, family) if other in family["mutations"] else "-",
                "other_is_root_text": other in truth and truth[other]["words"] == root_words,
                "dated": f"{t['dated']}/{truth[other]['dated'] if other in truth else '-'}",
            }
        )
    return rows


def main_inferred(args) -> None:
    cases = build(args.split, args.stories, dates=args.dates, credits=args.credits)
    rows = collect_inferred(cases, EmbeddingCache())
    print(f"{len(rows)} versions in the sibling-or-origin cells ({args.split}, dates {args.dates}, "
          f"credits {args.credits})")
    tables = {
        "by_rule": Counter((r["cell"], r["decided"]) for r in rows),
        "by_chains": Counter((r["cell"], f"{r['chain']} | other {r['other_chain']}") for r in rows),
        "by_shape": Counter(
            (r["cell"], f"child {r['child_shape']} | other {r['other_shape']} | shared {r['shared']}"
             + (" | other has the root's text" if r["other_is_root_text"] else ""))
            for r in rows
        ),
    }
    for name, table in tables.items():
        print(f"\n{name}:")
        for (cell, key), n in _by_count(table):
            print(f"  {n:4d}  {cell:44s} {key}")
    for r in rows[: args.show]:
        print(r)
    save_result(
        f"sibling_or_origin_{args.split}{_run_suffix(args)}",
        {
            "command": f".venv/bin/python -m bench.lineage.wrong_parents --split {args.split} --kind inferred"
            + _run_flags(args),
            "cases": len(rows),
            **{name: {f"{c} | {k}": n for (c, k), n in _by_count(table)} for name, table in tables.items()},
        },
    )


@contextmanager
def capture_reconstructions(log: list[dict]):
    """Record every inferred origin's text as the tracer reconstructs it (`reconstruct.inferred_origin_texts`),
    with each origin sentence's witness readings (the member sentences `reconstruct.infer_origin_text` aligned
    to it: the tracer calls the two in turn for each family whose origin is missing)."""
    module = _trace_module()
    infer, texts_of = module.infer_origin_text, module.inferred_origin_texts

    def read_witnesses(family, members, aligner, pivot):
        readings, member_pairs = infer(family, members, aligner, pivot)
        witnesses: dict[int, list[str]] = {}
        for m in sorted(member_pairs):
            for i, k, _ in member_pairs[m]:
                witnesses.setdefault(k, []).append(members[m].units.texts[i])
        log.append({"members": sorted(family), "witnesses": witnesses})
        return readings, member_pairs

    def read_texts(*args, **kwargs):
        texts = texts_of(*args, **kwargs)
        log[-1]["texts"] = list(texts)
        return texts

    module.infer_origin_text, module.inferred_origin_texts = read_witnesses, read_texts
    try:
        yield
    finally:
        module.infer_origin_text, module.inferred_origin_texts = infer, texts_of


# A reconstructed sentence stands for the root sentence it is most like, from this token similarity
# (below it, the reconstruction holds a sentence the root does not have: a witness's addition).
ROOT_SENTENCE_MIN_SIMILARITY = 0.5


def _folded(text: str) -> list[str]:
    return [t.casefold() for t in tokens(text)]


def _swapped(words: list[str], target: list[str]) -> int:
    """Words of `target` read as other words in `words` (runs of up to two words replaced by as
    many: what the tracer counts as a copy's swaps), leaving out sentence splits and phrase edits."""
    return sum(
        op.src_end - op.src_start
        for op in Levenshtein.opcodes(target, words)
        if op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start <= 2
    )


def reconstruction_errors(texts: list[str], witnesses: dict[int, list[str]], root: list[str]) -> Counter:
    """How far an inferred origin's text (`texts`) reads from the true removed root (`root`), word by
    word: per reconstructed sentence, the word edits (Levenshtein over tokens) to its closest root
    sentence, the words it reads that only one witness of the sentence reads and the root lacks (one
    copy's change taken for the origin's reading), and the edits of the best whole witness reading
    (what picking one witness's sentence could reach at best)."""
    out: Counter = Counter()
    root_tokens = [_folded(t) for t in root]
    for k, text in enumerate(texts):
        mine = _folded(text)
        if not root_tokens or not mine:
            continue
        sims = [Indel.normalized_similarity(mine, r) for r in root_tokens]
        best = max(range(len(sims)), key=lambda j: (sims[j], -j))
        if sims[best] < ROOT_SENTENCE_MIN_SIMILARITY:
            out["sentences_not_in_root"] += 1
            continue
        target = root_tokens[best]
        edits = Levenshtein.distance(mine, target)
        read = [set(_folded(w)) for w in witnesses.get(k, [])]
        lone = [w for w in set(mine) - set(target) if sum(w in r for r in read) == 1]
        best_witness = min((Levenshtein.distance(_folded(w), target) for w in witnesses.get(k, [])), default=edits)
        out["swapped_words"] += _swapped(mine, target)
        out["sentences_with_swaps"] += _swapped(mine, target) > 0
        out["best_witness_swapped_words"] += min(
            (_swapped(_folded(w), target) for w in witnesses.get(k, [])), default=_swapped(mine, target)
        )
        out["sentences"] += 1
        out["sentences_exact"] += edits == 0
        out["word_edits"] += edits
        out["one_witness_words"] += len(lone)
        out["best_witness_word_edits"] += best_witness
        out["words"] += len(target)
    return out


def main_reconstruction(args) -> None:
    cases = build(args.split, args.stories, dates=args.dates, credits=args.credits)
    cache = EmbeddingCache()
    totals: Counter = Counter()
    families = 0
    for story_id, articles, truth, _missing, _undecidable in cases:
        log: list[dict] = []
        with capture_reconstructions(log):
            trace(Story(id=story_id, articles=sorted(articles)), articles, cache=cache)
        final = {tuple(entry["members"]): entry for entry in log}  # a family read twice: its last reading
        for entry in final.values():
            roots = {
                tuple(truth[m]["parent_sentences"]) for m in entry["members"]
                if truth[m]["parent"] == INFERRED and truth[m].get("parent_sentences")
            }
            if len(roots) != 1:
                continue  # an in-corpus origin judged missing, or a family mixing two removed roots
            families += 1
            totals += reconstruction_errors(entry["texts"], entry["witnesses"], list(next(iter(roots))))
    n = max(1, totals["sentences"])
    result = {
        "command": f".venv/bin/python -m bench.lineage.wrong_parents --split {args.split} --kind reconstruction"
        + (f" --dates {args.dates}" if args.dates != "causal" else "")
        + (f" --credits {args.credits:g}" if args.credits != CREDIT_SHARE else ""),
        "families": families,
        "sentences": totals["sentences"],
        "sentences_not_in_root": totals["sentences_not_in_root"],
        "root_words": totals["words"],
        "sentences_reading_the_root_exactly": round(totals["sentences_exact"] / n, 4),
        "word_edits_to_root_per_sentence": round(totals["word_edits"] / n, 4),
        "one_witness_words_per_sentence": round(totals["one_witness_words"] / n, 4),
        "best_whole_witness_word_edits_per_sentence": round(totals["best_witness_word_edits"] / n, 4),
        "swapped_words_per_sentence": round(totals["swapped_words"] / n, 4),
        "sentences_with_a_swapped_word": totals["sentences_with_swaps"],
        "best_whole_witness_swapped_words_per_sentence": round(totals["best_witness_swapped_words"] / n, 4),
    }
    print(result)
    save_result(f"reconstruction_{args.split}", result)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--split", default="train")
    parser.add_argument(
        "--kind", default="depth",
        help="a wrong_parent_cells cell, 'depth' for both depth cells, 'origin' for wrong origin decisions, or "
        "'inferred' for the sibling-or-origin cells under a missing origin, or 'reconstruction' for how far "
        "inferred origins' text reads from the removed root's",
    )
    parser.add_argument("--dates", choices=("causal", "generator", "none"), default="causal")
    parser.add_argument("--credits", type=float, default=CREDIT_SHARE)
    parser.add_argument("--show", type=int, default=0, help="print this many cases in full")
    args = parser.parse_args()
    if args.kind == "origin":
        main_origins(args)
        return
    if args.kind == "inferred":
        main_inferred(args)
        return
    if args.kind == "reconstruction":
        main_reconstruction(args)
        return
    kinds = DEPTH if args.kind == "depth" else (args.kind,)
    cases = build(args.split, args.stories, dates=args.dates, credits=args.credits)
    rows = collect(cases, EmbeddingCache(), kinds)
    chains = Counter((r["cell"], r["chain"]) for r in rows)
    grand = Counter((r["cell"], f"{r['parent_chain'].split('>')[0]}>{r['chain']}") for r in rows)
    print(f"{len(rows)} wrong parents of kinds {kinds}\n\nby true chain (parent's operator > version's):")
    for (cell, chain), n in _by_count(chains):
        print(f"  {n:4d}  {cell:34s} {chain}")
    print("\nby the true parent's operator (what the version could inherit from it):")
    by_parent = Counter((r["cell"], r["chain"].split(">")[0]) for r in rows)
    for (cell, op), n in _by_count(by_parent):
        print(f"  {n:4d}  {cell:34s} {op}")
    print("\nby full chain (grandparent > parent > version):")
    for (cell, chain), n in _by_count(grand)[:25]:
        print(f"  {n:4d}  {cell:34s} {chain}")
    print("\nwhy the true parent was not taken:")
    generic = Counter((r["cell"], _bucket(r["why"])) for r in rows)
    for (cell, why), n in _by_count(generic):
        print(f"  {n:4d}  {cell:34s} {why}")
    print("\nwhat the version shows of its true parent's changes (decidable only where it shows some):")
    shown = Counter((r["cell"], _bucket_shown(r["shows"])) for r in rows)
    for (cell, what), n in _by_count(shown):
        print(f"  {n:4d}  {cell:34s} {what}")
    for r in rows[: args.show]:
        print(r)
    save_result(
        f"wrong_parents_{args.split}{_run_suffix(args)}",
        {
            "command": f".venv/bin/python -m bench.lineage.wrong_parents --split {args.split} --kind '{args.kind}'"
            + _run_flags(args),
            "cases": len(rows),
            "by_parent_operator": {
                f"{c} | {k}": n for (c, k), n in _by_count(by_parent)
            },
            "by_chain": {f"{c} | {k}": n for (c, k), n in _by_count(chains)},
            "by_reason": {f"{c} | {k}": n for (c, k), n in _by_count(generic)},
            "by_shown_of_parent": {f"{c} | {k}": n for (c, k), n in _by_count(shown)},
        },
    )


def _run_flags(args) -> str:
    """The --dates and --credits flags of a run, when not the defaults (for the saved command)."""
    return (f" --dates {args.dates}" if args.dates != "causal" else "") + (
        f" --credits {args.credits:g}" if args.credits != CREDIT_SHARE else ""
    )


def _run_suffix(args) -> str:
    """A results key suffix per run, as bench.lineage.generated names its runs: a `--dates none` run
    does not overwrite the default run's diagnostics."""
    return (f"_{args.dates}_dates" if args.dates != "causal" else "") + (
        f"_credits_{args.credits:g}" if args.credits != CREDIT_SHARE else ""
    )


def _bucket(why: str) -> str:
    """A reason with its chance figures reduced to below/above the significance level."""
    import re

    return re.sub(
        r"chance (\d\.\d+)",
        lambda m: "chance<0.05" if float(m.group(1)) < CONTAINMENT_MAX_CHANCE else "chance>=0.05",
        why,
    )



def _bucket_shown(shown: str) -> str:
    """`shown_of_parent` without its counts: what kinds of change the version shows, if any."""
    if not shown.startswith("shows "):
        return shown
    kinds = re.findall(r"(swap|add|edit|order) \d+", shown.split(" of the parent")[0])
    restored = re.search(r"keeps (\d+)/(\d+) of its cuts", shown)
    text = "shows " + (", ".join(kinds) if kinds else "none") + " of the parent's changes"
    if restored and restored.group(1) != restored.group(2):
        text += "; restores a cut"
    elif restored:
        text += "; keeps its cuts (lies inside it)"
    return text


if __name__ == "__main__":
    main()
