"""Start-up warm-up: a read-only server pre-renders its listings and story pages, within a byte budget."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from wiretrace.report.sample import sample_report, write_store
from wiretrace.serve import app as app_module
from wiretrace.serve import create_app
from wiretrace.serve.warmup import LISTING_URLS

ODD_ID = "odd id/ç%?#"  # a story id needing percent-encoding in a URL: the warmed key must match a visitor's


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    rep = sample_report(60, seed=5, hostile=True)
    rep.stories[0].id = ODD_ID
    path = write_store(rep, tmp_path_factory.mktemp("warmup") / "store.duckdb")
    return path, sorted(s.id for s in rep.stories)


def _finished(app, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while app.state.warm_up.stopped in ("waiting", "running") and time.monotonic() < deadline:
        time.sleep(0.05)


def test_warm_up_renders_every_story_page_and_the_first_listings_as_a_visitor_gets_them(store):
    path, story_ids = store
    warm, cold = create_app(path), create_app(path, warm=False)
    try:
        with TestClient(warm) as client:
            _finished(warm)
            stats = warm.state.warm_up
            assert stats.stopped == "done" and stats.pages == len(LISTING_URLS) + len(story_ids)
            assert stats.cached_bytes == warm.state.page_cache.chars > 0
            cache = warm.state.page_cache
            for sid in story_ids:
                assert cache.get(f"/stories/{sid}?") is not None, sid
            for url in LISTING_URLS:
                assert cache.get(url + "?") is not None, url
            # A pre-rendered page is what a fresh render sends, for an id that needs encoding too.
            fresh = TestClient(cold)
            for sid in (ODD_ID, story_ids[-1]):
                url = "/stories/" + quote(sid, safe="")
                before = cache.chars
                got, want = client.get(url), fresh.get(url)
                assert cache.chars == before  # answered from the warmed cache, not rendered and added
                assert got.status_code == want.status_code == 200
                assert got.content == want.content and got.headers == want.headers
            assert cold.state.warm_up.stopped == "off" and cold.state.page_cache.chars > 0  # only what was asked
    finally:
        warm.state.reader.close()
        cold.state.reader.close()


def test_warm_up_stops_at_its_byte_budget(store, monkeypatch):
    path, story_ids = store
    monkeypatch.setattr(app_module, "WARM_UP_CHARS", 60_000)
    app = create_app(path)
    try:
        with TestClient(app):
            _finished(app)
            stats = app.state.warm_up
            assert stats.stopped == "budget" and 0 < stats.pages < len(LISTING_URLS) + len(story_ids)
            assert 60_000 <= stats.cached_bytes < 60_000 + app_module.PAGE_CACHE_CHARS // 8  # at most one page over
    finally:
        app.state.reader.close()


def test_a_writable_server_warms_nothing(store, tmp_path):
    path, _ = store
    copy = tmp_path / "rw.duckdb"
    copy.write_bytes(path.read_bytes())
    app = create_app(copy, allow_writes=True)
    try:
        with TestClient(app) as client:
            assert client.get("/").status_code == 200
            assert app.state.warm_up.stopped == "off" and app.state.page_cache.chars == 0
    finally:
        app.state.reader.close()


def test_shutting_down_mid_warm_up_cancels_it_cleanly(store):
    path, _ = store
    app = create_app(path)
    try:
        with TestClient(app):
            pass  # leave at once: the lifespan cancels the background task
        assert app.state.warm_up.stopped in ("cancelled", "done")
    finally:
        app.state.reader.close()
