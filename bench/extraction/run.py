"""Extraction benchmarks: Zyte article-extraction (181 pages) and trafilatura's eval set (990 pages).

Three systems, so the plain-text cleaner's effect shows on its own:
  trafilatura-default  trafilatura.extract as in the published comparisons
  trafilatura-chosen   trafilatura with wiretrace's EXTRACTION_OPTIONS (wiretrace/clean/html.py)
  wiretrace-clean      wiretrace.clean.clean_document (chosen trafilatura + plain-text cleaner)

    .venv/bin/python -m bench.extraction.run [--only zyte|trafilatura] [--limit N]

Writes bench/extraction/results.json. Each page is extracted inside try/except: failures are
counted (and scored as empty output), never fatal.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura
from trafilatura.utils import decode_file

from wiretrace.clean import clean_document
from wiretrace.clean.html import EXTRACTION_OPTIONS, extract_html
from wiretrace.data import InputError, RawDocument

SHARED = Path(os.environ.get("WIRETRACE_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
ZYTE = SHARED / "data" / "zyte_article_extraction_benchmark"
TRAF = SHARED / "data" / "trafilatura_eval" / "tests"
RESULTS = Path(__file__).with_name("results.json")

Extractor = Callable[[str, str | None], str]


def trafilatura_default(html: str, url: str | None) -> str:
    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""


def trafilatura_chosen(html: str, url: str | None) -> str:
    page = extract_html(html, "bench", url=url)
    return "" if isinstance(page, InputError) else page.text


def wiretrace_clean(html: str, url: str | None) -> str:
    article = clean_document(RawDocument(id="bench", source="bench", content=html, is_html=True, url=url))
    return "" if isinstance(article, InputError) else article.text


SYSTEMS: dict[str, Extractor] = {
    "trafilatura-default": trafilatura_default,
    "trafilatura-chosen": trafilatura_chosen,
    "wiretrace-clean": wiretrace_clean,
}


def run_guarded(extractor: Extractor, html: str, url: str | None, failures: Counter, name: str) -> str:
    try:
        return extractor(html, url)
    except Exception:  # a benchmark page must never stop the run
        failures[name] += 1
        return ""


# --- Zyte: token 4-gram shingles, per-page tp/fp/fn normalised, P and R averaged (evaluate.py) -----
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_match(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum(min(t[k], p[k]) for k in t.keys() | p.keys())
    fp = sum(max(0, p[k] - t[k]) for k in p)
    fn = sum(max(0, t[k] - p[k]) for k in t)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def zyte_scores(triples: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*x) for x in triples if x[0] + x[1] > 0)
    r = statistics.mean(recall(*x) for x in triples if x[0] + x[2] > 0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)}


def run_zyte(limit: int | None) -> dict:
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    out: dict = {"pages": len(keys)}
    for name, extractor in SYSTEMS.items():
        failures: Counter = Counter()
        triples, start = [], time.perf_counter()
        for key in keys:
            with gzip.open(ZYTE / "html" / f"{key}.html.gz") as page:
                html = page.read().decode("utf-8", "replace")
            pred = run_guarded(extractor, html, truth[key].get("url"), failures, name)
            triples.append(shingle_match(truth[key].get("articleBody", ""), pred))
        out[name] = {
            **zyte_scores(triples),
            "failures": failures[name],
            "seconds": round(time.perf_counter() - start, 1),
        }
        print("zyte", name, out[name], file=sys.stderr)
    return out


# --- trafilatura eval: snippets that must / must not appear, counted over all segments ------------
def run_trafilatura_eval(limit: int | None) -> dict:
    pages = json.loads((TRAF / "evaldata.json").read_text(encoding="utf-8"))
    items = sorted(pages.items())[:limit]
    out: dict = {"pages": len(items)}
    for name, extractor in SYSTEMS.items():
        failures: Counter = Counter()
        tp = fn = fp = tn = 0
        start = time.perf_counter()
        for url, item in items:
            path = TRAF / "eval" / item["file"]
            if not path.exists():
                path = TRAF / "cache" / item["file"]
            html = decode_file(path.read_bytes())
            result = run_guarded(extractor, html, url, failures, name)
            for snippet in item.get("with", []):
                tp, fn = (tp + 1, fn) if snippet in result else (tp, fn + 1)
            for snippet in item.get("without", []):
                fp, tn = (fp + 1, tn) if snippet in result else (fp, tn + 1)
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        out[name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "accuracy": round((tp + tn) / max(1, tp + tn + fp + fn), 4),
            "f1": round(2 * tp / max(1, 2 * tp + fp + fn), 4),
            "tp": tp,
            "fn": fn,
            "fp": fp,
            "tn": tn,
            "failures": failures[name],
            "seconds": round(time.perf_counter() - start, 1),
        }
        print("trafilatura_eval", name, out[name], file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["zyte", "trafilatura"])
    parser.add_argument("--limit", type=int, default=None, help="first N pages only (smoke runs)")
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"shared data not found at {SHARED}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["trafilatura_version"] = trafilatura.__version__
    results["extraction_options"] = EXTRACTION_OPTIONS
    results["published"] = {"zyte_trafilatura_f1": 0.958, "trafilatura_eval_trafilatura_f1": 0.924}
    if args.only in (None, "zyte"):
        results["zyte"] = run_zyte(args.limit)
    if args.only in (None, "trafilatura"):
        results["trafilatura_eval"] = run_trafilatura_eval(args.limit)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(json.dumps(results, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
