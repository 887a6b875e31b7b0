"""`wiretrace serve`: pages, JSON API, pagination, read-only by default, security headers, escaping."""

from __future__ import annotations

import jsonschema
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient

from wiretrace.report import load_schema
from wiretrace.report.sample import HOSTILE_OUTLET, sample_report, write_store
from wiretrace.serve import create_app
from wiretrace.serve.queries import MAX_LIMIT


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return write_store(sample_report(60, seed=7), tmp_path_factory.mktemp("serve") / "store.duckdb")


@pytest.fixture(scope="module")
def client(store_path):
    app = create_app(store_path)
    yield TestClient(app)
    app.state.reader.close()


def _hostile_id(client):
    items = client.get("/api/articles", params={"q": "window.__pwned=1"}).json()["items"]
    assert len(items) == 1
    return items[0]["id"]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=x",
        "/stories/s00001",
        "/stories/nope",
        "/api/stories",
        "/api/articles/nope",
        "/api/articles?limit=100000",
        "/openapi.json",
    ],
)
def test_every_response_carries_the_security_headers(client, url):
    r = client.get(url)
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_api_pages_are_bounded_and_consistent(client):
    first = client.get("/api/articles", params={"limit": 25}).json()
    second = client.get("/api/articles", params={"limit": 25, "offset": 25}).json()
    assert first["total"] == 60 and len(first["items"]) == 25
    assert {a["id"] for a in first["items"]}.isdisjoint(a["id"] for a in second["items"])
    assert client.get("/api/articles", params={"limit": MAX_LIMIT + 1}).status_code == 422
    assert client.get("/api/stories", params={"offset": -1}).status_code == 422


def test_search_by_text_outlet_and_date(client):
    hostile = _hostile_id(client)
    by_outlet = client.get("/api/articles", params={"outlet": "svg onload"}).json()["items"]
    assert [a["id"] for a in by_outlet] == [hostile]
    everything = client.get("/api/articles", params={"limit": 200}).json()["items"]
    day = sorted(a["published"][:10] for a in everything)[len(everything) // 2]
    on_day = client.get("/api/articles", params={"date_from": day, "date_to": day, "limit": 200}).json()
    assert on_day["total"] == sum(1 for a in everything if a["published"][:10] == day) > 0
    assert client.get("/api/articles", params={"date_from": "not a date"}).status_code == 422
    assert client.get("/api/articles", params={"q": "%' OR 1=1 --"}).json()["total"] == 0  # bound, not SQL


def test_story_and_article_json_match_the_report(client):
    story = client.get("/api/stories", params={"limit": 1}).json()["items"][0]
    assert client.get(f"/api/stories/{story['id']}").json() == story
    article = client.get(f"/api/articles/{story['articles'][0]}").json()
    assert article["text"] and "removed" in article
    jsonschema.validate(client.get("/api/report").json(), load_schema())


def test_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/report",
        "/api/ingest",
    ):
        assert p in paths


def test_pages_show_hostile_article_as_text(client):
    hostile = _hostile_id(client)
    for url in (f"/articles/{hostile}", "/search?q=pwned", "/outlets", "/stories/s00001"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "<script" not in r.text.lower(), url
        assert "<svg onload" not in r.text and 'href="javascript:' not in r.text.lower(), url
    assert "&lt;script&gt;document.title=" in client.get(f"/articles/{hostile}").text
    assert (
        "&#34;&gt;&lt;svg onload" in client.get("/outlets").text
        and HOSTILE_OUTLET not in client.get("/outlets").text
    )


def test_story_page_has_graph_lineage_and_diffs_and_diff_page_works(client):
    story = client.get("/api/stories", params={"limit": 1}).json()["items"][0]
    html = client.get(f"/stories/{story['id']}").text
    assert 'class="copy-graph"' in html and 'class="lineage"' in html
    child = story["lineage"][0]["article"]
    assert f'href="/diff/{child}"' in html
    diff = client.get(f"/diff/{child}")
    assert diff.status_code == 200 and 'class="diff-body"' in diff.text
    assert client.get(f"/diff/{story['articles'][0]}").status_code in (200, 404)


def test_writes_are_refused_without_the_flag(client):
    r = client.post("/api/ingest", json=[{"id": "new", "text": "A new article arrived today."}])
    assert r.status_code == 403
    assert client.get("/api/articles").json()["total"] == 60


def test_writes_with_the_flag_add_articles(tmp_path):
    path = tmp_path / "rw.duckdb"
    app = create_app(path, allow_writes=True)
    try:
        c = TestClient(app)
        text = "The harbour authority said the ferry service resumed on Monday after repairs to the pier."
        r = c.post("/api/ingest", json=[{"id": "n1", "text": text, "outlet": "harbour.example"}])
        assert r.status_code == 200 and r.json()["added"] == 1
        assert c.get("/api/articles", params={"q": "ferry service"}).json()["total"] == 1
        too_many = [{"id": f"x{i}", "text": "t"} for i in range(101)]
        assert c.post("/api/ingest", json=too_many).status_code == 422
    finally:
        app.state.reader.close()
