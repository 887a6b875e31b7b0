"""UI benchmark: a bounded loopback load test of `wiretrace serve`, and report.html size and first render.

    .venv/bin/python -m bench.ui.run [--clients 50] [--seconds 30]

Load: a synthetic store of 10,000 articles (wiretrace.report.sample, written with
Store.add_articles + save_stories), served by `wiretrace.serve.run` (1 and 2 uvicorn workers) in a
subprocess on 127.0.0.1; `clients` keep-alive connections request random story pages and search
pages (offset 0 or 50), half and half, for `seconds`, searching a hot vocabulary (8 words, mostly
cache hits) and a wide one (300 words, many misses); then, on the same server, the same load for
`warm-seconds` more, reported apart as the warm steady state. The client is `wrk` (Debian package
`wrk`, one thread, driven by wrk.lua) when installed, else httpx's async client (about 4 ms CPU
per request, which then competes with the server for the same cores). Records requests/s, p50/p99
latency, errors, and the CPU ms per request of the server and of the client, so each one's share of
the shared cores is clear. Report: report.html at 200 and 2,000 articles, its size and the time
headless Chromium takes to its first contentful paint and load event. Measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from wiretrace.report import write_report
from wiretrace.report.browser import chromium_available, launch_chromium
from wiretrace.report.sample import sample_report, write_store

HERE = Path(__file__).parent
WRK = shutil.which("wrk")
QUERY_WORDS = (8, 300)  # search vocabularies drawn (seeded) from the store's own text: hot and wide


def build_store(path: Path, n: int) -> tuple[list[str], list[str], int]:
    """The synthetic store; returns story ids, search words drawn from its text, article count."""
    rep = sample_report(n, seed=1, hostile=True)
    write_store(rep, path)
    vocab = sorted({w.strip(".,;:\"'()").lower() for a in rep.articles for w in a.text.split()} - {""})
    words = [w for w in vocab if len(w) >= 4 and w.isalpha()]
    queries = random.Random(1).sample(words, min(max(QUERY_WORDS), len(words)))
    return [s.id for s in rep.stories], queries, len(rep.articles)


def urls(story_ids: list[str], queries: list[str]) -> tuple[list[str], list[str]]:
    """The two URL pools the clients draw from: story pages, and search pages at offset 0 or 50."""
    return [f"/stories/{s}" for s in story_ids], [f"/search?q={q}&offset={o}" for q in queries for o in (0, 50)]


def load_wrk(base: str, story_ids: list[str], queries: list[str], clients: int, seconds: float) -> dict:
    """The load from wrk (C, epoll, keep-alive): its CPU per request is a small fraction of the server's."""
    stories, searches = urls(story_ids, queries)
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp) / "stories.txt", Path(tmp) / "searches.txt"]
        for f, lines in zip(files, (stories, searches)):
            f.write_text("\n".join(lines) + "\n")
        cmd = [WRK, "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(HERE / "wrk.lua"),
               base, "--", str(files[0]), str(files[1]), "1"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the server is not reaped yet: only wrk counts
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    line = next(x for x in out.splitlines() if x.startswith("WRK_RESULT "))
    w = json.loads(line.split(" ", 1)[1])
    elapsed = w["duration_us"] / 1e6
    errors = sum(w[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "client": "wrk -t1 (keep-alive)",
        "url_pool": len(stories) + len(searches),
        "requests": w["requests"],
        "seconds": round(elapsed, 1),
        "requests_per_s": round(w["requests"] / elapsed, 1),
        "p50_ms": round(w["p50_us"] / 1000, 1),
        "p99_ms": round(w["p99_us"] / 1000, 1),
        "max_ms": round(w["max_us"] / 1000, 1),
        "errors": errors,
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(1, w["requests"]), 3),
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),  # includes other jobs on the machine
    }


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
        "client": "httpx async (keep-alive)",
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


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its live descendants in MB (Linux /proc; pages shared
    between forked workers count once per process, so this is an upper bound)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(entry.parent.name)] = int(entry.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree = {pid}
    for _ in range(3):
        tree |= {p for p, pp in parents.items() if pp in tree}
    total_kb = 0
    for p in tree:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total_kb += next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0)
    return round(total_kb / 1024, 1)


WARM_UP_LINE = re.compile(r"warm-up (\w+): (\d+) pages pre-rendered, ([\d.]+) MB cached, in ([\d.]+) s")


def warm_up_logged(log: Path) -> list[dict]:
    """The warm-up lines each worker wrote to the server's log (one per worker process)."""
    return [
        {"stopped": m[1], "pages": int(m[2]), "cached_mb": float(m[3]), "seconds": float(m[4])}
        for m in WARM_UP_LINE.finditer(log.read_text(errors="replace"))
    ]


def wait_until_idle(pid: int, quiet_cpu_s: float = 0.05, timeout_s: float = 120) -> None:
    """Wait until the process tree uses under `quiet_cpu_s` CPU seconds in half a second."""
    deadline = time.monotonic() + timeout_s
    last = tree_cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = tree_cpu_seconds(pid)
        if now - last < quiet_cpu_s:
            return
        last = now


def serve_and_load(path: Path, story_ids: list[str], queries: list[str], clients: int, seconds: float,
                   workers: int, warm_seconds: float = 0) -> dict:
    """Serve the store with `workers` uvicorn processes and load it; the client shares the same cores.

    The measurement starts once the server is idle after start-up (its indexes built and its
    warm-up done: story pages and first listings pre-rendered, searches still cold); with
    `warm_seconds`, the same load runs again right after, to show the steady state apart.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = (
        "from wiretrace.serve.app import run; "
        f"run({str(path)!r}, port={port}, workers={workers}, access_log=False)"
    )
    log = path.with_suffix(f".w{workers}.log")
    with log.open("wb") as err:  # uvicorn's own log (start-up, warm-up); access lines go to stdout
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/api/stories?limit=1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        answering_s = round(time.monotonic() - started, 1)
        # Every worker has built its indexes and pre-rendered its pages: start-up is reported, not loaded.
        wait_until_idle(proc.pid)
        startup = {
            "answering_after_s": answering_s,
            "idle_after_s": round(time.monotonic() - started, 1),
            "warm_up": warm_up_logged(log),
            "server_rss_mb_idle": tree_rss_mb(proc.pid),
        }
        phases = []
        for length in (seconds, warm_seconds):  # from a cold start (the measurement), then once warm
            if not length:
                continue
            cpu = tree_cpu_seconds(proc.pid)
            if WRK:
                result = load_wrk(base, story_ids, queries, clients, length)
            else:
                result = asyncio.run(load(base, story_ids, queries, clients, length))
            result["server_cpu_ms_per_request"] = round(
                1000 * (tree_cpu_seconds(proc.pid) - cpu) / max(1, result["requests"]), 2
            )
            phases.append(result)
        startup["server_rss_mb_after_load"] = tree_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    out = {"workers": workers, "clients": clients, "startup": startup, **phases[0]}
    if len(phases) > 1:  # the same load again right after: every page rendered once already
        keep = ("seconds", "requests_per_s", "p50_ms", "p99_ms", "errors", "server_cpu_ms_per_request")
        out["then_warm"] = {k: phases[1][k] for k in keep}
    return out


def report_render(sizes: list[int], work: Path) -> list[dict]:
    out = []
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
        if chromium_available():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                b = launch_chromium(p)
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
    ap.add_argument("--warm-seconds", type=float, default=10, help="a second, warm run after each (0: none)")
    ap.add_argument("--report-sizes", type=int, nargs="*", default=[200, 2000], help="articles per report.html")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "store.duckdb"
        t = time.perf_counter()
        story_ids, queries, n = build_store(path, args.articles)
        built = round(time.perf_counter() - t, 1)
        runs = [
            {"search_words": k,
             **serve_and_load(path, story_ids, queries[:k], args.clients, args.seconds, w, args.warm_seconds)}
            for k in QUERY_WORDS
            for w in args.workers
        ]
        results = {
            "command": ".venv/bin/python -m bench.ui.run",
            "store": {"articles": n, "stories": len(story_ids), "build_s": built},
            "load": runs,
            "report_html": report_render(args.report_sizes, work),
            "machine": f"{os.cpu_count()} cores, shared by the server and the load client",
        }
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
