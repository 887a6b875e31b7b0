"""The Spark engine: the local engine's own orchestration, with its two heavy steps run as Spark jobs.

    sources (driver) -> [ingest + clean, per file] -> Parquet -> DuckDB store (driver, in read order, batched)
    wiretrace.pipeline.analyze_stored (driver), with `SparkEngine` as its engine:
        template pass, stored story index loaded, stale rows dropped                 (driver)
        new articles, one feature pass at a time -> [lexical slices, encoder batches] (stories' pool code)
        candidates, scores, clusters, index saved                                    (driver, stories package)
        stories to trace -> Parquet of their members per chunk -> [lineage, facts, consensus]  (task per chunk)
        stories saved                                                                (driver)

So both engines are one pipeline (datatrove's lesson: the executor apart from the steps): the Spark
engine is incremental like the local one (only articles the stored index lacks are encoded, only
stories whose members changed are traced) and stores the same stories. Why the global steps stay
on the driver: candidate generation and clustering are linear and vectorised over one
`StoryIndex`, and calling the stories package's own functions is what keeps exact parity.

The driver never holds the corpus: features go out one feature pass at a time (as from the local
engine's pool), and each per-story task's articles are written from the store to a Parquet file the
task reads; results come back a pass, or a wave of tasks, at a time.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wiretrace import __version__
from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument, Report, Story
from wiretrace.engine.parquet import (
    ARTICLE_SCHEMA,
    article_to_row,
    is_parquet_input,
    read_articles,
    row_to_article,
    write_articles,
)
from wiretrace.errors import WiretraceError
from wiretrace.pipeline import ArticleSource, IngestResult, analyze_stored, process_stories
from wiretrace.progress import Progress
from wiretrace.store import Store, record_hash

if TYPE_CHECKING:
    from wiretrace.stories import StoryIndex

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


def trace_task(settings: Settings, path: str, stories: list[Story]) -> tuple[list[Story], dict[str, float]]:
    """`process_story` over a chunk of stories whose members are written at `path`; the stage timings too."""
    by_id = {a.id: a for a in read_articles(path)}
    # members in story order, as the local engine gives them
    return process_stories(((s, {i: by_id[i] for i in s.articles if i in by_id}) for s in stories), settings)


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
    """Ingest and clean on the cluster into Parquet, then load it into the store in read order, a batch at a time."""
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
    batches: Iterable[list[dict]] = []
    if parts:
        union = parts[0] if len(parts) == 1 else sc.union(parts)
        spark.createDataFrame(union, INGEST_DDL).write.mode("overwrite").parquet(str(out))
        batches = read_ordered(out, max(settings.batch_size, 1), workdir)
    for batch in batches:
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


INGEST_SORT_MEMORY = "512MB"  # DuckDB's memory for ordering the ingested rows; it spills to disk beyond


def read_ordered(folder: Path, batch_size: int, workdir: Path) -> Iterator[list[dict]]:
    """The ingested rows in read order (source, then record), `batch_size` at a time: DuckDB's external
    sort, so the driver holds one batch, not the corpus."""
    import duckdb

    spill = workdir / "sort-spill"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": INGEST_SORT_MEMORY, "temp_directory": str(spill), "threads": 1})
    try:
        files = sorted(str(f) for f in folder.glob("*.parquet"))
        if not files:
            return
        reader = con.sql("SELECT * FROM read_parquet(?) ORDER BY src, rec", params=[files]).to_arrow_reader(batch_size)
        for batch in reader:
            yield batch.to_pylist()
    finally:
        con.close()


TASK_ARTICLES = 2000  # most articles one per-story task reads (whole stories: a big one may exceed it)


class SparkEngine:
    """`pipeline.StageEngine` on Spark: story features through the stories package's pool code with the
    cluster as the pool (`SparkTasks`), the per-story stages one task per chunk of stories. For those the
    driver writes each task's articles to its own Parquet file under `workdir` (which executors must be
    able to read: a shared mount on a cluster) and collects one wave of tasks at a time, so it holds a
    wave's results, never the corpus.

    With `stop_session` (a session wiretrace started itself), `release` stops it once the per-story
    stages are done: in local mode its reused Python workers are this machine's processes, idle but
    holding what those stages cached, beside the driver saving the stories."""

    def __init__(self, spark, workdir: str | Path, stop_session: bool = False) -> None:
        self.spark = spark
        self.workdir = Path(workdir)
        self.stop_session = stop_session
        self._jobs = 0

    @property
    def _cores(self) -> int:
        return max(1, self.spark.sparkContext.defaultParallelism)

    def _folder(self, name: str) -> Path:
        self._jobs += 1
        folder = self.workdir / f"{name}-{self._jobs}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _waves(self, waves: list[list[Any]], write: Callable[[Any, Path], Any], fn: Callable) -> Iterator[list]:
        """For each wave of task inputs: `write(input, path)` gives each task's item (its articles written
        to `path`), then one Spark job runs `fn(item)` per task; yields each wave's results in order.

        The next wave is written (in a thread) while this one runs, so the executors do not wait for the
        driver's reads; the driver holds one wave's results, and two waves' task files are on disk."""
        folder = self._folder("tasks")
        paths = [[folder / f"task-{w:05d}-{k:05d}.parquet" for k in range(len(wave))] for w, wave in enumerate(waves)]

        def prepare(w: int) -> list:
            return [write(task, path) for task, path in zip(waves[w], paths[w])]

        # the writer thread reads the store while this thread only waits on Spark: one DuckDB user at a time
        with ThreadPoolExecutor(1, thread_name_prefix="wiretrace-task-files") as writer:
            ahead = writer.submit(prepare, 0) if waves else None
            for w in range(len(waves)):
                items = ahead.result()
                ahead = writer.submit(prepare, w + 1) if w + 1 < len(waves) else None
                sc = self.spark.sparkContext
                results = sc.parallelize(items, len(items)).map(fn).collect()
                _remove(paths[w])
                yield results

    def update_index(
        self, ids: list[str], load: Callable[[list[str]], list[Article]], settings: Settings, index: StoryIndex
    ) -> None:
        """`stories.update_index_from` itself, its pool being the cluster (`SparkTasks`): the same passes,
        cut into the same lexical slices and encoder batches as in the local pool, so the vectors are bit
        for bit the local engine's; every slice and batch of a pass runs at once, on every core."""
        from wiretrace.stories import update_index_from

        update_index_from(ids, load, settings, index, SparkTasks(self.spark))

    def trace(
        self,
        stories: list[Story],
        source: ArticleSource,
        settings: Settings,
        progress: Progress,
        task: int,
        timings: dict[str, float],
    ) -> list[Story]:
        """`process_story` over every story on the cluster; output in story order."""
        wave = self._cores * TASKS_PER_CORE
        members = sum(len(s.articles) for s in stories)
        chunks = [stories[lo:hi] for lo, hi in story_chunks(stories, min(TASK_ARTICLES, max(1, -(-members // wave))))]
        waves = [chunks[s : s + wave] for s in range(0, len(chunks), wave)]

        def write(chunk: list[Story], path: Path) -> tuple[str, list[Story]]:
            ids = sorted({i for s in chunk for i in s.articles})
            return str(write_articles(source.load(ids), path, TASK_ARTICLES)), chunk

        done: list[Story] = []
        for results in self._waves(waves, write, functools.partial(_trace_item, settings)):
            for part, part_timings in results:
                done.extend(part)
                for name, seconds in part_timings.items():
                    timings[name] = timings.get(name, 0.0) + seconds
                progress.advance(task, len(part))
        return done

    def release(self) -> None:
        """Stop the session if it is wiretrace's own (its Python workers exit; the JVM stays until exit)."""
        if self.stop_session:
            self.spark.stop()


class SparkTasks(Executor):
    """A `concurrent.futures.Executor` whose `map` is one Spark job, one task per item, results in order.

    So the stories package's own pool code (`stories.features_in_pool`: lexical features in slices of
    articles, then the distinct chunk texts in fixed encoder batches) runs on the cluster unchanged.
    Only `map` is offered: one job per call, the items shipped in the tasks (a feature pass at most)."""

    def __init__(self, spark) -> None:
        self.spark = spark

    def map(self, fn: Callable, *iterables: Iterable, timeout: float | None = None, chunksize: int = 1) -> Iterator:
        items = list(zip(*iterables))
        if not items:
            return iter(())
        sc = self.spark.sparkContext
        return iter(sc.parallelize(items, len(items)).map(functools.partial(_star, fn)).collect())


def _active_session():
    """The SparkSession already running in this process (e.g. the caller's), if any."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # `spark_session` says what is missing
        return None
    return SparkSession.getActiveSession()


def _star(fn: Callable, args: tuple) -> Any:
    return fn(*args)


def _trace_item(settings: Settings, item: tuple[str, list[Story]]) -> tuple[list[Story], dict[str, float]]:
    return trace_task(settings, *item)


def _remove(paths: Iterable[str]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


def story_chunks(stories: list[Story], limit: int) -> list[tuple[int, int]]:
    """Consecutive story ranges of at most `limit` member articles (a larger story alone), in story order."""
    chunks: list[tuple[int, int]] = []
    start = 0
    while start < len(stories):
        end, size = start + 1, len(stories[start].articles)
        while end < len(stories) and size + len(stories[end].articles) <= limit:
            size += len(stories[end].articles)
            end += 1
        chunks.append((start, end))
        start = end
    return chunks


def analyze_store_spark(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Progress | None = None,
    master: str | None = DEFAULT_MASTER,
    spark=None,
    workdir: str | Path | None = None,
    rebuild: bool = False,
    timings: dict[str, float] | None = None,
) -> tuple[Report, IngestResult]:
    """`wiretrace.pipeline.analyze_store` on Spark: ingest on the cluster, then `analyze_stored` with a
    `SparkEngine` (incremental, the same store contents and report).

    Task files go under `workdir`, else a temporary folder in WIRETRACE_SPARK_WORKDIR (a mount every
    executor reads, on a cluster), else in the system's temporary folder. A session this call starts
    (no `spark` given and none active) is stopped once the per-story stages are done; a caller's is kept."""
    progress = progress or Progress(enabled=False)
    own_session = spark is None and _active_session() is None
    spark = spark or spark_session(master)
    own_workdir = workdir is None
    work = Path(workdir or tempfile.mkdtemp(prefix="wiretrace-spark-", dir=os.environ.get("WIRETRACE_SPARK_WORKDIR")))
    try:
        run = store.next_run()
        result = ingest_spark(spark, store, paths, settings, work, progress)
        store.add_errors(result.errors, run)
        engine = SparkEngine(spark, work / "tasks", stop_session=own_session)
        source, stories, result.stories = analyze_stored(
            store, settings, progress, timings=timings, rebuild=rebuild, engine=engine
        )
    finally:
        if own_session:  # idempotent: `release` stopped it already unless a stage failed
            spark.stop()
        if own_workdir:
            shutil.rmtree(work, ignore_errors=True)
    report = Report(
        articles=source.load(source.ids()),
        stories=stories,
        errors=sorted(result.errors, key=lambda e: (e.source, e.reason)),
        settings=settings.to_dict(),
        version=__version__,
    )
    return report, result
