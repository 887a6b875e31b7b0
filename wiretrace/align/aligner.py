"""Sentence alignment of two versions of a story, any language pair, any paragraph order.

Why not a monotone aligner (Gale-Church, DTW)? News copies reorder paragraphs and wrap excerpts in
commentary, so matching is global: a one-to-one greedy match on a calibrated "same statement"
probability, then two passes that use what the first found: a gap between two in-order anchors
accepts a weaker match (spun sentences keep their place but lose their words), and a sentence
split in two (or two merged into one) joins the partner that contains its words.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from wiretrace.align.edits import PairEdits, compare, compared, edit_kind
from wiretrace.align.sentences import lower_tokens, sentence_texts
from wiretrace.config import Settings
from wiretrace.data import AlignedPair, Alignment, Article
from wiretrace.embed import Encoder, get_encoder

# "Same statement" decision: a logistic model over [cosine, token similarity, char similarity,
# length ratio], fitted on the MSRP train split (bench/lineage/msrp.py prints the fit; test F1 in
# BENCHMARKS.md). Cross-lingual pairs have no lexical evidence: their threshold is the cosine-only
# cut fitted on the same split.
MATCH_WEIGHTS = (5.48, 1.748, 2.661, 3.304)
MATCH_BIAS = -8.537
CROSS_LINGUAL_MIN_COSINE = 0.6
# Pairs below this cosine are never compared lexically (keeps alignment near O(n) lexical work).
CANDIDATE_MIN_COSINE = 0.3
@dataclass(frozen=True, slots=True)
class MatchModel:
    """What was fitted on one encoder's cosines: the "same statement" logistic model (MSRP train), the
    cross-lingual cosine cut, and the cosine below which a pair is not a candidate.

    Cosines are not comparable across encoders (the static encoder puts unrelated sentences at ~0.25-0.3,
    USE at ~0.0-0.15), so every cut read off a cosine is kept per encoder."""

    weights: tuple[float, float, float, float]
    bias: float
    cross_lingual_min_cosine: float
    candidate_min_cosine: float


MATCH_MODELS: dict[str, MatchModel] = {
    "use": MatchModel(MATCH_WEIGHTS, MATCH_BIAS, CROSS_LINGUAL_MIN_COSINE, CANDIDATE_MIN_COSINE),
    # `python -m bench.lineage.msrp --encoder use-static`: the same fit on the static encoder's cosines; its
    # candidate cut is the static cosine that as many unrelated sentence pairs reach as reach 0.3 under USE
    "use-static": MatchModel((5.111, 2.074, 2.779, 3.414), -8.676, 0.61, 0.418),
}


def match_model(encoder: str | None) -> MatchModel:
    """The match model fitted on `encoder`'s cosines (USE's for an encoder without a fit of its own)."""
    return MATCH_MODELS.get(encoder or "use", MATCH_MODELS["use"])


def align_encoder_name(settings: Settings) -> str:
    """The encoder whose sentence vectors the per-story stages use: `Settings.align_encoder`, else
    `Settings.encoder` (its match model is `match_model(name)`)."""
    return settings.align_encoder or settings.encoder
CANDIDATES_PER_SENTENCE = 3
# Between two in-order anchors, positional evidence stands in for part of the lexical evidence.
GAP_MIN_PROBABILITY = 0.3
# A sentence whose words are this much inside an already matched partner is a split/merge of it.
CONTAINMENT_MIN = 0.8


@dataclass(slots=True)
class Units:
    """An article's sentences with their embeddings: encoded once, reused by every alignment."""

    article: str
    language: str | None
    texts: list[str]
    vectors: np.ndarray
    token_sets: list[Counter] = field(default_factory=list)
    encoder: str = "use"  # whose vectors: picks the match model fitted on its cosines


class EmbeddingCache:
    """Sentence embeddings per article, so each sentence of a story is encoded exactly once.

    Keyed by article id and content hash (an edited article is re-encoded). Thread-safe.
    """

    def __init__(self, encoder: Encoder | None = None, settings: Settings | None = None) -> None:
        self._settings = settings or Settings()
        self._encoder = encoder
        self._units: dict[tuple[str, str], Units] = {}
        self._lock = threading.Lock()
        self.encoded_sentences = 0
        self._encoder_name = align_encoder_name(self._settings) if encoder is None else getattr(encoder, "name", "use")

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = get_encoder(self._encoder_name)
        return self._encoder

    def units(self, article: Article) -> Units:
        key = (article.id, article.content_hash)
        with self._lock:
            found = self._units.get(key)
        if found is not None:
            return found
        texts = sentence_texts(article)
        vectors = self.encoder.encode(texts)
        units = Units(
            article=article.id,
            language=article_language(article),
            texts=texts,
            vectors=vectors,
            token_sets=[Counter(lower_tokens(t)) for t in texts],
            encoder=self.encoder.name,
        )
        with self._lock:
            self._units[key] = units
            self.encoded_sentences += len(texts)
        return units

    def vectors_by_text(self) -> dict[str, np.ndarray]:
        """Every encoded sentence's vector by its text (articles in id order: the last one wins)."""
        with self._lock:
            ordered = sorted(self._units.items())
        return {text: vector for _, units in ordered for text, vector in zip(units.texts, units.vectors, strict=True)}

    def prefetch(self, articles: list[Article]) -> None:
        """Encode the sentences of many articles in batches (much faster than one by one).

        Each distinct text is encoded once, however many copies repeat it: the texts are
        de-duplicated before they are cut into batches of `Settings.batch_size`, so a verbatim
        reprint costs nothing even when it falls in another batch than its source.
        """
        todo = [a for a in articles if (a.id, a.content_hash) not in self._units]
        if not todo:
            return
        texts_per = [sentence_texts(a) for a in todo]
        slot: dict[str, int] = {}  # text -> row in `unique` (first occurrence order: deterministic)
        rows = np.fromiter(
            (slot.setdefault(t, len(slot)) for texts in texts_per for t in texts),
            dtype=np.int64,
            count=sum(map(len, texts_per)),
        )
        unique = list(slot)
        size = max(1, self._settings.batch_size)
        vectors = (
            np.concatenate([self.encoder.encode(unique[i : i + size]) for i in range(0, len(unique), size)])[rows]
            if unique
            else np.zeros((0, self.encoder.dim), dtype=np.float32)
        )
        start = 0
        for article, texts in zip(todo, texts_per, strict=True):
            units = Units(
                article=article.id,
                language=article_language(article),
                texts=texts,
                vectors=vectors[start : start + len(texts)],
                token_sets=[Counter(lower_tokens(t)) for t in texts],
                encoder=self.encoder.name,
            )
            start += len(texts)
            with self._lock:
                self._units[(article.id, article.content_hash)] = units
                self.encoded_sentences += len(texts)


_DETECTOR = None
_DETECTOR_LOCK = threading.Lock()


def article_language(article: Article) -> str | None:
    """`Article.language`, or lingua's guess (models ship in the wheel) when the clean stage left none."""
    if article.language:
        return article.language
    text = article.text[:2000]
    if not text.strip():
        return None
    detector = language_detector()
    with _DETECTOR_LOCK:
        found = detector.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found is not None else None


def language_detector():
    """lingua's detector over every language, loaded once per process with its models (its first
    detection loads them: ~1 CPU s, which the workers' fork server pays once for all, `wiretrace._preload`)."""
    global _DETECTOR
    with _DETECTOR_LOCK:
        if _DETECTOR is None:
            from lingua import LanguageDetectorBuilder

            detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
            detector.detect_language_of("warm up")  # loads the models
            _DETECTOR = detector
        return _DETECTOR


def match_probability(cosine: float, edits: PairEdits, model: MatchModel | None = None) -> float:
    """P(same statement) for a same-language sentence pair (see MATCH_WEIGHTS; `model`: USE's by default)."""
    ratio = min(edits.tokens_a, edits.tokens_b) / max(1, edits.tokens_a, edits.tokens_b)
    weights, bias = (MATCH_WEIGHTS, MATCH_BIAS) if model is None else (model.weights, model.bias)
    w_cos, w_tok, w_char, w_ratio = weights
    # written out, not `sum(...)` over a zip: the aligner calls it for every candidate pair (the
    # left-to-right additions are the ones `sum` made, so the value is the same to the last bit)
    z = bias + (
        ((w_cos * cosine + w_tok * edits.token_similarity) + w_char * edits.char_similarity) + w_ratio * ratio
    )
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _cross_lingual_probability(cosine: float, cut: float = CROSS_LINGUAL_MIN_COSINE) -> float:
    """A soft cosine cut at `cut` (no lexical evidence across languages)."""
    return 1.0 / (1.0 + math.exp(-20.0 * (cosine - cut)))


def is_same_statement(a: str, b: str, cosine: float, cross_lingual: bool = False, encoder: str = "use") -> bool:
    """The aligner's match decision for one sentence pair (what bench/lineage/msrp.py measures), with the
    model fitted on `encoder`'s cosines."""
    model = match_model(encoder)
    if cross_lingual:
        return cosine >= model.cross_lingual_min_cosine
    return match_probability(cosine, compare(a, b), model) >= 0.5


def _containment(small: Counter, big: Counter) -> float:
    total = sum(small.values())
    if total == 0:
        return 0.0
    return sum(min(n, big[w]) for w, n in small.items()) / total


def candidate_pairs(sims: np.ndarray, min_cosine: float = CANDIDATE_MIN_COSINE) -> list[tuple[int, int]]:
    """(i, j) pairs worth a lexical comparison, sorted: each sentence's CANDIDATES_PER_SENTENCE
    nearest partners on either side (ties by position), at cosine `min_cosine` or more.

    One boolean mask over the cosine matrix instead of a Python set of tuples.
    """
    n_a, n_b = sims.shape
    if n_a == 0 or n_b == 0:
        return []
    top = np.argsort(-sims, axis=1, kind="stable")[:, : min(CANDIDATES_PER_SENTENCE, n_b)]
    top_rev = np.argsort(-sims, axis=0, kind="stable")[: min(CANDIDATES_PER_SENTENCE, n_a), :]
    mask = np.zeros((n_a, n_b), dtype=bool)
    mask[np.arange(n_a)[:, None], top] = True
    mask[top_rev, np.arange(n_b)[None, :]] = True
    mask &= sims.astype(np.float64) >= min_cosine
    return [(i, j) for i, j in np.argwhere(mask).tolist()]  # row-major: sorted by (i, j)


def align_units(ua: Units, ub: Units) -> Alignment:
    """Align two encoded articles (the core of `align`, reused by the lineage stage)."""
    alignment = Alignment(a=ua.article, b=ub.article)
    n_a, n_b = len(ua.texts), len(ub.texts)
    if n_a == 0 or n_b == 0:
        return alignment
    cross = bool(ua.language and ub.language and ua.language != ub.language)
    model = match_model(ua.encoder)
    sims = ua.vectors @ ub.vectors.T
    # 1. candidates and their probability
    prob: dict[tuple[int, int], float] = {}
    edits: dict[tuple[int, int], PairEdits] = {}
    options_of: dict[int, list[tuple[float, int]]] = {}  # a's candidates, for the gap pass
    candidates = candidate_pairs(sims, model.candidate_min_cosine)
    # one conversion of the candidates' cosines to Python floats (float32 -> float, as float() does)
    cosines = sims[tuple(np.array(candidates, dtype=np.int64).reshape(-1, 2).T)].tolist() if candidates else []
    for (i, j), cos in zip(candidates, cosines, strict=True):
        e = compared(ua.texts[i], ub.texts[j])
        edits[(i, j)] = e
        if cross:
            p = _cross_lingual_probability(cos, model.cross_lingual_min_cosine)
        else:
            p = match_probability(cos, e, model)
        prob[(i, j)] = p
    for (i, j), p in prob.items():
        options_of.setdefault(i, []).append((p, j))
    # 2. greedy one-to-one on probability (ties by position: deterministic)
    matched: dict[int, int] = {}
    used_b: set[int] = set()
    for (i, j), p in sorted(prob.items(), key=lambda kv: (-kv[1], kv[0])):
        if p < 0.5:
            break
        if i in matched or j in used_b:
            continue
        matched[i] = j
        used_b.add(j)
    # 3. gap filling between in-order anchors (anchors as the first pass left them, scanning a in order)
    for i in range(n_a):
        if i in matched or i not in options_of:
            continue
        before = next((matched[x] for x in range(i - 1, -1, -1) if x in matched), None)
        after = next((matched[x] for x in range(i + 1, n_a) if x in matched), None)
        if before is None and after is None:
            continue
        lo = -1 if before is None else before
        hi = n_b if after is None else after
        if hi - lo < 2:
            continue
        options = [(p, j) for p, j in options_of[i] if lo < j < hi and j not in used_b]
        if options:
            p, j = max(options, key=lambda o: (o[0], -o[1]))
            if p >= GAP_MIN_PROBABILITY:
                matched[i] = j
                used_b.add(j)
    pairs = {(i, j) for i, j in matched.items()}
    # 4. splits and merges: an unmatched sentence contained in its best partner's words
    if not cross:
        nearest_b, nearest_a = sims.argmax(axis=1).tolist(), sims.argmax(axis=0).tolist()  # first maximum, as argmax
        for i in range(n_a):
            if i in matched:
                continue
            j = nearest_b[i]
            if (
                len(ua.token_sets[i]) >= 3
                and _containment(ua.token_sets[i], ub.token_sets[j]) >= CONTAINMENT_MIN
            ):
                pairs.add((i, j))
        matched_b = {j for _, j in pairs}
        for j in range(n_b):
            if j in matched_b:
                continue
            i = nearest_a[j]
            if (
                len(ub.token_sets[j]) >= 3
                and _containment(ub.token_sets[j], ua.token_sets[i]) >= CONTAINMENT_MIN
            ):
                pairs.add((i, j))
    for i, j in sorted(pairs):
        e = edits.get((i, j)) or compared(ua.texts[i], ub.texts[j])
        cosine = float(sims[i, j])
        similarity = cosine if cross else max(cosine, e.char_similarity)
        alignment.pairs.append(
            AlignedPair(a=i, b=j, similarity=round(min(1.0, similarity), 4), kind=edit_kind(e, cross))
        )
    return alignment


def align(
    a: Article,
    b: Article,
    settings: Settings | None = None,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
) -> Alignment:
    """Align the sentences of version `a` to those of version `b` (pairs sorted by `a`, then `b`).

    Pass a shared `cache` when aligning many pairs of one story: each sentence is then encoded once.
    """
    cache = cache or EmbeddingCache(encoder=encoder, settings=settings)
    return align_units(cache.units(a), cache.units(b))
