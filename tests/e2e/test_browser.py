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

    from wiretrace.report.sample import write_store
    from wiretrace.serve import create_app

    path = write_store(sample, tmp_path_factory.mktemp("e2e") / "store.duckdb")
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


def _in_viewport(pg, selector: str) -> bool:
    return pg.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.height > 0 && r.top < innerHeight && r.bottom > 0; }""",
        selector,
    )


def test_report_fragment_links_into_collapsed_parts_land_on_visible_content(page, tmp_path):
    """A story whose list row waits in a collapsed page links to its section (outside every <details>),
    and a link to a collapsed article opens it, without any script."""
    from wiretrace.report import write_report
    from wiretrace.report.html import STORY_LIST_PAGE
    from wiretrace.report.sample import sample_report

    rep = sample_report(700, seed=3)
    assert len(rep.stories) > STORY_LIST_PAGE  # else no row is collapsed and this test checks nothing
    _, html_path = write_report(rep, tmp_path)
    page.goto(html_path.as_uri())
    collapsed = page.locator("details.story-page").first
    assert collapsed.evaluate("d => d.open") is False
    row_link = collapsed.locator("tr.story-row a").first
    assert not row_link.is_visible()
    href = row_link.get_attribute("href")
    target = f"section.story[id='{href[1:]}']"
    assert page.locator(target).count() == 1
    assert page.locator(f"details {target}").count() == 0  # the section is never inside a collapsed element
    # Followed from another page (a shared link) ...
    page.goto(html_path.as_uri() + href)
    page.wait_for_function("(sel) => document.querySelector(sel).getBoundingClientRect().top < innerHeight", arg=target)
    assert _in_viewport(page, target)
    # ... and clicked in the list once its page is opened.
    page.goto(html_path.as_uri())
    collapsed.locator(":scope > summary").click()
    row_link.click()
    page.wait_for_function("(sel) => document.querySelector(sel).getBoundingClientRect().top < innerHeight", arg=target)
    assert _in_viewport(page, target)
    # A link to an article, whose <details> is closed, opens it (Chromium expands a targeted <details>).
    article_link = page.locator(f"{target} table.lineage a[href^='#a-']").first
    body = f"details.article > [id='{article_link.get_attribute('href')[1:]}']"
    article = page.locator(f"details.article:has(> [id='{article_link.get_attribute('href')[1:]}'])")
    assert article.evaluate("d => d.open") is False
    article_link.click()
    page.wait_for_function("(sel) => document.querySelector(sel).closest('details').open", arg=body)
    assert page.locator(body).is_visible()
    _assert_nothing_ran(page, "wiretrace report")
