"""`data.plain` is `dataclasses.asdict` without its deep copies: same dicts, same key order, same JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from wiretrace.data import (
    Article,
    ConsensusSentence,
    Drift,
    InputError,
    LineageEdge,
    Origin,
    Removed,
    Report,
    Sentence,
    Story,
    Variant,
    plain,
)


def _article(aid: str) -> Article:
    text = "Ten people died. The ferry sank."
    return Article(
        id=aid, source=f"{aid}.txt", content_hash="h" + aid, text=text, title="Ferry", language="en",
        outlet="Wire", published="2025-03-01", credited=["AP"], captions=["A ferry (AP Photo)"],
        removed=[Removed("Share on X", "share")],
        sentences=[Sentence(aid, 0, 0, 0, 16, text[:16]), Sentence(aid, 1, 0, 17, 32, text[17:])],
    )


def _story() -> Story:
    variant = Variant("10", ["a", "b"], "Ten people died.")
    return Story(
        id="s1", articles=["a", "b"], label="Ferry", languages=["en"], outlets=["Wire"],
        first_published="2025-03-01", last_published=None,
        origins=[Origin("o1", "a", False, ["AP"], 0.9, ["a", "b"])],
        lineage=[LineageEdge("b", "a", "light-edit", 0.8, ["same lead"], [1], [])],
        drift=[Drift("number", "10", [variant, Variant("12", ["b"], "Twelve died.")], "meaning")],
        consensus=[ConsensusSentence("Ten people died.", ["a", "b"], False, [variant])],
    )


def test_plain_equals_asdict_for_every_record() -> None:
    report = Report([_article("a"), _article("b")], [_story()], [InputError("x", "bad", "W010")], {"k": [1, 2]}, "0.1")
    for record in (_article("a"), _story(), report):
        assert plain(record) == asdict(record)
        assert json.dumps(plain(record)) == json.dumps(asdict(record))  # key order too


def test_plain_skips_top_level_fields_only() -> None:
    article = _article("a")
    expected = asdict(article)
    del expected["sentences"]
    assert plain(article, skip=("sentences",)) == expected
    assert list(plain(article, skip=("sentences",))) == list(expected)


def test_plain_copies_containers() -> None:
    article = _article("a")
    out = plain(article)
    out["credited"].append("Reuters")
    out["removed"][0]["reason"] = "other"
    assert article.credited == ["AP"] and article.removed[0].reason == "share"


def test_plain_keeps_tuples_and_namedtuples_like_asdict() -> None:
    from collections import namedtuple
    from dataclasses import dataclass

    Point = namedtuple("Point", "x y")

    @dataclass
    class Holder:
        pair: tuple
        point: Point
        table: dict

    holder = Holder((1, "a"), Point(2, [3]), {"k": (Point(4, 5),)})
    assert plain(holder) == asdict(holder)
    assert type(plain(holder)["point"]) is Point
