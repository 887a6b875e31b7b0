"""Conflict evidence measured by bench/stories/conflict.py: what the lead readers find, and the offset fit."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
from bench.stories.conflict import conflict_columns, counts, offset_fit, places, weekdays


def _lead(text: str) -> dict:
    return {"counts": counts(text), "places": places(text), "weekdays": weekdays(text)}


def test_counts_read_nouns_percentages_and_numbered_instalments():
    found = counts("Police said 12 people died and 3 were hurt; turnout was 41% (up 2.5 per cent). Episode 7 aired.")
    assert found["people"] == {"12"}
    assert found["%"] == {"41", "2.5"}
    assert found["#episode"] == {"7"}
    assert "were" not in found  # glue words are not counted nouns


def test_conflicting_counts_of_one_noun_are_a_conflict_and_equal_ones_agreement():
    a = _lead("Gunmen killed 4 people in Chicago on Tuesday.")
    b = _lead("Gunmen killed 9 people in Houston on Wednesday.")
    same = _lead("Four dead: gunmen killed 4 people in Chicago, police said Tuesday.")
    conflicts, agree, place, weekday, percent = conflict_columns(a, b)
    assert conflicts > 0 and agree == 0 and place == 1.0 and weekday == 1.0
    conflicts, agree, place, weekday, percent = conflict_columns(a, same)
    assert conflicts == 0 and agree > 0 and place == 0.0 and weekday == 0.0 and percent == 0.0


def test_percentages_without_a_common_value_are_a_percent_conflict():
    poll = _lead("Biden leads with 27% ahead of Sanders at 19%.")
    other_poll = _lead("Sanders gains: Biden 24%, Sanders 21%.")
    same_poll = _lead("The survey puts Biden at 27%, up from 22%.")
    assert conflict_columns(poll, other_poll)[4] == 1.0
    assert conflict_columns(poll, same_poll)[4] == 0.0


def test_missing_evidence_is_not_conflict():
    a = _lead("Gunmen killed 4 people in Chicago on Tuesday.")
    silent = _lead("A shooting shocked the city, the mayor said.")
    assert conflict_columns(a, silent) == [0.0, 0.0, 0.0, 0.0, 0.0]
    assert conflict_columns(silent, silent) == [0.0, 0.0, 0.0, 0.0, 0.0]


def test_offset_fit_recovers_a_planted_weight_on_top_of_a_fixed_logit():
    rng = np.random.default_rng(0)
    n = 20_000
    offset = rng.normal(0, 2, n)
    x = (rng.random((n, 1)) < 0.3).astype(np.float64)
    y = (rng.random(n) < 1 / (1 + np.exp(-(offset - 2.0 * x[:, 0])))).astype(np.float64)
    w = offset_fit(x, y, offset)
    assert abs(w[0] + 2.0) < 0.2
