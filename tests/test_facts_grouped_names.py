"""Names tagged once per set of aligned readings that share their name-like words, and placed on the rest."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wiretrace.facts.names as names_module
from wiretrace.config import Settings
from wiretrace.data import Article, Story
from wiretrace.facts import extract_many, find_drift
from wiretrace.facts.names import grouped_ner_names, heuristic_names, is_cased, name_like_words, project_names
from wiretrace.facts.record import PERSON, PLACE, Fact

SETTINGS = Settings(encoder="hash")


@pytest.fixture
def tagger(monkeypatch) -> list[str]:
    """A stand-in for spaCy (capitalised runs) that records which sentences it was asked to tag."""
    seen: list[str] = []

    def fake(sentences: list[str]) -> list[list[Fact]]:
        seen.extend(sentences)
        return [heuristic_names(s, "en") for s in sentences]

    monkeypatch.setattr(names_module, "ner_names", fake)
    return seen


def test_name_like_words_are_a_multiset_of_capitalised_words():
    assert name_like_words("Police in Kabul said 46 people died near Kabul.") == ("Kabul", "Kabul", "Police")
    assert name_like_words("Über 3 Tote in München, sagte die Polizei.") == ("München", "Polizei", "Tote", "Über")
    assert name_like_words("ISIS claimed the F-16 strike.") == ("F-16", "ISIS")
    assert name_like_words("the quick brown fox") == ()


def test_only_scripts_with_case_are_cased():
    assert is_cased("Police said the bridge was closed.")
    assert is_cased("Полиция сообщила, что мост закрыт.")
    assert not is_cased("警方表示，这座桥已经关闭。")
    assert not is_cased("الشرطة قالت إن الجسر أغلق")
    assert not is_cased("1234 !!!")


def test_projection_keeps_each_occurrence_in_its_place():
    source = "Smith met Jones in Paris, and Smith later flew home."
    target = "Smith saw Jones in Paris, and then Smith flew back home."
    names = [
        Fact(PERSON, "smith", "Smith", (30, 35)),  # the second Smith
        Fact(PLACE, "paris", "Paris", (19, 24)),
    ]
    placed = project_names(source, names, target)
    assert placed is not None
    assert [(f.surface, target[f.span[0] : f.span[1]], f.kind) for f in placed] == [
        ("Paris", "Paris", PLACE),
        ("Smith", "Smith", PERSON),
    ]
    assert placed[1].span[0] == target.rindex("Smith")


@pytest.mark.parametrize(
    "target",
    [
        "Smith met the envoy in London.",  # the name is gone
        "Smith met Smith's envoy in Paris.",  # it occurs a different number of times
        "Smithson met the envoy in Paris.",  # only inside a longer word
    ],
)
def test_projection_refuses_what_it_cannot_place_verbatim(target):
    source = "Smith met the envoy in Paris."
    names = [Fact(PERSON, "smith", "Smith", (0, 5)), Fact(PLACE, "paris", "Paris", (23, 28))]
    assert project_names(source, names, target) is None


def test_projection_refuses_a_span_that_does_not_match_its_surface():
    assert project_names("Smith left.", [Fact(PERSON, "smith", "Smith", (1, 6))], "Smith went.") is None


def test_spun_readings_are_tagged_once(tagger):
    common = "Police in Kabul said the blast hit a crowded market on Friday."
    spun = "Police in Kabul said the explosion struck a busy market on Friday."
    changed = "Police in Herat said the blast hit a crowded market on Friday."
    found = grouped_ner_names([[common, common, spun, changed]])
    assert sorted(tagger) == sorted([common, changed])  # the spun copy takes the common reading's names
    for sentence in (common, spun, changed):
        assert found[sentence] == heuristic_names(sentence, "en")  # same names, spans in its own text


def test_readings_sharing_a_changed_name_share_one_tagging(tagger):
    base = "The spokesman, Ahmad Karimi, said the bridge would be rebuilt soon."
    drifted = [
        "The spokesman, Ahmad Kareemi, said the bridge would be rebuilt soon.",
        "The spokesman, Ahmad Kareemi, said the bridge will be rebuilt soon.",
        "The spokesman, Ahmad Kareemi, told reporters the bridge would be rebuilt soon.",
    ]
    found = grouped_ner_names([[base, *drifted]])
    assert len(tagger) == 2
    assert all([f.value for f in found[s]] == ["ahmad kareemi"] for s in drifted)


def test_a_caseless_reading_is_tagged_itself(tagger):
    a, b = "警方表示，这座桥已经关闭。", "警方说，这座桥已经关闭了。"
    grouped_ner_names([[a, b]])
    assert sorted(tagger) == sorted([a, b])


def test_an_unplaceable_name_falls_back_to_tagging(tagger, monkeypatch):
    def fake(sentences):
        tagger.extend(sentences)
        # a "tagger" that reads a name spanning a lower-case word the other reading lacks
        return [[Fact(PERSON, "x", s[:14], (0, 14))] for s in sentences]

    monkeypatch.setattr(names_module, "ner_names", fake)
    a, b = "Bank of Kabul lent money.", "Bank in Kabul lent money."
    found = grouped_ner_names([[a, a, b]])
    assert sorted(tagger) == sorted([a, b])  # b shares a's name-like words, but "Bank of Kabul" is not in b
    assert found[b][0].surface == b[:14]


def test_a_set_whose_representative_missed_a_name_is_tagged_reading_by_reading(tagger, monkeypatch):
    """The tagger misses "Acme Report" after "informed"; "Acme" is a name in the other set, so the
    readings that share the miss's words are tagged themselves and the changed name can still be found."""

    def fake(sentences):
        tagger.extend(sentences)
        out = []
        for s in sentences:
            start = s.find("Acme")
            missed = "informed" in s
            out.append([] if missed else [Fact("organisation", "x", s[start : start + 11], (start, start + 11))])
        return out

    monkeypatch.setattr(names_module, "ner_names", fake)
    news = "Witnesses told Acme News they saw smoke."
    informed = "Witnesses informed Acme Report they saw smoke."
    told = "Witnesses told Acme Report they saw smoke."
    found = grouped_ner_names([[news, news, informed, informed, told]])
    assert sorted(tagger) == sorted([news, informed, told])
    assert [f.surface for f in found[told]] == ["Acme Report"]
    # with no other set to show the miss, the representative's reading stands for the set
    tagger.clear()
    found = grouped_ner_names([[informed, informed, told]])
    assert tagger == [informed]
    assert found[told] == []


def test_the_representative_is_the_most_common_reading_whatever_the_order(tagger):
    a = "Police in Kabul said the blast hit a market."
    b = "Police in Kabul said the explosion hit a market."
    grouped_ner_names([[a, b, b]])
    grouped_ner_names([[b, a, b]])
    assert tagger == [b, b]


def test_extract_many_tags_ungrouped_and_foreign_items_as_before(tagger):
    en = "Police in Kabul said the blast hit a market."
    spun = "Police in Kabul said the explosion hit a market."
    es = "La policía de Kabul dijo que la explosión alcanzó un mercado."
    alone = "Smith left Paris."
    facts = extract_many([(en, "en"), (spun, "en"), (es, "es"), (alone, "en")], groups=[[0, 1, 2]])
    assert sorted(tagger) == sorted([en, alone])
    assert "kabul" in [f.value for f in facts[2] if f.kind == PLACE]  # Spanish: the model-free names
    assert [f.value for f in facts[1] if f.kind == PLACE or f.kind == PERSON] == ["kabul"]


def article(aid: str, text: str) -> Article:
    return Article(id=aid, source=aid, content_hash=f"{aid}{len(text)}", text=text, language="en")


def test_spun_copies_skip_the_tagger_and_a_changed_name_still_drifts(tagged_sentences):
    seen = tagged_sentences
    first = "Rescuers in Kunduz said the flood destroyed the old bridge on Friday morning."
    second = "Spokesman Ahmad Karimi said the government would rebuild the bridge within a year."
    base = f"{first}\n\n{second}"
    spun = base.replace("destroyed", "wrecked").replace("would rebuild", "was going to rebuild")
    drifted = base.replace("Ahmad Karimi", "Ahmad Kareemi")
    texts = {"a": base, "b": spun, "c": base, "d": drifted, "e": spun}
    arts = {aid: article(aid, text) for aid, text in texts.items()}
    story = find_drift(Story(id="s", articles=sorted(arts)), arts, SETTINGS)
    spun_first = spun.split("\n\n")[0]
    assert spun_first not in seen  # same names as the common reading: placed, not tagged
    assert any("Kareemi" in s for s in seen)
    assert {d.kind for d in story.drift} == {"person"}
    assert story.drift[0].reading == "Ahmad Karimi"


def test_projected_names_are_the_tagged_names_of_the_representative():
    if names_module.english_pipeline() is None:
        pytest.skip("spaCy English model not installed")
    rep = "Secretary of State Antony Blinken met Qatar's emir in Doha on Monday, the State Department said."
    spun = "Secretary of State Antony Blinken saw Qatar's emir in Doha on Monday, the State Department stated."
    found = grouped_ner_names([[rep, rep, spun]])
    tagged = names_module.ner_names([rep])[0]
    assert [(f.kind, f.value, f.surface) for f in found[spun]] == [(f.kind, f.value, f.surface) for f in tagged]
    assert all(spun[f.span[0] : f.span[1]] == f.surface for f in found[spun])


words = st.sampled_from(["Smith", "Jones", "Paris", "the", "met", "in", "and", "Smith's", "said", "Paris-based"])


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=12), st.lists(words, min_size=1, max_size=12))
def test_placed_names_always_point_at_their_own_text(source_words, target_words):
    source, target = " ".join(source_words), " ".join(target_words)
    placed = project_names(source, heuristic_names(source, "en"), target)
    if placed is not None:
        assert all(target[f.span[0] : f.span[1]] == f.surface for f in placed)
        assert all(a.span[1] <= b.span[0] for a, b in pairwise(placed))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.lists(words, max_size=10).map(" ".join), min_size=1, max_size=6), max_size=4))
def test_every_reading_gets_names_that_point_at_its_own_text(groups):
    def fake(sentences):
        return [heuristic_names(s, "en") for s in sentences]

    original = names_module.ner_names
    names_module.ner_names = fake  # hypothesis runs the body many times: a fixture would not reset
    try:
        found = grouped_ner_names(groups)
    finally:
        names_module.ner_names = original
    assert set(found) == {s for g in groups for s in g}
    for sentence, names in found.items():
        assert all(sentence[f.span[0] : f.span[1]] == f.surface for f in names)
        assert all(a.span[1] <= b.span[0] for a, b in pairwise(names))
