"""bench/fuzz/run.py bookkeeping: a crash is counted, its input kept and the campaign goes on."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
fuzz_run = pytest.importorskip("bench.fuzz.run")


def _crash_log(artifact, executed):
    return (
        f"#{executed // 2}\tpulse  cov: 10 ft: 10 corp: 3/30b exec/s: 100\n#{executed}\tNEW    cov: 11\n"
        "=== Uncaught Python exception: ===\nContractError: sentence span (3, 2) outside text of 1\n"
        "Traceback (most recent call last):\n  File \"targets.py\", line 50, in cleaner\n"
        f"==1== ERROR: libFuzzer: deadly signal\nTest unit written to {artifact}\n"
    )


def test_a_crash_is_recorded_with_its_input_and_the_target_restarts(tmp_path, monkeypatch):
    artifact = tmp_path / "crash-abc"
    artifact.write_bytes(b"\x00bad input")
    monkeypatch.setattr(fuzz_run, "CRASHES", tmp_path / "kept")
    monkeypatch.setattr(fuzz_run, "ROOT", tmp_path)
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        if len(calls) == 1:
            return SimpleNamespace(returncode=1, stderr=_crash_log(artifact, 400))
        left = int(next(c for c in cmd if c.startswith("-runs=")).split("=")[1])
        return SimpleNamespace(
            returncode=0, stderr=f"stat::number_of_executed_units: {left}\nDone {left} runs in 1 second(s)\n"
        )

    monkeypatch.setattr(subprocess, "run", fake_run)
    (tmp_path / "examples").mkdir()
    result = fuzz_run.run_target("cleaner", 1000, 1024, 600, seed=1, work=tmp_path / "work")
    assert result["inputs"] == 1000 and result["restarts"] == 1 and result["outcome"] == "crashes"
    assert "-runs=600" in calls[1] and "-seed=2" in calls[1]  # goes on with what is left, next seed
    crash = result["crashes"][0]
    assert crash["kind"] == "crash" and "ContractError" in crash["traceback"]
    assert base64.b64decode(crash["input_base64"]) == b"\x00bad input"
    assert (tmp_path / crash["input_file"]).read_bytes() == b"\x00bad input"


def test_a_hang_is_recorded_as_a_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(fuzz_run, "CRASHES", tmp_path / "kept")
    crash = fuzz_run.keep_crash("readers", None, "==1== ERROR: libFuzzer: timeout after 20 seconds\n")
    assert crash["kind"] == "timeout" and "input_file" not in crash
