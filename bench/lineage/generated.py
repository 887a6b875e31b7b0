"""Generated derivations (bench/generator over real SemEval English articles): relation, parent
and family accuracy, including chains, two-family stories and missing origins.

    .venv/bin/python -m bench.lineage.generated [--stories 150] [--split eval]

Missing origins: in a seeded third of the families the root version is removed from the corpus;
its children's true parent becomes "an inferred origin" (any inferred Origin of the right family).
Stories come from the generator's truth (the stories stage is measured elsewhere).

Beside the strict parent accuracy: `parent_accuracy_interchangeable` also counts a wrong parent
whose words equal the true parent's (no reader can tell which of two identical texts was copied,
dates aside; see `interchangeable`), and `parent_accuracy_by_dates` splits the strict figure by
whether the version and its true parent both carry a date.

Relations are scored against the relation each version's text shows against its parent
(bench.lineage.observed: a "rewrite" that changed one word is a light edit, a no-op edit a verbatim
copy); `relation_accuracy_operator_labels`, the strict figure against the generator's operator
labels, is reported beside it, and `relabelled_operator_to_observed` counts the labels that differ.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from bench.generator import generate
from bench.generator.corpus import paragraphs, sentences
from bench.lineage.common import save_result
from bench.lineage.observed import observed_relation
from wiretrace.align import EmbeddingCache
from wiretrace.align.sentences import sentence_texts
from wiretrace.data import Article, Story
from wiretrace.ingest.metadata import find_agencies
from wiretrace.lineage import trace
from wiretrace.lineage.credits import copied_from_agencies

INFERRED = "<inferred>"


def to_article(v) -> Article:
    """The version as the pipeline sees it: through the clean stage when it is there."""
    try:
        from wiretrace.clean import clean_document
        from wiretrace.data import RawDocument
    except ImportError:  # pragma: no cover - clean stage not installed
        return Article(
            id=v.id, source=v.id, content_hash=v.id, text=v.text, language=v.language, published=v.published
        )
    doc = RawDocument(id=v.id, source=v.id, content=v.text, published=v.published, outlet=v.outlet)
    article = clean_document(doc)
    if not isinstance(article, Article):
        return Article(
            id=v.id, source=v.id, content_hash=v.id, text=v.text, language=v.language, published=v.published
        )
    return article


# Publication times as news metadata has them: a copy is published after its source (minutes to
# days later), and a share of pages carries no date at all.
UNDATED_SHARE = 0.3
MEAN_DELAY_HOURS = 8.0


def causal_dates(versions, seed: int) -> dict[str, str | None]:
    """Timestamps where every version follows its parent (the generator's own dates are days, drawn
    independently per version, so a copy can precede its source: unlike real wire traffic)."""
    rng = np.random.default_rng(seed + 7)
    by_id = {v.id: v for v in versions}
    stamp: dict[str, datetime] = {}

    def when(v) -> datetime:
        if v.id not in stamp:
            if v.parent is None or v.parent not in by_id:
                day = datetime.fromisoformat(v.published) if v.published else datetime(2020, 1, 1)
                stamp[v.id] = day.replace(tzinfo=UTC) + timedelta(minutes=int(rng.integers(0, 24 * 60)))
            else:
                delay = 5 + int(rng.exponential(MEAN_DELAY_HOURS * 60))
                stamp[v.id] = when(by_id[v.parent]) + timedelta(minutes=delay)
        return stamp[v.id]

    out = {}
    for v in sorted(versions, key=lambda v: v.id):
        t = when(v)
        out[v.id] = None if rng.random() < UNDATED_SHARE else t.isoformat(timespec="minutes")
    return out


def copy_layout(versions, seed: int) -> list:
    """Roots laid out the way the generator lays out every copy (its sentence splitter, 2-3 sentences
    a paragraph). The generator re-lays each derived text, so without this every copy shares a
    layout the root lacks (headline merged into the first paragraph, closing quotes dropped, lists
    run together): an artefact that makes the root look like the one version that changed."""
    rng = np.random.default_rng(seed + 13)
    return [
        replace(v, text=paragraphs(sentences(v.text), rng)) if v.parent is None else v
        for v in sorted(versions, key=lambda v: v.id)
    ]


# Wire credits as real copies carry them: a share of families is an agency's wire (the root's outlet is
# the agency, its text opens with the agency dateline); a share of its copies keep the dateline or add
# a credit line, the others strip it. The generator itself writes no credits.
AGENCY_SHARE = 0.5
CREDIT_SHARE = 0.6
KEEP_DATELINE_SHARE = 0.7  # of the crediting copies; the rest add a closing credit line
AGENCY_STYLE = {  # dateline tag, credit lines
    "The Associated Press": ("(AP) —", ("The Associated Press contributed to this report.",
                                        "Copyright The Associated Press. All rights reserved.")),
    "Reuters": ("(Reuters) -", ("Reporting by Reuters.", "Source: Reuters")),
    "Agence France-Presse": ("(AFP) -", ("With AFP.", "Source: Agence France-Presse")),
}
DATELINE_CITIES = ("WASHINGTON", "LONDON", "PARIS", "NEW YORK", "BERLIN", "NAIROBI", "TOKYO", "MEXICO CITY")


def add_credits(versions, seed: int, agency_share: float = AGENCY_SHARE, credit_share: float = CREDIT_SHARE) -> list:
    """Agency outlets, datelines and credit lines on a seeded share of families (see AGENCY_SHARE)."""
    rng = np.random.default_rng(seed + 29)
    by_id = {v.id: v for v in versions}

    def root_of(v):
        while v.parent is not None and v.parent in by_id:
            v = by_id[v.parent]
        return v

    agencies = sorted(AGENCY_STYLE)
    wire: dict[str, tuple[str, str]] = {}  # root id -> (agency, dateline)
    own_credit: dict[str, str] = {}  # a source article that already credits an agency is that agency's wire
    for v in sorted(versions, key=lambda v: v.id):
        if v.parent is not None:
            continue
        draw, agency_k, city_k = rng.random(), int(rng.integers(0, len(agencies))), int(rng.integers(0, 8))
        credited = [a for _, a in find_agencies(v.text)]
        if credited:
            own_credit[v.id] = credited[0]
        elif draw < agency_share:
            agency = agencies[agency_k]
            wire[v.id] = (agency, f"{DATELINE_CITIES[city_k % len(DATELINE_CITIES)]} {AGENCY_STYLE[agency][0]} ")
    out = []
    for v in sorted(versions, key=lambda v: v.id):
        if v.id in own_credit:
            out.append(replace(v, outlet=own_credit[v.id]))
            continue
        root = root_of(v)
        if root.id not in wire:
            out.append(v)
            continue
        agency, stamp = wire[root.id]
        if v.id == root.id:
            out.append(replace(v, outlet=agency, text=stamp + v.text))
        elif rng.random() < credit_share:
            if rng.random() < KEEP_DATELINE_SHARE:
                out.append(replace(v, text=stamp + v.text))
            else:
                lines = AGENCY_STYLE[agency][1]
                out.append(replace(v, text=v.text.rstrip() + "\n\n" + lines[int(rng.integers(0, len(lines)))]))
        else:
            out.append(v)
    return out


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", text)]


def build(
    split: str,
    n_stories: int,
    seed: int = 0,
    dates: str = "causal",
    root_layout: str = "copies",
    credits: float = CREDIT_SHARE,
):
    """Cases (story id, articles, truth, has missing origin, undecidable versions).

    A version's `relation` is the one its text shows against its parent (bench.lineage.observed);
    `operator_relation` is the generator's label for the operator it ran. A version marked `noop` in
    the truth is a derivation that changed no word of its parent (its relation is scored apart).
    Undecidable: a version whose parent is a removed root and whose words are the root's words
    exactly (a verbatim copy or a no-op light edit), with no credit saying it is a copy: nothing in
    the corpus can tell it from the origin.
    """
    versions = generate(seed=seed, split=split)
    if root_layout == "copies":
        versions = copy_layout(versions, seed)
    plain = {v.id: v.text for v in versions}
    # a source article whose own text credits an agency is that agency's wire (its outlet says so)
    # in every run; `credits` 0 only stops the generated datelines and credit lines
    versions = add_credits(versions, seed, credit_share=credits) if credits > 0 else add_credits(
        versions, seed, agency_share=0.0, credit_share=0.0
    )
    if dates != "generator":
        stamps = causal_dates(versions, seed) if dates == "causal" else {}
        versions = [replace(v, published=stamps.get(v.id)) for v in versions]
    rng = np.random.default_rng(seed + 1)
    by_story: dict[str, list] = defaultdict(list)
    for v in versions:
        by_story[v.story].append(v)
    stories = sorted(by_story)
    picked = sorted(rng.choice(len(stories), size=min(n_stories, len(stories)), replace=False))
    cases = []
    for k in picked:
        vs = sorted(by_story[stories[k]], key=lambda v: v.id)
        roots = [v for v in vs if v.parent is None]
        dropped = {r.id for r in roots if rng.random() < 1 / 3 and sum(x.base == r.base for x in vs) >= 3}
        # the words a reader sees (credits included, as the clean stage leaves them), removed roots too
        as_seen = {v.id: to_article(v) for v in vs}
        seen = {i: tuple(_words(a.text)) for i, a in as_seen.items()}
        dated = {v.id for v in vs if v.published}
        truth = {}
        for v in vs:
            if v.id in dropped:
                continue
            parent = INFERRED if v.parent in dropped else v.parent
            # a derivation the generator left without effect (an edit with nothing to edit): its
            # words are its parent's, so no reader can tell its relation from a verbatim copy
            noop = v.parent in plain and v.relation != "verbatim" and _words(plain[v.id]) == _words(plain[v.parent])
            truth[v.id] = {
                "parent": parent,
                # the relation the text shows (bench.lineage.observed); the operator's label beside it
                "relation": observed_relation(v.relation, plain[v.parent], plain[v.id]) if v.parent else v.relation,
                "operator_relation": v.relation,
                "operator": v.operator,
                # the words and figures the operator substituted (bench.lineage.swaps)
                "swaps": [*v.swaps, *((c["original"], c["changed"]) for c in v.changes if c["kind"] == "number")],
                "family": v.base,
                "noop": noop,
                "words": seen[v.id],
                "parent_words": seen.get(v.parent) if v.parent else None,
                # the removed root's sentences as the tracer would read them (to measure its reconstruction)
                "parent_sentences": sentence_texts(as_seen[v.parent]) if v.parent in dropped else None,
                "dated": v.id in dated,
                "parent_dated": v.parent in dated and v.parent not in dropped,
            }
        articles = {v.id: as_seen[v.id] for v in vs if v.id in truth}
        undecidable = {
            v.id
            for v in vs
            if v.parent in dropped
            and _words(plain[v.id]) == _words(plain[v.parent])
            and not copied_from_agencies(articles[v.id])
        }
        cases.append((stories[k], articles, truth, bool(dropped), undecidable))
    return cases


def _ancestors(x: str | None, parents: dict[str, str | None]) -> list[str]:
    out: list[str] = []
    while x is not None and x in parents and x not in out:
        out.append(x)
        x = parents[x]
    return out


def parent_cell(article: str, chosen: str | None, truth: dict, origins: dict) -> str:
    """How a wrong parent relates to the true one in the true tree (for the parent confusion)."""
    parents = {a: t["parent"] for a, t in truth.items()}
    true = parents[article]
    if chosen in origins and origins[chosen].inferred:
        return "inferred origin, truth a member"
    if chosen is None:
        return "chosen as origin" if true != INFERRED else "chosen as origin, truth inferred"
    if truth[chosen]["family"] != truth[article]["family"]:
        return "other family"
    if true is None:
        return "true origin given a parent"
    if true == INFERRED:
        return "member, truth inferred: " + ("sibling" if parents[chosen] == INFERRED else "sibling's descendant")
    if chosen in _ancestors(parents.get(true), parents):
        return "grandparent or above"
    if article in _ancestors(chosen, parents):
        return "own descendant"
    if parents[chosen] == true:
        return "sibling"
    if true in _ancestors(chosen, parents):
        return "sibling's descendant"
    return "other branch"


def interchangeable(article: str, chosen: str | None, truth: dict, origins: dict) -> bool:
    """Whether a wrong parent is one no reader could tell from the true one: its words (credits
    included) are the true parent's words, so which of the two identical texts was copied is
    undecidable from text, dates aside. An inferred origin stands for the family's removed root;
    no parent (the version judged an origin) stands for the version itself."""
    t = truth[article]
    root_words = next(
        (x["parent_words"] for x in truth.values() if x["family"] == t["family"] and x["parent"] == INFERRED), None
    )
    true_words = root_words if t["parent"] == INFERRED else truth[t["parent"]]["words"] if t["parent"] else None
    if true_words is None:
        return False
    if chosen in origins and origins[chosen].inferred:
        chosen_words = root_words
    elif chosen is None:
        chosen_words = t["words"]
    else:
        chosen_words = truth[chosen]["words"] if chosen in truth else None
    return chosen_words is not None and chosen_words == true_words


def date_bucket(t: dict) -> str:
    """Whether the version and its true parent both carry a publication date (time can decide)."""
    if t["parent"] is None:
        return "is an origin"
    if t["parent"] == INFERRED:
        return "parent missing from the corpus"
    return "both dated" if t["dated"] and t["parent_dated"] else "one or both undated"


def score(cases, cache: EmbeddingCache) -> dict:
    n = rel_ok = op_rel_ok = parent_ok = fam_ok = 0
    relabelled: Counter = Counter()  # operator label -> observed label, where they differ
    confusion: dict[str, Counter] = defaultdict(Counter)
    parent_cells: Counter = Counter()
    missing_found = missing_total = 0
    aligned_versions = 0
    missing_decidable = missing_decidable_total = 0
    sub = Counter()  # versions whose true parent is a removed root: all and decidable, parent right
    swapped_cells: Counter = Counter()  # wrong parents whose words equal the true parent's
    by_dates: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # bucket -> [versions, parent right]
    for story_id, articles, truth, has_missing, undecidable in cases:
        story = trace(Story(id=story_id, articles=sorted(articles)), articles, cache=cache)
        origins = {o.id: o for o in story.origins}
        family_of = {a: frozenset(o.articles) for o in story.origins for a in o.articles}
        true_family = defaultdict(set)
        for aid, t in truth.items():
            true_family[t["family"]].add(aid)
        for e in story.lineage:
            t = truth[e.article]
            n += 1
            aligned_versions += 1
            rel_ok += e.relation == t["relation"]
            op_rel_ok += e.relation == t["operator_relation"]
            if t["operator_relation"] != t["relation"]:
                relabelled[f"{t['operator_relation']}->{t['relation']}"] += 1
            if not t.get("noop"):
                sub["relation_decidable"] += 1
                sub["relation_decidable_ok"] += e.relation == t["relation"]
            confusion[t["relation"]][e.relation] += 1
            if t["parent"] == INFERRED:
                right = e.parent in origins and origins[e.parent].inferred
                parent_ok += right
                sub["inferred_parent"] += 1
                sub["inferred_parent_ok"] += right
                if e.article not in undecidable:
                    sub["decidable"] += 1
                    sub["decidable_ok"] += right
            else:
                right = e.parent == t["parent"]
                parent_ok += right
            bucket = date_bucket(t)
            by_dates[bucket][0] += 1
            by_dates[bucket][1] += right
            if not right:
                cell = parent_cell(e.article, e.parent, truth, origins)
                parent_cells[cell] += 1
                if interchangeable(e.article, e.parent, truth, origins):
                    swapped_cells[cell] += 1
            fam_ok += family_of.get(e.article) == frozenset(true_family[t["family"]])
        if has_missing:
            missing_total += 1
            found = any(o.inferred for o in story.origins)
            missing_found += found
            if not undecidable:
                missing_decidable_total += 1
                missing_decidable += found
    return {
        "versions": n,
        "stories": len(cases),
        "relation_accuracy": round(rel_ok / n, 4),
        "relation_accuracy_operator_labels": round(op_rel_ok / n, 4),
        "relabelled_operator_to_observed": dict(sorted(relabelled.items())),
        "relation_accuracy_without_noop_edits": round(
            sub["relation_decidable_ok"] / max(1, sub["relation_decidable"]), 4
        ),
        "noop_edits": n - sub["relation_decidable"],
        "parent_accuracy": round(parent_ok / n, 4),
        "family_accuracy": round(fam_ok / n, 4),
        "stories_with_missing_origin_detected": f"{missing_found}/{missing_total}",
        "stories_with_missing_origin_detected_decidable": f"{missing_decidable}/{missing_decidable_total}",
        "parent_accuracy_missing_origin_children": round(sub["inferred_parent_ok"] / max(1, sub["inferred_parent"]), 4),
        "parent_accuracy_missing_origin_children_decidable": round(
            sub["decidable_ok"] / max(1, sub["decidable"]), 4
        ),
        "missing_origin_children": f"{sub['inferred_parent']} ({sub['decidable']} decidable)",
        "parent_accuracy_interchangeable": round((parent_ok + sum(swapped_cells.values())) / n, 4),
        "wrong_parents_interchangeable": sum(swapped_cells.values()),
        "wrong_parents_interchangeable_cells": dict(sorted(swapped_cells.items(), key=lambda kv: (-kv[1], kv[0]))),
        "parent_accuracy_by_dates": {
            k: {"versions": total, "parent_accuracy": round(ok / max(1, total), 4)}
            for k, (total, ok) in sorted(by_dates.items())
        },
        "wrong_parent_cells": dict(sorted(parent_cells.items(), key=lambda kv: (-kv[1], kv[0]))),
        "relation_confusion_truth_to_pred": {
            k: dict(sorted(v.items())) for k, v in sorted(confusion.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--split", default="eval")
    parser.add_argument(
        "--dates", choices=("causal", "generator", "none"), default="causal",
        help="causal: copies after their source, 30%% undated; generator: its day dates; none: no dates",
    )
    parser.add_argument(
        "--root-layout", choices=("copies", "raw"), default="copies",
        help="copies: roots re-laid like the generator's copies; raw: the generator's text as is",
    )
    parser.add_argument(
        "--credits", type=float, default=CREDIT_SHARE,
        help="share of an agency family's copies that keep its dateline or credit it (0: none generated)",
    )
    args = parser.parse_args()
    cases = build(args.split, args.stories, dates=args.dates, root_layout=args.root_layout, credits=args.credits)
    cache = EmbeddingCache()
    start = time.perf_counter()
    result = score(cases, cache)
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["command"] = (
        f".venv/bin/python -m bench.lineage.generated --stories {args.stories} --split {args.split}"
        f" --dates {args.dates} --root-layout {args.root_layout} --credits {args.credits}"
    )
    result["credits"] = args.credits
    result["dates"] = args.dates
    result["root_layout"] = args.root_layout
    result["generator"] = "bench/generator (seed 0), root removed in a seeded third of families"
    print(result)
    suffix = (
        ("" if args.dates == "causal" else f"_{args.dates}_dates")
        + ("" if args.root_layout == "copies" else "_raw_roots")
        + ("" if args.credits == CREDIT_SHARE else f"_credits_{args.credits:g}")
    )
    save_result(f"generated_{args.split}{suffix}", result)


if __name__ == "__main__":
    main()
