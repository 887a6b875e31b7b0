"""The local engine: runs the stages in order over a store.

Stages are pure functions over records (see docs/architecture.md); this module is the only
place that reads and writes the store and reports progress, so the Spark engine can reuse the
same stage functions inside its tasks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wiretrace import __version__
from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument, Report, Story
from wiretrace.progress import Progress
from wiretrace.store import Store, record_hash


@dataclass(slots=True)
class IngestResult:
    read: int = 0
    added: int = 0
    skipped: int = 0
    errors: list[InputError] = field(default_factory=list)


def ingest_into(
    store: Store, paths: Iterable[str | Path], settings: Settings, progress: Progress | None = None
) -> IngestResult:
    """Read, clean and store every article under `paths`; already stored records are skipped.

    Batches go in one transaction each, so a run killed at any point leaves whole articles only,
    and running again completes it without duplicates.
    """
    from wiretrace.clean import clean_document
    from wiretrace.ingest import read_paths

    result = IngestResult()
    progress = progress or Progress(enabled=False)
    task = progress.task("ingest", total=None)
    stream = read_paths(paths, settings)
    while True:
        batch = list(itertools.islice(stream, settings.batch_size))
        if not batch:
            break
        docs: list[tuple[str, RawDocument]] = []
        for item in batch:
            if isinstance(item, InputError):
                result.errors.append(item)
                progress.error(item)
            else:
                docs.append((record_hash(item), item))
        result.read += len(docs)
        known = store.known_hashes(h for h, _ in docs)
        cleaned: list[Article] = []
        for h, doc in docs:
            if h in known:
                result.skipped += 1
                store.add_alias(h, doc.source)
                continue
            article = clean_document(doc, settings)
            if isinstance(article, InputError):
                result.errors.append(article)
                progress.error(article)
                continue
            article.content_hash = h
            cleaned.append(article)
        result.added += store.add_articles(cleaned)
        progress.advance(task, len(batch))
    progress.done(task)
    return result


def process_story(story: Story, members: dict[str, Article], settings: Settings) -> Story:
    """Lineage, then facts and consensus over the alignments lineage computed (each version is
    aligned once per story, not once per stage). Both engines call this, so they agree."""
    from wiretrace.consensus import reconstruct
    from wiretrace.facts import find_drift
    from wiretrace.lineage import trace_with_alignments

    story, alignments = trace_with_alignments(story, members, settings)
    story = find_drift(story, members, settings, alignments=alignments)
    return reconstruct(story, members, settings, alignments=alignments)


def group_stories(articles: list[Article], settings: Settings, store: Store | None = None) -> list[Story]:
    from wiretrace.stories import group

    return group(articles, settings)


def run_stages(
    articles: list[Article], settings: Settings, store: Store | None = None, progress: Progress | None = None
) -> tuple[list[Article], list[Story]]:
    """Everything after ingest: templates, stories, then each per-story stage."""
    from wiretrace.clean import remove_templates

    progress = progress or Progress(enabled=False)
    articles = remove_templates(articles, settings)
    task = progress.task("stories", total=len(articles))
    stories = group_stories(articles, settings, store)
    progress.advance(task, len(articles))
    progress.done(task)
    by_id = {a.id: a for a in articles}
    task = progress.task("lineage, facts, consensus", total=len(stories))
    done: list[Story] = []
    for story in stories:
        done.append(process_story(story, {i: by_id[i] for i in story.articles if i in by_id}, settings))
        progress.advance(task, 1)
    progress.done(task)
    return articles, done


def analyze_store(
    store: Store, paths: Iterable[str | Path], settings: Settings, progress: Progress | None = None
) -> tuple[Report, IngestResult]:
    """Ingest `paths` into `store`, run every later stage over the whole stored corpus, save the results."""
    run = store.next_run()
    result = ingest_into(store, paths, settings, progress)
    store.add_errors(result.errors, run)
    articles, stories = run_stages(store.articles(), settings, store, progress)
    store.save_stories(stories)
    report = Report(
        articles=articles,
        stories=stories,
        errors=sorted(result.errors, key=lambda e: (e.source, e.reason)),
        settings=settings.to_dict(),
        version=__version__,
    )
    return report, result


def analyze(
    paths: Iterable[str | Path],
    out: str | Path | None = None,
    store: str | Path | Store = ":memory:",
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Report:
    """Run the whole pipeline over `paths` and return the `Report` (written to `out` if given).

    `store` is a path to a DuckDB file (kept between runs: new inputs join the stored corpus)
    or `:memory:` for a throw-away analysis.
    """
    settings = settings or Settings()
    if isinstance(store, Store):
        report, _ = analyze_store(store, paths, settings, progress)
    else:
        with Store(store) as st:
            report, _ = analyze_store(st, paths, settings, progress)
    if out is not None:
        from wiretrace.report import write_report

        write_report(report, out)
    return report
