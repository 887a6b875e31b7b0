"""What makes a copy verbatim, an edited copy or an excerpt, read from the texts (session 12).

- A dateline is house style: a copy that drops or adds its source's "PARIS (AP) —" and changes
  nothing else is verbatim.
- A copy whose words are its source's words, all and in order, is verbatim however its sentences
  were split.
- A copy that changed a word of what it carries is not verbatim.
"""

from __future__ import annotations

import pytest
from test_lineage_mostly_kept import PARENT as WATER_BOARD

from wiretrace.align import EmbeddingCache, align_units
from wiretrace.data import Article
from wiretrace.lineage.features import relation_features, without_datelines
from wiretrace.lineage.relations import classify, model_probabilities

# the water board report of test_lineage_mostly_kept, two sentences longer
PARENT = [
    *WATER_BOARD,
    "The board will publish the new tariff tables on its website next week.",
    "Customers who struggle to pay can apply for a reduced rate, the board added.",
]
DATELINE = "DENVER (AP) — "


@pytest.fixture(scope="module")
def features():
    cache = EmbeddingCache()

    def units(name: str, text: str):
        return cache.units(Article(id=name, source=name, content_hash=name, text=text, language="en"))

    def read(name: str, child: str, parent: str = "\n\n".join(PARENT)):
        uc, up = units(name, child), units(f"{name}-parent", parent)
        return relation_features(uc.texts, up.texts, align_units(uc, up).pairs, False)

    return read


def test_a_leading_dateline_is_cut_and_the_rest_kept():
    texts = [DATELINE + PARENT[0], PARENT[1]]
    assert without_datelines(texts) == [PARENT[0], PARENT[1]]
    assert without_datelines(PARENT) is PARENT


@pytest.mark.parametrize("where", ["parent", "child"])
def test_a_copy_differing_only_in_its_dateline_is_verbatim(features, where):
    stamped = "\n\n".join([DATELINE + PARENT[0], *PARENT[1:]])
    plain = "\n\n".join(PARENT)
    child, parent = (plain, stamped) if where == "parent" else (stamped, plain)
    f = features(f"dateline-{where}", child, parent)
    assert f.same_words and f.verbatim_share < 1.0
    assert classify(f)[0] == "verbatim"


def test_a_copy_with_the_same_words_split_otherwise_is_verbatim(features):
    # two sentences joined by a semicolon: the same words in the same order, one sentence fewer
    joined = PARENT[2].rstrip(".") + "; " + PARENT[3][0].lower() + PARENT[3][1:]
    f = features("joined", "\n\n".join([*PARENT[:2], joined, *PARENT[4:]]))
    assert f.same_words
    assert f.verbatim_share < 1.0
    assert classify(f)[0] == "verbatim"


def _model_choice(f) -> str:
    probabilities = model_probabilities(f)
    return max(probabilities, key=probabilities.get)


def test_a_copy_with_a_changed_figure_is_not_verbatim(features):
    # a credit line of its own and one figure changed: the model alone reads a verbatim copy
    changed = [*PARENT[:2], PARENT[2].replace("3 dollars", "7 dollars"), *PARENT[3:], "Source: Reuters"]
    f = features("figure", "\n\n".join(changed))
    assert not f.same_words
    assert _model_choice(f) == "verbatim"
    assert classify(f)[0] == "light-edit"
