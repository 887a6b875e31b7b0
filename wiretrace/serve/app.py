"""The FastAPI application: HTML pages (shared templates with report.html) and a JSON API.

Routes: `/` stories, `/search`, `/stories/{id}`, `/articles/{id}`, `/diff/{id}`, `/outlets`;
`/api/stories`, `/api/stories/{id}`, `/api/articles`, `/api/articles/{id}`, `/api/report`
(the report.json document) and `POST /api/ingest` (refused with 403 unless writes are allowed).
OpenAPI at `/openapi.json`; the interactive docs are off because they load scripts from a CDN.

Over a read-only store (the default) every successful GET is rendered once per process: the
`ResponseCache` middleware answers repeats from bytes before FastAPI routes them (about 0.1 ms of
CPU), and a first render is an in-memory index lookup plus at most one DuckDB query (queries.py).
At start-up a background task pre-renders the first listings and the story pages, largest first,
into that cache until `WARM_UP_CHARS` (warmup.py), so first visitors do not pay for first renders.
Responses are not compressed: gzip costs about 0.36 ms of CPU for a 27 kB page, three times a cache
hit, to save bytes that cost nothing on loopback (a proxy in front can compress for remote users).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wiretrace import __version__
from wiretrace.report.graph import parent_map
from wiretrace.report.html import APP_CSP, APP_LINKS, ListingRows, render_template, version_diff
from wiretrace.report.outlets import outlet_profiles
from wiretrace.serve.queries import MAX_LIMIT, StoreReader
from wiretrace.serve.warmup import WarmUp, warm_up, warm_up_paths

SECURITY_HEADERS = [
    (b"content-security-policy", APP_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
PAGE_CACHE_CHARS = 128_000_000  # bytes of responses kept per process when the store is read-only (it cannot change)
WARM_UP_CHARS = PAGE_CACHE_CHARS // 2  # of which pre-rendered at start-up at most: the rest is for what visitors ask
LISTING_ROWS = 200_000  # story and article table rows kept as HTML per process (a few hundred bytes each)
MAX_INGEST = 100  # records per POST /api/ingest
WORKER_THREADS = 8  # threads running queries and rendering: more only queue on the GIL and the cores

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
Text = Annotated[str | None, Query(max_length=200, description="case-insensitive substring")]
Day = Annotated[
    str | None, Query(max_length=10, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$", description="YYYY-MM-DD")
]


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    h for h in SECURITY_HEADERS if h[0] not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class IngestRecord(BaseModel):
    id: str = Field(max_length=500)
    text: str = Field(max_length=2_000_000)
    is_html: bool = False
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None


class _PageCache:
    """A thread-safe LRU of rendered responses, bounded by their total size rather than their number.

    Only used when the store is read-only: a page then depends on its URL alone and never goes stale.
    """

    def __init__(self, max_chars: int) -> None:
        self.max_chars, self.chars = max_chars, 0
        self.items: OrderedDict[str, Any] = OrderedDict()
        self.sizes: dict[str, int] = {}
        self.lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: str, value: Any, size: int | None = None) -> None:
        size = len(value) if size is None else size
        if size > self.max_chars // 8:  # one huge page must not flush the rest
            return
        with self.lock:
            if self.items.pop(key, None) is not None:
                self.chars -= self.sizes.pop(key)
            self.chars += size
            self.items[key], self.sizes[key] = value, size
            while self.chars > self.max_chars and self.items:
                old, _ = self.items.popitem(last=False)
                self.chars -= self.sizes.pop(old)


class ResponseCache:
    """Pure ASGI middleware answering a repeated GET from the bytes of its first 200 response.

    Outermost, so a hit skips routing, parameter validation and rendering: two `send` calls. Keyed
    by the raw path and query string (two spellings of one query are two entries, which costs
    memory, never correctness); only installed when the store is read-only, so no entry goes stale.
    """

    def __init__(self, app: ASGIApp, cache: _PageCache) -> None:
        self.app, self.cache = app, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        hit = self.cache.get(key)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    body = b"".join(chunks)
                    self.cache.put(key, (list(start.get("headers", [])), body), len(body) + 512)
            await send(message)

        await self.app(scope, receive, capture)


def create_app(store_path: str | Path, allow_writes: bool = False, warm: bool = True) -> FastAPI:
    """The web app over one store file; opened read-only unless `allow_writes`.

    `warm`: over a read-only store, pre-render the listings and story pages in the background once
    the app starts (warmup.py); `app.state.warm_up` reports its progress.
    """
    reader = StoreReader(str(store_path), allow_writes=allow_writes)
    cache = _PageCache(0 if allow_writes else PAGE_CACHE_CHARS)
    report_cache: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        task = None
        if warm and not allow_writes:
            paths = warm_up_paths(reader.story_ids_by_size())
            task = asyncio.create_task(
                warm_up(app, paths, lambda: cache.chars, WARM_UP_CHARS, app.state.warm_up)
            )
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(
        lifespan=lifespan,
        title="wiretrace",
        version=__version__,
        description="Stories, articles and the report of a wiretrace store. Read-only unless started"
        " with --allow-writes.",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)
    if not allow_writes:
        app.add_middleware(ResponseCache, cache=cache)  # added last: the outermost layer
    app.state.reader = reader
    app.state.page_cache = cache
    app.state.warm_up = WarmUp(stopped="off" if allow_writes or not warm else "waiting")
    common = {
        "csp": APP_CSP,
        "links": APP_LINKS,
        "version": __version__,
        "store_name": Path(store_path).name,
        "writable": allow_writes,
        "row": ListingRows(APP_LINKS, 0 if allow_writes else LISTING_ROWS),
    }

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(render_template(name, **common, **context), status_code=status)

    async def rendered(render: Callable[[], tuple[str, int]]) -> HTMLResponse:
        """The page `render()` returns (html, status), rendered on a worker thread (queries and Jinja).

        Repeats never get here when the store is read-only: `ResponseCache` answers them.
        """
        html, status = await run_in_threadpool(render)
        return HTMLResponse(html, status_code=status)

    def not_found(what: str) -> HTMLResponse:
        return page(
            "app_message.html", 404, heading="Not found", message=f"No {what} with this id in the store."
        )

    def report_doc() -> dict[str, Any]:
        if allow_writes or "doc" not in report_cache:
            report_cache["doc"] = reader.report(__version__)
        return report_cache["doc"]

    # -- pages ----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
        def render() -> tuple[str, int]:
            page = reader.stories(limit=limit, offset=offset, listing=True)
            return render_template("app_home.html", **common, page=page), 200

        return await rendered(render)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search(
        q: Text = None,
        outlet: Text = None,
        date_from: Day = None,
        date_to: Day = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> HTMLResponse:
        def render() -> tuple[str, int]:
            stories = reader.stories(q=q, limit=20, listing=True) if q else None
            articles = reader.articles(q, outlet, date_from, date_to, limit, offset)
            given = {
                k: v
                for k, v in (("q", q), ("outlet", outlet), ("date_from", date_from), ("date_to", date_to))
                if v
            }
            html = render_template(
                "app_search.html",
                **common,
                q=q,
                outlet=outlet,
                date_from=date_from,
                date_to=date_to,
                stories=stories,
                articles=articles,
                query_base="/search?" + urlencode({**given, "limit": limit}),
            )
            return html, 200

        return await rendered(render)

    @app.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str) -> HTMLResponse:
        def render() -> tuple[str, int]:
            story, articles = reader.story_with_articles(story_id)
            if story is None:
                return not_found("story").body.decode(), 404
            return render_template("app_story.html", **common, story=story, articles=articles), 200

        return await rendered(render)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        article = reader.article(article_id)
        if article is None:
            return not_found("article")
        memberships = []
        for s in reader.stories_of(article_id):
            edge = next((e for e in s.get("lineage", []) if e["article"] == article_id), None)
            memberships.append((s, edge))
        return page("app_article.html", article=article, memberships=memberships)

    @app.get("/diff/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def diff_page(article_id: str) -> HTMLResponse:
        stories = [s for s in reader.stories_of(article_id) if article_id in parent_map(s)]
        if not stories:
            return not_found("version with a parent")
        story = stories[0]
        parent = parent_map(story)[article_id]
        articles = reader.articles_by_id([article_id, parent])
        parent, diff, note = version_diff(story, article_id, articles)
        edge = next((e for e in story.get("lineage", []) if e["article"] == article_id), None)
        return page(
            "app_diff.html",
            story=story,
            article_id=article_id,
            parent=parent,
            diff=diff,
            note=note,
            edge=edge,
        )

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page() -> HTMLResponse:
        return page("app_outlets.html", outlets=outlet_profiles(report_doc()))

    # -- JSON API ---------------------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"], summary="Stories, largest first (paged)")
    def api_stories(q: Text = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return reader.stories(q=q, limit=limit, offset=offset).to_dict()

    @app.get("/api/stories/{story_id:path}", tags=["stories"], summary="One story as in report.json")
    def api_story(story_id: str) -> dict[str, Any]:
        story = reader.story(story_id)
        if story is None:
            raise HTTPException(404, "no such story")
        return story

    @app.get("/api/articles", tags=["articles"], summary="Articles by id, without their text (paged)")
    def api_articles(
        q: Text = None,
        outlet: Text = None,
        date_from: Day = None,
        date_to: Day = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return reader.articles(q, outlet, date_from, date_to, limit, offset).to_dict()

    @app.get("/api/articles/{article_id:path}", tags=["articles"], summary="One article as in report.json")
    def api_article(article_id: str) -> dict[str, Any]:
        article = reader.article(article_id)
        if article is None:
            raise HTTPException(404, "no such article")
        return article

    @app.get(
        "/api/report", tags=["report"], summary="The whole report.json document (see report.schema.json)"
    )
    def api_report() -> dict[str, Any]:
        return report_doc()

    @app.post("/api/ingest", tags=["writes"], summary="Clean and store articles (needs --allow-writes)")
    def api_ingest(records: Annotated[list[IngestRecord], Body(max_length=MAX_INGEST)]) -> JSONResponse:
        if not allow_writes:
            return JSONResponse({"detail": "the server is read-only: start it with --allow-writes"}, 403)
        from wiretrace.clean import clean_document
        from wiretrace.data import InputError, RawDocument
        from wiretrace.store import record_hash

        cleaned, errors = [], []
        for r in records:
            doc = RawDocument(
                id=r.id,
                source=f"api:{r.id}",
                content=r.text,
                is_html=r.is_html,
                title=r.title,
                url=r.url,
                published=r.published,
                outlet=r.outlet,
            )
            art = clean_document(doc)
            if isinstance(art, InputError):
                errors.append({"source": art.source, "reason": art.reason, "code": art.code})
                continue
            art.content_hash = record_hash(doc)
            cleaned.append(art)
        added = reader.add_articles(cleaned)
        return JSONResponse(
            {"added": added, "errors": errors, "note": "run `wiretrace stories` to regroup the store"}
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, exc.status_code)

    return app


STORE_ENV = "WIRETRACE_SERVE_STORE"  # how `run` hands the store to worker processes


def app_from_env() -> FastAPI:
    """The read-only app over the store named in $WIRETRACE_SERVE_STORE (uvicorn's factory for workers)."""
    return create_app(os.environ[STORE_ENV])


def run(
    store: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_writes: bool = False,
    workers: int = 1,
    access_log: bool = True,
) -> None:
    """Serve the store with uvicorn until interrupted (`access_log` False: no line per request).

    A read-only store can be served by several worker processes (DuckDB lets many processes read
    one file), which spreads rendering over the cores; a writable one keeps a single process, the
    only writer DuckDB allows.
    """
    import uvicorn

    if workers > 1 and not allow_writes:
        os.environ[STORE_ENV] = str(Path(store).resolve())
        uvicorn.run(
            "wiretrace.serve.app:app_from_env", factory=True, workers=workers, host=host, port=port,
            log_level="info", access_log=access_log,
        )
        return
    uvicorn.run(
        create_app(store, allow_writes=allow_writes), host=host, port=port, log_level="info", access_log=access_log
    )
