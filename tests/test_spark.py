"""The Spark engine gives the local engine's stories, lineage and drift; Parquet in and out."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wiretrace.config import Settings
from wiretrace.engine.export import export_parquet
from wiretrace.engine.parquet import read_articles, write_articles
from wiretrace.engine.synthetic import iter_records, write_corpus
from wiretrace.pipeline import analyze_store, ingest_into
from wiretrace.store import Store

HAVE_SPARK = importlib.util.find_spec("pyspark") is not None and (
    shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
)
spark_only = [pytest.mark.spark, pytest.mark.skipif(not HAVE_SPARK, reason="needs pyspark and Java")]


@pytest.fixture(scope="module")
def spark():
    if not HAVE_SPARK:
        pytest.skip("needs pyspark and Java")
    from wiretrace.engine.spark import spark_session

    session = spark_session("local[2]", app="wiretrace-tests", conf={"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, examples_dir_module):
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(examples_dir_module, folder / "examples")
    write_corpus(folder / "generated", 40, seed=5, per_file=7)
    return folder


@pytest.fixture(scope="module")
def examples_dir_module():
    return Path(__file__).resolve().parent.parent / "examples"


def _without_paths(report: dict, root: Path) -> dict:
    """report.json minus where the inputs were on disk."""
    text = str(root)

    def strip(value):
        if isinstance(value, str):
            return value.replace(text, "")
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "engine"}
        return value

    return strip(report)


@pytest.mark.spark
@pytest.mark.skipif(not HAVE_SPARK, reason="needs pyspark and Java")
def test_spark_engine_matches_local(spark, corpus, tmp_path):
    from wiretrace.engine.spark import analyze_store_spark

    settings = Settings(encoder="hash", batch_size=16)
    with Store(tmp_path / "local.duckdb") as st:
        local, local_result = analyze_store(st, [corpus], settings)
    with Store(tmp_path / "spark.duckdb") as st:
        distributed, spark_result = analyze_store_spark(st, [corpus], Settings(encoder="hash", batch_size=16),
                                                        spark=spark)
        stored = st.stories()
    assert len(local.stories) >= 10 and any(s.drift for s in local.stories)
    assert (spark_result.read, spark_result.added) == (local_result.read, local_result.added)
    assert _without_paths(distributed.to_dict(), corpus) == _without_paths(local.to_dict(), corpus)
    assert [s.to_dict() for s in stored] == sorted((s.to_dict() for s in local.stories), key=lambda d: d["id"])

    # a second run over the same input adds nothing, re-encodes nothing, re-traces no story, keeps the stories
    with Store(tmp_path / "spark.duckdb") as st:
        again, result = analyze_store_spark(st, [corpus], Settings(encoder="hash", batch_size=16), spark=spark)
    assert result.added == 0 and result.skipped == local_result.read
    run = result.stories
    assert (run.rebuild, run.encoded, run.traced) == ("", 0, 0)
    assert run.indexed == len(local.articles) and run.unchanged == len(local.stories)
    assert story_dicts(again.stories) == story_dicts(local.stories)


def story_dicts(stories) -> list[dict]:
    return [s.to_dict() for s in stories]


@pytest.mark.spark
@pytest.mark.skipif(not HAVE_SPARK, reason="needs pyspark and Java")
def test_spark_incremental_run_equals_one_run_and_the_local_engine(spark, corpus, tmp_path, monkeypatch):
    """Half the corpus, then the rest, on Spark: the stored index is reused (only the new articles are
    encoded) and the stories equal a from-scratch Spark run's and the local engine's."""
    import wiretrace.engine.spark as spark_engine
    from wiretrace.engine.spark import analyze_store_spark
    from wiretrace.ingest.sources import iter_sources
    from wiretrace.stories import feature_passes

    # small per-story tasks: several waves, each written while the one before runs
    monkeypatch.setattr(spark_engine, "TASK_ARTICLES", 3)
    files = [s.path for s in iter_sources(corpus)]
    settings = Settings(encoder="hash", batch_size=2)  # several feature passes of 32 ids
    with Store(tmp_path / "local.duckdb") as st:
        local, _ = analyze_store(st, files, settings)
    with Store(tmp_path / "scratch.duckdb") as st:
        scratch, _ = analyze_store_spark(st, files, settings, spark=spark)
    with Store(tmp_path / "halves.duckdb") as st:
        _, first = analyze_store_spark(st, files[::2], settings, spark=spark)
        halves, second = analyze_store_spark(st, files[1::2], settings, spark=spark)
        stored = st.stories()
    assert len(local.stories) >= 10 and len(feature_passes([a.id for a in local.articles], settings)) >= 2
    assert story_dicts(halves.stories) == story_dicts(scratch.stories) == story_dicts(local.stories)
    assert story_dicts(stored) == sorted(story_dicts(local.stories), key=lambda d: d["id"])
    assert sorted(a.id for a in halves.articles) == sorted(a.id for a in local.articles)
    run = second.stories
    assert first.stories.encoded == first.added > 0 and run.rebuild == ""
    # the stored index was loaded (less the rows the new template keys changed); only the rest was encoded
    assert 0 < run.indexed <= first.added and run.encoded == len(local.articles) - run.indexed
    assert run.unchanged + run.traced == len(local.stories) and run.traced < len(local.stories)


@pytest.mark.spark
@pytest.mark.skipif(not HAVE_SPARK, reason="needs pyspark and Java")
def test_a_store_analysed_locally_is_continued_by_spark_without_recomputing(spark, examples_dir_module, tmp_path):
    """The engine is not part of the stored index's state: both engines store the same results."""
    from wiretrace.engine.spark import analyze_store_spark

    with Store(tmp_path / "s.duckdb") as st:
        local, _ = analyze_store(st, [examples_dir_module], Settings(encoder="hash", engine="local"))
        again, result = analyze_store_spark(st, [examples_dir_module], Settings(encoder="hash", engine="spark"),
                                            spark=spark)
    run = result.stories
    assert (run.rebuild, run.encoded, run.traced, run.unchanged) == ("", 0, 0, len(local.stories))
    assert story_dicts(again.stories) == story_dicts(local.stories)


@pytest.mark.spark
@pytest.mark.skipif(not HAVE_SPARK, reason="needs pyspark and Java")
def test_spark_reads_a_parquet_corpus(spark, tmp_path):
    from wiretrace.engine.spark import analyze_store_spark

    records = list(iter_records(30, seed=9))
    records.append({"id": "no-text", "title": "empty", "text": ""})
    folder = tmp_path / "parquet-in"
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(records[:15]), folder / "part-0.parquet")
    pq.write_table(pa.Table.from_pylist(records[15:]), folder / "part-1.parquet")
    with Store(":memory:") as st:
        report, result = analyze_store_spark(st, [folder], Settings(encoder="hash"), spark=spark)
    assert sorted(a.id for a in report.articles) == sorted(r["id"] for r in records[:30])
    assert [e.code for e in result.errors] == ["W009"]
    by_id = {a.id: a for a in report.articles}
    assert all(by_id[r["id"]].outlet == r["outlet"] and by_id[r["id"]].published == r["published"]
               for r in records[:30])
    # versions of one generated story share its id prefix; the engine must group most of them
    together = sum(len({a.split("-")[1] for a in s.articles}) == 1 for s in report.stories if len(s.articles) > 1)
    assert together >= 3


@pytest.mark.spark
@pytest.mark.skipif(not HAVE_SPARK, reason="needs pyspark and Java")
def test_spark_features_are_the_local_features_bit_for_bit(spark, tmp_path):
    """USE vectors move by ~2e-7 with an encoder batch's composition, enough to flip a pair at a
    threshold in a large corpus: the Spark engine must encode the local engine's feature passes, whatever
    order the ids come in, and build the very same index (vectors, rows, scored pairs)."""
    from wiretrace.embed import get_encoder
    from wiretrace.engine.spark import SparkEngine
    from wiretrace.stories import StoryIndex, feature_passes, update_index_from

    write_corpus(tmp_path / "raw", 48, seed=5, per_file=4)
    with Store(":memory:") as st:
        ingest_into(st, [tmp_path / "raw"], Settings(encoder="hash"))
        articles = st.articles()
    by_id = {a.id: a for a in articles}
    ids = sorted(by_id, reverse=True)
    settings = Settings(encoder="use", batch_size=2)  # two passes of 32 ids, encoder batches of 2 texts
    assert len(feature_passes(ids, settings)) == 2
    encoder = get_encoder("use")
    local, distributed = StoryIndex(encoder.dim, encoder.name), StoryIndex(encoder.dim, encoder.name)
    loaded: list[str] = []

    def load(part: list[str]) -> list:
        loaded.extend(part)
        return [by_id[i] for i in part]

    update_index_from(ids, load, settings, local)
    local_loads, loaded[:] = list(loaded), []
    SparkEngine(spark, tmp_path / "tasks").update_index(ids, load, settings, distributed)
    assert loaded == local_loads  # the driver read the same passes
    assert distributed.ids == local.ids and len(local) == 48
    assert np.array_equal(distributed.chunks, local.chunks) and np.array_equal(distributed.n_chunks, local.n_chunks)
    for ours, theirs in zip(distributed.pairs.columns(), local.pairs.columns(), strict=True):
        assert np.array_equal(ours, theirs)
    assert len(local.pairs) > 0


def test_articles_round_trip_through_parquet(examples_dir, tmp_path):
    with Store(":memory:") as st:
        report, _ = analyze_store(st, [examples_dir], Settings(encoder="hash"))
    path = write_articles(report.articles, tmp_path / "a.parquet")
    assert [a.to_dict() for a in read_articles(path)] == [a.to_dict() for a in report.articles]


def test_export_writes_every_table(examples_dir, tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        report, _ = analyze_store(st, [examples_dir], Settings(encoder="hash"))
    files = export_parquet(tmp_path / "s.duckdb", tmp_path / "out")
    names = {f.stem for f in files}
    assert {"articles", "sentences", "stories", "lineage", "drift"} <= names
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM '{tmp_path / 'out' / 'articles.parquet'}'").fetchone()[0]
    assert n == len(report.articles)


def test_story_chunks_keep_story_order_and_bound_the_articles_per_task():
    from wiretrace.data import Story
    from wiretrace.engine.spark import story_chunks

    sizes = [3, 1, 5, 2, 2, 9, 1]
    stories = [Story(id=f"s{k}", articles=[f"a{k}-{j}" for j in range(n)]) for k, n in enumerate(sizes)]
    chunks = story_chunks(stories, 5)
    assert [k for lo, hi in chunks for k in range(lo, hi)] == list(range(len(stories)))
    for lo, hi in chunks:
        members = sum(sizes[lo:hi])
        assert members <= 5 or hi - lo == 1  # a story larger than the bound goes alone
    assert story_chunks([], 5) == []


def test_ingested_rows_come_back_in_read_order_a_batch_at_a_time(tmp_path):
    from wiretrace.engine.spark import read_ordered

    folder = tmp_path / "ingested"
    folder.mkdir()
    rng = np.random.default_rng(3)
    keys = [(int(s), int(r)) for s, r in rng.integers(0, 50, size=(300, 2))]
    keys = sorted(set(keys), key=lambda k: rng.random())  # distinct (src, rec), shuffled across two files
    half = len(keys) // 2
    for k, part in enumerate((keys[:half], keys[half:])):
        pq.write_table(pa.table({"src": [s for s, _ in part], "rec": [r for _, r in part],
                                 "text": [f"{s}/{r}" for s, r in part]}), folder / f"part-{k}.parquet")
    batches = list(read_ordered(folder, 64, tmp_path))
    assert all(len(b) <= 64 for b in batches)
    assert [(row["src"], row["rec"]) for b in batches for row in b] == sorted(keys)
    assert list(read_ordered(tmp_path / "empty", 64, tmp_path)) == []


class _SessionProbe:
    """A real session whose `stop` is only recorded, so the module's session outlives the test."""

    def __init__(self, session) -> None:
        self._session, self.stops = session, 0

    def __getattr__(self, name):
        return getattr(self._session, name)

    def stop(self) -> None:
        self.stops += 1


@pytest.mark.spark
@pytest.mark.skipif(not HAVE_SPARK, reason="needs pyspark and Java")
def test_a_session_wiretrace_starts_is_stopped_before_the_save_and_a_callers_is_kept(spark, monkeypatch,
                                                                                    examples_dir_module):
    """Idle, a local session's Python workers hold what the per-story stages cached while the driver
    saves the stories; a session the caller passed (or had running) is theirs to keep."""
    import wiretrace.engine.spark as spark_engine
    from wiretrace.store import Store as StoreClass

    own = _SessionProbe(spark)
    stops_at_save: list[int] = []
    save = StoreClass.save_stories

    def recording_save(self, *args, **kwargs):
        stops_at_save.append(own.stops)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(StoreClass, "save_stories", recording_save)
    monkeypatch.setattr(spark_engine, "_active_session", lambda: None)
    monkeypatch.setattr(spark_engine, "spark_session", lambda master=None: own)
    with Store(":memory:") as st:
        report, _ = spark_engine.analyze_store_spark(st, [examples_dir_module], Settings(encoder="hash"))
    assert report.stories and stops_at_save == [1]  # stopped once the stages were done, before the save
    stopped = own.stops  # and again on the way out, in case a stage failed (a real stop is idempotent)

    caller = _SessionProbe(spark)
    with Store(":memory:") as st:
        spark_engine.analyze_store_spark(st, [examples_dir_module], Settings(encoder="hash"), spark=caller)
    monkeypatch.setattr(spark_engine, "_active_session", lambda: spark)  # a session already running here
    with Store(":memory:") as st:
        spark_engine.analyze_store_spark(st, [examples_dir_module], Settings(encoder="hash"), master=None)
    assert caller.stops == 0 and own.stops == stopped
