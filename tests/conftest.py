"""Shared fixtures: paths to the bundled examples and to ../shared (present beside the repo in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    return SEEDS


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
