"""CPU of `wiretrace analyze`'s work outside the stage functions, part by part, over an analysed store.

    .venv/bin/python -m bench.scale.outside STORE [--repeat 3]

STORE is a store `wiretrace analyze` left (e.g. over `bench.scale.run`'s generated corpus). Each part runs
in this process, the minimum CPU seconds (process time) over the repeats: the template pass, reading
every article back (with the template strip), fingerprinting them, saving the stories, and the report
(building its document, report.json's text, report.html). Digests of what each part made are printed,
so two commits can be compared for identical outputs as well as for time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        out = fn()
        best = min(best, time.process_time() - start)
    return best, out


def measure(store_path: Path, repeat: int) -> dict[str, Any]:
    """CPU seconds and output digest per part (the store is copied: saving stories rewrites it)."""
    import shutil
    import tempfile

    from wiretrace import __version__
    from wiretrace.config import Settings
    from wiretrace.data import Report
    from wiretrace.pipeline import StoredArticles, article_fingerprint
    from wiretrace.report import report_dict
    from wiretrace.report.html import render_html
    from wiretrace.store import Store

    work = Path(tempfile.mkdtemp(prefix="wiretrace-outside-"))
    try:
        shutil.copy(store_path, work / "s.duckdb")
        settings = Settings()
        with Store(work / "s.duckdb") as store:
            stories = store.stories()
            parts: dict[str, tuple[float, Any]] = {}
            parts["template pass"] = _timed(lambda: StoredArticles(store, settings), repeat)
            source = parts["template pass"][1]
            parts["template pass"] = (parts["template pass"][0], sorted(source.templates.keys))
            parts["read every article"] = _timed(lambda: source.load(source.ids()), repeat)
            articles = parts["read every article"][1]
            parts["read every article"] = (parts["read every article"][0], [a.to_dict() for a in articles])
            parts["fingerprints"] = _timed(lambda: [article_fingerprint(a) for a in articles], repeat)
            parts["save stories"] = _timed(lambda: store.save_stories(stories), repeat)
            parts["save stories"] = (parts["save stories"][0], [s.to_dict() for s in store.stories()])
            report = Report(articles=articles, stories=stories, errors=store.errors(),
                            settings=settings.to_dict(), version=__version__)
            parts["report document"] = _timed(lambda: report_dict(report), repeat)
            doc = parts["report document"][1]
            parts["report.json text"] = _timed(lambda: json.dumps(doc, ensure_ascii=False, indent=1), repeat)
            parts["report.html"] = _timed(lambda: render_html(doc), repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"articles": len(articles), "stories": len(stories),
            "cpu_seconds": {k: round(v[0], 3) for k, v in parts.items()},
            "total": round(sum(v[0] for v in parts.values()), 2),
            "digests": {k: _digest(v[1]) for k, v in parts.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(json.dumps(measure(args.store, args.repeat), indent=1))


if __name__ == "__main__":
    main()
