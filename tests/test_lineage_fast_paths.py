"""Lineage's speed restructurings answer exactly as the plain computations they replaced: shared
alignment reads, n-gram sets built by zip, containment shared between the two directions of a
pair, leave-one-out readings from one similarity matrix, "around" words from one pass, and the
relation model's products summed with map."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from test_lineage_fixtures import ORIGIN, SPUN, article, light_edit

from wiretrace.align.edits import token_similarity
from wiretrace.align.sentences import lower_tokens
from wiretrace.align.story import StoryAlignments
from wiretrace.data import AlignedPair
from wiretrace.lineage import relations
from wiretrace.lineage.features import (
    _ngrams,
    _pair_containment,
    containment,
    relation_features,
)
from wiretrace.lineage.origin import CENTRALITY_MAX_READINGS, own_readings
from wiretrace.lineage.readings import count_readings
from wiretrace.lineage.reconstruct import infer_origin_text
from wiretrace.lineage.versions import Aligner, Member

WORDS = st.sampled_from(["the", "ferry", "dock", "council", "said", "Brandt", "4,200", "pier", "closed", "a"])
SENTENCES = st.lists(st.lists(WORDS, min_size=0, max_size=8).map(" ".join), min_size=0, max_size=6)


def _corpus() -> dict:
    versions = (
        article("wire", ORIGIN),
        article("trimmed", [s for k, s in enumerate(ORIGIN) if k != 4]),
        article("edit", light_edit(ORIGIN)),
        article("spun", SPUN),
        article("spun-copy", SPUN, paragraphs=False),
    )
    return {a.id: a for a in versions}


@settings(max_examples=80, deadline=None)
@given(SENTENCES, st.integers(0, 6))
def test_ngram_sets_match_the_slicing_definition(sentences, n):
    words = tuple(w for s in sentences for w in lower_tokens(s))
    expected = frozenset(words[i : i + n] for i in range(len(words) - n + 1))
    assert _ngrams(tuple(sentences), n) == expected


@settings(max_examples=80, deadline=None)
@given(SENTENCES, SENTENCES, st.integers(1, 5))
def test_pair_containment_is_containment_in_both_directions(child, parent, n):
    assert _pair_containment(tuple(child), tuple(parent), n) == containment(child, parent, n)
    assert _pair_containment(tuple(parent), tuple(child), n) == containment(parent, child, n)


def test_aligner_reads_are_shared_and_equal_the_stored_alignment(cache):
    corpus = _corpus()
    units = {i: cache.units(a) for i, a in sorted(corpus.items())}
    store = StoryAlignments(story="st")
    aligner = Aligner(units, store)
    forward = aligner.get("wire", "spun")
    backward = aligner.get("spun", "wire")
    assert len(store.all) == 1  # one alignment computed for both directions
    assert aligner.get("wire", "spun") is forward and aligner.get("spun", "wire") is backward
    assert forward == store.between("wire", "spun") and backward == store.between("spun", "wire")
    assert sorted((p.b, p.a) for p in forward.pairs) == sorted((p.a, p.b) for p in backward.pairs)


def _best_reading_by_loops(group, text, members):
    """The leave-one-out choice as first written: every similarity recomputed for every subset."""

    def centrality(w):
        total = sum(token_similarity(text[w], text[o]) for o in group if o != w)
        return (total, -members[w[0]].minority_rate, w[0], -w[1])

    return max(group, key=centrality)


def test_inferred_origin_readings_match_the_recomputing_definition(cache):
    corpus = _corpus()
    family = sorted(corpus)
    units = {i: cache.units(corpus[i]) for i in family}
    aligner = Aligner(units, StoryAlignments(story="st"))
    members = {i: Member(id=i, units=units[i], article=corpus[i]) for i in family}
    pairs = [(a, b) for a in family for b in family if a < b]
    count_readings(members, aligner, pairs)  # minority rates break centrality ties
    pivot = "trimmed"
    readings, member_pairs = infer_origin_text(family, members, aligner, pivot)
    # the same witnesses, chosen the slow way
    witnesses = {j: [(pivot, j)] for j in range(len(units[pivot].texts))}
    for m in family:
        if m != pivot:
            for p in aligner.get(m, pivot).pairs:
                witnesses[p.b].append((m, p.a))
    keep = [j for j in sorted(witnesses) if len({m for m, _ in witnesses[j]}) > 1]
    text = {(m, i): units[m].texts[i] for m in family for i in range(len(units[m].texts))}
    expected_pairs = {m: [] for m in family}
    expected = []
    for k, j in enumerate(keep):
        group = sorted(set(witnesses[j]))
        chosen = _best_reading_by_loops(group, text, members)
        expected.append(chosen)
        for m, i in group:
            others = [w for w in group if w[0] != m]
            same = [w for w in others if text[w] == text[chosen]]  # the chosen words, read by another
            if others:
                expected_pairs[m].append((i, k, same[0] if same else _best_reading_by_loops(others, text, members)))
    assert readings == expected and member_pairs == expected_pairs
    assert len(readings) >= len(ORIGIN) - 1


def _own_readings_by_loops(hub, to_hub, units, datelines):
    """`origin.own_readings` as first written (the neighbours' words gathered again for every version)."""
    words = {j: {hub: set(lower_tokens(t))} for j, t in enumerate(units[hub].texts)}
    for m in sorted(to_hub):
        for i, j in sorted(to_hub[m].items()):
            if j in words:
                words[j].setdefault(m, set()).update(lower_tokens(units[m].texts[i]))
    out = {}
    for j in sorted(words):
        if len(words[j]) < 3:
            continue
        voters = sorted(words[j], key=lambda m: hashlib.blake2b(f"{m}#{j}".encode(), digest_size=8).digest())
        voters = voters[: CENTRALITY_MAX_READINGS]
        support = Counter(w for m in voters for w in words[j][m])
        n = len(voters)
        for m in voters:
            nearby = {w for k in (j - 1, j + 1) for w in words.get(k, {}).get(m, set())}
            around = {w for k in (j - 1, j + 1) for o, ws in words.get(k, {}).items() if o != m for w in ws}
            stamp = {w for o in voters for w in datelines.get(o, set())}
            mine = sorted(w for w in words[j][m] if support[w] == 1 and w not in around and w not in stamp)
            lost = sorted(
                w
                for w, c in support.items()
                if c == n - 1 and w not in words[j][m] and w not in nearby and w not in stamp
            )
            if mine or lost:
                out.setdefault(m, []).extend([("", w) for w in mine] + [(w, "") for w in lost])
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(SENTENCES.filter(bool), min_size=3, max_size=5),
    st.integers(0, 2**31 - 1),
    st.sets(WORDS, max_size=2),
)
def test_own_readings_match_the_per_version_definition(versions, seed, stamp):
    import random

    rng = random.Random(seed)
    ids = [f"v{k}" for k in range(len(versions))]
    units = {i: SimpleNamespace(texts=texts) for i, texts in zip(ids, versions, strict=True)}
    hub = ids[0]
    to_hub = {
        m: {i: rng.randrange(len(versions[0])) for i in range(len(units[m].texts)) if rng.random() < 0.8}
        for m in ids[1:]
    }
    datelines = {ids[-1]: {w.casefold() for w in stamp}}
    found = own_readings(hub, to_hub, units, datelines)
    assert found == _own_readings_by_loops(hub, to_hub, units, datelines)


def test_own_readings_cases_were_not_all_empty():
    """A case with an own reading (most generated cases above have some too)."""
    hub = ["the council closed the pier", "the ferry dock said"]
    units = {
        "hub": SimpleNamespace(texts=hub),
        "a": SimpleNamespace(texts=["the council closed the pier", "the ferry dock said"]),
        "b": SimpleNamespace(texts=["the council closed a pier", "the ferry dock said"]),
        "c": SimpleNamespace(texts=["the council closed the pier", "the ferry dock said"]),
    }
    to_hub = {m: {0: 0, 1: 1} for m in ("a", "b", "c")}
    found = own_readings("hub", to_hub, units, {})
    assert found == _own_readings_by_loops("hub", to_hub, units, {})
    assert found.get("b")  # "a" for "the": b's own reading


def test_relation_model_sums_products_as_the_generator_did():
    child, parent = light_edit(ORIGIN), ORIGIN
    aligned = [AlignedPair(a=k, b=k, similarity=1.0, kind="light-edit") for k in range(len(child) - 2)]
    for inferred in (False, True):
        f = relation_features(child, parent, aligned, False)
        f.inferred_parent = inferred
        got = relations.model_probabilities(f)
        x = [
            (v - m) / s
            for v, m, s in zip(relations.model_inputs(f), relations.MODEL_MEAN, relations.MODEL_SCALE, strict=True)
        ]
        weights, bias = (
            (relations.RECONSTRUCTION_WEIGHTS, relations.RECONSTRUCTION_BIAS)
            if inferred
            else (relations.MODEL_WEIGHTS, relations.MODEL_BIAS)
        )
        z = [b + sum(w * v for w, v in zip(ws, x, strict=True)) for ws, b in zip(weights, bias, strict=True)]
        e = [math.exp(v - max(z)) for v in z]
        expected = {c: v / sum(e) for c, v in zip(relations.MODEL_CLASSES, e, strict=True)}
        assert got == expected


def test_a_reading_of_its_own_is_shown_once_per_place(cache):
    # "edit" changed two words the three other witnesses agree on: read against each of them, each
    # change is shown once ("2 readings no other version shares"), not once per witness
    versions = (
        article("wire", ORIGIN),
        article("trimmed", [s for k, s in enumerate(ORIGIN) if k != 4]),
        article("reprint", ORIGIN, paragraphs=False),
        article("edit", light_edit(ORIGIN)),
    )
    corpus = {a.id: a for a in versions}
    family = sorted(corpus)
    units = {i: cache.units(corpus[i]) for i in family}
    aligner = Aligner(units, StoryAlignments(story="st"))
    members = {i: Member(id=i, units=units[i], article=corpus[i]) for i in family}
    count_readings(members, aligner, [(a, b) for a in family for b in family if a < b])
    assert sorted(members["edit"].unique_substitutions) == [("but", "yet"), ("could", "might")]
    assert len(members["edit"].unique) > 2  # the counts the origin test weighs are per witness read
