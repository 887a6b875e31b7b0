"""Shared fixtures: paths to the bundled examples and to ../shared (present beside the repo in CI), and a
recorder of the sentences sent to the name tagger."""

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


@pytest.fixture
def tagged_sentences(monkeypatch) -> list[str]:
    """Every sentence the spaCy name tagger is asked to read during the test (it still tags them)."""
    import wiretrace.facts.names as names_module

    seen: list[str] = []
    original = names_module.ner_names

    def counting(sentences):
        seen.extend(sentences)
        return original(sentences)

    monkeypatch.setattr(names_module, "ner_names", counting)
    return seen


@pytest.fixture(scope="module")
def cache():
    """One embedding cache per test module: each module's texts are encoded once."""
    from wiretrace.align import EmbeddingCache

    return EmbeddingCache()
