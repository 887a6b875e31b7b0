"""Facts stage on the bundled example corpus: the drift planted by hand (examples/TRUTH.json) is found
with the original as reading, and the listed non-drift (number formats, units, wording) is not flagged.

The story is run as the pipeline runs it: lineage first, then `find_drift` over lineage's alignments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.config import Settings
from wiretrace.data import Drift, InputError, Story

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
STORY = "madeira-ferry-capsizing"
NAME_KINDS = ("person", "place", "organisation")


@pytest.fixture(scope="module")
def ferry():
    from wiretrace.clean import clean_document
    from wiretrace.facts import find_drift
    from wiretrace.ingest import read_paths
    from wiretrace.lineage import trace_with_alignments

    truth = json.loads((EXAMPLES / "TRUTH.json").read_text(encoding="utf-8"))
    wanted = set(next(s for s in truth["stories"] if s["id"] == STORY)["articles"])
    settings = Settings()
    articles = {}
    for doc in read_paths([str(EXAMPLES)], settings):
        if isinstance(doc, InputError) or doc.id not in wanted:
            continue
        article = clean_document(doc, settings)
        if not isinstance(article, InputError):
            articles[article.id] = article
    assert set(articles) == wanted
    story, alignments = trace_with_alignments(Story(id=STORY, articles=sorted(articles)), articles, settings)
    return find_drift(story, articles, settings, alignments=alignments), truth


def drifts(story: Story, kinds: tuple[str, ...], changed: str) -> list[Drift]:
    return [
        d
        for d in story.drift
        if d.kind in kinds and any(changed.casefold() in v.value.casefold() for v in d.variants[1:])
    ]


def carriers(d: Drift, value: str) -> set[str]:
    return {a for v in d.variants if value.casefold() in v.value.casefold() for a in v.articles}


def test_spun_passenger_count(ferry):
    story, _ = ferry
    found = drifts(story, ("number",), "312")
    assert found and found[0].reading == "212" and found[0].severity == "meaning"
    assert {"newsflowhub-brazil-ferry", "trendyworldnow-20250314-0047"} <= carriers(found[0], "312")
    assert "apnews-brazil-ferry-capsized" in found[0].variants[0].articles


def test_misspelt_town(ferry):
    story, _ = ferry
    found = drifts(story, NAME_KINDS, "Humiatá")
    assert found and all(d.reading == "Humaitá" and d.severity == "spelling" for d in found)


def test_lost_negation(ferry):
    story, _ = ferry
    found = [d for d in story.drift if d.kind == "negation"]
    assert len(found) == 1  # "shortly before" -> "not long before" is no negation
    assert "not carrying enough" in found[0].reading
    assert "conveying sufficient" in found[0].variants[1].value
    assert "newsflowhub-brazil-ferry" in found[0].variants[1].articles


def test_copy_of_copy_date(ferry):
    story, _ = ferry
    found = drifts(story, ("date",), "March 12")
    assert found and found[0].reading == "March 11"
    assert found[0].variants[1].articles == ["trendyworldnow-20250314-0047"]


def test_independent_toll_is_a_conflict_not_rounding(ferry):
    story, _ = ferry
    found = drifts(story, ("number",), "21")
    assert found and found[0].severity == "meaning" and "23" in found[0].reading
    assert "afp-20250312-brazil-boat" in carriers(found[0], "21")


def test_not_drift_is_not_flagged(ferry):
    """Locale number formats, 1.3 km = 1,300 m and "fined twice" = "fined on two occasions"."""
    story, _ = ferry
    for d in story.drift:
        if d.severity == "rounding" or d.kind not in ("number", "date"):
            continue
        values = " | ".join(v.value for v in d.variants).casefold()
        for same in ("1.3", "1,300", "1.300", "4,265", "twice", "two", "2,1", "57"):
            assert same not in values, d
    for d in story.drift:
        # the Spanish translation states the same facts: it never carries a changed reading
        assert not any("gacetaribera-naufragio-ferry-madeira" in v.articles for v in d.variants[1:]), d
