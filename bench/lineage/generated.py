"""Generated derivations (bench/generator over real SemEval English articles): relation, parent
and family accuracy, including chains, two-family stories and missing origins.

    .venv/bin/python -m bench.lineage.generated [--stories 150] [--split eval]

Missing origins: in a seeded third of the families the root version is removed from the corpus;
its children's true parent becomes "an inferred origin" (any inferred Origin of the right family).
Stories come from the generator's truth (the stories stage is measured elsewhere).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from bench.generator import generate
from bench.generator.corpus import paragraphs, sentences
from bench.lineage.common import save_result
from wiretrace.align import EmbeddingCache
from wiretrace.data import Article, Story
from wiretrace.lineage import trace

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


def build(split: str, n_stories: int, seed: int = 0, dates: str = "causal", root_layout: str = "copies"):
    versions = generate(seed=seed, split=split)
    if root_layout == "copies":
        versions = copy_layout(versions, seed)
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
        truth = {}
        for v in vs:
            if v.id in dropped:
                continue
            parent = INFERRED if v.parent in dropped else v.parent
            truth[v.id] = {"parent": parent, "relation": v.relation, "family": v.base}
        articles = {v.id: to_article(v) for v in vs if v.id in truth}
        cases.append((stories[k], articles, truth, bool(dropped)))
    return cases


def score(cases, cache: EmbeddingCache) -> dict:
    n = rel_ok = parent_ok = fam_ok = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    missing_found = missing_total = 0
    aligned_versions = 0
    for story_id, articles, truth, has_missing in cases:
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
            confusion[t["relation"]][e.relation] += 1
            if t["parent"] == INFERRED:
                parent_ok += e.parent in origins and origins[e.parent].inferred
            else:
                parent_ok += e.parent == t["parent"]
            fam_ok += family_of.get(e.article) == frozenset(true_family[t["family"]])
        if has_missing:
            missing_total += 1
            missing_found += any(o.inferred for o in story.origins)
    return {
        "versions": n,
        "stories": len(cases),
        "relation_accuracy": round(rel_ok / n, 4),
        "parent_accuracy": round(parent_ok / n, 4),
        "family_accuracy": round(fam_ok / n, 4),
        "stories_with_missing_origin_detected": f"{missing_found}/{missing_total}",
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
    args = parser.parse_args()
    cases = build(args.split, args.stories, dates=args.dates, root_layout=args.root_layout)
    cache = EmbeddingCache()
    start = time.perf_counter()
    result = score(cases, cache)
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["command"] = (
        f".venv/bin/python -m bench.lineage.generated --stories {args.stories} --split {args.split}"
        f" --dates {args.dates} --root-layout {args.root_layout}"
    )
    result["dates"] = args.dates
    result["root_layout"] = args.root_layout
    result["generator"] = "bench/generator (seed 0), root removed in a seeded third of families"
    print(result)
    suffix = ("" if args.dates == "causal" else f"_{args.dates}_dates") + (
        "" if args.root_layout == "copies" else "_raw_roots"
    )
    save_result(f"generated_{args.split}{suffix}", result)


if __name__ == "__main__":
    main()
