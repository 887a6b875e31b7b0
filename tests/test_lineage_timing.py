"""Publication time as a constraint on lineage: a copy cannot precede its source."""

from __future__ import annotations

import pytest
from test_lineage_fixtures import ORIGIN, article, light_edit

from wiretrace.align import EmbeddingCache
from wiretrace.data import Article, Story
from wiretrace.lineage import trace
from wiretrace.lineage.timing import published_after, published_interval


def _at(published: str | None) -> Article:
    return Article(id="x", source="x", content_hash="x", text="", published=published)


@pytest.mark.parametrize(
    ("a", "b", "after"),
    [
        ("2026-03-03T10:00:00+00:00", "2026-03-03T09:00:00+00:00", True),
        ("2026-03-03T09:00:00+00:00", "2026-03-03T10:00:00+00:00", False),
        ("2026-03-03T10:00:00+02:00", "2026-03-03T09:00:00+00:00", False),  # 08:00 UTC: earlier
        ("2026-03-03T10:00:00Z", "2026-03-03T09:00:00", True),  # naive read as UTC
        ("2026-03-03", "2026-03-03T09:00:00+00:00", False),  # a bare date is the whole day
        ("2026-03-06", "2026-03-03", True),
        (None, "2026-03-03", False),
        ("next tuesday", "2026-03-03", False),  # unparseable: unknown, never early or late
    ],
)
def test_published_after(a, b, after):
    assert published_after(_at(a), _at(b)) is after


def test_equal_times_order_neither_way():
    same = _at("2026-03-03T09:00:00+00:00")
    assert not published_after(same, same)
    assert published_interval(_at("")) is None


def _origin_and_parents(arts: list[Article], cache: EmbeddingCache) -> tuple[str | None, dict[str, str | None]]:
    by_id = {a.id: a for a in arts}
    story = trace(Story(id="t", articles=sorted(by_id)), by_id, cache=cache)
    assert len(story.origins) == 1
    return story.origins[0].article, {e.article: e.parent for e in story.lineage}


@pytest.mark.parametrize("first", ["one", "two"])
def test_the_earliest_of_two_identical_versions_is_the_origin(cache, first):
    """Text cannot tell two verbatim copies apart; only time can, and it must decide."""
    second = "two" if first == "one" else "one"
    arts = [
        article(first, ORIGIN, published="2026-03-03T08:00:00+00:00"),
        article(second, ORIGIN, published="2026-03-03T12:00:00+00:00", paragraphs=False),
    ]
    origin, parents = _origin_and_parents(arts, cache)
    assert origin == first
    assert parents[second] == first


def test_a_later_version_is_never_the_parent_of_an_earlier_one(cache):
    arts = [
        article("wire", ORIGIN, published="2026-03-03T08:00:00+00:00"),
        article("edit", light_edit(ORIGIN), published="2026-03-03T09:00:00+00:00"),
        article("copy", light_edit(ORIGIN), published="2026-03-03T11:00:00+00:00", paragraphs=False),
        article("undated", ORIGIN, paragraphs=False),
    ]
    by_id = {a.id: a for a in arts}
    _, parents = _origin_and_parents(arts, cache)
    for child, parent in parents.items():
        if parent in by_id:
            assert not published_after(by_id[parent], by_id[child]), (child, parent)
    assert parents["copy"] in {"edit", "wire"}
