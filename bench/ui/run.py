"""UI benchmark: a bounded loopback load test of `wiretrace serve`, and report.html size and first render.

    .venv/bin/python -m bench.ui.run [--clients 50] [--seconds 30]

Load: a synthetic store of 10,000 articles (wiretrace.report.sample, written with
Store.add_articles + save_stories), served by uvicorn in a subprocess on 127.0.0.1; `clients`
httpx async clients request story pages and search pages in turn for `seconds`. Records
requests/s, p50/p99 latency and errors. Report: report.html at 200 and 2,000 articles, its size
and the time headless Chromium takes to its first contentful paint. Measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from wiretrace.report import write_report
from wiretrace.report.sample import sample_report
from wiretrace.store import Store

HERE = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUERIES = ["council", "ferry", "Lisbon", "families", "power", "inquiry", "vote", "repairs"]


def build_store(path: Path, n: int) -> tuple[list[str], int]:
    rep = sample_report(n, seed=1, hostile=True)
    with Store(path) as st:
        for i in range(0, len(rep.articles), 1000):
            st.add_articles(rep.articles[i : i + 1000])
        st.save_stories(rep.stories)
    return [s.id for s in rep.stories], len(rep.articles)


async def load(base: str, story_ids: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(k: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(k)
        while time.monotonic() < deadline:
            if rng.random() < 0.5:
                url = f"{base}/stories/{rng.choice(story_ids)}"
            else:
                url = f"{base}/search?q={rng.choice(QUERIES)}&offset={rng.choice([0, 50])}"
            t = time.perf_counter()
            try:
                r = await http.get(url)
                if r.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - t)

    start = time.monotonic()
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(k, http) for k in range(clients)))
    elapsed = time.monotonic() - start
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else 0.0
        )

    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "errors": errors,
    }


def serve_and_load(n: int, clients: int, seconds: float, work: Path) -> dict:
    path = work / "store.duckdb"
    t = time.perf_counter()
    story_ids, articles = build_store(path, n)
    built = time.perf_counter() - t
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = (
        f"import uvicorn; from wiretrace.serve import create_app; "
        f"uvicorn.run(create_app({str(path)!r}), host='127.0.0.1', port={port}, log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/api/stories?limit=1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        result = asyncio.run(load(base, story_ids, clients, seconds))
    finally:
        proc.terminate()
        proc.wait(10)
    return {
        "articles": articles,
        "stories": len(story_ids),
        "clients": clients,
        "store_build_s": round(built, 1),
        **result,
    }


def report_render(sizes: list[int], work: Path) -> list[dict]:
    out = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    for n in sizes:
        rep = sample_report(n, seed=1)
        t = time.perf_counter()
        _, html = write_report(rep, work / f"r{n}")
        row = {
            "articles": len(rep.articles),
            "stories": len(rep.stories),
            "write_s": round(time.perf_counter() - t, 2),
            "html_bytes": html.stat().st_size,
        }
        if sync_playwright and os.path.exists(CHROMIUM):
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                pg = b.new_page()
                t = time.perf_counter()
                pg.goto(html.as_uri(), wait_until="load")
                row["load_event_s"] = round(time.perf_counter() - t, 2)
                fcp = pg.evaluate(
                    "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
                )
                row["first_contentful_paint_ms"] = round(fcp, 0) if fcp else None
                b.close()
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {
            "load": serve_and_load(args.articles, args.clients, args.seconds, work),
            "report_html": report_render([200, 2000], work),
            "machine": f"{os.cpu_count()} cores",
        }
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
