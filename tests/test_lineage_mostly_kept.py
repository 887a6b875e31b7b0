"""A "rewrite" or "machine-rewrite" that keeps most of its sentences word for word is an edited
copy (light-edit).

Issue 4 defines a rewrite as a human paraphrase and a machine rewrite as spinning or an MT round
trip: a text reworded as a whole. The relation model weighs how much changed; a copy that rewords
two of six sentences and pastes the rest is typed light-edit with evidence saying so (a sparse
spin keeps its swapped words in the evidence), and a text reworded throughout stays a rewrite or a
machine rewrite. Several different names mangled stay a spinner's mark whatever was kept.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from wiretrace.align import EmbeddingCache, align_units
from wiretrace.data import Article
from wiretrace.lineage.features import relation_features
from wiretrace.lineage.relations import DEFAULT_RULE, classify

PARENT = [
    "The regional water board voted on Thursday to raise rates by 4 percent from next spring.",
    "Board chair Elena Marsh said the increase would pay for new filters at the Greenhill plant.",
    "Households will pay about 3 dollars more a month, according to the board's own estimate.",
    "Two members voted against the plan, arguing that the filters could be financed by a bond.",
    "The plant has failed three inspections since 2021 because of ageing equipment.",
    "A public hearing on the rates is scheduled for the first week of March.",
]
REWORDED = [
    "Rates will go up 4 percent next spring after a Thursday vote by the regional water board.",
    "According to Elena Marsh, who chairs the board, new filters at the Greenhill plant are what the money buys.",
    "By the board's reckoning, the typical household bill rises by roughly 3 dollars each month.",
    "A bond could have covered the filters instead, said the two members who opposed the measure.",
    "Old equipment has caused the plant to fail inspection three times since 2021.",
    "Residents can speak about the new rates at a hearing planned for early March.",
]
# the same report spun: one odd synonym or two per sentence
SPUN = [
    "The regional water board voted on Thursday to elevate rates by 4 percent from next spring.",
    "Board chair Elena Marsh stated the increase would fund novel filters at the Greenhill plant.",
    "Households will pay approximately 3 dollars more a month, according to the board's own estimate.",
    "Two members voted against the scheme, contending that the filters could be financed by a bond.",
    "The plant has flunked three inspections since 2021 owing to ageing apparatus.",
    "A public hearing on the rates is slated for the initial week of March.",
]
NO_OVERRIDE = replace(DEFAULT_RULE, mostly_kept=1.01)


@pytest.fixture(scope="module")
def features():
    cache = EmbeddingCache()
    parent = cache.units(Article(id="parent", source="p", content_hash="p", text="\n\n".join(PARENT), language="en"))

    def read(name: str, child: list[str]):
        a = Article(id=name, source=name, content_hash=name, text="\n\n".join(child), language="en")
        units = cache.units(a)
        return relation_features(units.texts, parent.texts, align_units(units, parent).pairs, False)

    return read


@pytest.mark.parametrize("reworded", [2, 3])
def test_a_copy_keeping_most_sentences_is_a_light_edit(features, reworded):
    f = features(f"kept-{reworded}", REWORDED[:reworded] + PARENT[reworded:])
    # the model alone reads the reworded sentences as a rewrite: the definition decides
    assert classify(f, NO_OVERRIDE)[0] == "rewrite"
    relation, confidence, evidence = classify(f)
    assert relation == "light-edit"
    assert 0 < confidence <= 0.99
    assert any("kept word for word" in line for line in evidence)


@pytest.mark.parametrize("kept", [0, 1])
def test_a_text_reworded_throughout_stays_a_rewrite(features, kept):
    f = features(f"reworded-{kept}", REWORDED[: 6 - kept] + PARENT[6 - kept :])
    relation, _, evidence = classify(f)
    assert relation == "rewrite"
    assert not any("kept word for word" in line for line in evidence)


@pytest.mark.parametrize("spun", [2, 3])
def test_a_sparse_spin_keeping_most_sentences_is_a_light_edit(features, spun):
    f = features(f"spun-{spun}", SPUN[:spun] + PARENT[spun:])
    assert classify(f, NO_OVERRIDE)[0] == "machine-rewrite"
    relation, confidence, evidence = classify(f)
    assert relation == "light-edit"
    assert 0 < confidence <= 0.99
    assert any("kept word for word" in line for line in evidence)
    assert any("words changed (raise→elevate" in line for line in evidence)  # the swaps stay shown


@pytest.mark.parametrize("kept", [0, 1, 2])
def test_a_text_spun_throughout_stays_a_machine_rewrite(features, kept):
    f = features(f"spun-kept-{kept}", SPUN[: 6 - kept] + PARENT[6 - kept :])
    relation, _, evidence = classify(f)
    assert relation == "machine-rewrite"
    assert not any("kept word for word" in line for line in evidence)


def test_several_names_mangled_stay_a_machine_rewrite_however_much_is_kept(features):
    mangled = "Board chair Elnea Mrash said the increase would pay for new filters at the Geernhill plant."
    f = features("names", [PARENT[0], mangled, *PARENT[2:]])
    assert f.verbatim_share >= DEFAULT_RULE.mostly_kept
    assert classify(f)[0] == "machine-rewrite"
