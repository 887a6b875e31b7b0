"""UI benchmark: a bounded loopback load test of `wiretrace serve`, and report.html size and first render.

    .venv/bin/python -m bench.ui.run [--clients 50] [--seconds 30]

Load: a synthetic store of 10,000 articles (wiretrace.report.sample, written with
Store.add_articles + save_stories), served by `wiretrace.serve.run` (1 and 2 uvicorn workers) in a
subprocess on 127.0.0.1; `clients` httpx async clients request random story pages and search pages
(offset 0 or 50) in turn for `seconds`, searching a hot vocabulary (8 words, mostly cache hits) and a
wide one (300 words, about half the requests miss the page cache). Records requests/s, p50/p99
latency, errors and the server's CPU ms per request (robust to other load on the machine; the
client itself shares the same cores). Report: report.html at 200 and 2,000 articles, its size
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
QUERY_WORDS = (8, 300)  # search vocabularies drawn (seeded) from the store's own text: hot and wide


def build_store(path: Path, n: int) -> tuple[list[str], list[str], int]:
    """The synthetic store; returns story ids, search words drawn from its text, article count."""
    rep = sample_report(n, seed=1, hostile=True)
    with Store(path) as st:
        st.add_articles(rep.articles)
        st.save_stories(rep.stories)
    vocab = sorted({w.strip(".,;:\"'()").lower() for a in rep.articles for w in a.text.split()} - {""})
    words = [w for w in vocab if len(w) >= 4 and w.isalpha()]
    queries = random.Random(1).sample(words, min(max(QUERY_WORDS), len(words)))
    return [s.id for s in rep.stories], queries, len(rep.articles)


async def load(base: str, story_ids: list[str], queries: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(k: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(k)
        while time.monotonic() < deadline:
            if rng.random() < 0.5:
                url = f"{base}/stories/{rng.choice(story_ids)}"
            else:
                url = f"{base}/search?q={rng.choice(queries)}&offset={rng.choice([0, 50])}"
            seen.add(url)
            t = time.perf_counter()
            try:
                r = await http.get(url)
                if r.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - t)

    start, client_cpu = time.monotonic(), time.process_time()
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(k, http) for k in range(clients)))
    elapsed = time.monotonic() - start
    client_cpu = time.process_time() - client_cpu
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else 0.0
        )

    return {
        "distinct_urls": len(seen),
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "errors": errors,
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(1, len(latencies)), 2),
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),  # includes other jobs on the machine
    }


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants (Linux /proc), 0 elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    tree, total = {pid}, 0.0
    for _ in range(3):  # the server, its uvicorn workers, anything they spawn
        tree |= {p for p, (ppid, _) in stats.items() if ppid in tree}
    for p in tree:
        total += stats.get(p, (0, 0.0))[1]
    return total


def serve_and_load(path: Path, story_ids: list[str], queries: list[str], clients: int, seconds: float,
                   workers: int) -> dict:
    """Serve the store with `workers` uvicorn processes and load it; the client shares the same cores."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = (
        "import logging; from wiretrace.serve.app import run; logging.disable(logging.INFO); "
        f"run({str(path)!r}, port={port}, workers={workers})"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/api/stories?limit=1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        cpu = tree_cpu_seconds(proc.pid)
        result = asyncio.run(load(base, story_ids, queries, clients, seconds))
        result["server_cpu_ms_per_request"] = round(
            1000 * (tree_cpu_seconds(proc.pid) - cpu) / max(1, result["requests"]), 2
        )
    finally:
        proc.terminate()
        proc.wait(10)
    return {"workers": workers, "clients": clients, **result}


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
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "store.duckdb"
        t = time.perf_counter()
        story_ids, queries, n = build_store(path, args.articles)
        built = round(time.perf_counter() - t, 1)
        runs = [
            {"search_words": k, **serve_and_load(path, story_ids, queries[:k], args.clients, args.seconds, w)}
            for k in QUERY_WORDS
            for w in args.workers
        ]
        results = {
            "command": ".venv/bin/python -m bench.ui.run",
            "store": {"articles": n, "stories": len(story_ids), "build_s": built},
            "load": runs,
            "report_html": report_render([200, 2000], work),
            "machine": f"{os.cpu_count()} cores, shared by the server and the load client",
        }
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
