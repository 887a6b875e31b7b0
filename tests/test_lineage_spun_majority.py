"""A missing origin is not read from a spinner's branch: when a spun version and its reprints
outnumber the plain copies, the inferred text still takes the plain words (spinning swaps common
words for odd synonyms, never the reverse), so the plain copies hang on the inferred origin and the
reprints below the spun version, instead of the plain copies being chained to one another."""

from __future__ import annotations

import numpy as np
from test_lineage_fixtures import ORIGIN, SPUN, article, trace_one_inferred_origin

from wiretrace.align.aligner import Units
from wiretrace.lineage.reconstruct import plainer_readings


def _corpus() -> dict:
    plain_1 = list(ORIGIN)
    plain_1[9] = plain_1[9].replace("rushed", "hasty")
    plain_2 = list(ORIGIN)
    plain_2[3] = plain_2[3].replace("could collapse", "might fall")
    reprint_1 = SPUN[:-1]
    reprint_2 = list(SPUN)
    reprint_2[4] = reprint_2[4].replace("short-lived", "brief")
    # every version keeps the wire's dateline and none is the agency's own: the origin is missing
    return {
        "plain1": article("plain1", plain_1, published="2026-03-03T09:10:00", outlet="harbor-daily.example"),
        "plain2": article("plain2", plain_2, published="2026-03-03T09:20:00", outlet="norland-news.example"),
        "spun": article("spun", SPUN, published="2026-03-03T09:00:00", outlet="content-farm.example"),
        "spun-reprint1": article("spun-reprint1", reprint_1, published="2026-03-03T11:00:00", outlet="r1.example"),
        "spun-reprint2": article("spun-reprint2", reprint_2, published="2026-03-03T12:00:00", outlet="r2.example"),
    }


def test_a_spun_branch_outnumbering_plain_copies_does_not_write_the_inferred_origin(cache):
    corpus = _corpus()
    story, text = trace_one_inferred_origin(corpus, cache)
    origin = story.origins[0].id
    assert "examiners" not in text and "inspectors" in text
    parents = {e.article: e.parent for e in story.lineage}
    assert parents["plain1"] == origin and parents["plain2"] == origin
    assert parents["spun-reprint1"] == "spun" and parents["spun-reprint2"] == "spun"


def test_edits_of_like_frequency_keep_the_majority_reading():
    # "said" to "says" is a house-style edit, not a spinner's odd synonym: no re-reading
    units = {
        "a": Units(article="a", language="en", texts=["The mayor says the pier is unsafe and says it will close."],
                   vectors=np.zeros((1, 1))),
        "b": Units(article="b", language="en", texts=["The mayor said the pier is unsafe and said it will close."],
                   vectors=np.zeros((1, 1))),
    }
    member_pairs = {"a": [(0, 0, ("b", 0))], "b": [(0, 0, ("a", 0))]}
    assert plainer_readings([("a", 0)], member_pairs, units, "en") == [("a", 0)]
