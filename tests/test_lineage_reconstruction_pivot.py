"""A missing origin is rebuilt around the version whose sentences the family attests most, not the
one with most sentences shared with anybody: two blogs pasting a cut of the wire between the same
stock commentary share more sentences than a full copy does (each other's commentary), but those
lines are attested by two versions, the wire's body by all. Built around a blog, the inferred
origin held the commentary and lacked the wire's tail, so the full copies read as excerpts."""

from __future__ import annotations

from test_lineage_fixtures import ORIGIN, article, trace_one_inferred_origin

COMMENTARY = [
    "Readers of this site will not be surprised by what happened next.",
    "As usual, the official version leaves many questions unanswered.",
    "Here is how the news was first reported, in full.",
]
SIGN_OFF = [
    "This is yet another example of a story the mainstream press keeps getting wrong.",
    "We have been warning about this for months, and few people listened.",
    "We will keep following this story as it develops.",
]


def _corpus() -> dict:
    full_1 = list(ORIGIN)
    full_1[9] = full_1[9].replace("rushed", "hasty")
    full_2 = list(ORIGIN)
    full_2[3] = full_2[3].replace("could collapse", "might fall")
    full_3 = list(ORIGIN)
    full_3[6] = full_3[6].replace("warned", "said")
    return {
        "full1": article("full1", full_1, published="2026-03-03T09:10:00", outlet="harbor-daily.example"),
        "full2": article("full2", full_2, published="2026-03-03T09:20:00", outlet="norland-news.example"),
        "full3": article("full3", full_3, published="2026-03-03T09:30:00", outlet="coast-times.example"),
        "blog1": article("blog1", [*COMMENTARY, *ORIGIN[:5], *SIGN_OFF], published="2026-03-03T10:00:00",
                         outlet="truth-blog.example"),
        "blog2": article("blog2", [*COMMENTARY, *ORIGIN[:6], *SIGN_OFF], published="2026-03-03T10:30:00",
                         outlet="real-news-now.example"),
    }


def test_the_inferred_origin_is_built_around_the_attested_body_not_shared_commentary(cache):
    corpus = _corpus()
    story, text = trace_one_inferred_origin(corpus, cache)
    assert "Readers of this site" not in text and "keep following" not in text
    assert "Tomas Reyes" in text  # the wire's last sentence, which only the full copies carry
    relations = {e.article: e.relation for e in story.lineage}
    assert all(relations[f] != "excerpt" for f in ("full1", "full2", "full3")), relations
