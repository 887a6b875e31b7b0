"""The Spark engine: the same stage functions as the local engine, run as pyspark jobs over Parquet.

    sources (driver) -> [ingest + clean, per file]            -> Parquet  -> DuckDB store (driver)
    store -> remove_templates (driver) -> articles Parquet
    articles Parquet -> [story features, encoder once per executor]  -> driver
    driver: StoryIndex + candidate generation + scoring + clustering (wiretrace.stories' own functions)
    articles Parquet join story membership -> [groupBy story: lineage, facts, consensus] -> driver -> store

Why the global steps stay on the driver: candidate generation and clustering are linear in the
corpus and already vectorised (MinHash bands, sparse pair graph); the stories package defines
them over one `StoryIndex`, and calling its own functions is what keeps exact parity with the
local engine. The per-record work (reading, cleaning, encoding) and the per-story work (alignment,
lineage, facts, consensus) dominate the time, and those are the distributed parts.

Parity: same stories, lineage and drift as `wiretrace.pipeline.analyze_store` on the same input and
settings. Articles are stored in the local engine's order (source order, then record order), so
ids, dedup and `seq` match. With the `use` encoder, vectors computed in other batch compositions
may differ in the last float bits; the `hash` encoder is bit-exact.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from wiretrace import __version__
from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument, Report, Story
from wiretrace.engine.parquet import ARTICLE_SCHEMA, article_to_row, is_parquet_input, row_to_article, write_articles
from wiretrace.errors import WiretraceError
from wiretrace.pipeline import IngestResult, process_story
from wiretrace.progress import Progress
from wiretrace.store import Store, record_hash, story_from_dict

DEFAULT_MASTER = "local[*]"
TASKS_PER_CORE = 4  # partitions per core: small enough tasks to balance skewed files

_ARTICLE_DDL = (
    "content_hash STRING, id STRING, source STRING, text STRING, title STRING, language STRING, outlet STRING,"
    " url STRING, published STRING, dateline STRING, byline STRING, credited ARRAY<STRING>,"
    " captions ARRAY<STRING>, removed ARRAY<STRUCT<text: STRING, reason: STRING>>,"
    " sentences ARRAY<STRUCT<`index`: INT, paragraph: INT, `start`: INT, `end`: INT, text: STRING>>"
)
# One ingest output row: its place in read order, then an error or an article.
INGEST_DDL = f"src INT, rec INT, err_source STRING, err_reason STRING, err_code STRING, {_ARTICLE_DDL}"
_ARTICLE_FIELDS = ARTICLE_SCHEMA.names


def spark_session(master: str | None = None, app: str = "wiretrace", conf: dict[str, str] | None = None):
    """A SparkSession for wiretrace: UI off, few shuffle partitions, workers on this Python.

    With `master=None` an existing session (e.g. from spark-submit) is reused as configured.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise WiretraceError("the Spark engine needs pyspark: pip install pyspark (and Java 17)") from exc
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise WiretraceError("the Spark engine needs Java (e.g. apt-get install -y openjdk-17-jre-headless)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "8",
        "spark.driver.memory": "2g",
        "spark.python.worker.reuse": "true",  # the encoder loads once per worker process
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        **(conf or {}),
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# -- executor-side functions (module level so they pickle by reference) ----------------------


def _article_tuple(src: int, rec: int, article: Article) -> tuple:
    row = article_to_row(article)
    return (src, rec, None, None, None, *(row[name] for name in _ARTICLE_FIELDS))


def _error_tuple(src: int, rec: int, error: InputError) -> tuple:
    return (src, rec, error.source, error.reason, error.code, *([None] * len(_ARTICLE_FIELDS)))


def _clean_one(src: int, rec: int, item: RawDocument | InputError, settings: Settings) -> tuple:
    from wiretrace.clean import clean_document

    if isinstance(item, InputError):
        return _error_tuple(src, rec, item)
    h = record_hash(item)
    article = clean_document(item, settings)
    if isinstance(article, InputError):
        return _error_tuple(src, rec, article)
    article.content_hash = h
    return _article_tuple(src, rec, article)


def ingest_partition(settings: Settings, sources: Iterable[tuple[int, Any]]) -> Iterator[tuple]:
    """Read and clean each (position, Source) with the ingest and clean stages' own functions."""
    from wiretrace.ingest import read_source

    for src, source in sources:
        for rec, item in enumerate(read_source(source, settings)):
            yield _clean_one(src, rec, item, settings)


def parquet_partition(settings: Settings, base: int, index: int, rows: Iterable[Any]) -> Iterator[tuple]:
    """Read and clean the rows of one partition of a user's Parquet corpus."""
    from wiretrace.engine.parquet import raw_from_row

    for rec, row in enumerate(rows):
        data = row.asDict()
        source = f"parquet:{data.get('id') or ''}#{index}.{rec}"
        yield _clean_one(base + index, rec, raw_from_row(data, source, settings), settings)


def features_pass(encoder_name: str, batch_size: int, rows: Iterable[dict]) -> list[Any]:
    """Story features of one feature pass (`stories.feature_passes`), its articles in id order as the
    local engine encodes them; the encoder is loaded once per worker process."""
    from wiretrace.embed import get_encoder
    from wiretrace.stories.features import compute_features

    articles = sorted((row_to_article(r) for r in rows), key=lambda a: a.id)
    return compute_features(articles, get_encoder(encoder_name), batch_size)


def stories_partition(settings: Settings, stories: list[Story], groups: Iterable[tuple[int, Any]]) -> Iterator:
    """Run lineage, facts and consensus on each (story position, member rows) group."""
    for position, rows in groups:
        story = stories[position]
        found = {a.id: a for a in (row_to_article(r) for r in rows)}
        # the local engine's member order (story order): a stage must not see shuffle order
        members = {i: found[i] for i in story.articles if i in found}
        yield position, process_story(story, members, settings).to_dict()


# -- driver ---------------------------------------------------------------------------------


def _plan_sources(paths: Iterable[str | Path]) -> tuple[list[Any], list[str], list[InputError]]:
    from wiretrace.ingest.sources import STDIN, iter_sources

    sources: list[Any] = []
    parquet: list[str] = []
    errors: list[InputError] = []
    for item in paths:
        if str(item) == STDIN:
            raise WiretraceError("the Spark engine reads files and folders, not standard input")
        if is_parquet_input(item):
            parquet.append(str(Path(item).resolve()))
            continue
        for source in iter_sources(item):
            (errors if isinstance(source, InputError) else sources).append(source)
    return sources, parquet, errors


def ingest_spark(spark, store: Store, paths: Iterable[str | Path], settings: Settings, workdir: Path,
                 progress: Progress) -> IngestResult:
    """Ingest and clean on the cluster into Parquet, then load it into the store in read order."""
    import pyarrow.parquet as pq

    sc = spark.sparkContext
    sources, parquet_inputs, planning_errors = _plan_sources(paths)
    result = IngestResult(errors=list(planning_errors))
    task = progress.task("ingest (spark)", total=None)
    parts = []
    if sources:
        slices = max(1, min(len(sources), sc.defaultParallelism * TASKS_PER_CORE))
        rdd = sc.parallelize(list(enumerate(sources)), slices).mapPartitions(
            lambda it, s=settings: ingest_partition(s, it)
        )
        parts.append(rdd)
    for k, folder in enumerate(parquet_inputs):
        base = len(sources) + k * 1_000_000
        rdd = spark.read.parquet(folder).rdd.mapPartitionsWithIndex(
            lambda i, it, s=settings, b=base: parquet_partition(s, b, i, it)
        )
        parts.append(rdd)
    out = workdir / "ingested"
    if parts:
        union = parts[0] if len(parts) == 1 else sc.union(parts)
        spark.createDataFrame(union, INGEST_DDL).write.mode("overwrite").parquet(str(out))
        table = pq.read_table(out).sort_by([("src", "ascending"), ("rec", "ascending")])
    else:
        table = None
    rows = table.to_pylist() if table is not None else []
    for start in range(0, len(rows), max(settings.batch_size, 1)):
        batch = rows[start : start + settings.batch_size]
        docs: list[tuple[str, dict]] = []
        for row in batch:
            if row["err_reason"] is not None:
                result.errors.append(InputError(row["err_source"], row["err_reason"], row["err_code"]))
                progress.error(result.errors[-1])
            else:
                docs.append((row["content_hash"], row))
        result.read += len(docs)
        known = store.known_hashes(h for h, _ in docs)
        fresh = [row_to_article(row) for h, row in docs if h not in known]
        result.skipped += len(docs) - len(fresh)
        store.add_aliases([(h, row["source"]) for h, row in docs if h in known])
        result.added += store.add_articles(fresh)
        progress.advance(task, len(batch))
    progress.done(task)
    return result


def features_spark(spark, articles_path: Path, articles: list[Article], settings: Settings) -> list[Any]:
    """Story features of `articles` (written at `articles_path`) on the cluster, sorted by id: one
    task per feature pass, cut as the local engine cuts them (`stories.feature_passes`), since
    encoder batches of the same articles give the same vectors and other batches do not (a batch's
    composition moves USE vectors by ~2e-7, enough to flip a pair at a threshold in a large corpus)."""
    from wiretrace.stories import feature_passes

    passes = feature_passes((a.id for a in articles), settings)
    pass_of = spark.sparkContext.broadcast({i: k for k, part in enumerate(passes) for i in part})
    feats = (
        spark.read.parquet(str(articles_path))
        .rdd.map(lambda r: (pass_of.value[r["id"]], r.asDict(recursive=True)))
        .groupByKey(max(1, len(passes)))
        .flatMap(lambda kv, name=settings.encoder, b=settings.batch_size: features_pass(name, b, kv[1]))
        .collect()
    )
    return sorted(feats, key=lambda f: f.id)


def group_spark(spark, articles_path: Path, articles: list[Article], settings: Settings) -> list[Story]:
    """Features on the cluster; candidates, scores and clusters on the driver with the stories package."""
    from wiretrace import stories as stories_stage
    from wiretrace.embed import get_encoder
    from wiretrace.stories.candidates import candidate_pairs
    from wiretrace.stories.index import StoryIndex
    from wiretrace.stories.score import score_pairs

    encoder = get_encoder(settings.encoder)
    feats = features_spark(spark, articles_path, articles, settings)
    index = StoryIndex(dim=encoder.dim, encoder=encoder.name)
    rows = index.add(feats)
    pairs = candidate_pairs(index, rows) if rows else []
    ids = index.ids
    for (i, j), p in zip(pairs, score_pairs(index, pairs).tolist() if pairs else []):
        a, b = ids[i], ids[j]
        index.pairs[(a, b) if a < b else (b, a)] = (p, True)
    return stories_stage.group(articles, settings, index)  # every article is indexed: clusters only


def story_stages_spark(spark, articles_path: Path, stories: list[Story], settings: Settings) -> list[Story]:
    """Lineage, facts and consensus per story on the executors (groupBy story over the articles)."""
    if not stories:
        return stories
    sc = spark.sparkContext
    member_of = {a: k for k, s in enumerate(stories) for a in s.articles}
    bc_members, bc_stories = sc.broadcast(member_of), sc.broadcast(stories)
    partitions = max(1, min(len(stories), sc.defaultParallelism * TASKS_PER_CORE))
    done = (
        spark.read.parquet(str(articles_path))
        .rdd.map(lambda r: (bc_members.value.get(r["id"]), r.asDict(recursive=True)))
        .filter(lambda kv: kv[0] is not None)
        .groupByKey(partitions)
        .mapPartitions(lambda it, s=settings: stories_partition(s, bc_stories.value, it))
        .collect()
    )
    by_position = dict(done)
    return [story_from_dict(by_position[k]) if k in by_position else s for k, s in enumerate(stories)]


def analyze_store_spark(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Progress | None = None,
    master: str | None = DEFAULT_MASTER,
    spark=None,
    workdir: str | Path | None = None,
) -> tuple[Report, IngestResult]:
    """`wiretrace.pipeline.analyze_store` on Spark: same store contents and report."""
    from wiretrace.clean import remove_templates

    progress = progress or Progress(enabled=False)
    spark = spark or spark_session(master)
    own_workdir = workdir is None
    work = Path(workdir or tempfile.mkdtemp(prefix="wiretrace-spark-"))
    try:
        run = store.next_run()
        result = ingest_spark(spark, store, paths, settings, work, progress)
        store.add_errors(result.errors, run)
        articles = remove_templates(store.articles(), settings)
        articles_path = write_articles(articles, work / "articles" / "part-0.parquet").parent
        task = progress.task("stories (spark)", total=len(articles))
        found = group_spark(spark, articles_path, articles, settings)
        progress.advance(task, len(articles))
        progress.done(task)
        task = progress.task("lineage, facts, consensus (spark)", total=len(found))
        found = story_stages_spark(spark, articles_path, found, settings)
        progress.advance(task, len(found))
        progress.done(task)
        store.save_stories(found)
    finally:
        if own_workdir:
            shutil.rmtree(work, ignore_errors=True)
    report = Report(
        articles=articles,
        stories=found,
        errors=sorted(result.errors, key=lambda e: (e.source, e.reason)),
        settings=settings.to_dict(),
        version=__version__,
    )
    return report, result
