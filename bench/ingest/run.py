"""Ingest throughput and memory: `python -m bench.ingest.run` writes bench/ingest/results.json.

Corpus: 10,000 synthetic articles of seeded random words (a third .txt, a third .html, a third in
.jsonl files of 500 records), generated in a temporary folder; plus one ~100 MB JSONL to show that
a large file streams in bounded memory. Measures, does not assert.
"""

from __future__ import annotations

import json
import platform
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from wiretrace.data import InputError, RawDocument
from wiretrace.ingest import read_paths

ARTICLES = 10_000
JSONL_RECORDS_PER_FILE = 500
BIG_JSONL_BYTES = 100 * 1024 * 1024
SEED = 13
RESULTS = Path(__file__).with_name("results.json")


def _article(rng: random.Random, vocabulary: list[str]) -> tuple[str, str]:
    title = " ".join(rng.choices(vocabulary, k=8)).capitalize()
    paragraphs = [
        " ".join(rng.choices(vocabulary, k=rng.randint(40, 90))).capitalize() + "."
        for _ in range(rng.randint(4, 12))
    ]
    return title, "\n\n".join(paragraphs)


def generate(folder: Path, n: int = ARTICLES) -> int:
    """Write n articles; returns the bytes written."""
    rng = random.Random(SEED)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 10))) for _ in range(5000)]
    jsonl_lines: list[str] = []
    total = 0
    for i in range(n):
        title, body = _article(rng, vocabulary)
        kind = i % 3
        if kind == 0:
            data = f"{title}\n\n{body}\n"
            path = folder / "txt" / f"{i:05d}.txt"
        elif kind == 1:
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            data = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
                    f'<link rel="canonical" href="https://bench.example/{i}"></head>'
                    f"<body><article>{paragraphs}</article></body></html>")
            path = folder / "html" / f"{i:05d}.html"
        else:
            jsonl_lines.append(json.dumps({"id": f"j{i}", "title": title, "text": body}))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")
        total += len(data.encode())
    (folder / "jsonl").mkdir(exist_ok=True)
    for start in range(0, len(jsonl_lines), JSONL_RECORDS_PER_FILE):
        data = "\n".join(jsonl_lines[start : start + JSONL_RECORDS_PER_FILE]) + "\n"
        (folder / "jsonl" / f"{start:05d}.jsonl").write_text(data, encoding="utf-8")
        total += len(data.encode())
    return total


def measure(paths: list[Path]) -> dict[str, float]:
    """Time one pass, then a second pass under tracemalloc for the peak of Python allocations."""
    start = time.perf_counter()
    documents = errors = 0
    for item in read_paths(paths):
        documents += isinstance(item, RawDocument)
        errors += isinstance(item, InputError)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    for _ in read_paths(paths):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"documents": documents, "errors": errors, "seconds": round(seconds, 3),
            "articles_per_second": round(documents / seconds, 1), "peak_traced_mb": round(peak / 2**20, 2)}


def main() -> None:
    results: dict[str, object] = {"python": sys.version.split()[0], "machine": platform.machine()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        corpus.mkdir()
        written = generate(corpus)
        mixed = measure([corpus])
        mixed["input_mb"] = round(written / 2**20, 1)
        mixed["mb_per_second"] = round(written / 2**20 / mixed["seconds"], 1)
        results["mixed_10k"] = mixed
        print("mixed 10k:", mixed)

        big = folder / "big.jsonl"
        record = json.dumps({"text": "lorem ipsum dolor sit amet " * 80}) + "\n"
        with open(big, "w", encoding="utf-8") as handle:
            for _ in range(BIG_JSONL_BYTES // len(record)):
                handle.write(record)
        size = big.stat().st_size
        streamed = measure([big])
        streamed["input_mb"] = round(size / 2**20, 1)
        streamed["mb_per_second"] = round(size / 2**20 / streamed["seconds"], 1)
        results["jsonl_100mb"] = streamed
        print("jsonl 100 MB:", streamed)
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
