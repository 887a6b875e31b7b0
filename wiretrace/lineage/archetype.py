"""Changes against an inferred origin that most witnesses share: the reconstruction's errors, not
innovations.

A missing origin is rebuilt from whole witness sentences (`trace._infer_origin_text`), so at a
place where the chosen reading is one branch's (a reorder taken as the pivot, a spinner's
sentence read as the plainer one) every other version "changes" the origin in the same way. A
textual critic reads agreement of the majority of witnesses as the archetype's reading: a change
most of the versions that can show it make alike is where the reconstruction went wrong, and
siblings sharing it are not copies of one another. Left in, such a record makes every version
that carries it look like the copy of whichever carrier is placed first.

Only word-level records count here (swaps, inserted or cut words, crossed sentence pairs): a
sentence most versions lack is a branch's addition or a common cut, read by the drop records.
"""

from __future__ import annotations

from collections import Counter

# Records a reconstruction error shows as: a changed word, an inserted or cut phrase, an order.
READING_KINDS = ("order",)
# Fewest versions sharing a change for it to read as the reconstruction's error: with fewer, two
# copies of one parent outvote a lone third witness.
MIN_ARCHETYPE_CARRIERS = 3


def _places(record: tuple) -> tuple[int, ...]:
    """The origin sentences a record stands at (an order record crosses two)."""
    return (record[1], record[2]) if record[0] == "order" else (record[1],)


def archetype_errors(mutations: dict[str, set | None]) -> set[tuple]:
    """Records (of READING_KINDS) carried by more than half of the versions that witness their
    sentences, and by at least MIN_ARCHETYPE_CARRIERS: the inferred origin's misreadings.

    A version witnesses a sentence when it is in the family's language (`mutations` not None) and
    did not drop it: a version that dropped the sentence cannot show the change, so it is no vote
    against it.
    """
    readable = {m: found for m, found in sorted(mutations.items()) if found is not None}
    carriers = Counter(r for found in readable.values() for r in found if r[0] in READING_KINDS)
    errors = set()
    for record, count in carriers.items():
        if count < MIN_ARCHETYPE_CARRIERS:
            continue
        places = _places(record)
        witnesses = sum(1 for found in readable.values() if not any(("drop", j) in found for j in places))
        if 2 * count > witnesses:
            errors.add(record)
    return errors


def without_archetype_errors(mutations: dict[str, set | None]) -> dict[str, set | None]:
    """`mutations` with the inferred origin's misreadings (see `archetype_errors`) taken out of
    every version's records: what each version changed in the origin as its witnesses read it."""
    errors = archetype_errors(mutations)
    if not errors:
        return mutations
    return {m: (found - errors if found is not None else None) for m, found in mutations.items()}
