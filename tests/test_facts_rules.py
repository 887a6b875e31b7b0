"""Facts stage, round 3: the causes of the perturbation benchmark's misses and false alarms, each
as a general rule, and the name tagger spared where no drift is possible."""

from __future__ import annotations

from collections import Counter

from wiretrace.config import Settings
from wiretrace.data import Article, Story
from wiretrace.facts import extract_facts, find_drift
from wiretrace.facts.compare import Discrepancy, compare_facts
from wiretrace.facts.drift import story_kind
from wiretrace.facts.quotes import open_quotes
from wiretrace.facts.record import Fact

SETTINGS = Settings(encoder="hash")


def pair(a: str, b: str) -> list[Discrepancy]:
    return compare_facts(a, extract_facts(a, "en"), b, extract_facts(b, "en"), False, "en")


def pair_kinds(a: str, b: str) -> set[str]:
    return {d.kind for d in pair(a, b) if d.severity != "rounding"}


def article(aid: str, text: str) -> Article:
    return Article(id=aid, source=aid, content_hash=f"{aid}{len(text)}", text=text, language="en")


def drift_kinds(a: str, b: str) -> set[str]:
    arts = {"a": article("a", a), "b": article("b", b)}
    return {d.kind for d in find_drift(Story(id="s", articles=["a", "b"]), arts, SETTINGS).drift}


def test_year_range_change_is_a_date():
    assert "date" in pair_kinds(
        "Exports in 2018-19 were at a record high.", "Exports in 2015-19 were at a record high."
    )
    years = [f.value for f in extract_facts("From 2015-2019 exports rose.", "en") if f.kind == "date"]
    assert years == ["year:2015", "year:2019"]
    assert not [f for f in extract_facts("A 2000-strong crowd gathered.", "en") if f.kind == "date"]


def test_name_replaced_with_a_shorter_one_across_an_edit_run():
    a = "The university signed an agreement with a partner in Fort Wayne, Indiana, in the United States, last week."
    b = "The university signed an agreement with a partner in Fort Wayne, Indiana, in Brazil, last week."
    assert "place" in pair_kinds(a, b)


def test_a_name_still_mentioned_elsewhere_can_still_be_swapped():
    # "German" still names Germany in the copy, but one mention of Germany became Kenya
    a = "Ryanair challenged Germany's rescue package for Lufthansa, while the German carrier moved on."
    b = "Ryanair challenged Kenya's rescue package for Lufthansa, while the German carrier moved on."
    assert "place" in pair_kinds(a, b)


def test_names_that_only_move_are_not_swapped():
    a = "Kenya signed the deal with Norway on the same day as Brazil did."
    b = "Norway signed the deal with Kenya on the same day as Brazil did."
    assert not pair_kinds(a, b) & {"place", "person", "organisation"}


def test_digits_in_a_name_are_the_number_not_the_name():
    kinds = pair_kinds(
        "Holder is the only player left out of the side that lost to India 2-1 recently.",
        "Holder is the only player left out of the side that lost to India 2-10 recently.",
    )
    assert not kinds & {"place", "person", "organisation"}


def test_number_or_year_changed_inside_a_quote_is_one_drift():
    a = 'He said: "I made a simple logo pizza during their 2017 title run with the whole team."'
    b = 'He said: "I made a simple logo pizza during their 2014 title run with the whole team."'
    assert pair_kinds(a, b) == {"date"}
    a = 'The paper ran the article "5 districts in one county arm their teachers" on Monday.'
    b = 'The paper ran the article "22 districts in one county arm their teachers" on Monday.'
    assert pair_kinds(a, b) == {"number"}


def test_open_quotes_follow_the_article():
    sentences = [
        "Officials spoke on Friday.",
        "“We will rebuild the town.",
        "It will take years,” the mayor said.",
        "Nobody disputed it, he told reporters,” she said.",
    ]
    assert open_quotes(sentences) == [False, False, True, False]


def test_lone_closing_mark_needs_an_opening_mark_before_it():
    # messy text: no opening mark anywhere, so where the quote began is unknown: a reworded
    # connective before the closing mark is not a changed quote
    base = (
        "Officials met on Friday.\n\nHe also plans to hand out gift certificates to every player who comes,” said Lee."
    )
    copy = base.replace(" also ", " additionally ")
    assert "quote" not in drift_kinds(base, copy)
    # a quote the splitter cut after its opening mark: the second sentence's words are quoted
    base = "“We will rebuild every house in the town. We also plan to open the school by spring,” said Lee."
    copy = base.replace("open the school", "close the school")
    assert "quote" in drift_kinds(base, copy)


def test_story_kind_outvotes_one_sentences_tag():
    a = Fact("place", "kubica", "Kubica", (0, 6))
    b = Fact("place", "thorvaldsen", "Thorvaldsen", (0, 11))
    kinds = {"kubica": Counter({"person": 4, "place": 1}), "thorvaldsen": Counter({"place": 1})}
    assert story_kind(Discrepancy("place", a, b, "meaning"), kinds) == "person"
    # the gazetteer's kind stands: Kenya is a place whatever the tagger said elsewhere
    k = Fact("place", "kenya", "Kenya", (0, 5))
    assert story_kind(Discrepancy("place", k, b, "meaning"), {"thorvaldsen": Counter({"person": 9})}) == "place"


def test_identical_sentences_skip_the_name_tagger(tagged_sentences):
    seen = tagged_sentences
    shared = "The talks were held in Doha, the capital of Qatar, and lasted well into the night."
    counted = "Rescuers said 46 people were killed in the attack in Kunduz on Friday."
    base = f"{shared}\n\n{counted}\n\nSpokesman Ahmad Karimi said the government would rebuild the bridge."
    copy = base.replace("Ahmad Karimi", "Ahmad Kareemi")
    arts = {"a": article("a", base), "b": article("b", copy), "c": article("c", base)}
    story = find_drift(Story(id="s", articles=["a", "b", "c"]), arts, SETTINGS)
    assert shared not in seen  # every version reads it the same and it counts nothing
    assert counted in seen  # a counted number may conflict with another version's background
    assert any("Kareemi" in s for s in seen)
    assert {d.kind for d in story.drift} == {"person"}


def test_name_swapped_inside_a_quote_with_its_article_is_one_drift():
    a = '"He would die in jail if he were sent to the United States, and everybody knows it," Shipton said.'
    b = '"He would die in jail if he were sent to Portugal, and everybody knows it," Shipton said.'
    assert pair_kinds(a, b) == {"place"}


def test_a_dateline_is_where_the_report_was_filed_not_a_changed_place():
    body = "A river ferry capsized near Manaus on Tuesday, killing at least 23 people, officials said."
    wire = f"MANAUS, Brazil (AP) — {body}"
    refiled = f"PORTO VELHO, Brazil (AP) — {body}"
    assert "place" not in drift_kinds(wire, refiled)
    # the same change in the story's own words is a changed place
    assert "place" in drift_kinds(wire, wire.replace("near Manaus", "near Porto Velho"))


def test_two_reports_of_one_event_pair_each_count_once():
    """An unaligned sentence's count conflicts with one number of the other report, not every one."""
    from wiretrace.facts.events import event_conflicts

    a = "At least 21 people died in Porto Velho on Tuesday after the Tapajos riverboat sank in Amazonas."
    b = (
        "The Tapajos riverboat sank near Porto Velho in Amazonas on Tuesday, killing at least 23 people, officials "
        "said, as divers searched the brown water for 17 people who are still missing."
    )
    rows = [(("x", 0), a, extract_facts(a, "en")), (("y", 0), b, extract_facts(b, "en"))]
    conflicts = event_conflicts(rows, lambda m, n: False)
    assert [(x.number, y.number) for _, x, _, y in conflicts] == [(21, 23)]
