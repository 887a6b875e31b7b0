"""The read-only server's indexes answer exactly what the SQL scans answer; repeats come from the response cache."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from wiretrace.report.sample import sample_report
from wiretrace.serve import create_app
from wiretrace.serve.queries import StoreReader
from wiretrace.serve.search_index import JoinedStrings, TokenIndex
from wiretrace.store import Store


@given(st.lists(st.text(alphabet="ab cÄä\n\u00a0", max_size=12), max_size=8), st.text(alphabet="abcÄä ", max_size=3))
@settings(max_examples=200, deadline=None)
def test_token_index_finds_exactly_the_rows_containing_a_whitespace_free_needle(texts, needle):
    found = TokenIndex(texts).matching_rows(needle)
    if not needle or needle.split() != [needle]:
        assert found is None
    else:
        assert found.tolist() == [i for i, t in enumerate(texts) if needle in t]


def test_token_index_switches_to_a_vectorised_gather_when_many_tokens_match():
    texts = [f"x{i:04d}y z{i}" for i in range(600)]  # 600 distinct tokens containing "x"
    assert TokenIndex(texts).matching_rows("x").tolist() == list(range(600))
    assert TokenIndex(texts).matching_rows("x0012y").tolist() == [12]
    assert TokenIndex([]).matching_rows("x").tolist() == []


@pytest.fixture(scope="module")
def sample():
    return sample_report(90, seed=11, hostile=True)


@pytest.fixture(scope="module")
def readers(tmp_path_factory, sample):
    """The indexed read-only reader, and the plain-SQL reader (writes allowed) over a copy of the same store."""
    base = tmp_path_factory.mktemp("search-index")
    with Store(base / "ro.duckdb") as s:
        s.add_articles(sample.articles)
        s.save_stories(sample.stories)
    shutil.copy(base / "ro.duckdb", base / "rw.duckdb")
    ro, rw = StoreReader(str(base / "ro.duckdb")), StoreReader(str(base / "rw.duckdb"), allow_writes=True)
    assert ro.index is not None and rw.index is None
    yield ro, rw
    ro.close()
    rw.close()


def _needles(sample):
    words = sorted({w for a in sample.articles for w in a.text.split()})
    picks = words[:: max(1, len(words) // 12)]
    return [*picks, *(w[1:4].upper() for w in picks), "e", "that the", " ", "ZZZ-none", "window.__pwned", "é", "%"]


def test_indexed_article_search_equals_the_sql_scan(readers, sample):
    ro, rw = readers
    outlets = sorted({a.outlet for a in sample.articles if a.outlet})
    days = sorted({a.published[:10] for a in sample.articles if a.published})
    cases = [(q, None, None, None) for q in _needles(sample)]
    cases += [(None, outlets[0][3:6], None, None), (None, None, days[1], days[-2])]
    cases += [("the", outlets[1][:4], days[0], None)]
    cases += [(None, None, None, None), ("a", None, None, days[len(days) // 2])]
    for q, outlet, day_from, day_to in cases:
        for limit, offset in ((7, 0), (50, 5), (200, 0)):
            a = ro.articles(q, outlet, day_from, day_to, limit, offset).to_dict()
            b = rw.articles(q, outlet, day_from, day_to, limit, offset).to_dict()
            assert a == b, (q, outlet, day_from, day_to, limit, offset)


def test_indexed_story_search_and_story_pages_equal_the_sql_reader(readers, sample):
    ro, rw = readers
    for q in [None, *(o[2:7] for s in sample.stories[:3] for o in s.outlets), sample.stories[0].id.upper(), "nope"]:
        for limit, offset in ((3, 0), (20, 2)):
            assert ro.stories(q, limit, offset).to_dict() == rw.stories(q, limit, offset).to_dict(), q
            rows = ro.stories(q, limit, offset, listing=True).to_dict()
            assert rows == rw.stories(q, limit, offset, listing=True).to_dict(), q
            assert all("lineage" not in s and "articles" in s for s in rows["items"])
    for s in sample.stories:
        assert ro.story_with_articles(s.id) == rw.story_with_articles(s.id)
        assert ro.articles_by_id(s.articles) == rw.articles_by_id(s.articles)
    assert ro.story_with_articles("no-such-story") == (None, {})


def _counting_story_lookups(app):
    reader, calls = app.state.reader, []
    lookup = reader.story_with_articles

    def counted(story_id):
        calls.append(story_id)
        return lookup(story_id)

    reader.story_with_articles = counted
    return calls


def test_repeated_pages_come_from_the_response_cache_with_the_same_bytes_and_headers(readers, sample):
    ro, _ = readers
    app = create_app(ro.path)
    try:
        client, calls = TestClient(app), _counting_story_lookups(app)
        url = f"/stories/{sample.stories[0].id}"
        first, again = client.get(url), client.get(url)
        assert calls == [sample.stories[0].id]  # rendered once
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
        assert again.headers["content-type"].startswith("text/html")
    finally:
        app.state.reader.close()


def test_errors_and_writable_servers_are_never_cached(readers, tmp_path):
    ro, _ = readers
    app = create_app(ro.path)
    try:
        client, calls = TestClient(app), _counting_story_lookups(app)
        assert [client.get("/stories/no-such-story").status_code for _ in range(2)] == [404, 404]
        assert len(calls) == 2  # a 404 is answered afresh each time
    finally:
        app.state.reader.close()
    shutil.copy(ro.path, tmp_path / "w.duckdb")
    writable = create_app(tmp_path / "w.duckdb", allow_writes=True)
    try:
        assert not any(m.cls.__name__ == "ResponseCache" for m in writable.user_middleware)
        client, calls = TestClient(writable), _counting_story_lookups(writable)
        story_id = writable.state.reader.stories(limit=1).items[0]["id"]
        client.get(f"/stories/{story_id}")
        client.get(f"/stories/{story_id}")
        assert calls == [story_id, story_id]  # a writable store can change: every request renders
    finally:
        writable.state.reader.close()


def test_day_ranges_keep_sql_null_semantics():
    from wiretrace.serve.search_index import DayColumn

    c = DayColumn(["2024-01-02", None, "2024-03-01"])
    assert c.at_most("2024-02-01").tolist() == [True, False, False]
    assert c.at_least("2024-01-01T00:00").tolist() == [True, False, True]


@given(st.lists(st.text(alphabet="ab\x00\nA", max_size=6), max_size=9), st.text(alphabet="ab\x00\n", max_size=3))
@settings(max_examples=200, deadline=None)
def test_joined_strings_find_exactly_the_rows_holding_the_needle(values, needle):
    values = values[: len(values) // 3 * 3]
    rows = [values[k : k + 3] for k in range(0, len(values), 3)]
    found = JoinedStrings(values, per_row=3).matching(needle).tolist()
    assert found == [i for i, row in enumerate(rows) if any(needle in v for v in row)]
    assert JoinedStrings(values).matching(needle).tolist() == [i for i, v in enumerate(values) if needle in v]


def test_an_empty_read_only_store_answers_empty_pages(tmp_path):
    Store(tmp_path / "empty.duckdb").close()
    reader = StoreReader(str(tmp_path / "empty.duckdb"))
    try:
        empty = {"items": [], "total": 0, "limit": 50, "offset": 0}
        assert reader.articles("x").to_dict() == empty == reader.articles(None, "o", "2020", "2030").to_dict()
        assert reader.stories("x").to_dict() == empty
        assert reader.story_with_articles("s") == (None, {})
    finally:
        reader.close()


def test_pages_built_from_kept_listing_rows_equal_pages_rendered_afresh(readers, sample):
    ro, _ = readers
    words = _needles(sample)[:6]
    warm, fresh = create_app(ro.path), create_app(ro.path)
    try:
        client = TestClient(warm)
        for w in words:  # fills the app's row cache with the rows these searches share
            client.get("/search", params={"q": w})
        for w in reversed(words):
            url = f"/search?q={w}&offset=1"  # a new URL: rendered now, from kept rows
            assert client.get(url).content == TestClient(fresh).get(url).content, w
        assert client.get("/?offset=3").content == TestClient(fresh).get("/?offset=3").content
    finally:
        warm.state.reader.close()
        fresh.state.reader.close()


def test_listing_rows_are_kept_only_up_to_their_bound():
    from wiretrace.report.html import APP_LINKS, ListingRows

    rows = ListingRows(APP_LINKS, max_rows=1)
    a = {"id": "a<1>", "title": "t", "outlet": None, "published": None, "language": None, "snippet": "x", "length": 1}
    b = {**a, "id": "b"}
    assert rows("article", a) == rows("article", dict(a)) and "a&lt;1&gt;" in rows("article", a)
    rows("article", b)
    assert list(rows.rows) == [("article", "a<1>")]
    assert ListingRows(APP_LINKS)("article", a) == rows("article", a)  # 0 kept: rendered, same HTML
