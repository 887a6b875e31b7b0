"""Event-specific evidence for the pair model, measured before it is shipped (issue 3, session 6).

    .venv/bin/python -m bench.stories.event_anchors [--lost]   -> bench/stories/results_event_anchors.json

Question: which evidence separates "same event, independent report" from "same topic, another event"
better than the shipped pair features (chunk cosines, shared names and numbers)? Each candidate is a
pair-local feature computed from the two texts:

* `bigram_overlap`, `bigram_shared`: capitalised two-word spans ("Myles Garrett", "White House"),
  overlap over the smaller side (floor 3) and log count;
* `lead_name_overlap`, `lead_names_known`: names and capitalised bigrams of the title and the first
  `LEAD_SENTENCES` sentences (who/where of the lead), overlap over the smaller side (floor 2);
* `lead_bigram_shared`: capitalised bigrams shared by the two leads (log count);
* `numunit_shared`: a number with the word after it ("12 people") shared (log count);
* `rare_name_shared`: shared names that are not in a fixed table of common names (names in at least
  `--common-df` texts of the train split and the HFL training file; a table that would ship with the
  code, so a score does not change when the corpus grows).

Protocol (as `bench.stories.fit`): each variant refits the logistic pair model on the train split
(generated candidate pairs + SemEval HFL training-file pairs), then groups the train split, the
evaluation split (ARI, week-dense dates) and the real web pages (precision and judged same-event
pairs kept, `bench.stories.realweb`) through the product's clustering, with the pair scorer of
`wiretrace.stories` replaced by the variant's (features and weights). Ship only what wins on train
and holds on eval and real web. Also measured: the fit's data weighting (SemEval share and cuts) and
the merge threshold. `--lost` lists the evaluation stories the shipped model splits, with the mean
and best-per-member link between their two largest parts.

Needs the feature caches of `bench.stories.fit` / `run` / `realweb` (bench/stories/.cache), or it encodes.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np

import wiretrace.stories as stories_stage
from bench.generator import generate
from bench.generator.corpus import load_sources, split_of
from bench.stories import fit
from bench.stories.common import DATE_SPAN, ari, feature_index, labels_from_groups, to_articles
from bench.stories.run import per_operator_recall
from wiretrace.config import Settings
from wiretrace.stories import score
from wiretrace.stories.features import LEAD_SENTENCES, extract_anchors, split_sentences

OUT = Path(__file__).with_name("results_event_anchors.json")
SETTINGS = Settings()

_CAPITAL = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*\w"
_CAPITAL_SPAN = re.compile(rf"{_CAPITAL}(?:\s+{_CAPITAL})+", re.UNICODE)
_NUMBER_UNIT = re.compile(r"(?<![\w.,])(\d[\d,.]*)\s+([^\W\d_]{3,})", re.UNICODE)

EXTRA = (
    "bigram_overlap", "bigram_shared", "lead_name_overlap", "lead_names_known", "lead_bigram_shared",
    "numunit_shared", "rare_name_shared",
)


def capital_bigrams(text: str) -> set[str]:
    """Lower-cased pairs of adjacent capitalised words (multi-word names, sentence starts included)."""
    out = set()
    for m in _CAPITAL_SPAN.finditer(text):
        words = [w.lower() for w in m.group(0).split()]
        out.update(" ".join(words[i : i + 2]) for i in range(len(words) - 1))
    return out


def evidence(article) -> dict[str, set[str]]:
    """The sets the candidate features compare, for one article."""
    text = article.text or ""
    full = f"{article.title}. {text}" if article.title else text
    lead = " ".join(split_sentences(text)[:LEAD_SENTENCES])
    lead = f"{article.title}. {lead}" if article.title else lead
    names = {a for a in extract_anchors(full)[0] if a.startswith("w:")}
    lead_names = {a for a in extract_anchors(lead)[0] if a.startswith("w:")}
    return {
        "bigrams": capital_bigrams(full),
        "lead_bigrams": capital_bigrams(lead),
        "lead_names": lead_names | capital_bigrams(lead),
        "names": names,
        "numunits": {f"{n.rstrip('.,')} {u.lower()}" for n, u in _NUMBER_UNIT.findall(full)},
    }


class Variant:
    """Candidate features over the evidence of every article seen, and the pair scorer they make."""

    def __init__(self) -> None:
        self.sets: dict[str, dict] = {}
        self.common: set[str] = set()
        self.weights = np.concatenate([score.WEIGHTS, np.zeros(len(EXTRA))])

    def add(self, articles) -> None:
        for a in articles:
            self.sets[a.id] = evidence(a)

    def columns(self, a: dict, b: dict) -> list[float]:
        bigrams = len(a["bigrams"] & b["bigrams"])
        lead_a, lead_b = a["lead_names"], b["lead_names"]
        known = bool(lead_a) and bool(lead_b)
        return [
            bigrams / max(min(len(a["bigrams"]), len(b["bigrams"])), 3),
            np.log1p(bigrams) / np.log(20.0),
            len(lead_a & lead_b) / max(min(len(lead_a), len(lead_b)), 2) if known else 0.0,
            float(known),
            np.log1p(len(a["lead_bigrams"] & b["lead_bigrams"])) / np.log(10.0),
            np.log1p(len(a["numunits"] & b["numunits"])) / np.log(10.0),
            np.log1p(len((a["names"] & b["names"]) - self.common)) / np.log(20.0),
        ]

    def design(self, index, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        extra = [self.columns(self.sets[index.ids[i]], self.sets[index.ids[j]]) for i, j in zip(a.tolist(), b.tolist())]
        extra_x = np.array(extra, dtype=np.float64).reshape(len(a), len(EXTRA))
        return np.column_stack([score.pair_features(index, a, b), extra_x])

    def offset(self, index, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The shipped logit terms outside `score.FEATURES` (`score.conflict_logit`): "shipped" is the product."""
        return score.conflict_logit(index, a, b)

    def score_pairs(self, index, pairs, batch: int = 2048) -> np.ndarray:
        out = np.zeros(len(pairs), dtype=np.float64)
        for s in range(0, len(pairs), batch):
            part = np.asarray(pairs[s : s + batch], dtype=np.int64).reshape(-1, 2)
            a, b = part[:, 0], part[:, 1]
            out[s : s + len(part)] = score.probability(self.design(index, a, b), self.weights, self.offset(index, a, b))
        return out


def common_names(min_df: int) -> set[str]:
    """Names in at least `min_df` texts of the train split's base articles and the HFL training file."""
    texts = [t for b, t in load_sources()["english"].items() if split_of(b) == "train"]
    rows = fit.semeval_rows("hfl_training_set")
    texts = list(dict.fromkeys(texts + [r["text1"] for r in rows] + [r["text2"] for r in rows]))
    df = Counter(a for t in texts for a in {x for x in extract_anchors(t)[0] if x.startswith("w:")})
    return {n for n, c in df.items() if c >= min_df}


def grouped_ari(index, versions) -> dict:
    """ARI and recall by kind of the product's grouping of `index` (its pairs scored afresh)."""
    index.pairs = type(index.pairs)(index.ids, index.row)
    stories_stage.verify_new(index, list(range(len(index))))
    ids = sorted(index.ids)
    truth = {v.id: v.story for v in versions}
    pred = labels_from_groups(ids, [s.articles for s in stories_stage.stories_of(index)])
    return {"ari": round(ari([truth[i] for i in ids], pred), 4),
            "recall": per_operator_recall(versions, dict(zip(ids, pred)))}


def realweb_features() -> tuple[list, dict[str, str], list]:
    """Features, page paths and articles of the real web pages (ingested by `bench.stories.realweb`)."""
    from bench.stories.realweb import DATA, STORE
    from wiretrace.embed import get_encoder
    from wiretrace.pipeline import StoredArticles
    from wiretrace.store import Store
    from wiretrace.stories.features import compute_features

    with Store(STORE) as store:
        source = StoredArticles(store, SETTINGS)
        articles = source.load(source.ids())
    by_id = {a.id: a for a in articles}
    encoder = get_encoder(SETTINGS.encoder)
    feats = []
    for part in stories_stage.feature_passes(by_id, SETTINGS):
        feats += compute_features([by_id[i] for i in part], encoder, SETTINGS.batch_size)
    path = {a.id: str(Path(a.source).resolve().relative_to(DATA.resolve())) for a in articles}
    return feats, path, articles


def realweb_judged(feats, path) -> dict:
    from bench.stories.realweb import EVENTS, judge
    from wiretrace.embed import get_encoder

    encoder = get_encoder(SETTINGS.encoder)
    index = stories_stage.StoryIndex(dim=encoder.dim, encoder=encoder.name)
    index.add(feats)
    stories_stage.verify_new(index, list(range(len(index))))
    found = [sorted(path[a] for a in s.articles) for s in stories_stage.stories_of(index)]
    return judge(found, json.loads(EVENTS.read_text(encoding="utf-8")))


def fit_variant(data: dict, columns: list[int], pos_cut=1.5, neg_cut=3.0, semeval_share=0.25) -> np.ndarray:
    """`bench.stories.fit`'s logistic fit over the given design columns (the others weigh 0)."""
    xs, overall, train_file = data["semeval_x"], data["overall"], data["train_file"]
    keep = train_file & ((overall <= pos_cut) | (overall >= neg_cut))
    ys = (overall[keep] <= pos_cut).astype(np.float64)
    yg = data["generated_y"]
    w8 = np.concatenate([np.ones(len(yg)), np.full(len(ys), max(1.0, semeval_share * len(yg) / max(len(ys), 1)))])
    w = fit.logistic_fit(np.vstack([data["generated_x"], xs[keep]])[:, columns], np.concatenate([yg, ys]), w8)
    full = np.zeros(data["generated_x"].shape[1])
    full[columns] = w
    return full


def lost_stories(variant: Variant, index, versions) -> list[dict]:
    """Evaluation stories split by the current weights: part sizes, bases, and the links between the two
    largest parts (mean over all pairs, mean of each smaller-part member's best link)."""
    grouped_ari(index, versions)
    where = {a: k for k, s in enumerate(stories_stage.stories_of(index)) for a in s.articles}
    members: dict[str, list] = {}
    for v in versions:
        members.setdefault(v.story, []).append(v)
    out = []
    for story, vs in sorted(members.items()):
        parts: dict[int, list[str]] = {}
        for v in vs:
            parts.setdefault(where[v.id], []).append(v.id)
        if len(parts) < 2:
            continue
        big, small = sorted(parts.values(), key=len, reverse=True)[:2]
        pairs = [(index.row[a], index.row[b]) for a in small for b in big]
        p = variant.score_pairs(index, pairs).reshape(len(small), len(big))
        out.append({"story": story, "bases": len({v.base for v in vs}), "parts": sorted(map(len, parts.values()))[::-1],
                    "kinds_split_off": dict(Counter(v.operator for v in vs if v.id in small)),
                    "mean_link": round(float(p.mean()), 3), "best_link_mean": round(float(p.max(axis=1).mean()), 3)})
    return out


VARIANTS = {  # name -> candidate features added to the shipped ones
    "refit, shipped features": [],
    "+ capitalised bigrams": ["bigram_overlap", "bigram_shared"],
    "+ lead names": ["lead_name_overlap", "lead_names_known"],
    "+ lead names, lead bigrams": ["lead_name_overlap", "lead_names_known", "lead_bigram_shared"],
    "+ capitalised bigrams, lead names": ["bigram_overlap", "bigram_shared", "lead_name_overlap", "lead_names_known"],
    "+ number with unit": ["numunit_shared"],
    "+ rare names": ["rare_name_shared"],
    "+ rare names, lead names": ["rare_name_shared", "lead_name_overlap"],
}
FIT_VARIANTS = {  # name -> (SemEval positive cut, negative cut, SemEval share of the generated pairs' weight)
    "SemEval negatives from Overall 2.0": (1.5, 2.0, 0.25),
    "SemEval share 0.5": (1.5, 3.0, 0.5),
    "SemEval share 1.0": (1.5, 3.0, 1.0),
    "SemEval share 0.5, positives to Overall 2.0": (2.0, 3.0, 0.5),
}


def generated_indexes(variant: Variant) -> tuple[list, list, object, object]:
    """The week-dense train and eval corpora, their versions known to `variant`, and their cached
    feature indexes; the product's clustering is set to score pairs with `variant`."""
    stories_stage.score_pairs = variant.score_pairs  # the product's clustering, this variant's scores
    train_versions = generate(seed=1, split="train", date_span=DATE_SPAN)
    eval_versions = generate(seed=0, split="eval", date_span=DATE_SPAN)
    train_articles, eval_articles = to_articles(train_versions), to_articles(eval_versions)
    variant.add(train_articles + eval_articles)
    train_index, _ = feature_index(train_articles, SETTINGS, "fit-train")
    eval_index, _ = feature_index(eval_articles, SETTINGS, f"run-{len(eval_articles)}")
    return train_versions, eval_versions, train_index, eval_index


class FitInputs(NamedTuple):
    """`fit_inputs`'s result, in the order the harnesses unpack it."""

    rows: list
    semeval_index: object
    semeval_pairs: np.ndarray
    web_feats: list
    web_path: dict
    cand: np.ndarray
    labels: np.ndarray


def fit_inputs(variant: Variant, train_versions: list, train_index) -> FitInputs:
    """What every variant is fitted and read on: the train split's candidate pairs and labels, the
    SemEval rows and index (its pages known to `variant`), and the real web pages' features."""
    rows = fit.semeval_rows(None)
    semeval_index, semeval_pairs, semeval_articles = fit.semeval_index(SETTINGS, rows, "semeval-all")
    variant.add(semeval_articles)
    web_feats, web_path, web_articles = realweb_features()
    variant.add(web_articles)
    story = {v.id: v.story for v in train_versions}
    cand = np.asarray(fit.candidate_pairs(train_index, list(range(len(train_index)))), dtype=np.int64)
    labels = np.array([story[train_index.ids[i]] == story[train_index.ids[j]] for i, j in cand], dtype=np.float64)
    return FitInputs(rows, semeval_index, np.asarray(semeval_pairs, dtype=np.int64), web_feats, web_path, cand, labels)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lost", action="store_true", help="list the evaluation stories the shipped model splits")
    ap.add_argument("--common-df", type=int, nargs="+", default=[3, 8, 20], help="rare-name table cut(s)")
    args = ap.parse_args()
    variant = Variant()
    train_versions, eval_versions, train_index, eval_index = generated_indexes(variant)
    if args.lost:
        print(json.dumps(lost_stories(variant, eval_index, eval_versions), indent=1))
        return
    rows, semeval_index, sp, web_feats, web_path, cand, labels = fit_inputs(variant, train_versions, train_index)
    base = list(range(len(score.FEATURES)))
    extra_col = {n: len(score.FEATURES) + k for k, n in enumerate(EXTRA)}

    def measure(name: str, weights: np.ndarray, **extra) -> dict:
        variant.weights = weights
        train, evaluation = grouped_ari(train_index, train_versions), grouped_ari(eval_index, eval_versions)
        web = realweb_judged(web_feats, web_path)
        row = {"variant": name, **extra, "train_ari": train["ari"], "eval_ari": evaluation["ari"],
               "eval_recall_translation": evaluation["recall"]["translation"],
               "realweb_merged_pairs": web["merged_pairs"], "realweb_precision": web["precision"],
               "realweb_unjudged_pairs": web["unjudged_pairs"], "realweb_kept": web["judged_same_event_pairs_kept"],
               "extra_weights": {n: round(float(weights[c]), 3) for n, c in extra_col.items() if weights[c]}}
        print(json.dumps(row), flush=True)
        return row

    def data() -> dict:
        return {"generated_x": variant.design(train_index, cand[:, 0], cand[:, 1]), "generated_y": labels,
                "semeval_x": variant.design(semeval_index, sp[:, 0], sp[:, 1]),
                "overall": np.array([r["labels"]["Overall"] for r in rows]),
                "train_file": np.array([r["source_file"] == "hfl_training_set" for r in rows])}

    results = [measure("shipped", np.concatenate([score.WEIGHTS, np.zeros(len(EXTRA))]))]
    fitted = data()
    for name, names in VARIANTS.items():
        if "rare_name_shared" not in names:
            results.append(measure(name, fit_variant(fitted, base + [extra_col[n] for n in names])))
    for name, (pos, neg, share) in FIT_VARIANTS.items():
        results.append(measure(name, fit_variant(fitted, base, pos, neg, share)))
    for min_df in args.common_df:
        variant.common = common_names(min_df)
        fitted = data()
        for name, names in VARIANTS.items():
            if "rare_name_shared" in names:
                weights = fit_variant(fitted, base + [extra_col[n] for n in names])
                results.append(measure(f"{name} (common: df >= {min_df})", weights, common_names=len(variant.common)))
    variant.common = set()
    shipped = np.concatenate([score.WEIGHTS, np.zeros(len(EXTRA))])
    for merge in (0.45, 0.55):
        stories_stage.MERGE_THRESHOLD = merge
        results.append(measure(f"shipped, merge threshold {merge}", shipped))
    stories_stage.MERGE_THRESHOLD = 0.5
    OUT.write_text(json.dumps({"command": ".venv/bin/python -m bench.stories.event_anchors", "rows": results},
                              indent=1) + "\n")


if __name__ == "__main__":
    main()
