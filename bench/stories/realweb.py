"""Stories on real web pages: how many of the pairs wiretrace puts together are one event.

    .venv/bin/python -m bench.stories.realweb [--list] [--encoder use-static --label use-static]

The generated benchmark (`bench.stories.run`) plants its stories; this one takes what a crawl
gives. Corpus: every HTML page of `../shared/data/zyte_article_extraction_benchmark` (181 news
pages, most published 18-20 November 2019: a few days of the web's news, with several real
events told by several outlets) and `../shared/data/trafilatura_eval` (990 pages, mostly German,
news, blogs and government sites from several years). No one planted a story here, so there is no
full truth: `realweb_events.json` holds our judgements of the pages that wiretrace has put in a
story with another page, as groups of pages that report one event (paths under ../shared/data;
a page in no group with others is its own event). Judged by reading title and lead, strictly:
a story is one real-world event (two reviews of one product launch are one; an editorial and a
news report on the same conflict, a trade-war explainer and a tariff report, are not).

Reported: merged pairs, the share of judged ones that are one event (precision), merged pairs
with a page never judged (listed with `--list`, to be judged and added before a change is
compared), and how many of the judged same-event pairs stay together (recall over what has been
judged; pairs never proposed are not counted, so this is not a full recall). The pages are
ingested once into bench/stories/.cache/realweb.duckdb; each run groups them afresh with the
current code (the stories stage only: features, candidates, verification, clustering).
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1].parent / "shared" / "data"
FOLDERS = (
    "zyte_article_extraction_benchmark/html",
    "trafilatura_eval/tests/eval",
    "trafilatura_eval/tests/cache",
)
EVENTS = HERE / "realweb_events.json"
STORE = HERE / ".cache" / "realweb.duckdb"


def grouped(rebuild_store: bool = False, encoder: str = "use") -> tuple[list[list[str]], dict[str, str]]:
    """Stories of the pages (as lists of page paths under ../shared/data), and each page's title by path."""
    from wiretrace.config import Settings
    from wiretrace.pipeline import StoredArticles, ingest_into
    from wiretrace.store import Store
    from wiretrace.stories import group_from

    settings = Settings(encoder=encoder)
    if rebuild_store and STORE.exists():
        STORE.unlink()
    STORE.parent.mkdir(parents=True, exist_ok=True)
    with Store(STORE) as store:
        if not store.count_articles():
            ingest_into(store, [DATA / f for f in FOLDERS], settings)
        source = StoredArticles(store, settings)
        ids = source.ids()
        found = group_from(ids, source.load, settings)
        path = {}
        title = {}
        for batch in (ids[k : k + 500] for k in range(0, len(ids), 500)):
            for a in source.load(batch):
                rel = str(Path(a.source).resolve().relative_to(DATA.resolve()))
                path[a.id], title[rel] = rel, a.title or a.text[:80]
    return [sorted(path[a] for a in s.articles) for s in found], title


def judge(stories: list[list[str]], events: list[list[str]]) -> dict:
    """Precision of merged pairs against the judged events, unjudged pairs, recall over judged pairs."""
    event = {p: k for k, group in enumerate(events) for p in group}
    merged = [(a, b) for s in stories for a, b in itertools.combinations(s, 2)]
    judged = [(a, b) for a, b in merged if a in event and b in event]
    same = sum(event[a] == event[b] for a, b in judged)
    where = {p: k for k, s in enumerate(stories) for p in s}
    positives = [(a, b) for group in events for a, b in itertools.combinations(group, 2)]
    kept = sum(where.get(a, -1) == where.get(b, -2) for a, b in positives)
    return {
        "stories_of_two_or_more": sum(len(s) > 1 for s in stories),
        "merged_pairs": len(merged),
        "judged_pairs": len(judged),
        "same_event_pairs": same,
        "precision": round(same / len(judged), 3) if judged else None,
        "unjudged_pairs": len(merged) - len(judged),
        "judged_same_event_pairs_kept": f"{kept}/{len(positives)}",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="print the merged stories with a page never judged")
    ap.add_argument("--reingest", action="store_true", help="ingest the pages again (after a cleaner change)")
    ap.add_argument("--label", default="current", help="key under which results.json keeps this run")
    ap.add_argument("--encoder", default="use", help="sentence encoder of the stories stage (use, use-static)")
    args = ap.parse_args()
    stories, title = grouped(args.reingest, args.encoder)
    events = json.loads(EVENTS.read_text(encoding="utf-8"))
    command = ".venv/bin/python -m bench.stories.realweb"
    if args.encoder != "use":
        command += f" --encoder {args.encoder}"
    result = {"command": command, "pages": sum(len(s) for s in stories), **judge(stories, events)}
    print(json.dumps(result, indent=1))
    if args.list:
        judged = {p for group in events for p in group}
        for s in stories:
            if len(s) > 1 and any(p not in judged for p in s):
                print("---")
                for p in s:
                    print(("   " if p in judged else " * ") + p, "|", title.get(p, "")[:100])
    out = HERE / "results_realweb.json"
    saved = json.loads(out.read_text()) if out.exists() else {}
    saved[args.label] = result
    out.write_text(json.dumps(saved, indent=1) + "\n")


if __name__ == "__main__":
    main()
