"""Story-grouping benchmark: ARI of wiretrace and two datasketch MinHash baselines on a generated corpus.

Corpus: `bench.generator.generate(seed=0, split="eval", date_span=7, events=judged_events())` --
English SemEval-2022 articles (the split disjoint from the one `fit.py` trains on), 3-15 derived
versions for ~75% of them, same-event pairs as two-family stories, dissimilar pairs as close-in-time
different stories. Same-event pairs: the raters' (Overall <= 1.5) corrected by our judgements
(`semeval_events.json`); the ARI against the raters' pairs alone is reported beside it.

Run: .venv/bin/python -m bench.stories.run [--articles N] [--cache] [--encoder use-static]
-> bench/stories/results.json (results_<encoder>.json for another encoder)
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from bench.generator import generate
from bench.generator.corpus import load_sources, story_roots
from bench.stories.common import (
    DATE_SPAN,
    ari,
    feature_index,
    judged_events,
    labels_from_groups,
    minhash_baseline,
    to_articles,
)
from wiretrace.config import Settings
from wiretrace.stories import stories_of, verify_new

OUT = Path(__file__).with_name("results.json")


def per_operator_recall(versions, pred: dict[str, str]) -> dict[str, float]:
    """Share of derived versions put in the same predicted story as their story's root."""
    root = {v.story: v.id for v in versions if v.parent is None and v.base in v.story}
    hits, totals = Counter(), Counter()
    for v in versions:
        if v.parent is None or v.story not in root:
            continue
        totals[v.operator] += 1
        hits[v.operator] += pred[v.id] == pred[root[v.story]]
    return {op: round(hits[op] / totals[op], 4) for op in sorted(totals)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=None)
    ap.add_argument("--cache", action="store_true", help="reuse encoded features (iteration only)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--encoder", default="use", help="sentence encoder of the stories stage (use, use-static)")
    args = ap.parse_args()
    settings = Settings(encoder=args.encoder)
    sources = load_sources()
    versions = generate(
        seed=0, split="eval", n_articles=args.articles, date_span=DATE_SPAN, sources=sources, events=judged_events()
    )
    articles = to_articles(versions)
    ids = sorted(a.id for a in articles)
    truth = {v.id: v.story for v in versions}
    gold = [truth[i] for i in ids]
    # the same corpus judged by the SemEval raters' pairs alone (as before session 7), reported beside
    rated = story_roots(sorted({v.base for v in versions}), sources["same"])
    gold_rated = [rated[v.base] for v in sorted(versions, key=lambda v: v.id)]
    result = {
        "corpus": {
            "articles": len(articles),
            "stories": len(set(gold)),
            "stories_by_raters_pairs_alone": len(set(gold_rated)),
            "operators": dict(sorted(Counter(v.operator for v in versions).items())),
            "languages": dict(sorted(Counter(v.language for v in versions).items())),
            "date_span_days": DATE_SPAN,
            "events": "bench/stories/semeval_events.json (hand-judged) + the raters' pairs",
        }
    }
    index, encode_s = feature_index(articles, settings, f"run-{len(articles)}" if args.cache else None)
    start = time.perf_counter()
    verify_new(index, list(range(len(index))))
    stories = stories_of(index)
    rest_s = time.perf_counter() - start
    pred_groups = [s.articles for s in stories]
    pred = labels_from_groups(ids, pred_groups)
    result["wiretrace"] = {
        "ari": round(ari(gold, pred), 4),
        "ari_raters_pairs_alone": round(ari(gold_rated, pred), 4),
        "stories": len(stories),
        "seconds_features": None if encode_s != encode_s else round(encode_s, 2),
        "seconds_candidates_scoring_clustering": round(rest_s, 2),
        "verified_pairs": len(index.pairs),
        "recall_by_operator": per_operator_recall(versions, dict(zip(ids, pred))),
    }
    print(json.dumps(result["wiretrace"], indent=1))
    if not args.no_baselines:
        baselines = (("minhash_textdedup_2gram_0.45", 2, 0.45), ("minhash_datatrove_5gram_0.72", 5, 0.72))
        for name, ngram, threshold in baselines:
            groups, secs = minhash_baseline(articles, ngram, threshold)
            labels = labels_from_groups(ids, groups)
            result[name] = {
                "ari": round(ari(gold, labels), 4), "ari_raters_pairs_alone": round(ari(gold_rated, labels), 4),
                "seconds": round(secs, 2),
            }
            print(name, result[name])
    result["wiretrace"]["encoder"] = args.encoder
    out = OUT if args.encoder == "use" else OUT.with_name(f"results_{args.encoder}.json")
    if args.articles is None:
        out.write_text(json.dumps(result, indent=1) + "\n")
    else:
        print(json.dumps(result["corpus"]))


if __name__ == "__main__":
    main()
