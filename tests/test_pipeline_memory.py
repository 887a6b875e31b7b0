"""The stages read the store batch by batch: the same results as over a list in memory, without
ever holding the corpus's articles at once (issue 3: memory bounded by batch, not corpus, size).

Corpora are invented here or by wiretrace.engine.synthetic (nothing from ../shared).
"""

from __future__ import annotations

import gc
import json
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

import wiretrace.pipeline as pipeline
import wiretrace.stories as stories_mod
from wiretrace.clean import remove_templates
from wiretrace.clean.templates import Templates
from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.embed import get_encoder
from wiretrace.engine.synthetic import write_corpus
from wiretrace.pipeline import StoredArticles, analyze_store, analyze_stored, ingest_into, run_stages
from wiretrace.store import Store
from wiretrace.stories import StoryIndex, group, group_from
from wiretrace.stories import index as index_mod

HASH = Settings(encoder="hash")
FOOTER = "Readers like you keep the Harbour Ledger going: support our newsroom with a monthly gift today."


def _write_templated(folder: Path, n: int) -> None:
    """JSONL articles of one outlet sharing a footer (a template), plus other outlets without one."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(n):
        outlet = "ledger" if i % 2 else f"outlet{i % 5}"
        body = (
            f"The council of Port Vesna {i % 4} voted on plan {i % 4} after debate {i} about the harbour wall.\n\n"
            f"Engineer number {i} told reporters the repairs would cost {10 + i % 4} million crowns."
        )
        text = f"{body}\n\n{FOOTER}" if outlet == "ledger" else body
        rows.append({"id": f"doc{i:03d}", "text": text, "outlet": outlet, "language": "en",
                     "published": f"2024-05-{1 + i % 9:02d}"})
    (folder / "part.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture()
def templated_store(tmp_path: Path):
    """Invented stories (several) and one outlet's articles with a footer template."""
    _write_templated(tmp_path / "in", 24)
    write_corpus(tmp_path / "in" / "synthetic", 30, seed=11, per_file=15)
    with Store(tmp_path / "s.duckdb") as store:
        ingest_into(store, [tmp_path / "in"], HASH)
        yield store


def test_streamed_templates_equal_the_list_pass(templated_store: Store):
    articles = templated_store.articles()
    listed = remove_templates(articles, HASH)
    templates = Templates.count(templated_store.iter_articles(), HASH)  # a one-pass iterator is enough
    streamed = [templates.strip(a) for a in articles]
    assert [a.to_dict() for a in streamed] == [a.to_dict() for a in listed]
    stripped = [a for a in streamed if a.outlet == "ledger"]
    assert stripped and all(FOOTER not in a.text for a in stripped)
    assert all(FOOTER in a.text for a in articles if a.outlet == "ledger")  # the store keeps the raw text
    assert Templates.count([], HASH).keys == frozenset()


def test_store_stages_give_the_list_stages_results(templated_store: Store, tmp_path: Path):
    _, listed = run_stages(templated_store.articles(), HASH)
    source, streamed, _ = analyze_stored(templated_store, HASH)
    assert len(listed) >= 4 and any(FOOTER not in a.text for a in source.load(source.ids()) if a.outlet == "ledger")
    assert [s.to_dict() for s in streamed] == [s.to_dict() for s in listed]


def test_group_from_equals_group_across_feature_passes(tmp_path: Path, monkeypatch):
    write_corpus(tmp_path / "in", 40, seed=7, per_file=20)
    with Store(":memory:") as store:
        ingest_into(store, [tmp_path / "in"], HASH)
        articles = store.articles()
    expected = [s.to_dict() for s in group(articles, HASH)]
    monkeypatch.setattr(stories_mod, "FEATURE_BATCHES", 1)
    small = Settings(encoder="hash", batch_size=7)  # several passes, the last one short
    by_id = {a.id: a for a in articles}
    passes: list[list[str]] = []

    def load(ids: list[str]) -> list[Article]:
        passes.append(ids)
        return [by_id[i] for i in ids]

    got = group_from(reversed([a.id for a in articles]), load, small)
    assert [s.to_dict() for s in got] == [s.to_dict() for s in group(articles, small)]
    assert [s.to_dict() for s in group(articles, small)] == expected  # pass size does not change the stories
    assert len(passes) == 6 and max(map(len, passes)) == 7
    assert [i for p in passes for i in p] == sorted(by_id)  # sorted ids, each loaded once
    index = StoryIndex(dim=get_encoder("hash").dim)
    group_from(sorted(by_id), load, HASH, index=index)
    passes.clear()
    assert group_from(sorted(by_id), load, HASH, index=index) and passes == []  # indexed ids are not loaded again


def test_doc_vectors_in_blocks_equal_one_block(monkeypatch):
    rng = np.random.default_rng(0)
    index = StoryIndex(dim=8)
    index.chunks = rng.standard_normal((11, 3, 8)).astype(np.float16)
    index.chunks[4] = 0  # an article with nothing encoded
    whole = index.doc_vectors()
    norms = index_mod._sum_norms(index.chunks)
    monkeypatch.setattr(index_mod, "ROWS_PER_BLOCK", 3)
    np.testing.assert_array_equal(index.doc_vectors(), whole)
    np.testing.assert_array_equal(index_mod._sum_norms(index.chunks), norms)
    np.testing.assert_array_equal(index.doc_vectors(np.array([9, 4, 0])), whole[[9, 4, 0]])
    assert not whole[4].any()


def _live_articles() -> int:
    gc.collect()
    return sum(isinstance(o, Article) for o in gc.get_objects())


def test_stages_hold_a_batch_of_articles_not_the_corpus(tmp_path: Path, monkeypatch):
    """Count the Article objects alive whenever the stages read more: never near the corpus."""
    write_corpus(tmp_path / "in", 90, seed=5, per_file=30)
    monkeypatch.setattr(stories_mod, "FEATURE_BATCHES", 1)
    monkeypatch.setattr(pipeline, "MEMBERS_PER_LOAD", 10)
    settings = Settings(encoder="hash", batch_size=10)
    live: list[int] = []
    sizes: list[int] = []
    load = StoredArticles.load

    def counting_load(self, ids):
        live.append(_live_articles())
        sizes.append(len(ids))
        return load(self, ids)

    monkeypatch.setattr(StoredArticles, "load", counting_load)
    with Store(tmp_path / "s.duckdb") as store:
        ingest_into(store, [tmp_path / "in"], settings)
        n = store.count_articles()
        before = _live_articles()
        _, found, _ = analyze_stored(store, settings)
    largest = max(len(s.articles) for s in found)
    assert n >= 80 and len(sizes) > n // 10  # the features' passes, then the stories' members
    assert max(sizes) <= max(10, largest)
    assert max(live) - before <= 2 * max(10, largest) < n // 2


def test_analyze_store_reports_the_templated_articles(templated_store: Store):
    report, result = analyze_store(templated_store, [], HASH)
    expected = remove_templates(templated_store.articles(), HASH)
    assert [a.to_dict() for a in report.articles] == [a.to_dict() for a in expected]
    saved = templated_store.stories()  # by story id
    assert [s.to_dict() for s in sorted(report.stories, key=lambda s: s.id)] == [s.to_dict() for s in saved]
    assert result.added == 0


def test_the_analysis_pool_is_shut_down_before_the_stories_are_saved(tmp_path: Path, monkeypatch):
    """Idle workers keep what the per-story stages cached (~0.6 GB each at 10k articles): alive during
    the save, they added to its peak. `wiretrace analyze` ingests in one pool, then analyses in a pool
    of its own (threads stand in for processes here) that is gone when the stories are written."""
    events: list[str] = []

    @contextmanager
    def recording_pool(workers: int | None = None, **kwargs):
        with ThreadPoolExecutor(2) as pool:
            events.append("pool started")
            yield pool
        events.append("pool shut down")

    save = Store.save_stories

    def recording_save(self, stories, state=None):
        events.append("stories saved")
        return save(self, stories, state=state)

    monkeypatch.setattr(pipeline, "worker_pool", recording_pool)
    monkeypatch.setattr(pipeline, "lazy_worker_pool", recording_pool)  # ingest's
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_ARTICLES", 10)
    monkeypatch.setattr(Store, "save_stories", recording_save)
    write_corpus(tmp_path / "in", 40, seed=9, per_file=20)
    with Store(tmp_path / "s.duckdb") as store:
        report, _ = analyze_store(store, [tmp_path / "in"], HASH)
        saved = store.stories()
    assert events == ["pool started", "pool shut down", "pool started", "pool shut down", "stories saved"]
    assert len(saved) > 3
    assert [s.to_dict() for s in saved] == [s.to_dict() for s in sorted(report.stories, key=lambda s: s.id)]


def test_pair_weights_read_like_the_dict_they_replace(monkeypatch):
    from wiretrace.stories import PairWeights
    from wiretrace.stories.cluster import attach_satellites, average_linkage

    rng = np.random.default_rng(1)
    pairs = sorted({(int(x), int(x + 1 + d)) for x, d in zip(rng.integers(0, 30, 200), rng.integers(0, 5, 200))})
    a, b = (np.array(col, dtype=np.int64) for col in zip(*pairs))
    w = rng.random(len(pairs))
    as_dict = dict(zip(zip(a.tolist(), b.tolist()), w.tolist()))
    monkeypatch.setattr(PairWeights, "CHUNK", 7)
    weights = PairWeights(a, b, w)
    assert len(weights) == len(as_dict) > 50 and list(weights.items()) == list(as_dict.items())
    nodes = list(range(40))
    assert attach_satellites(average_linkage(nodes, weights), weights) == attach_satellites(
        average_linkage(nodes, as_dict), as_dict
    )
