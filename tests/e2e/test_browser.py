"""End to end in a real headless Chromium: report.html from disk and the served app, used as a person would.

Needs the Debian `chromium` package (/usr/bin/chromium) and Playwright for Python; the browser is
never downloaded (`playwright install` is not used). Skipped cleanly when either is missing.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from wiretrace.report.browser import CHROMIUM, launch_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that records dialogs (alert/confirm) and refuses every request leaving loopback or file://."""
    context = browser.new_context()
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file://", "http://127.0.0.1", "data:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    pg.route("**/*", guard)
    pg.outside = outside
    yield pg
    context.close()


def _assert_nothing_ran(pg, title_prefix):
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert pg.title().startswith(title_prefix) and pg.title() != "pwned"  # the fixture's script sets "pwned"
    assert pg.dialogs == []
    assert pg.outside == []


@pytest.fixture(scope="module")
def sample():
    from wiretrace.report.sample import sample_report

    return sample_report(40, seed=7)


def test_report_file_story_diff_and_hostile_text(page, sample, tmp_path):
    from wiretrace.report import write_report

    _, html_path = write_report(sample, tmp_path)
    page.goto(html_path.as_uri())
    assert page.locator("table.stories tr.story-row").count() == len(sample.stories)
    first = page.locator("table.stories tr.story-row a").first
    story_id = first.get_attribute("href")[1:]
    first.click()
    section = page.locator(f"section.story[id='{story_id}']")
    assert section.locator("svg.copy-graph g.node").count() >= 2
    # Click through to a diff: the link jumps into a collapsed <details>, which the browser opens.
    section.locator("a.diff-link").first.click()
    body = section.locator(".diff-body").first
    body.wait_for(state="visible")
    assert body.locator(".inline-diff").count() + body.locator("p.muted").count() >= 1
    # The hostile article is shown as text, and none of its code ran.
    hostile = page.locator("details.article", has_text="window.__pwned=1")
    hostile.locator(":scope > summary").click()
    assert "<script>document.title='pwned'" in hostile.inner_text()
    assert page.locator("main script, main img, main iframe").count() == 0
    _assert_nothing_ran(page, "wiretrace report")


def test_report_filters_work_without_script(page, sample, tmp_path):
    from wiretrace.report import write_report

    _, html_path = write_report(sample, tmp_path)
    page.goto(html_path.as_uri())
    rows = page.locator("table.stories tr.story-row")
    total = rows.count()
    page.check("#only-drift")
    visible = sum(rows.nth(i).is_visible() for i in range(total))
    assert visible == sum(1 for s in sample.stories if s.drift) < total
    _assert_nothing_ran(page, "wiretrace report")


@pytest.fixture(scope="module")
def server(sample, tmp_path_factory):
    import uvicorn

    from wiretrace.serve import create_app
    from wiretrace.store import Store

    path = tmp_path_factory.mktemp("e2e") / "store.duckdb"
    with Store(path) as st:
        st.add_articles(sample.articles)
        st.save_stories(sample.stories)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(path)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    app.state.reader.close()


def test_served_app_search_story_article_diff(page, server):
    page.goto(server + "/")
    _assert_nothing_ran(page, "wiretrace")
    page.fill("input[name=q]", "pwned")
    page.click("form.search button")
    page.wait_for_url("**/search?**")
    hits = page.locator("table.articles tr td:first-child a")
    assert hits.count() == 1
    hits.first.click()
    page.wait_for_url("**/articles/**")
    assert "<script>document.title='pwned'" in page.locator(".article-text").inner_text()
    assert page.locator("details.junk").count() == 1
    _assert_nothing_ran(page, "wiretrace")
    page.locator("section.article a[href^='/stories/']").first.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("svg.copy-graph").count() == 1
    page.locator("a.diff-link").first.click()
    page.wait_for_url("**/diff/**")
    assert page.locator(".diff-body").is_visible()
    _assert_nothing_ran(page, "wiretrace")
