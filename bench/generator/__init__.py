"""Seeded generator of news-story corpora with truth (see `corpus.py`); shared by the stories,
lineage, facts and scale benchmarks."""

from bench.generator.corpus import Version, derive, generate, load_sources, write

__all__ = ["Version", "derive", "generate", "load_sources", "write"]
