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

    # a second run over the same input adds nothing and keeps the stories
    with Store(tmp_path / "spark.duckdb") as st:
        again, result = analyze_store_spark(st, [corpus], Settings(encoder="hash", batch_size=16), spark=spark)
    assert result.added == 0 and result.skipped == local_result.read
    assert [s.articles for s in again.stories] == [s.articles for s in local.stories]


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
    threshold in a large corpus: the Spark engine must encode the local engine's feature passes,
    whatever the partitions of its Parquet input (here three files, written in reverse id order)."""
    from wiretrace.embed import get_encoder
    from wiretrace.engine.spark import features_spark
    from wiretrace.stories import feature_passes
    from wiretrace.stories.features import compute_features

    write_corpus(tmp_path / "raw", 48, seed=5, per_file=4)
    with Store(":memory:") as st:
        ingest_into(st, [tmp_path / "raw"], Settings(encoder="hash"))
        articles = sorted(st.articles(), key=lambda a: a.id, reverse=True)
    parquet = tmp_path / "articles"
    for k in range(3):
        write_articles(articles[k::3], parquet / f"part-{k}.parquet")
    settings = Settings(encoder="use", batch_size=2)  # two passes of 32 ids, batches of 2
    by_id = {a.id: a for a in articles}
    encoder = get_encoder("use")
    local = [f for part in feature_passes(by_id, settings)
             for f in compute_features([by_id[i] for i in part], encoder, settings.batch_size)]
    distributed = features_spark(spark, parquet, articles, settings)
    assert [f.id for f in distributed] == [f.id for f in local]
    assert all(np.array_equal(a.chunks, b.chunks) and a.n_chunks == b.n_chunks for a, b in zip(local, distributed))


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
