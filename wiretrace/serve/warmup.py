"""Pre-render, at start-up, the pages a read-only store's first visitors will ask for.

A page is rendered once per process and then served from the response cache (app.py), so the
slow requests of a fresh server are its first renders, and they happen under load. The warm-up
sends the app itself, in process, a GET for each page worth having ready: the first page of the
story and article listings (HTML and JSON), then every story page, largest story first, until a
byte budget of the cache is used (a store of a million articles warms what fits, not everything).

The requests go through the whole ASGI stack (the same middleware, routes and templates as a
visitor's), one at a time from a background task, so the socket opens at once and live requests
take turns with the warm-up instead of waiting for it. Each worker process warms its own cache:
the pages are bytes in that process's memory, and a page another worker rendered would not be
there to answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

from starlette.types import ASGIApp, Message

LISTING_URLS = ("/", "/search", "/api/stories", "/api/articles")  # first pages, as linked (no query string)
log = logging.getLogger("uvicorn.error")  # printed by uvicorn's default logging config


@dataclass(slots=True)
class WarmUp:
    """What the warm-up did: pages requested, bytes they fill in the cache, seconds, and why it stopped."""

    pages: int = 0
    cached_bytes: int = 0
    seconds: float = 0.0
    stopped: str = "waiting"  # then "running"; "done", "budget" (the byte budget was reached) or "cancelled"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def warm_up_paths(story_ids: Iterable[str]) -> Iterator[str]:
    """The listing pages, then one story page per id (in the given order: most visited first)."""
    yield from LISTING_URLS
    for sid in story_ids:
        yield "/stories/" + sid


async def get(app: ASGIApp, path: str) -> int:
    """GET `path` (already decoded, as a server puts it in the scope) from the app in process; its status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": quote(path).encode("ascii"),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
    }
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def warm_up(app: ASGIApp, paths: Iterable[str], cached_bytes: Any, budget: int, stats: WarmUp) -> WarmUp:
    """Request each path in turn until `cached_bytes()` reaches `budget`; fills and logs `stats`.

    Sequential on purpose: one render at a time leaves the other worker threads to live requests.
    """
    start = time.perf_counter()
    stats.stopped = "running"
    try:
        for path in paths:
            if cached_bytes() >= budget:
                stats.stopped = "budget"
                break
            await get(app, path)
            stats.pages += 1
        else:
            stats.stopped = "done"
    except BaseException:
        stats.stopped = "cancelled"
        raise
    finally:
        stats.cached_bytes = cached_bytes()
        stats.seconds = round(time.perf_counter() - start, 3)
        log.info(
            "warm-up %s: %d pages pre-rendered, %.1f MB cached, in %.2f s",
            stats.stopped, stats.pages, stats.cached_bytes / 1e6, stats.seconds,
        )
    return stats
