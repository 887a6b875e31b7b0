"""A cascade of the two encoders, measured: the static encoder ("use-static") for every article, USE
only for the articles of candidate pairs whose static score lands in an uncertain band.

    .venv/bin/python -m bench.stories.cascade [--split eval|train] [--realweb]   -> results_cascade.json

Steps (one process): features with the static encoder, candidates and verification with its pair
weights; then for each band (lo, hi), the candidate pairs with lo <= p <= hi are scored again from
USE features (USE's pair weights and the lead-conflict term, as `score_pairs` does for a USE index)
of just their articles, and the stories are clustered from the mixed scores. Bands are nested, so
each article is USE-encoded once; every band starts from the static scores. Reported per band:
the share of articles USE-encoded, the share of candidate pairs rescored, ARI (judged truth and the
raters' pairs alone) and recall by derivation kind on the generated corpus, or precision and judged
pairs kept on the real web pages (`--realweb`), and CPU seconds of each part.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.embed import get_encoder
from wiretrace.stories import StoryIndex, stories_of, verify_new
from wiretrace.stories.features import compute_features
from wiretrace.stories.score import score_pairs

OUT = Path(__file__).with_name("results_cascade.json")
BANDS = ((0.3, 0.7), (0.2, 0.8), (0.1, 0.9), (0.05, 0.95), (0.02, 0.98))


def cascade(articles: list[Article], bands=BANDS) -> tuple[dict, list[dict]]:
    """Static-only stories plus, per band, (stories as lists of ids, the band's measurements)."""
    articles = sorted(articles, key=lambda a: a.id)
    settings = Settings(encoder="use-static")
    static = get_encoder("use-static")
    static.encode(["warm up"])
    use = get_encoder("use")
    use.encode(["warm up"])
    cpu = time.process_time()
    index = StoryIndex(dim=static.dim, encoder=static.name)
    index.add(compute_features(articles, static, settings.batch_size))
    verify_new(index, list(range(len(index))))
    base_groups = [s.articles for s in stories_of(index)]
    static_cpu = time.process_time() - cpu
    rows_a, rows_b, scores, candidate = (np.array(c) for c in index.pairs.columns())
    base = {"stories": base_groups, "cpu_s": round(static_cpu, 2)}
    use_rows: dict[int, int] = {}  # static index row -> row of the USE index
    use_index = StoryIndex(dim=use.dim, encoder=use.name)
    use_cpu = 0.0
    out = []
    for lo, hi in bands:
        sel = candidate & (scores >= lo) & (scores <= hi)
        a, b = rows_a[sel], rows_b[sel]
        needed = sorted(set(np.concatenate([a, b]).tolist()) - set(use_rows))
        start = time.process_time()
        if needed:  # ids sorted: the USE index rows follow the static rows' order
            first = len(use_index)
            use_index.add(compute_features([articles[r] for r in needed], use, settings.batch_size))
            use_rows.update({r: first + k for k, r in enumerate(needed)})
        use_cpu += time.process_time() - start
        start = time.process_time()
        ua = np.array([use_rows[r] for r in a.tolist()], dtype=np.int64)
        ub = np.array([use_rows[r] for r in b.tolist()], dtype=np.int64)
        rescored = score_pairs(use_index, np.stack([ua, ub], axis=1)) if a.size else np.zeros(0)
        index.pairs.put_rows(rows_a, rows_b, scores, False)  # back to the static scores (and flags)
        index.pairs.put_rows(rows_a[candidate], rows_b[candidate], scores[candidate], True)
        if a.size:
            index.pairs.put_rows(a, b, rescored, True)
        groups = [s.articles for s in stories_of(index)]
        rest_cpu = time.process_time() - start
        encoded = {r for r in np.concatenate([rows_a[sel], rows_b[sel]]).tolist()}
        out.append(
            {
                "band": [lo, hi],
                "stories": groups,
                "articles_use_encoded_share": round(len(encoded) / max(len(articles), 1), 4),
                "candidate_pairs_rescored_share": round(float(sel.sum()) / max(int(candidate.sum()), 1), 4),
                "cpu_s_static_stage": round(static_cpu, 2),
                "cpu_s_use_encoding_cumulative": round(use_cpu, 2),
                "cpu_s_rescoring_and_clustering": round(rest_cpu, 2),
            }
        )
        print({k: v for k, v in out[-1].items() if k != "stories"}, flush=True)
    return base, out


def generated(split: str) -> dict:
    from bench.generator import generate
    from bench.generator.corpus import load_sources, story_roots
    from bench.stories.common import DATE_SPAN, ari, judged_events, labels_from_groups, to_articles
    from bench.stories.run import per_operator_recall

    sources = load_sources()
    seed = 0 if split == "eval" else 1
    versions = generate(seed=seed, split=split, date_span=DATE_SPAN, sources=sources, events=judged_events())
    ids = sorted(v.id for v in versions)
    truth = {v.id: v.story for v in versions}
    gold = [truth[i] for i in ids]
    rated = story_roots(sorted({v.base for v in versions}), sources["same"])
    gold_rated = [rated[v.base] for v in sorted(versions, key=lambda v: v.id)]
    base, runs = cascade(to_articles(versions))

    def measure(groups) -> dict:
        pred = labels_from_groups(ids, groups)
        return {
            "ari": round(ari(gold, pred), 4),
            "ari_raters_pairs_alone": round(ari(gold_rated, pred), 4),
            "recall_by_operator": per_operator_recall(versions, dict(zip(ids, pred))),
        }

    result = {"corpus": f"generate(seed={seed}, split={split!r}, date_span=7, events=judged)", "articles": len(ids)}
    result["static_only"] = {**measure(base["stories"]), "cpu_s": base["cpu_s"]}
    result["bands"] = [{**{k: v for k, v in r.items() if k != "stories"}, **measure(r["stories"])} for r in runs]
    return result


def realweb() -> dict:
    from bench.stories.realweb import DATA, EVENTS, STORE, judge
    from wiretrace.pipeline import StoredArticles
    from wiretrace.store import Store

    with Store(STORE) as store:
        source = StoredArticles(store, Settings())
        ids = source.ids()
        articles = [a for k in range(0, len(ids), 500) for a in source.load(ids[k : k + 500])]
    path = {a.id: str(Path(a.source).resolve().relative_to(DATA.resolve())) for a in articles}
    events = json.loads(EVENTS.read_text(encoding="utf-8"))
    base, runs = cascade(articles)

    def measure(groups) -> dict:
        return judge([sorted(path[i] for i in g) for g in groups], events)

    result = {"corpus": "bench.stories.realweb pages", "articles": len(articles)}
    result["static_only"] = {**measure(base["stories"]), "cpu_s": base["cpu_s"]}
    result["bands"] = [{**{k: v for k, v in r.items() if k != "stories"}, **measure(r["stories"])} for r in runs]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="eval", choices=["eval", "train"])
    ap.add_argument("--realweb", action="store_true", help="the real web pages of bench.stories.realweb instead")
    args = ap.parse_args()
    key = "realweb" if args.realweb else args.split
    result = realweb() if args.realweb else generated(args.split)
    saved = json.loads(OUT.read_text()) if OUT.exists() else {}
    saved[key] = result
    OUT.write_text(json.dumps(saved, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
