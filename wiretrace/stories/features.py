"""Per-article evidence for story grouping: computed once per article, never per pair.

Everything here is a pure function of one article (plus the shared encoder), so the Spark
engine can compute features on partitions and an incremental run never recomputes old
articles. Per article we keep only fixed-size, compact evidence (about 4 KB):

* word-shingle MinHash (finds verbatim copies and excerpts, containment-friendly),
* anchor hashes: numbers, capitalised names and quoted phrases -- the words a synonym spinner
  and a machine translator mostly leave untouched,
* 1-3 float16 chunk vectors from the multilingual encoder (the lead and up to two sampled
  chunks): the budget is ~3 encoded texts per article, not every sentence.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import numpy as np

from wiretrace.data import Article
from wiretrace.stories.arrays import sorted_distinct

# MinHash over word shingles: 64 slots, 5-word shingles (short enough to survive light edits,
# long enough that unrelated news rarely share one).
NUM_PERM = 64
SHINGLE = 5
# MinHash over anchors (names, numbers, quotes), for anchor candidates.
ANCHOR_PERM = 32
MAX_ANCHORS = 256
CHUNK_SENTENCES = 2  # sentences per encoded chunk
MAX_CHUNKS = 3  # lead + two sampled chunks
LEAD_SENTENCES = 2  # sentences whose numbers are the event's headline counts
CHUNK_CHARS = 450  # the encoder's cost grows with tokens; leads carry the event

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_WORD = re.compile(r"\w+", re.UNICODE)
# A digit not preceded by a word character, "." or ",", then more digits and separators ending in a
# digit, or alone before a non-word character. The lookbehind follows the first digit, so the pattern
# starts with a character class and `re` skips to the next digit instead of testing every position
# (the same matches as `(?<![\w.,])\d[\d,.]*\d|(?<![\w.,])\d(?![\w])`, ~3x faster).
_NUMBER = re.compile(r"\d(?<![\w.,]\d)(?:[\d,.]*\d|(?![\w]))")
# A capitalised word that is not the first word of a sentence; hyphenated names kept whole.
# Starts with its first white-space character (a class `re` can skip to), the character before it
# checked by a two-character lookbehind: the matches of `(?<=[^\s.!?"“«„(])\s+([A-Z...]...)`.
_NAME = re.compile(r"\s(?<=[^\s.!?\"“«„(]\s)\s*([A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]{2,})", re.UNICODE)
_QUOTE = re.compile(r"[\"“«„]([^\"”»“]{12,200})[\"”»“]")
_SENTENCE = re.compile(r"(?<=[.!?…。！？])[\"”’)»]?\s+(?=[\"“„«(]?[A-ZÀ-ÖØ-ÞĀ-Ž0-9\u0400-\u042F])|\n\s*\n|\n")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def _seeded(seed: int, n: int) -> np.ndarray:
    """`n` deterministic odd 64-bit multipliers (a fixed seed, never Python's `hash`)."""
    rng = np.random.default_rng(seed)
    return rng.integers(1, 2**63 - 1, size=n, dtype=np.uint64) | np.uint64(1)


_PERM_A = _seeded(7, NUM_PERM)
_PERM_B = _seeded(11, NUM_PERM)
_ANCHOR_A = _seeded(13, ANCHOR_PERM)
_ANCHOR_B = _seeded(17, ANCHOR_PERM)
_SHINGLE_MULT = _seeded(19, SHINGLE)


def stable_hash(text: str) -> int:
    """A 64-bit hash that is the same in every process and on every machine."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads multiply-add permutations over all 64 bits."""
    return _mix_inplace(np.array(x, dtype=np.uint64, copy=True))


def _mix_inplace(x: np.ndarray) -> np.ndarray:
    """`_mix` written into `x` itself with one scratch array: the same bits, no temporary per step
    (MinHash mixes 64 values per shingle, and the temporaries were most of its time)."""
    scratch = np.empty_like(x)
    with np.errstate(over="ignore"):
        np.right_shift(x, _S30, out=scratch)
        np.bitwise_xor(x, scratch, out=x)
        np.multiply(x, _M1, out=x)
        np.right_shift(x, _S27, out=scratch)
        np.bitwise_xor(x, scratch, out=x)
        np.multiply(x, _M2, out=x)
        np.right_shift(x, _S31, out=scratch)
        np.bitwise_xor(x, scratch, out=x)
    return x


def minhash(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signature of a set of 64-bit values (an empty set gives all-max slots)."""
    if values.size == 0:
        return np.full(a.shape[0], _MASK64, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = np.multiply(values.astype(np.uint64, copy=False)[:, None], a[None, :])
        np.add(h, b[None, :], out=h)
    return _mix_inplace(h).min(axis=0)


WORD_HASH_CACHE = 1 << 17  # distinct words whose hashes are remembered (~20 MB at most)


class _HashCache(dict):
    """`stable_hash` of words and anchors, remembered: news vocabulary is Zipfian, so ~97% of the
    words of a corpus were hashed before. A dict whose `__missing__` hashes: a hit is one C-level
    lookup (`functools.lru_cache` cost a Python-level call per word). Once `WORD_HASH_CACHE` strings
    are held, new ones are hashed but not kept (the hashes never depend on what is remembered)."""

    misses = 0  # strings hashed (not found), for tests

    def __missing__(self, text: str) -> int:
        value = stable_hash(text)
        self.misses += 1
        if len(self) < WORD_HASH_CACHE:
            self[text] = value
        return value

    def cache_clear(self) -> None:
        self.clear()
        self.misses = 0


_word_hashes = _HashCache()
_word_hash = _word_hashes.__getitem__


def _hashes(texts) -> np.ndarray:
    """uint64 `stable_hash` of each of `texts` (remembered), in order."""
    texts = list(texts)
    return np.fromiter(map(_word_hash, texts), dtype=np.uint64, count=len(texts))


def shingle_hashes(text: str) -> np.ndarray:
    """Unique hashes of lower-cased word `SHINGLE`-grams (the whole text if it is shorter)."""
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    ids = _hashes(words)
    if len(ids) < SHINGLE:
        with np.errstate(over="ignore"):
            return _mix(np.array([np.bitwise_xor.reduce(_mix(ids))], dtype=np.uint64))
    return sorted_distinct(_mix_inplace(_window_sums(ids, len(ids) - SHINGLE + 1)))


def _window_sums(ids: np.ndarray, windows: int) -> np.ndarray:
    """The first `windows` shingle values of a word-hash run: sum_j ids[k + j] * _SHINGLE_MULT[j] (mod 2^64)."""
    acc = ids[:windows] * _SHINGLE_MULT[0]
    step = np.empty_like(acc)
    with np.errstate(over="ignore"):
        for j in range(1, SHINGLE):
            np.multiply(ids[j : j + windows], _SHINGLE_MULT[j], out=step)
            np.add(acc, step, out=acc)
    return acc


_THOUSANDS = re.compile(r"[.,]\d{3}\b")


def _norm_number(raw: str) -> str:
    digits = raw.replace(",", "").replace(".", "") if _THOUSANDS.search(raw) else raw.replace(",", ".")
    return digits.rstrip(".")


def extract_numbers(text: str) -> list[str]:
    """The sorted normalised numbers of `text` without years: `extract_anchors(text)[1]` alone."""
    numbers = sorted({_norm_number(m) for m in _NUMBER.findall(text)} - {""})
    return [n for n in numbers if not _YEAR.match(n)]


def extract_anchors(text: str) -> tuple[list[str], list[str]]:
    """Names, numbers and quoted phrases that identify the event, and the numbers alone.

    Names are capitalised words that do not start a sentence (a cheap, language-agnostic proxy
    for named entities: spaCy-grade NER for 16 languages would cost more than the encoder).
    Years are dropped from the numbers: they date the topic, not the event.
    """
    numbers = extract_numbers(text)
    names = {m.lower().strip("'’-") for m in _NAME.findall(text)}
    quotes = {" ".join(_WORD.findall(q.lower())[:8]) for q in _QUOTE.findall(text)}
    anchors = sorted({"n:" + n for n in numbers} | {"w:" + n for n in names if n} | {"q:" + q for q in quotes})
    return anchors[:MAX_ANCHORS], numbers


def split_sentences(text: str) -> list[str]:
    """Fallback sentence splitter used when an article arrives without `sentences`."""
    try:  # the clean stage's splitter, when it exists
        from wiretrace.clean import split_sentences as clean_split  # type: ignore[attr-defined]
    except ImportError:
        clean_split = None
    if clean_split is not None:
        try:
            spans = clean_split(text, None)
            return [text[s:e].strip() for s, e in spans if text[s:e].strip()]
        except Exception:  # a splitter bug must not lose the article
            pass
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def chunk_texts(sentences: list[str], title: str | None = None) -> list[str]:
    """The lead (title + first sentences) and up to two chunks sampled at 1/3 and 2/3 of the text.

    Sampling, not encoding every sentence, keeps the stage at ~3 encoder calls per article.
    """
    if not sentences:
        return [title[:CHUNK_CHARS]] if title else []
    lead = " ".join(sentences[:CHUNK_SENTENCES])
    if title and title.strip() and not lead.startswith(title.strip()[:40]):
        lead = title.strip() + ". " + lead
    chunks = [lead[:CHUNK_CHARS]]
    n = len(sentences)
    if n > CHUNK_SENTENCES:
        starts = sorted({max(CHUNK_SENTENCES, (n * k) // MAX_CHUNKS - 1) for k in range(1, MAX_CHUNKS)})
        for s in starts:
            if s < n:
                chunks.append(" ".join(sentences[s : s + CHUNK_SENTENCES])[:CHUNK_CHARS])
    return chunks[:MAX_CHUNKS]


def day_number(published: str | None) -> int | None:
    """Days since 0001-01-01 of an ISO 8601 date or datetime, or None when absent or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10]).toordinal()
    except ValueError:
        return None


@dataclass(slots=True)
class ArticleFeatures:
    """The compact evidence kept per article (also what `StoryIndex` stores)."""

    id: str
    language: str
    outlet: str
    day: int  # -1 when unknown
    published: str
    lead: str  # first sentence, for story labels
    n_shingles: int
    signature: np.ndarray  # uint64[NUM_PERM]
    anchor_signature: np.ndarray  # uint64[ANCHOR_PERM]
    anchors: np.ndarray  # sorted unique uint64 anchor hashes
    numbers: np.ndarray  # sorted unique uint64 number hashes
    lead_numbers: np.ndarray  # number hashes of the first LEAD_SENTENCES sentences (the event's counts)
    chunks: np.ndarray  # float16[MAX_CHUNKS, dim], zero rows are padding
    n_chunks: int


def _sentences(article: Article) -> list[str]:
    """The clean stage's sentences when the article carries them, else the text split again."""
    if article.sentences:
        return [s.text.strip() for s in article.sentences if s.text and s.text.strip()]
    return split_sentences(article.text or "")


def _sorted_hashes(texts) -> np.ndarray:
    """`np.unique(_hashes(texts))` for a handful of strings: Python's sort of the distinct ints is the
    same order (all are non-negative) at a fraction of `np.unique`'s fixed cost."""
    return np.array(sorted(set(map(_word_hash, texts))), dtype=np.uint64)


def _article_lex(article: Article, sentences: list[str]) -> dict:
    """The fields of `lexical_features` that need no shingles (anchors, numbers, dates, lead)."""
    text = article.text or ""
    anchors, numbers = extract_anchors(text if not article.title else article.title + ". " + text)
    day = day_number(article.published)
    return {
        "id": article.id,
        "language": article.language or "",
        "outlet": article.outlet or "",
        "day": -1 if day is None else day,
        "published": article.published or "",
        "lead": (sentences[0] if sentences else (article.title or ""))[:300],
        "anchors": _sorted_hashes(anchors),
        "numbers": _sorted_hashes("n:" + n for n in numbers),
        "lead_numbers": _sorted_hashes("n:" + n for n in extract_numbers(" ".join(sentences[:LEAD_SENTENCES]))),
    }


def lexical_features(article: Article) -> tuple[dict, list[str]]:
    """Everything but the vectors, plus the chunk texts still to encode (one article; the reference
    `lexical_features_batch` must equal)."""
    sentences = _sentences(article)
    shingles = shingle_hashes(article.text or "")
    lex = _article_lex(article, sentences)
    lex["n_shingles"] = int(shingles.size)
    lex["signature"] = minhash(shingles, _PERM_A, _PERM_B)
    lex["anchor_signature"] = minhash(lex["anchors"], _ANCHOR_A, _ANCHOR_B)
    return lex, chunk_texts(sentences, article.title)


# hashed values MinHashed at once: a (values, NUM_PERM) uint64 block of 512 KB, which stays in the core's
# L2 cache through the multiply-add and the eight passes of `_mix_inplace` (8 MB blocks went to memory
# on every pass: 2.2x the CPU for the same signatures)
BATCH_VALUES = 1 << 10


def _segment_minhash(values: np.ndarray, sizes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`minhash` of each segment of `values` (consecutive runs of `sizes` values), `BATCH_VALUES` at a time.

    A segment's duplicates do not change its minima, so segments need not be deduplicated first."""
    out = np.full((sizes.size, a.size), _MASK64, dtype=np.uint64)
    ends = np.cumsum(sizes)
    first = 0
    while first < sizes.size:
        start = int(ends[first] - sizes[first])
        # segments [first, last) hold at most BATCH_VALUES values (or are one larger segment)
        last = max(int(np.searchsorted(ends, start + BATCH_VALUES, side="right")), first + 1)
        stop = int(ends[last - 1])
        if stop > start:
            with np.errstate(over="ignore"):
                h = np.multiply(values[start:stop, None], a[None, :])
                np.add(h, b[None, :], out=h)
            _mix_inplace(h)
            seg = np.arange(first, last)[sizes[first:last] > 0]
            out[seg] = np.minimum.reduceat(h, ends[seg] - sizes[seg] - start, axis=0)
        first = last
    return out


def _batch_shingles(word_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(values, sizes): every article's shingle hashes (not deduplicated) laid end to end, and how
    many each has; the values of article k, made unique, are `shingle_hashes` of its text.

    One word-hash lookup pass and one multiply-add per shingle position over the whole batch, not
    one NumPy call per article (NumPy's fixed cost per call dominated the per-article path)."""
    lengths = np.array([len(w) for w in word_lists], dtype=np.int64)
    ids = np.fromiter(map(_word_hash, itertools.chain.from_iterable(word_lists)), dtype=np.uint64,
                      count=int(lengths.sum()))
    word_ends = np.cumsum(lengths)
    windows = max(ids.size - SHINGLE + 1, 0)
    acc = _window_sums(ids, windows)
    # window k starts at word k; it is an article's shingle when its last word is in the same article
    article_of = np.repeat(np.arange(lengths.size), lengths)[:windows]
    inside = np.arange(windows) + SHINGLE <= word_ends[article_of]
    values = _mix_inplace(acc[inside])
    sizes = np.maximum(lengths - SHINGLE + 1, 0)
    short = np.flatnonzero((lengths > 0) & (lengths < SHINGLE))
    if short.size:  # a text shorter than one shingle is one value, as in `shingle_hashes`
        starts = np.concatenate([[0], np.cumsum(sizes)])
        parts = np.split(values, starts[1:-1]) if sizes.size > 1 else [values]
        for k in short.tolist():
            with np.errstate(over="ignore"):
                word_ids = ids[word_ends[k] - lengths[k] : word_ends[k]]
                parts[k] = _mix(np.array([np.bitwise_xor.reduce(_mix(word_ids))], dtype=np.uint64))
        sizes[short] = 1
        values = np.concatenate(parts) if parts else values
    return values, sizes


def _distinct_counts(values: np.ndarray, sizes: np.ndarray) -> list[int]:
    """How many distinct values each segment holds (sorted in place: `values` is a scratch copy)."""
    counts, start = [], 0
    for size in sizes.tolist():
        part = values[start : start + size]
        part.sort()
        counts.append(int(np.count_nonzero(part[1:] != part[:-1])) + 1 if size else 0)
        start += size
    return counts


BATCH_ARTICLES = 256  # articles whose shingles are hashed together (bounds the batch's scratch arrays)


def lexical_features_batch(articles: list[Article]) -> list[tuple[dict, list[str]]]:
    """`[lexical_features(a) for a in articles]`, the shingles and MinHash signatures of
    `BATCH_ARTICLES` articles at a time computed together (same values bit for bit; a test checks)."""
    out: list[tuple[dict, list[str]]] = []
    for s in range(0, len(articles), BATCH_ARTICLES):
        out.extend(_lexical_slice(articles[s : s + BATCH_ARTICLES]))
    return out


def _lexical_slice(articles: list[Article]) -> list[tuple[dict, list[str]]]:
    sentences = [_sentences(a) for a in articles]
    lexes = [_article_lex(a, s) for a, s in zip(articles, sentences)]
    if not articles:
        return []
    values, sizes = _batch_shingles([_WORD.findall((a.text or "").lower()) for a in articles])
    signatures = _segment_minhash(values, sizes, _PERM_A, _PERM_B)
    counts = _distinct_counts(values.copy(), sizes)
    anchor_sets = [lex["anchors"] for lex in lexes]
    anchor_sizes = np.array([v.size for v in anchor_sets], dtype=np.int64)
    anchor_values = np.concatenate(anchor_sets)
    anchor_signatures = _segment_minhash(anchor_values, anchor_sizes, _ANCHOR_A, _ANCHOR_B)
    out = []
    for k, (article, lex) in enumerate(zip(articles, lexes)):
        lex["n_shingles"] = counts[k]
        lex["signature"] = signatures[k]
        lex["anchor_signature"] = anchor_signatures[k]
        out.append((lex, chunk_texts(sentences[k], article.title)))
    return out


def compute_features(articles: list[Article], encoder, batch_size: int = 512) -> list[ArticleFeatures]:
    """Features of `articles`; each distinct chunk text among them is encoded once, in batches.

    Reprints share their lead and sampled chunks verbatim, so encoding distinct texts only
    skips most of the encoder's work on a wire-heavy corpus (results are per text, unchanged).
    """
    from wiretrace.embed import text_key

    lexes, owners, slots = [], [], []
    slot: dict[bytes, int] = {}
    unique: list[str] = []
    for i, (lex, chunks) in enumerate(lexical_features_batch(articles)):
        lexes.append(lex)
        for text in chunks:
            key = text_key(text)
            if key not in slot:
                slot[key] = len(unique)
                unique.append(text)
            owners.append(i)
            slots.append(slot[key])
    step = max(batch_size, 1)
    parts = [encoder.encode(unique[s : s + step]) for s in range(0, len(unique), step)]
    vectors = np.concatenate(parts).astype(np.float16) if parts else np.zeros((0, encoder.dim), dtype=np.float16)
    per = np.zeros((len(articles), MAX_CHUNKS, encoder.dim), dtype=np.float16)
    counts = [0] * len(articles)
    for owner, k in zip(owners, slots):
        per[owner, counts[owner]] = vectors[k]
        counts[owner] += 1
    return [ArticleFeatures(chunks=per[i], n_chunks=counts[i], **lex) for i, lex in enumerate(lexes)]


# Graded similarity (not grouping): word and character overlap of two whole texts. Texts are cut
# at LEXICAL_CHARS so the cost per pair stays bounded (the lead carries the event anyway).
LEXICAL_CHARS = 6000
CHAR_GRAM = 4
LEXICAL_FEATURES = (
    "word_cos",
    "char_cos",
    "name_jaccard",
    "number_jaccard",
    "anchor_jaccard",
    "length_ratio",
    "entity_overlap",
    "entity_jaccard",
    "digit_overlap",
)
# Cross-lingual entity keys: a folded name cut to its first ENTITY_PREFIX letters, so "Erdoğan" and
# "Erdogan", "Trumpa" (pl) and "Trump", "Merkels" (de) and "Merkel" share a key.
ENTITY_PREFIX = 5
ENTITY_FLOOR = 3  # an overlap over fewer entities than this is shrunk towards 0 (one shared name is weak)
# Latin letters that Unicode does not decompose into a base letter plus a mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"})


@dataclass(slots=True)
class TextProfile:
    """Counts and anchor sets of one text, computed once and compared with many partners."""

    words: dict[str, int]
    grams: dict[str, int]
    names: frozenset[str]
    numbers: frozenset[str]
    anchors: frozenset[str]
    length: int
    entities: frozenset[str] = frozenset()
    digits: frozenset[str] = frozenset()


def text_profile(text: str) -> TextProfile:
    """Word and character `CHAR_GRAM`-gram counts plus the anchors of `extract_anchors`.

    Character grams catch shared names across languages and inflected forms within one; counts
    are integers so cosines are exact and independent of dict order (deterministic output).
    """
    text = (text or "")[:LEXICAL_CHARS]
    words = _WORD.findall(text.lower())
    joined = " ".join(words)
    anchors, numbers = extract_anchors(text)
    word_counts: dict[str, int] = {}
    for w in words:
        word_counts[w] = word_counts.get(w, 0) + 1
    gram_counts: dict[str, int] = {}
    for i in range(len(joined) - CHAR_GRAM + 1):
        g = joined[i : i + CHAR_GRAM]
        gram_counts[g] = gram_counts.get(g, 0) + 1
    return TextProfile(
        words=word_counts,
        grams=gram_counts,
        names=frozenset(a for a in anchors if a.startswith("w:")),
        numbers=frozenset(numbers),
        anchors=frozenset(anchors),
        length=len(text),
        entities=frozenset(entity_key(a[2:]) for a in anchors if a.startswith("w:")) - {""},
        digits=frozenset(fold_digits(n) for n in numbers),
    )


def fold_name(name: str) -> str:
    """A name in plain lower-case Latin letters where Unicode allows: marks dropped, case folded.

    Hand-written because transliteration libraries (unidecode, anyascii) are not dependencies;
    Unicode decomposition covers the Latin-script languages the encoders serve.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if ch.isalnum())


def entity_key(name: str) -> str:
    """The cross-lingual key of a name: folded, cut to `ENTITY_PREFIX` letters (absorbs inflection)."""
    return fold_name(name)[:ENTITY_PREFIX]


def fold_digits(number: str) -> str:
    """A number with its digits in ASCII whatever the script (Arabic-Indic, Devanagari, full-width)."""
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch for ch in number)


def _count_cosine(a: dict[str, int], b: dict[str, int]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(n * large.get(k, 0) for k, n in small.items())  # integer: exact in any order
    norm = sum(n * n for n in a.values()) * sum(n * n for n in b.values())
    return float(dot / np.sqrt(float(norm)))


def _jaccard(a: frozenset, b: frozenset) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _overlap(a: frozenset, b: frozenset, floor: int = ENTITY_FLOOR) -> float:
    """|A ∩ B| / min(|A|, |B|), the denominator at least `floor`: containment, robust to length."""
    return len(a & b) / max(min(len(a), len(b)), floor) if a and b else 0.0


def lexical_similarity(a: TextProfile, b: TextProfile) -> np.ndarray:
    """The `LEXICAL_FEATURES` of a pair of profiles (each in [0, 1])."""
    return np.array(
        [
            _count_cosine(a.words, b.words),
            _count_cosine(a.grams, b.grams),
            _jaccard(a.names, b.names),
            _jaccard(a.numbers, b.numbers),
            _jaccard(a.anchors, b.anchors),
            min(a.length, b.length) / max(a.length, b.length, 1),
            _overlap(a.entities, b.entities),
            _jaccard(a.entities, b.entities),
            _overlap(a.digits, b.digits),
        ],
        dtype=np.float64,
    )
