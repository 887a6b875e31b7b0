"""The DuckDB store: idempotent ingest, id collisions, round trips of articles and stories."""

from __future__ import annotations

from wiretrace.data import (
    Article,
    ConsensusSentence,
    Drift,
    InputError,
    LineageEdge,
    Origin,
    RawDocument,
    Removed,
    Sentence,
    Story,
    Variant,
)
from wiretrace.store import Store, record_hash


def make_article(aid: str, text: str, h: str | None = None) -> Article:
    sents = [Sentence(aid, 0, 0, 0, len(text), text)]
    return Article(
        id=aid, source=f"{aid}.txt", content_hash=h or f"hash-{aid}", text=text, title="T", language="en",
        credited=["Reuters"], removed=[Removed("Leave a Reply", "call-to-action")], captions=["A photo (AP)"],
        sentences=sents,
    )


def test_add_is_idempotent(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as st:
        assert st.add_articles([make_article("a", "One."), make_article("b", "Two.")]) == 2
        assert st.add_articles([make_article("a", "One."), make_article("b", "Two.")]) == 0
    with Store(path) as st:  # reopened from disk
        assert st.count_articles() == 2
        assert st.add_articles([make_article("c", "Three.")]) == 1
        assert [a.id for a in st.articles()] == ["a", "b", "c"]


def test_same_stem_different_content_gets_distinct_id(tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        st.add_articles([make_article("story", "First text.", h="h1")])
        st.add_articles([make_article("story", "Other text.", h="h2")])
        ids = sorted(a.id for a in st.articles())
    assert ids[0] == "story" and ids[1].startswith("story~") and len(ids) == 2


def test_article_round_trip_keeps_junk_sentences_and_credits():
    with Store(":memory:") as st:
        st.add_articles([make_article("a", "Hello world.")])
        (a,) = st.articles()
    assert a.removed == [Removed("Leave a Reply", "call-to-action")]
    assert a.credited == ["Reuters"] and a.captions == ["A photo (AP)"]
    assert [s.text for s in a.sentences] == ["Hello world."] and a.sentences[0].article == "a"


def test_story_round_trip():
    story = Story(
        id="s-1", articles=["a", "b"], label="Lead", languages=["en"], outlets=["x"],
        origins=[Origin("s-1-o1", None, True, ["The Associated Press"], 0.8, ["a", "b"])],
        lineage=[LineageEdge("a", "s-1-o1", "rewrite", 0.7, ["5 of 6 sentences aligned"], [1], [2])],
        drift=[Drift("number", "1,005", [Variant("1,500", ["b"], "...1,500 families")], "meaning")],
        consensus=[ConsensusSentence("Lead.", ["a", "b"])],
    )
    with Store(":memory:") as st:
        st.save_stories([story])
        assert st.stories() == [story]
        st.save_stories([])
        assert st.stories() == []


def test_errors_are_kept_per_source():
    with Store(":memory:") as st:
        st.add_errors([InputError("bad.bin", "binary", "W002")], run=1)
        st.add_errors([InputError("bad.bin", "binary", "W002")], run=2)
        assert st.errors() == [InputError("bad.bin", "binary", "W002")]


def test_record_hash_depends_on_identity_not_path():
    a = RawDocument(id="x", source="/one/x.txt", content="Same text.")
    b = RawDocument(id="x", source="/two/x.txt", content="Same text.")
    c = RawDocument(id="y", source="/two/y.txt", content="Same text.")
    assert record_hash(a) == record_hash(b)  # the same file moved: not a new article
    assert record_hash(a) != record_hash(c)  # a verbatim reprint elsewhere: a second version


def test_aliases_are_recorded_once():
    with Store(":memory:") as st:
        st.add_articles([make_article("a", "One.")])
        st.add_aliases([("hash-a", "/moved/a.txt"), ("hash-a", "/moved/a.txt")])
        st.add_aliases([("hash-a", "/moved/a.txt")])
        rows = st.con.execute("SELECT source FROM aliases WHERE content_hash = 'hash-a' ORDER BY source").fetchall()
    assert rows == [("/moved/a.txt",), ("a.txt",)]


def test_articles_by_ids_reads_in_the_asked_order_in_batches():
    with Store(":memory:") as st:
        st.add_articles([make_article(a, f"Text of {a}.") for a in "edcba"])
        assert st.article_ids() == ["e", "d", "c", "b", "a"]  # ingest order
        full = {a.id: a.to_dict() for a in st.articles()}
        got = list(st.articles_by_ids(["b", "zz", "e", "a", "c"], batch_size=2))
        assert [a.id for a in got] == ["b", "e", "a", "c"]  # unknown ids skipped, order kept across batches
        assert [a.to_dict() for a in got] == [full[a.id] for a in got]  # with junk and sentences
        assert list(st.articles_by_ids([])) == []
