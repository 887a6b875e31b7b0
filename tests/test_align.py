"""Sentence alignment: verbatim, light edit, paraphrase, translation, reordering, determinism."""

from __future__ import annotations

from test_lineage_fixtures import GERMAN, ORIGIN, SPUN, article, light_edit

from wiretrace.align import EmbeddingCache, StoryAlignments, align, compare, is_same_statement
from wiretrace.align.sentences import split_text


def test_verbatim_copy_aligns_every_sentence_as_verbatim(cache):
    a, b = article("a", ORIGIN), article("b", ORIGIN)
    al = align(a, b, cache=cache)
    assert [(p.a, p.b) for p in al.pairs] == [(i, i) for i in range(len(ORIGIN))]
    assert {p.kind for p in al.pairs} == {"verbatim"}


def test_light_edit_pairs_are_marked_light_edit(cache):
    al = align(article("e", light_edit(ORIGIN)), article("o", ORIGIN), cache=cache)
    kinds = {p.a: p.kind for p in al.pairs}
    assert kinds[1] == "light-edit" and kinds[3] == "light-edit"
    assert kinds[0] == "verbatim"


def test_reordered_paragraphs_still_align(cache):
    order = [5, 2, 9, 0, 7, 1, 8, 3, 6, 4]
    al = align(article("r", [ORIGIN[k] for k in order]), article("o", ORIGIN), cache=cache)
    assert sorted((p.a, p.b) for p in al.pairs) == [(i, k) for i, k in enumerate(order)]


def test_german_translation_aligns_across_languages(cache):
    al = align(article("de", GERMAN, language="de"), article("o", ORIGIN), cache=cache)
    pairs = {(p.a, p.b) for p in al.pairs}
    assert len(pairs & {(i, i) for i in range(len(GERMAN))}) >= len(GERMAN) - 1
    assert {p.kind for p in al.pairs} == {"translation"}


def test_spun_copy_aligns_in_place_at_paraphrase_level(cache):
    al = align(article("s", SPUN), article("o", ORIGIN), cache=cache)
    assert len(al.pairs) >= 8
    assert all(p.a == p.b for p in al.pairs)
    assert any(p.kind == "paraphrase" for p in al.pairs)


def test_unrelated_sentences_do_not_align(cache):
    other = [
        "The orchestra announced its winter season of twelve concerts.",
        "Tickets go on sale online next Monday morning.",
    ]
    assert align(article("x", other), article("o", ORIGIN), cache=cache).pairs == []


def test_empty_and_hostile_input(cache):
    empty = article("e", [""])
    assert align(empty, article("o", ORIGIN), cache=cache).pairs == []
    junk = article("j", ["\x00\x01 ---- ####", "🙂" * 500, "a" * 5000])
    assert isinstance(align(junk, article("o", ORIGIN), cache=cache).pairs, list)


def test_alignment_is_deterministic():
    a, b = article("s", SPUN), article("o", ORIGIN)
    assert align(a, b, cache=EmbeddingCache()) == align(a, b, cache=EmbeddingCache())


def test_cache_encodes_each_sentence_once():
    cache = EmbeddingCache()
    a, b, c = article("a", ORIGIN), article("b", SPUN), article("c", light_edit(ORIGIN))
    for x, y in [(a, b), (a, c), (b, c), (c, a)]:
        align(x, y, cache=cache)
    assert cache.encoded_sentences == 3 * len(ORIGIN)


def test_same_statement_decision():
    s = "Mayor Elena Brandt said the decision was painful but necessary to protect commuters."
    t = "The decision was painful but necessary to protect commuters, Mayor Elena Brandt said."
    u = "Ferry operator BlueLine said it would reroute its boats to the new dock within three weeks."
    from wiretrace.embed import get_encoder

    v = get_encoder("use").encode([s, t, u])
    assert is_same_statement(s, t, float(v[0] @ v[1]))
    assert not is_same_statement(s, u, float(v[0] @ v[2]))


def test_compare_finds_word_swaps_and_names():
    e = compare("The board met in Dhaha on Sunday.", "The council met in Doha on Sunday.")
    assert ("council", "board") in e.word_swaps and ("Doha", "Dhaha") in e.name_swaps


def test_substitutions_are_the_swaps_a_reader_would_call_swaps():
    e = compare("The board met in Dhaha on Sunday.", "The council met in Doha on Sunday.")
    assert e.substitutions == [("council", "board"), ("Doha", "Dhaha")]
    # a clause moved to the front: the alignment pairs words meeting at the seams, which are moved words
    moved = compare(
        "The ferries ran late all week at the pier, the council closed the old bridge in the town.",
        "The council closed the old bridge in the town, the ferries ran late all week at the pier.",
    )
    assert moved.word_swaps == [("town", "pier"), ("pier", "town")] and not moved.substitutions
    # one word for a phrase, which Levenshtein writes as an insertion beside a replacement
    assert compare("The mayor told reporters it was over.", "The mayor said it was over.").substitutions == [
        ("said", "told reporters")
    ]
    # a dateline put in front is words added, not a substitution for the first word
    assert not compare("WASHINGTON (AP) — Officials met on Sunday.", "They met on Sunday.").substitutions


def test_fallback_splitter_recovers_glued_sentences():
    assert len(split_text("He left in August.Senior officials stayed. Talks go on.")) == 3


def test_story_alignments_flip():
    from wiretrace.data import AlignedPair, Alignment

    store = StoryAlignments(story="s")
    store.add(Alignment(a="x", b="y", pairs=[AlignedPair(0, 2, 0.9, "verbatim")]))
    assert store.between("y", "x").pairs == [AlignedPair(2, 0, 0.9, "verbatim")]
    assert store.sentence_pairs() == [("x", 0, "y", 2, 0.9, "verbatim")]
