"""The batched lexical features equal the per-article reference, bit for bit, on invented and hostile text.

`lexical_features_batch` hashes the shingles of many articles in one pass and MinHashes them in
blocks; any slip at an article boundary (a shingle spanning two articles, a short or empty text
between long ones, a block cut inside the batch) would show as a differing signature or count.
The anchor regexes were rewritten for speed and are checked against the original patterns.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from wiretrace.data import Article, Sentence
from wiretrace.stories import features
from wiretrace.stories.features import lexical_features, lexical_features_batch

HOSTILE = [
    "",
    "word",
    "two words",
    "exactly four words here",
    "exactly five words right here",
    "   \n\n\t  ",
    "...!!!???",
    "Землетрясение магнитудой 6,1 произошло у берегов Японии. Погибли 12 человек.",
    "东京发生6.1级地震。至少12人死亡。",
    "زلزال بقوة ٦٫١ درجة يضرب اليابان. مقتل ١٢ شخصا.",
    "भूकंप में १२ लोगों की मौत। तीव्रता 6.1 थी।",
    "Ａ ｆｕｌｌ－ｗｉｄｔｈ ｔｅｘｔ １２３ ａｎｄ \u200b zero width \ufeff marks",
    "emoji 🌊🌊 only 🌊 and 1,234.5 or 1.234,5 and 3 and 2024 and 07",
    "a " * 600,
    "\ud800 lone surrogate text with 5 numbers 6 7",
]


def _invented(seed: int, n: int) -> list[Article]:
    """Articles of random words from a small vocabulary (so shingles repeat within and across them)."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{k}" for k in range(60)] + [f"Name{k}" for k in range(20)] + [str(k) for k in range(1, 40)]
    out = []
    for k in range(n):
        words = [str(w) for w in rng.choice(vocab, int(rng.integers(0, 120)))]
        text = ". ".join(" ".join(words[s : s + 9]) for s in range(0, len(words), 9))
        title = f"Title {k}" if k % 3 else None
        published = "2024-05-01" if k % 2 else None
        out.append(Article(id=f"a{k:03d}", source="t", content_hash="x", text=text, title=title, published=published))
    return out


def _assert_same(got: list, ref: list) -> None:
    assert len(got) == len(ref)
    for (a, chunks_a), (b, chunks_b) in zip(got, ref):
        assert chunks_a == chunks_b
        assert a.keys() == b.keys()
        for key, value in b.items():
            if isinstance(value, np.ndarray):
                assert a[key].dtype == value.dtype and a[key].shape == value.shape, key
                assert np.array_equal(a[key], value), key
            else:
                assert a[key] == value, key


def _articles(texts: list[str]) -> list[Article]:
    return [Article(id=f"h{k:02d}", source="t", content_hash=str(k), text=t) for k, t in enumerate(texts)]


def test_batch_equals_per_article_on_invented_text():
    articles = _invented(3, 90)
    _assert_same(lexical_features_batch(articles), [lexical_features(a) for a in articles])


@pytest.mark.parametrize("order", ["as_listed", "reversed"])
def test_batch_equals_per_article_on_hostile_text(order):
    texts = HOSTILE if order == "as_listed" else HOSTILE[::-1]
    articles = _articles(texts)
    _assert_same(lexical_features_batch(articles), [lexical_features(a) for a in articles])


@pytest.mark.parametrize("text", HOSTILE)
def test_batch_of_one_hostile_text(text):
    (lex, _), = lexical_features_batch(_articles([text]))
    assert lex["n_shingles"] == features.shingle_hashes(text).size
    assert lex["signature"].shape == (features.NUM_PERM,) and lex["signature"].dtype == np.uint64


def test_empty_batch():
    assert lexical_features_batch([]) == []


def test_batch_cut_into_slices_and_value_blocks_gives_the_same(monkeypatch):
    """Tiny slices and MinHash blocks: every article boundary and block cut is crossed."""
    articles = _invented(5, 40) + _articles(HOSTILE)
    ref = [lexical_features(a) for a in articles]
    monkeypatch.setattr(features, "BATCH_ARTICLES", 7)
    monkeypatch.setattr(features, "BATCH_VALUES", 50)
    _assert_same(lexical_features_batch(articles), ref)


def test_signatures_are_the_minhash_of_the_distinct_shingles():
    """Independent of both paths' code: the signature is the MinHash of `shingle_hashes`."""
    articles = _invented(8, 12)
    for article, (lex, _) in zip(articles, lexical_features_batch(articles)):
        shingles = features.shingle_hashes(article.text)
        assert lex["n_shingles"] == len(set(shingles.tolist()))
        assert np.array_equal(lex["signature"], features.minhash(shingles, features._PERM_A, features._PERM_B))


def test_clean_stage_sentences_are_used_when_present():
    text = "First sentence has 12 boats. Second one. Third sentence is here."
    spans = [(0, 28), (29, 40), (41, len(text))]
    sentences = [
        Sentence(article="s", index=k, paragraph=0, start=s, end=e, text=text[s:e]) for k, (s, e) in enumerate(spans)
    ]
    article = Article(id="s", source="t", content_hash="s", text=text, sentences=sentences)
    (lex, chunks), = lexical_features_batch([article])
    assert lex["lead"] == "First sentence has 12 boats."
    _assert_same([(lex, chunks)], [lexical_features(article)])


def test_mix_in_place_equals_the_textbook_splitmix_finaliser():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 2**63, 1000, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    with np.errstate(over="ignore"):
        y = x ^ (x >> np.uint64(30))
        y = y * np.uint64(0xBF58476D1CE4E5B9)
        y = y ^ (y >> np.uint64(27))
        y = y * np.uint64(0x94D049BB133111EB)
        y = y ^ (y >> np.uint64(31))
    assert np.array_equal(features._mix(x), y)
    assert np.array_equal(features._mix_inplace(x.copy()), y)


# The anchor patterns as first written: the rewritten ones must find the same strings.
_ORIGINAL_NUMBER = re.compile(r"(?<![\w.,])\d[\d,.]*\d|(?<![\w.,])\d(?![\w])")
_ORIGINAL_NAME = re.compile(r"(?<=[^\s.!?\"“«„(])\s+([A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]{2,})", re.UNICODE)


def test_rewritten_anchor_patterns_match_the_originals():
    rng = np.random.default_rng(4)
    alphabet = [*"aZÉ1٣9.,  \n\t\"“«„(!?'’-_x", "Ab", "Nam", "12", "3,4", "5.6"]
    texts = HOSTILE + [a.text for a in _invented(2, 20)]
    texts += ["".join(rng.choice(alphabet, int(rng.integers(0, 40)))) for _ in range(3000)]
    for text in texts:
        assert features._NUMBER.findall(text) == _ORIGINAL_NUMBER.findall(text), text
        assert features._NAME.findall(text) == _ORIGINAL_NAME.findall(text), text


def _random_sets(rng: np.random.Generator, n: int, duplicates: bool) -> list[np.ndarray]:
    pool = rng.integers(0, 2**63, 30, dtype=np.uint64) * np.uint64(2)  # hash-like values (as the index holds)
    sets = []
    for _ in range(n):
        values = pool[rng.integers(0, 30, int(rng.integers(0, 12)))]
        sets.append(np.sort(values) if duplicates else np.unique(values))
    return sets


@pytest.mark.parametrize("duplicates", [False, True])
def test_sparse_set_overlaps_equal_the_sorted_search(duplicates):
    """`SetOverlaps` (the batched path of `score_pairs`) counts what `_csr_overlap` counts, pair by pair,
    including empty sets, a row paired with itself and (in a damaged index) repeated values."""
    from wiretrace.stories.index import _csr
    from wiretrace.stories.score import SetOverlaps, _csr_overlap

    rng = np.random.default_rng(6 + duplicates)
    vals, ptr = _csr(_random_sets(rng, 50, duplicates))
    a, b = rng.integers(0, 50, 700), rng.integers(0, 50, 700)
    b[:20] = a[:20]
    overlaps = SetOverlaps(vals, ptr, np.concatenate([a, b]))
    expected = _csr_overlap(vals, ptr, a, b)[0]
    assert np.array_equal(overlaps.intersections(a, b), expected)
    assert np.array_equal(overlaps.intersections(a[:0], b[:0]), expected[:0])
    empty_vals, empty_ptr = _csr([np.zeros(0, dtype=np.uint64)] * 5)
    assert not SetOverlaps(empty_vals, empty_ptr, np.arange(5)).intersections(np.arange(5), np.arange(5)[::-1]).any()


def test_score_pairs_is_the_same_with_and_without_the_sparse_overlaps(monkeypatch):
    from wiretrace.embed import get_encoder
    from wiretrace.stories import StoryIndex, score
    from wiretrace.stories.features import compute_features

    encoder = get_encoder("hash")
    articles = _invented(9, 40) + _articles(HOSTILE)
    index = StoryIndex(dim=encoder.dim, encoder=encoder.name)
    index.add(compute_features(articles, encoder))
    rng = np.random.default_rng(2)
    pairs = [(int(i), int(j)) for i, j in rng.integers(0, len(index), (600, 2))]
    monkeypatch.setattr(score, "SPARSE_OVERLAP_PAIRS", 1 << 40)
    per_batch = score.score_pairs(index, pairs, batch=64)
    monkeypatch.setattr(score, "SPARSE_OVERLAP_PAIRS", 1)
    assert np.array_equal(score.score_pairs(index, pairs, batch=64), per_batch)
    monkeypatch.setattr(score, "WIDE_CHUNK_BYTES", 0)  # the chunk vectors widened per batch again
    assert np.array_equal(score.score_pairs(index, pairs, batch=64), per_batch)
