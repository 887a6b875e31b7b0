"""Lineage on the bundled example corpus (examples/) against its hand-made truth (examples/TRUTH.json).

Runs ingest, clean, stories and lineage as the pipeline does, then checks what the truth states
plainly: the AP wire's and the AFP dispatch's copies are two families, both origins in the corpus
are found as origins, the copy of the spun copy hangs below the spun copy, and the Spanish version
is a translation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.align import EmbeddingCache
from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.lineage import trace

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TRUTH = json.loads((EXAMPLES / "TRUTH.json").read_text(encoding="utf-8"))
STORY = next(s for s in TRUTH["stories"] if len(s.get("families", [])) >= 2)
VERSIONS = {v["id"]: v for family in STORY["families"] for v in family["versions"]}


def _truth_by_relation(relation: str) -> list[str]:
    return sorted(i for i, v in VERSIONS.items() if v["relation"] == relation)


@pytest.fixture(scope="module")
def traced():
    from wiretrace.clean import clean_document, remove_templates
    from wiretrace.ingest import read_paths
    from wiretrace.stories import group

    settings = Settings()
    articles = [
        a
        for doc in read_paths([EXAMPLES], settings)
        if not hasattr(doc, "code")
        for a in [clean_document(doc, settings)]
        if isinstance(a, Article)
    ]
    articles = remove_templates(articles, settings)
    by_id = {a.id: a for a in articles}
    stories = group(articles, settings)
    story = next(s for s in stories if STORY["families"][0]["origin"] in s.articles)
    return trace(story, by_id, settings, cache=EmbeddingCache(settings=settings))


def test_independent_reports_are_separate_families(traced):
    """The AP wire's family and the AFP dispatch's family share an event, not a text: two families."""
    found = [set(o.articles) for o in traced.origins]
    for family in STORY["families"]:
        versions = {v["id"] for v in family["versions"]}
        holding = [f for f in found if f & versions]
        assert len(holding) == 1 and holding[0] == versions, [(o.article, o.articles) for o in traced.origins]


def test_both_origins_in_the_corpus_are_found(traced):
    found = {o.article for o in traced.origins if not o.inferred}
    for family in STORY["families"]:
        assert family["origin_in_corpus"]
        assert family["origin"] in found, [(o.article, o.inferred, o.articles) for o in traced.origins]


def test_copy_of_the_spun_copy_hangs_below_it(traced):
    edges = {e.article: e for e in traced.lineage}
    chained = [i for i, v in VERSIONS.items() if v["parent"] in VERSIONS and VERSIONS[v["parent"]]["parent"]]
    assert chained, "the truth has a copy of a copy"
    for version in chained:
        assert edges[version].parent == VERSIONS[version]["parent"], edges[version].evidence


def test_translation_is_a_translation(traced):
    edges = {e.article: e for e in traced.lineage}
    for version in _truth_by_relation("translation"):
        assert edges[version].relation == "translation", edges[version].evidence
