"""`wiretrace serve` over its derived search tables: same answers as the store, page cache, concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from wiretrace.report.sample import sample_report, write_store
from wiretrace.serve import create_app
from wiretrace.serve.app import _PageCache
from wiretrace.serve.queries import StoreReader


@pytest.fixture(scope="module")
def sample():
    return sample_report(120, seed=3, hostile=True)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, sample):
    return write_store(sample, tmp_path_factory.mktemp("serve-index") / "store.duckdb")


@pytest.fixture(scope="module")
def reader(store_path):
    r = StoreReader(str(store_path))
    yield r
    r.close()


def _words(sample, k):
    vocab = sorted({w.strip(".,;:'\"()").lower() for a in sample.articles for w in a.text.split()})
    return [w for w in vocab if len(w) > 3][:: max(1, len(vocab) // k)][:k]


def test_article_search_matches_a_plain_substring_filter_page_by_page(reader, sample):
    for q in [*_words(sample, 6), "ZZZ-no-such-text", "%", "_"]:
        expect = sorted(
            a.id for a in sample.articles if q.lower() in (a.title or "").lower() or q.lower() in a.text.lower()
        )
        got, offset = [], 0
        while True:
            page = reader.articles(q=q.upper(), limit=7, offset=offset)
            assert page.total == len(expect)
            got += [i["id"] for i in page.items]
            if not page.items:
                break
            offset += 7
        assert got == expect, q


def test_outlet_and_date_filters_match_the_records(reader, sample):
    outlet = sorted({a.outlet for a in sample.articles if a.outlet})[0]
    day = sorted(a.published[:10] for a in sample.articles if a.published)[len(sample.articles) // 2]
    page = reader.articles(outlet=outlet[2:].upper(), date_to=day, limit=200)
    expect = sorted(
        a.id
        for a in sample.articles
        if outlet[2:].lower() in (a.outlet or "").lower() and a.published and a.published[:10] <= day
    )
    assert [i["id"] for i in page.items] == expect and page.total == len(expect)


def test_story_search_ranks_largest_first_and_counts_all_matches(reader, sample):
    outlet = sample.stories[0].outlets[0]
    page = reader.stories(q=outlet.upper(), limit=3)
    matching = [s for s in sample.stories if any(outlet.lower() in o.lower() for o in s.outlets)]
    assert page.total == len(matching)
    expect = sorted(matching, key=lambda s: (-len(s.articles), s.id))[:3]
    assert [s["id"] for s in page.items] == [s.id for s in expect]


def test_articles_by_id_carry_removed_junk_and_sentence_counts_from_the_store(reader, sample):
    with_junk = [a for a in sample.articles if a.removed][:3] + sample.articles[:2]
    docs = reader.articles_by_id([a.id for a in with_junk] + ["no-such-id"])
    assert sorted(docs) == sorted({a.id for a in with_junk})
    for a in with_junk:
        d = docs[a.id]
        assert d["removed"] == [{"text": r.text, "reason": r.reason} for r in a.removed]
        assert d["sentence_count"] == len(a.sentences)
        assert d["text"] == a.text


def test_cached_pages_equal_fresh_renders_and_concurrent_requests_agree(store_path, sample):
    urls = [f"/stories/{s.id}" for s in sample.stories[:6]] + [f"/search?q={w}" for w in _words(sample, 6)]
    fresh = create_app(store_path, allow_writes=False)
    try:
        first = {u: TestClient(fresh).get(u).text for u in urls}
        with TestClient(fresh) as client, ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(client.get, urls * 4))
        assert all(r.status_code == 200 for r in responses)
        assert all(r.text == first[u] for r, u in zip(responses, urls * 4))
        assert TestClient(fresh).get("/stories/no-such-story").status_code == 404
    finally:
        fresh.state.reader.close()


def test_page_cache_is_bounded_by_size_and_keeps_recent_pages():
    cache = _PageCache(max_chars=800)
    for i in range(10):
        cache.put(f"k{i}", "x" * 100)
    assert cache.chars <= 800 and cache.get("k9") == "x" * 100 and cache.get("k0") is None
    cache.put("huge", "y" * 500)  # over an eighth of the budget: not cached at all
    assert cache.get("huge") is None and cache.get("k9") is not None
