"""An inferred origin's readings weigh witnesses, not counts (round 33).

A reading carried only by a spun branch (a version that reads odd synonyms where one plain witness
reads the common words, in ODD_SWAPS_MIN or more sentences) cannot stand in the origin even where it
swaps one word only ("novel" for "new"): the plain sentence, the same words with
that swap undone, is the older one. A version not so branded keeps its one-swap reading. And a
version is compared, leave-one-out, with the chosen reading when another witness reads those words
too: they are then not the version's own, and a verbatim copy must not read as an edit of a sibling.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from wiretrace.align.aligner import Units
from wiretrace.lineage.reconstruct import infer_origin_text, plainer_readings

PLAIN = [
    "The mayor said the pier will close for repairs.",
    "Inspectors found a large crack in the main support.",
    "Work on the new pier starts in May.",
]
SPUN = [
    "The mayor stated the pier will close for repairs.",
    "Inspectors found a sizable crack in the main support.",
    "Work on the novel pier starts in May.",
]


def _units(texts: dict[str, list[str]]) -> dict[str, Units]:
    return {m: Units(article=m, language="en", texts=t, vectors=np.zeros((len(t), 1))) for m, t in texts.items()}


def _pairs(members: list[str], n: int) -> dict[str, list[tuple[int, int, tuple[str, int]]]]:
    return {m: [(k, k, (members[0] if m != members[0] else members[1], k)) for k in range(n)] for m in members}


def test_a_spun_branchs_one_swap_reading_gives_way_to_the_plain_witness():
    units = _units({"plain": PLAIN, "spun": SPUN, "reprint": list(SPUN)})
    readings = [("plain", 0), ("plain", 1), ("spun", 2)]  # the branch outvoted the plain last line
    out = plainer_readings(readings, _pairs(["plain", "spun", "reprint"], 3), units, "en")
    assert out[2] == ("plain", 2)


def test_a_one_swap_reading_of_an_unspun_version_stands():
    edited = [PLAIN[0], PLAIN[1], SPUN[2]]  # one odd word in one sentence: no spinner's branch
    units = _units({"plain": PLAIN, "edited": edited, "reprint": list(edited)})
    readings = [("plain", 0), ("plain", 1), ("edited", 2)]
    out = plainer_readings(readings, _pairs(["plain", "edited", "reprint"], 3), units, "en")
    assert out == readings


def test_a_verbatim_copy_is_compared_with_the_words_another_witness_reads_too():
    light = [PLAIN[0], PLAIN[1].replace("large", "big"), PLAIN[2]]
    texts = {"copy1": PLAIN, "copy2": list(PLAIN), "light": light}
    units = _units(texts)
    members = {m: SimpleNamespace(units=units[m], minority_rate=0.0) for m in texts}
    identity = SimpleNamespace(pairs=[SimpleNamespace(a=j, b=j) for j in range(3)])
    aligner = SimpleNamespace(get=lambda a, b: identity)
    readings, member_pairs = infer_origin_text(sorted(texts), members, aligner, "copy1")
    assert [units[m].texts[i] for m, i in readings] == PLAIN
    for m in ("copy1", "copy2"):
        assert all(units[r[0]].texts[r[1]] == units[m].texts[i] for i, _, r in member_pairs[m])
