"""A story with one version is its own origin, and tracing it encodes nothing."""

from __future__ import annotations

from wiretrace.clean import clean_text
from wiretrace.data import Article, Sentence, Story
from wiretrace.lineage import trace_with_alignments


class NoEncoder:
    name, dim = "none", 4

    def encode(self, texts):
        raise AssertionError("a one-version story needs no sentence vectors")


def test_single_version_story_is_its_own_origin_without_encoding():
    text = "BERLIN (dpa) - The city opened a new bridge on Monday. Traffic moved freely, police said."
    cleaned = clean_text(text, language="en")
    article = Article(
        id="only", source="only.txt", content_hash="h", text=cleaned.text, language="en",
        sentences=[Sentence("only", i, p, s, e, cleaned.text[s:e]) for i, (s, e, p) in enumerate(cleaned.sentences)],
    )
    story, alignments = trace_with_alignments(Story(id="s-1", articles=["only"]), {"only": article},
                                              encoder=NoEncoder())
    (origin,) = story.origins
    assert origin.article == "only" and not origin.inferred and origin.articles == ["only"]
    (edge,) = story.lineage
    assert edge.parent is None and edge.relation == "independent"
    assert alignments.pivot == "only"
