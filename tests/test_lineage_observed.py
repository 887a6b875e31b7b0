"""The relation a generated derivation shows in its text (bench.lineage.observed), not the operator's label."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
observed = pytest.importorskip("bench.lineage.observed")
observed_relation = observed.observed_relation

SENTENCES = [
    "The city council approved the new transport budget on Monday evening.",
    "Its chair said the vote was closer than expected.",
    "Opponents plan to appeal the decision before the end of next week.",
    "The budget takes effect in March and runs for two years.",
]
PARENT = " ".join(SENTENCES)
REWORDED = [
    "After a lengthy evening debate, councillors passed the transport spending plan.",
    "The margin was narrower than anticipated, according to the chair.",
    "Those against it intend to challenge the ruling within days.",
    "From March the plan applies for a period of two years.",
]


def text(sents: list[str]) -> str:
    return "\n\n".join(sents)


@pytest.mark.parametrize("relation", ["verbatim", "translation", "independent"])
def test_labels_the_text_cannot_overturn_are_kept(relation):
    assert observed_relation(relation, PARENT, text(REWORDED)) == relation


@pytest.mark.parametrize("relation", ["light-edit", "rewrite", "machine-rewrite", "excerpt"])
def test_a_derivation_that_changed_no_word_is_a_verbatim_copy(relation):
    # a new paragraph layout is not a change of words
    assert observed_relation(relation, PARENT, text(SENTENCES)) == "verbatim"


def test_an_excerpt_and_a_light_edit_keep_their_labels_when_the_text_changed():
    assert observed_relation("excerpt", PARENT, text(SENTENCES[:2])) == "excerpt"
    changed_figure = SENTENCES[3].replace("two years", "five years")
    assert observed_relation("light-edit", PARENT, text([*SENTENCES[:3], changed_figure])) == "light-edit"


def test_a_rewrite_that_changed_one_phrase_is_a_light_edit():
    one_phrase = SENTENCES[1].replace("said", "told reporters")
    child = text([SENTENCES[0], one_phrase, *SENTENCES[2:]])
    assert observed_relation("rewrite", PARENT, child) == "light-edit"
    assert observed_relation("machine-rewrite", PARENT, child) == "light-edit"


def test_rewording_half_the_sentences_is_still_an_edited_copy():
    child = text([REWORDED[0], SENTENCES[1], REWORDED[2], SENTENCES[3]])
    assert observed_relation("rewrite", PARENT, child) == "light-edit"


def test_rewording_most_sentences_keeps_the_rewrite_labels():
    child = text([REWORDED[0], REWORDED[1], REWORDED[2], SENTENCES[3]])
    assert observed_relation("rewrite", PARENT, child) == "rewrite"
    assert observed_relation("machine-rewrite", PARENT, text(REWORDED)) == "machine-rewrite"


def test_moved_sentences_with_their_words_kept_are_a_light_edit():
    child = text([SENTENCES[0], SENTENCES[3], SENTENCES[1], SENTENCES[2]])
    assert observed_relation("rewrite", PARENT, child) == "light-edit"


def test_a_rewrite_that_only_dropped_sentences_is_a_light_edit():
    assert observed_relation("rewrite", PARENT, text([SENTENCES[0], SENTENCES[2], SENTENCES[3]])) == "light-edit"


@pytest.mark.parametrize("child", ["", "   ", "\x00\ufeff", "!!! ??? ...", "a" * 5000])
def test_hostile_texts_give_a_relation(child):
    assert observed_relation("rewrite", PARENT, child) in ("verbatim", "light-edit", "rewrite")
    assert observed_relation("machine-rewrite", child, PARENT) in ("verbatim", "light-edit", "machine-rewrite")


def _case():
    """One story: an origin and a 'rewrite' that changed one phrase (observed: a light edit)."""
    from wiretrace.data import Article

    child_text = text([SENTENCES[0], SENTENCES[1].replace("said", "told reporters"), *SENTENCES[2:]])
    articles = {
        "p": Article(id="p", source="p", content_hash="p", text=text(SENTENCES), language="en"),
        "c": Article(id="c", source="c", content_hash="c", text=child_text, language="en"),
    }
    truth = {
        "p": {"parent": None, "relation": "independent", "operator_relation": "independent", "family": "f"},
        "c": {"parent": "p", "relation": observed_relation("rewrite", PARENT, child_text),
              "operator_relation": "rewrite", "family": "f", "noop": False},
    }
    for aid, t in truth.items():
        t.update(words=(aid,), parent_words=None, dated=False, parent_dated=False)
    return [("st", articles, truth, False, set())]


def test_the_fit_learns_the_labels_asked_for():
    fit_relations = pytest.importorskip("bench.lineage.fit_relations")
    from wiretrace.align import EmbeddingCache

    cache = EmbeddingCache()
    assert [r[1] for r in fit_relations.rows_from(_case(), cache)] == ["rewrite"]  # the shipped fit's labels
    assert [r[1] for r in fit_relations.rows_from(_case(), cache, "observed")] == ["light-edit"]


def test_the_benchmark_scores_the_observed_label_beside_the_operators(monkeypatch):
    generated = pytest.importorskip("bench.lineage.generated")
    from wiretrace.data import LineageEdge, Origin

    def traced(story, articles, cache=None):  # the tracer's answer, fixed: the child read as a light edit
        origin = Origin(id="st-o1", article="p", inferred=False, credited=[], confidence=0.9, articles=["c", "p"])
        edges = [LineageEdge("p", None, "independent", 0.9), LineageEdge("c", "p", "light-edit", 0.9)]
        return SimpleNamespace(origins=[origin], lineage=edges)

    monkeypatch.setattr(generated, "trace", traced)
    result = generated.score(_case(), None)
    assert result["relabelled_operator_to_observed"] == {"rewrite->light-edit": 1}
    assert result["relation_accuracy"] == 1.0
    assert result["relation_accuracy_operator_labels"] == 0.5
    assert result["parent_accuracy"] == 1.0
