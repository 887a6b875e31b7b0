"""A dirty corpus: synthetic good articles plus a share of corrupt inputs, each with what must happen.

Corrupt kinds (cycled): truncated gzip, binary, undecodable bytes, UTF-16 without BOM, enormous,
empty, malformed JSONL lines (inside an otherwise good file), truncated WARC. Every bad item names
its source, so a run can be checked item by item: each good article stored, each bad one listed.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from wiretrace.engine.synthetic import iter_records, write_corpus

KINDS = ("truncated-gzip", "binary", "undecodable", "utf16-no-bom", "enormous", "empty", "malformed-jsonl",
         "truncated-warc")


@dataclass
class DirtyCorpus:
    folder: Path
    good_ids: list[str] = field(default_factory=list)
    bad: dict[str, str] = field(default_factory=dict)  # source -> kind


def _warc(n: int, seed: int) -> bytes:
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for k, rec in enumerate(iter_records(n, seed=seed)):
        html = f"<html><head><title>{rec['title']}</title></head><body><p>{rec['text']}</p></body></html>"
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode()
        writer.write_record(writer.create_warc_record(f"https://dirty.example/{seed}/{k}", "response",
                                                      payload=io.BytesIO(payload)))
    return buf.getvalue()


def build(folder: str | Path, n_articles: int, bad_share: float = 0.01, seed: int = 0,
          max_article_bytes: int = 20_000_000) -> DirtyCorpus:
    """Write `n_articles` items of which `bad_share` are corrupt into `folder`."""
    folder = Path(folder)
    rng = random.Random(seed)
    n_bad = max(len(KINDS), round(n_articles * bad_share))
    out = DirtyCorpus(folder)
    write_corpus(folder / "good", n_articles - n_bad, seed=seed, per_file=100)
    for f in sorted((folder / "good").iterdir()):
        out.good_ids += [json.loads(line)["id"] for line in f.read_text(encoding="utf-8").splitlines()]
    bad_dir = folder / "bad"
    bad_dir.mkdir(parents=True, exist_ok=True)
    for k in range(n_bad):
        kind = KINDS[k % len(KINDS)]
        stem = bad_dir / f"bad-{k:05d}"
        if kind == "truncated-gzip":
            data = gzip.compress(("A paragraph of news text. " * 400).encode(), mtime=0)
            path = stem.with_suffix(".txt.gz")
            path.write_bytes(data[: len(data) // 2])
        elif kind == "binary":
            path = stem.with_suffix(".txt")
            path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)) + b"\x00")
        elif kind == "undecodable":
            path = stem.with_suffix(".txt")
            path.write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(4096)))
        elif kind == "utf16-no-bom":
            path = stem.with_suffix(".html")
            path.write_bytes("<html><body><p>Text in the wrong encoding.</p></body></html>".encode("utf-16-le"))
        elif kind == "enormous":
            path = stem.with_suffix(".txt")
            line = "An enormous article repeats itself without end. "
            path.write_text(line * (max_article_bytes // len(line) + 2), encoding="utf-8")
        elif kind == "empty":
            path = stem.with_suffix(".txt")
            path.write_bytes(b"")
        elif kind == "malformed-jsonl":
            path = stem.with_suffix(".jsonl")
            good = next(iter_records(1, seed=seed * 1000 + k))
            good["id"] = f"dirty-jsonl-{k}"
            path.write_text(json.dumps(good) + '\n{"id": "cut", "text": "no end\n', encoding="utf-8")
            out.good_ids.append(good["id"])
            out.bad[f"{path}#2"] = kind
            continue
        else:  # truncated-warc: the first record whole, the second cut inside its body
            data = _warc(2, seed=seed * 1000 + k)
            path = stem.with_suffix(".warc")
            path.write_bytes(data[: len(data) - 40])
            out.good_ids.append(f"https://dirty.example/{seed * 1000 + k}/0")
        out.bad[str(path)] = kind
    out.good_ids.sort()
    return out


def check(corpus: DirtyCorpus, stored_ids: list[str], errors: list[tuple[str, str, str]]) -> dict:
    """Compare a run with what must happen: missing good articles, unlisted bad items, stray errors."""
    listed = {source: (code, reason) for source, reason, code in errors}
    missing = sorted(set(corpus.good_ids) - set(stored_ids))
    unlisted = sorted(s for s in corpus.bad if s not in listed)
    stray = sorted(s for s in listed if s not in corpus.bad)
    by_kind: dict[str, dict[str, int]] = {}
    for source, kind in corpus.bad.items():
        row = by_kind.setdefault(kind, {"items": 0, "listed": 0})
        row["items"] += 1
        row["listed"] += source in listed
    return {"good": len(corpus.good_ids), "bad": len(corpus.bad), "good_missing": missing,
            "bad_unlisted": unlisted, "stray_errors": stray, "by_kind": by_kind,
            "codes": sorted({code for code, _ in listed.values()})}
