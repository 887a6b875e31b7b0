"""The command line as a user runs it: exit codes, outputs, idempotent and incremental runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from wiretrace.cli import app
from wiretrace.report import load_schema

runner = CliRunner()

WIRE = (
    "LISBON (Reuters) - Dockworkers at the port of Sines walked out on Tuesday over pay, halting "
    "container traffic at Portugal's largest deep-water harbour, union officials said.\n\n"
    "The strike, the first in eleven years, left 37 ships waiting offshore, the port authority said. "
    '"We will stay out until the offer is fair," union leader Marta Gouveia told reporters.'
)


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wire.txt").write_text(WIRE, encoding="utf-8")
    (folder / "copy.txt").write_text(WIRE + "\n\nLeave a Reply", encoding="utf-8")
    (folder / "other.txt").write_text(
        "The city council approved a new cycling lane along the river on Monday, after a two-year "
        "consultation. Work starts in spring and should take nine months, the mayor said.",
        encoding="utf-8",
    )


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_analyze_writes_valid_report(tmp_path):
    write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke("analyze", str(tmp_path / "in"), "--out", str(out), "--store", str(tmp_path / "s.duckdb"),
                    "--encoder", "hash", "-q")
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "report.json").read_text())
    jsonschema.validate(doc, load_schema())
    assert sorted(a["id"] for a in doc["articles"]) == ["copy", "other", "wire"]
    copy = next(a for a in doc["articles"] if a["id"] == "copy")
    assert "Leave a Reply" not in copy["text"]
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_bad_input_exit_code_1_and_report_still_written(tmp_path):
    write_corpus(tmp_path / "in")
    (tmp_path / "in" / "broken.bin.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = invoke("analyze", str(tmp_path / "in"), "--out", str(out), "--store", str(tmp_path / "s.duckdb"),
                    "--encoder", "hash", "-q")
    assert result.exit_code == 1
    doc = json.loads((out / "report.json").read_text())
    bad = {Path(e["source"]).name for e in doc["errors"]}
    assert bad == {"broken.bin.txt", "empty.txt"}
    assert len(doc["articles"]) == 3


def test_an_input_error_names_its_file_once(tmp_path):
    (tmp_path / "in").mkdir()
    broken = tmp_path / "in" / "broken.bin.txt"
    broken.write_bytes(b"\x00\x01\x02binary\x00" * 50)  # the reader's reason starts with the file's name
    result = invoke("ingest", str(tmp_path / "in"), "--store", str(tmp_path / "s.duckdb"), "-q")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error W")]
    assert len(lines) == 1 and "binary" in lines[0], result.output
    assert lines[0].count("broken.bin.txt") == 1, lines[0]


def test_usage_errors_exit_2(tmp_path):
    assert invoke("analyze").exit_code == 2  # no paths
    assert invoke("analyze", str(tmp_path), "--encoder", "nope", "--store", str(tmp_path / "s.duckdb")).exit_code == 2
    bad_config = tmp_path / "c.json"
    bad_config.write_text('{"no_such_setting": 1}')
    store = str(tmp_path / "s.duckdb")
    assert invoke("ingest", str(tmp_path), "--config", str(bad_config), "--store", store).exit_code == 2
    assert invoke("report", "--store", str(tmp_path / "missing.duckdb")).exit_code == 2


def test_help_everywhere():
    for command in ([], ["analyze"], ["ingest"], ["clean"], ["stories"], ["report"]):
        result = invoke(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_ingest_twice_adds_nothing(tmp_path):
    write_corpus(tmp_path / "in")
    store = str(tmp_path / "s.duckdb")
    assert invoke("ingest", str(tmp_path / "in"), "--store", store, "-q").exit_code == 0
    from wiretrace.store import Store

    with Store(store) as st:
        first = [(a.id, a.content_hash) for a in st.articles()]
    assert invoke("ingest", str(tmp_path / "in"), "--store", store, "-q").exit_code == 0
    with Store(store) as st:
        assert [(a.id, a.content_hash) for a in st.articles()] == first


def test_incremental_equals_from_scratch(tmp_path):
    write_corpus(tmp_path / "all")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(tmp_path / "all" / "wire.txt", tmp_path / "a")
    shutil.copy(tmp_path / "all" / "copy.txt", tmp_path / "b")
    shutil.copy(tmp_path / "all" / "other.txt", tmp_path / "b")
    inc = str(tmp_path / "inc.duckdb")
    invoke("analyze", str(tmp_path / "a"), "--out", str(tmp_path / "o1"), "--store", inc, "--encoder", "hash", "-q")
    invoke("analyze", str(tmp_path / "b"), "--out", str(tmp_path / "o2"), "--store", inc, "--encoder", "hash", "-q")
    invoke("analyze", str(tmp_path / "all"), "--out", str(tmp_path / "o3"), "--store", str(tmp_path / "full.duckdb"),
           "--encoder", "hash", "-q")
    inc_doc = json.loads((tmp_path / "o2" / "report.json").read_text())
    full_doc = json.loads((tmp_path / "o3" / "report.json").read_text())
    for doc in (inc_doc, full_doc):
        for a in doc["articles"]:
            a.pop("source")
    assert inc_doc["articles"] == full_doc["articles"]
    assert inc_doc["stories"] == full_doc["stories"]


def test_clean_command_prints_json_lines(tmp_path):
    write_corpus(tmp_path / "in")
    result = invoke("clean", str(tmp_path / "in" / "copy.txt"))
    assert result.exit_code == 0
    (line,) = [json.loads(x) for x in result.output.splitlines() if x.strip()]
    assert line["id"] == "copy" and any(r["text"] == "Leave a Reply" for r in line["removed"])


@pytest.mark.skipif(shutil.which("true") is None, reason="needs a POSIX shell")
def test_module_entry_point_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "wiretrace", "version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip()


def test_compare_scores_every_pair_copies_first(tmp_path):
    write_corpus(tmp_path / "in")
    result = invoke("compare", str(tmp_path / "in"), "--json", "--encoder", "hash")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["a"], r["b"]) for r in rows} == {("copy", "other"), ("copy", "wire"), ("other", "wire")}
    best = rows[0]
    assert (best["a"], best["b"]) == ("copy", "wire")
    for r in rows[1:]:
        assert r["similarity"] < best["similarity"] and r["same_story"] < best["same_story"]
        assert 0.0 <= r["similarity"] <= 1.0


def test_compare_needs_two_readable_articles(tmp_path):
    (tmp_path / "one.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    result = runner.invoke(app, ["compare", str(tmp_path), "--encoder", "hash"])
    assert result.exit_code == 2
    assert "bad.txt" in result.output and "got 1" in result.output


def test_stories_command_groups_the_store_as_analyze_does(tmp_path):
    """`wiretrace ingest` then `wiretrace stories` stores the stories `wiretrace analyze` finds."""
    from wiretrace.store import Store

    write_corpus(tmp_path / "in")
    staged, whole = str(tmp_path / "staged.duckdb"), str(tmp_path / "whole.duckdb")
    assert invoke("ingest", str(tmp_path / "in"), "--store", staged, "-q").exit_code == 0
    assert invoke("stories", "--store", staged, "--encoder", "hash", "-q").exit_code == 0
    assert invoke("analyze", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--store", whole,
                  "--encoder", "hash", "-q").exit_code == 0

    def groups(path: str) -> list[list[str]]:
        with Store(path) as st:
            return sorted(sorted(s.articles) for s in st.stories())

    assert groups(staged) == groups(whole)
    assert any(len(g) == 2 for g in groups(staged))  # the wire and its copy


def test_summary_says_what_a_run_reused(tmp_path):
    """A store's first run has nothing to reuse (no recompute reason shown); a second run encodes and
    traces nothing; `--rebuild` recomputes and says why."""
    write_corpus(tmp_path / "in")
    args = ("analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--store", str(tmp_path / "s.duckdb"),
            "--encoder", "hash")

    def summary(*extra: str) -> dict[str, str]:
        result = invoke(*args, *extra)
        assert result.exit_code == 0, result.output
        rows = (line.strip().split("  ", 1) for line in result.output.splitlines() if "  " in line.strip())
        return {key.strip(): value.strip() for key, value in rows}

    first = summary()
    assert first["articles encoded"] == "3" and "full recompute" not in first
    again = summary()
    assert (again["articles encoded"], again["stories traced"]) == ("0", "0")
    assert int(again["stories unchanged"]) == int(again["stories"]) > 0
    rebuilt = summary("--rebuild")
    assert rebuilt["articles encoded"] == "3" and rebuilt["full recompute"] == "asked to rebuild"
