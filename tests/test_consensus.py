"""Consensus stage: order, witnesses, additions kept apart, drifted facts shown with variants."""

from __future__ import annotations

from wiretrace.config import Settings
from wiretrace.consensus import reconstruct
from wiretrace.data import Article, Story
from wiretrace.facts import find_drift

SETTINGS = Settings(encoder="hash")


def article(aid: str, text: str) -> Article:
    return Article(id=aid, source=aid, content_hash=aid + str(len(text)), text=text, language="en")


A = (
    "The storm reached the coast of Florida on Monday morning.\n\n"
    "Officials said 12 people were killed and 300 homes were destroyed.\n\n"
    "The governor declared a state of emergency for the whole region."
)
B = (
    "The storm reached the coast of Florida on Monday morning.\n\n"
    "Officials said 21 people were killed and 300 homes were destroyed.\n\n"
    "Our reporter visited a shelter where families waited for news of relatives.\n\n"
    "The governor declared a state of emergency for the whole region."
)
C = A.replace("Florida", "Florida's Gulf")


def run() -> Story:
    arts = {"a": article("a", A), "b": article("b", B), "c": article("c", C)}
    story = find_drift(Story(id="s", articles=["a", "b", "c"]), arts, SETTINGS)
    return reconstruct(story, arts, SETTINGS)


def test_order_and_witnesses():
    story = run()
    core = [s for s in story.consensus if not s.addition]
    assert [s.text.split()[1] for s in core] == ["storm", "said", "governor"]
    assert core[0].witnesses == ["a", "b", "c"]


def test_addition_kept_apart():
    story = run()
    additions = [s for s in story.consensus if s.addition]
    assert len(additions) == 1 and additions[0].witnesses == ["b"] and "shelter" in additions[0].text
    assert story.consensus[-1].addition  # listed after the shared story


def test_drifted_sentence_shows_reading_and_variants():
    story = run()
    killed = next(s for s in story.consensus if "killed" in s.text)
    assert "12 people" in killed.text  # the reading two independent versions share
    assert {v.value for v in killed.variants} == {"12", "21"}


def test_single_version_story():
    arts = {"a": article("a", A)}
    story = reconstruct(Story(id="s", articles=["a"]), arts, SETTINGS)
    assert len(story.consensus) == 3 and not any(s.addition for s in story.consensus)
