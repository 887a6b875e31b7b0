"""The report stage: `report.json` (documented by `report.schema.json`) and one self-contained `report.html`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wiretrace.data import Report, plain
from wiretrace.report.html import render_html

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


def drift_counts(report: Report) -> dict[str, int]:
    """Per article, how many drifted facts it carries a non-original reading of."""
    counts: dict[str, int] = {}
    for story in report.stories:
        for d in story.drift:
            for v in d.variants:
                if v.value != d.reading:
                    for a in v.articles:
                        counts[a] = counts.get(a, 0) + 1
    return counts


def report_dict(report: Report) -> dict[str, Any]:
    """The JSON document: deterministic (no timestamps), articles without their sentence tables."""
    counts = drift_counts(report)
    articles = []
    for a in sorted(report.articles, key=lambda a: a.id):
        d = plain(a, skip=("sentences",))
        d["sentence_count"] = len(a.sentences)
        d["drifted_facts"] = counts.get(a.id, 0)
        articles.append(d)
    return {
        "wiretrace": report.version,
        "summary": {
            "articles": len(report.articles),
            "stories": len(report.stories),
            "errors": len(report.errors),
            "origins": sum(len(s.origins) for s in report.stories),
            "drifted_facts": sum(len(s.drift) for s in report.stories),
        },
        "settings": report.settings,
        "articles": articles,
        "stories": [s.to_dict() for s in report.stories],
        "errors": [{"source": e.source, "reason": e.reason, "code": e.code} for e in report.errors],
    }


def write_report(report: Report, out: str | Path) -> tuple[Path, Path]:
    """Write `out/report.json` and `out/report.html`; returns their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    doc = report_dict(report)
    json_path = out / "report.json"
    json_path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    html_path = out / "report.html"
    html_path.write_text(render_html(doc), encoding="utf-8")
    return json_path, html_path


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
