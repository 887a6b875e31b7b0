"""The shipped lead conflict (wiretrace/stories/conflict.py): two English leads naming different weekdays,
counted unless their actors agree, as a fixed term of the same-story logit.

Every sentence here is invented for these tests.
"""

from __future__ import annotations

import numpy as np

from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.embed import get_encoder
from wiretrace.stories import StoryIndex, conflict, score
from wiretrace.stories.features import compute_features

HASH = Settings(encoder="hash")


def _index(*leads: tuple[str, str]) -> StoryIndex:
    """An index of one-paragraph articles (lead, language), rows in the order given (ids sort that way)."""
    arts = [Article(id=f"a{k}", source=f"a{k}", content_hash=f"a{k}", text=f"{text} The officials gave no details.",
                    language=language) for k, (text, language) in enumerate(leads)]
    encoder = get_encoder(HASH.encoder)
    index = StoryIndex(dim=encoder.dim, encoder=encoder.name)
    index.add(compute_features(arts, encoder, HASH.batch_size))
    return index


def test_weekdays_are_read_from_the_lead_as_a_mask():
    assert conflict.weekdays("The vote on Tuesday, not Friday, was close.") == {"tuesday", "friday"}
    assert conflict.weekday_mask("The vote on Tuesday, not Friday, was close.") == (1 << 1) | (1 << 4)
    assert conflict.weekday_mask("The MONDAY club met.") == 1  # a name can read as a day: the actor gate's job
    assert conflict.weekday_mask("The weekend vote was close.") == 0


def test_actor_is_the_leading_run_of_capitalised_words_after_dateline_kicker_and_article():
    actor = conflict.lead_actor
    assert actor("Governor Ilse Varga signed the water bill on Monday.") == {"governor", "ilse", "varga"}
    assert actor("The Greenfield Party's leader resigned.") == {"greenfield", "party"}  # the owner acts
    assert actor("Varga, the governor, signed it.") == {"varga"}  # punctuation ends the run
    assert actor("CALDER CITY, Norland – Mayor Ilse Varga resigned on Monday.") == {"mayor", "ilse", "varga"}
    assert actor("WASHINGTON (AP) — Varga resigned.") == {"varga"}
    assert actor("Analysis: Varga speech signals a shift") == {"varga"}
    assert actor("what does this mean for Norland?") == frozenset()
    assert actor("") == frozenset() and actor("42 people died") == frozenset()


def test_names_spelt_two_ways_agree_and_short_or_different_ones_do_not():
    assert conflict.same_name("gaddafi", "qaddafi") and conflict.same_name("varga", "varga")
    assert not conflict.same_name("kim", "kin") and not conflict.same_name("varga", "brandt")
    assert conflict.actors_agree(frozenset({"ilse", "varga"}), frozenset({"varga"}))
    assert not conflict.actors_agree(frozenset(), frozenset({"varga"}))


def test_a_weekday_conflict_counts_only_when_the_actors_do_not_agree():
    speech = "Chairman Oren Talvik said on Monday that the border talks would resume."
    same_actor = "Chairman Oren Talvik said on Tuesday that the border talks would resume."
    misspelt = "Chairman Oren Tavlik said on Tuesday that the border talks would resume."
    reaction = "President Ada Brandt said on Tuesday she welcomed the offer of talks."
    same_day = "President Ada Brandt said on Monday she welcomed the offer of talks."
    assert conflict.weekday_conflict(speech, reaction) == 1.0
    assert conflict.weekday_conflict(speech, same_actor) == 0.0  # one event dated across a date line
    assert conflict.weekday_conflict(speech, misspelt) == 0.0
    assert conflict.weekday_conflict(speech, same_day) == 0.0
    assert conflict.weekday_conflict(speech, "The talks would resume, officials said.") == 0.0  # no day
    # a sentence-initial common noun reads as an actor: it can only switch the conflict off
    assert conflict.weekday_conflict("Floods hit the coast on Monday.", "Floods hit the coast on Friday.") == 0.0
    assert conflict.weekday_conflict("Floods hit the coast on Monday.", "Storms hit the coast on Friday.") == 1.0


def test_conflict_features_are_zero_for_other_languages_and_symmetric():
    index = _index(("Chairman Oren Talvik said on Monday that the border talks would resume.", "en"),
                   ("President Ada Brandt said on Tuesday she welcomed the offer of talks.", "en"),
                   ("President Ada Brandt said on Tuesday she welcomed the offer of talks.", "de"))
    x = conflict.conflict_features(index, np.array([0, 1, 0, 2]), np.array([1, 0, 2, 0]))
    assert x.shape == (4, len(conflict.CONFLICT_FEATURES))
    assert x[:, 0].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert conflict.conflict_features(index, np.array([], dtype=np.int64), np.array([], dtype=np.int64)).shape == (0, 1)


def test_the_grouping_probability_carries_the_conflict_and_nothing_else_moves():
    index = _index(("Chairman Oren Talvik said on Monday that the border talks would resume.", "en"),
                   ("President Ada Brandt said on Tuesday she welcomed the offer of talks.", "en"),
                   ("Chairman Oren Talvik said on Tuesday that the border talks would resume.", "en"))
    pairs = [(0, 1), (0, 2)]
    a, b = np.array([0, 0]), np.array([1, 2])
    plain = score.probability(score.pair_features(index, a, b))
    scored = score.score_pairs(index, pairs)
    assert conflict.CONFLICT_WEIGHTS[0] < 0
    assert scored[0] < plain[0]  # different actors on different days: less likely one story
    assert scored[1] == plain[1]  # one actor: the day moved, the story did not
    assert np.array_equal(scored, score.score_pairs(index, pairs))  # deterministic


def test_hostile_leads_give_a_value_and_never_raise():
    hostile = ["", " ", "A" * 300, "X (" * 100, "–" * 300, ":" * 300, '"' * 300, "WASHINGTON " * 27, "\x00\ufffd Mon",
               "MONDAY – TUESDAY (AP) — Sunday:", "Ünal Şahin said on Friday"]
    for a in hostile:
        for b in hostile:
            assert conflict.weekday_conflict(a, b) in (0.0, 1.0)
            assert conflict.weekday_conflict(a, b) == conflict.weekday_conflict(b, a)
