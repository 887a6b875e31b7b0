"""The five real seed versions (read from ../shared, never copied): one family, origin missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.align import EmbeddingCache
from wiretrace.data import Article, RawDocument, Story
from wiretrace.lineage import trace_with_alignments

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _article(path: Path) -> Article:
    doc = RawDocument(id=path.name[:3], source=str(path), content=path.read_text(encoding="utf-8"))
    try:
        from wiretrace.clean import clean_document
    except ImportError:  # the clean stage is optional here: align falls back to its own splitter
        return Article(id=doc.id, source=doc.source, content_hash=doc.id, text=doc.content, language="en")
    article = clean_document(doc)
    assert isinstance(article, Article)
    return article


@pytest.fixture(scope="module")
def traced():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    articles = {a.id: a for a in (_article(p) for p in sorted(SEEDS.glob("*.txt")))}
    story, alignments = trace_with_alignments(
        Story(id="seeds", articles=sorted(articles)), articles, cache=EmbeddingCache()
    )
    return story, alignments, articles


def test_one_family_with_a_missing_origin_credited_to_ap(traced):
    story, _, articles = traced
    assert len(story.origins) == 1
    origin = story.origins[0]
    assert origin.inferred and origin.article is None
    assert origin.credited == ["The Associated Press"]
    assert sorted(origin.articles) == sorted(articles)
    assert {e.parent for e in story.lineage} == {origin.id}
    assert all(e.evidence and 0 < e.confidence <= 1 for e in story.lineage)


@pytest.mark.parametrize(
    ("seed", "relations"),
    [
        ("000", {"excerpt"}),
        ("001", {"rewrite"}),
        ("002", {"rewrite", "translation"}),
        pytest.param(
            "003",
            {"machine-rewrite"},
            marks=pytest.mark.xfail(
                reason="known weakness: MT round-trip damage without mangled names is not yet told "
                "apart from a back-translated rewrite when the origin is missing",
                strict=False,
            ),
        ),
        ("004", {"machine-rewrite"}),
    ],
)
def test_seed_relations(traced, seed, relations):
    edge = {e.article: e for e in traced[0].lineage}[seed]
    assert edge.relation in relations, edge.evidence


def test_spun_copy_evidence_names_altered_names(traced):
    edge = {e.article: e for e in traced[0].lineage}["004"]
    assert any("altered names" in line for line in edge.evidence), edge.evidence


def test_alignments_to_the_inferred_origin_are_kept(traced):
    story, alignments, _ = traced
    origin = story.origins[0].id
    assert set(alignments.origin_sentences) == {origin}
    for e in story.lineage:
        al = alignments.to_parent[e.article]
        assert al.b == origin and al.pairs
        assert all(0 <= p.b < len(alignments.origin_sentences[origin]) for p in al.pairs)
