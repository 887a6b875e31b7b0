"""The per-story stages benchmark measures honestly: `--cold` empties the per-text caches (not the
models), a cold repeat gives the outputs a warm one gives, and `split` accounts for every stage's
CPU (its parts add up to the stage they split)."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
facts_bench = pytest.importorskip("bench.scale.facts")
stages_bench = pytest.importorskip("bench.scale.stages")

from wiretrace.align import edits  # noqa: E402
from wiretrace.data import Article, Story  # noqa: E402
from wiretrace.facts import names  # noqa: E402
from wiretrace.pipeline import clear_text_caches  # noqa: E402

BASE = [
    "The storm reached the coast of Florida on Monday morning.",
    "Officials said 12 people were killed and 300 homes were destroyed.",
    "The governor declared a state of emergency for the whole region.",
]


def _article(aid: str, sentences: list[str]) -> Article:
    text = "\n\n".join(sentences)
    return Article(id=aid, source=aid, content_hash=f"{aid}-{len(text)}", text=text, language="en")


def _inputs(tmp_path: Path) -> Path:
    """A frozen-input pickle as `bench.scale.facts prepare` writes it: two stories, one with drift."""
    spun = [BASE[0].replace("reached", "hit"), BASE[1].replace("12", "21"), BASE[2]]
    other = ["A museum in Paris reopened on Friday after repairs.", "It had been closed for 3 years."]
    members_1 = {"a": _article("a", BASE), "b": _article("b", spun), "c": _article("c", BASE)}
    members_2 = {"d": _article("d", other), "e": _article("e", [*other, "Visitors queued outside."])}
    items = [
        (Story(id="s1", articles=["a", "b", "c"]), None, members_1),
        (Story(id="s2", articles=["d", "e"]), None, members_2),
    ]
    path = tmp_path / "inputs.pkl"
    with path.open("wb") as fh:
        pickle.dump({"n": 5, "encoder": "hash", "items": items}, fh)
    return path


def test_clear_text_caches_empties_text_caches_and_keeps_small_ones():
    edits.compared("The storm hit Florida.", "The storm reached Florida.")
    names._alias_pattern()  # maxsize 1: a compiled pattern, kept as a worker keeps it
    assert edits.compared.cache_info().currsize > 0
    assert clear_text_caches() > 0
    assert edits.compared.cache_info().currsize == 0
    assert names._alias_pattern.cache_info().currsize == 1


def test_cold_repeat_gives_the_outputs_of_a_warm_one(tmp_path):
    path = _inputs(tmp_path)
    warm, cold = tmp_path / "warm.json", tmp_path / "cold.json"
    stages_bench.run(path, repeat=2, profile=False, out=warm, top=5, cold=False)
    result = stages_bench.run(path, repeat=2, profile=False, out=cold, top=5, cold=True)
    assert result["cold_text_caches"] is True
    assert result["articles"] == 5 and result["stories"] == 2
    assert facts_bench.compare(warm, cold)
    dumped = json.loads(cold.read_text(encoding="utf-8"))
    assert [s["id"] for s in dumped] == ["s1", "s2"]
    assert any(d for s in dumped for d in s["drift"])  # the changed count is found, so outputs are compared


def test_split_parts_add_up(tmp_path):
    result = stages_bench.split(_inputs(tmp_path), repeat=1, cold=True)
    facts = result["facts_cpu_seconds_min"]
    assert result["facts_name_tagging_cpu_seconds_min"] >= 0.0
    assert result["facts_name_tagging_cpu_seconds_min"] + result["facts_rest_cpu_seconds_min"] == pytest.approx(
        facts, abs=0.011
    )
    assert 0.0 <= result["encode_share"] <= 1.0
    assert 0.0 <= result["name_tagging_share_of_facts"] <= 1.0
    assert names.ner_names.__name__ == "ner_names"  # the timing wrapper is removed afterwards
