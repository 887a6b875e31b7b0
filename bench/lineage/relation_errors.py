"""Why rewrites read as light edits: the relation errors on generated *train*, given true parents.

    .venv/bin/python -m bench.lineage.relation_errors [--stories 80] [--show 40] [--save]

Each derived version is classified against its true parent by the classifier refitted without its
story (5 folds by story, as bench.lineage.fit_relations cross-validates; Clough answers join each
fit). Each error of the chosen confusions is printed with the generator's operator, how much the
derivation changed (`word_change`) and the model's inputs, the child and parent side by side.

The count the analysis rests on is `words_changed`: the child's words outside the longest common
word subsequence with its parent (what was inserted or substituted; sentences dropped whole are
omissions, not rewording). A derivation that changed only a few words of its parent reads as a light
edit to any reader whatever its operator was called; the benchmark reports such pairs apart (beside
the strict figure, never instead of it), as it reports the no-op edits. Only train is read here.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from rapidfuzz.distance import LCSseq

from bench.lineage.common import save_result
from wiretrace.align import EmbeddingCache, align_units
from wiretrace.align.sentences import lower_tokens
from wiretrace.lineage.features import RelationFeatures, relation_features

# Below this many changed words a derivation is "slight" whatever its recorded operator: the
# generator's own light edit changes one word per "said" and drops a sentence; a human rewrite
# changes words in most sentences. Chosen from that definition, not from any score.
SLIGHT_WORDS = 3
REWRITES = ("rewrite", "machine-rewrite")
# short names of relations.model_inputs, in order, for the printout
INPUT_NAMES = (
    "child_cov", "parent_cov", "tok_sim", "verbatim", "order", "restruct", "parallel", "swap", "copied", "odd",
    "block", "len_ratio", "reordered", "long_rate", "edited", "interior", "word_cont", "phrase_cont", "lcs",
)
CONFUSIONS = ("rewrite->light-edit", "machine-rewrite->light-edit", "rewrite->verbatim", "light-edit->rewrite")


def word_change(child: list[str], parent: list[str]) -> dict:
    """How much a child's wording differs from its parent's, in words a reader can count.

    `words_changed`: child words outside the longest common word subsequence with the parent (words
    inserted, replaced or moved; words deleted do not count);
    `sentences_changed`: child sentences that are not a parent sentence word for word (same words,
    same order); `share_changed`: words_changed over the child's words.
    """
    cw = [w for s in child for w in lower_tokens(s)]
    pw = [w for s in parent for w in lower_tokens(s)]
    kept = LCSseq.similarity(cw, pw) if cw and pw else 0
    parent_sentences = {tuple(lower_tokens(s)) for s in parent}
    changed = sum(tuple(lower_tokens(s)) not in parent_sentences for s in child)
    return {
        "words_changed": len(cw) - kept,
        "sentences_changed": changed,
        "child_sentences": len(child),
        "share_changed": round((len(cw) - kept) / max(1, len(cw)), 4),
    }


def reading(change: dict, noop: bool, limit: int = SLIGHT_WORDS) -> str:
    """How a reader would see a derivation's change, from its counts alone.

    "noop": the generator changed no word (its truth says so); "slight": fewer than `limit` words
    inserted or replaced (deleting words is not rewording); "mostly-kept": at least half of its
    sentences are its parent's word for word (an edited copy, whatever its operator); else "reworded".
    """
    if noop:
        return "noop"
    if change["words_changed"] < limit:
        return "slight"
    if 2 * change["sentences_changed"] <= change["child_sentences"]:
        return "mostly-kept"
    return "reworded"


def is_slight_rewrite(relation: str, how: str) -> bool:
    """A rewrite (human or machine) that changed fewer than SLIGHT_WORDS words: scored apart, beside
    the strict figure, as the no-op edits are."""
    return relation in REWRITES and how == "slight"


def _pairs(cases, cache: EmbeddingCache):
    """(story, relation, operator, child texts, parent texts, features) against each true parent."""
    out = []
    for story, articles, truth, *_ in cases:
        for aid, t in sorted(truth.items()):
            parent = t["parent"]
            relation = t.get("operator_relation", t["relation"])  # this analysis reads the operator's labels
            if parent not in articles or relation in ("translation", "independent"):
                continue
            uc, up = cache.units(articles[aid]), cache.units(articles[parent])
            if uc.language and up.language and uc.language != up.language:
                continue
            f = relation_features(uc.texts, up.texts, align_units(uc, up).pairs, False)
            out.append((story, relation, t["operator"], uc.texts, up.texts, f, bool(t.get("noop"))))
    return out


def _cv_predictions(pairs, extra, weight: float) -> list[str]:
    """Each pair classified by the classifier refitted without its story's fold (5 folds by story)."""
    from bench.lineage.clough import relation_model
    from bench.lineage.fit_relations import fit_rows
    from wiretrace.lineage.relations import classify, model_inputs

    stories = sorted({p[0] for p in pairs})
    fold_of = {s: k % 5 for k, s in enumerate(stories)}
    rows = [(p[0], p[1], model_inputs(p[5])) for p in pairs]
    pred = [""] * len(pairs)
    for k in range(5):
        train = [r for r, p in zip(rows, pairs, strict=True) if fold_of[p[0]] != k]
        with relation_model(fit_rows(train, extra, weight)):
            for i, p in enumerate(pairs):
                if fold_of[p[0]] == k:
                    pred[i] = classify(p[5])[0]
    return pred


def _show(story, truth, pred, op, child, parent, f: RelationFeatures, change: dict) -> None:
    from wiretrace.lineage.relations import model_inputs

    print(f"=== {story}  {truth} -> {pred}  operator={op}  {change}")
    print("    " + " ".join(f"{n}={v:.2f}" for n, v in zip(INPUT_NAMES, model_inputs(f), strict=False)))
    print(f"    swaps={f.word_swaps[:6]}")
    parent_set = {tuple(lower_tokens(s)) for s in parent}
    for s in child:
        mark = "=" if tuple(lower_tokens(s)) in parent_set else "*"
        print(f"  C{mark} {s[:160]}")
    for s in parent:
        print(f"  P  {s[:160]}")


def main() -> None:
    from bench.lineage.fit_relations import CLOUGH_WEIGHT, clough_rows
    from bench.lineage.generated import build

    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=80)
    parser.add_argument("--clough-weight", type=float, default=CLOUGH_WEIGHT)
    parser.add_argument("--show", type=int, default=0, help="print this many errors of each confusion")
    parser.add_argument("--save", action="store_true", help="save the counts under relation_errors_train")
    args = parser.parse_args()
    pairs = _pairs(build("train", args.stories, seed=11), EmbeddingCache())
    pred = _cv_predictions(pairs, clough_rows() if args.clough_weight > 0 else [], args.clough_weight)
    by_cell: dict[str, Counter] = defaultdict(Counter)
    readings: dict[str, Counter] = defaultdict(Counter)
    strict_ok = decidable_ok = decidable = 0
    shown: Counter = Counter()
    for p, guess in zip(pairs, pred, strict=True):
        story, truth, op, child, parent, f, noop = p
        change = word_change(child, parent)
        how = reading(change, noop)
        cell = f"{truth}->{guess}"
        strict_ok += truth == guess
        if truth in REWRITES:
            readings[truth][how] += 1
        if not noop and not is_slight_rewrite(truth, how):
            decidable += 1
            decidable_ok += truth == guess
        if truth != guess:
            by_cell[cell][f"{op}:{how}"] += 1
            if cell in CONFUSIONS and shown[cell] < args.show:
                shown[cell] += 1
                _show(story, truth, guess, op, child, parent, f, change)
    result = {
        "command": f".venv/bin/python -m bench.lineage.relation_errors --stories {args.stories}"
        f" --clough-weight {args.clough_weight} --save",
        "pairs": len(pairs),
        "slight_words_below": SLIGHT_WORDS,
        "cv_relation_accuracy": round(strict_ok / max(1, len(pairs)), 4),
        "cv_relation_accuracy_without_noop_or_slight_rewrites": round(decidable_ok / max(1, decidable), 4),
        "rewrites_by_reading": {r: dict(sorted(n.items())) for r, n in sorted(readings.items())},
        "errors_by_cell_operator_and_change": {c: dict(sorted(n.items())) for c, n in sorted(by_cell.items())},
    }
    print(result)
    if args.save:
        save_result("relation_errors_train", result)


if __name__ == "__main__":
    main()
