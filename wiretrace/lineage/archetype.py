"""Changes against an inferred origin that most witnesses share: the reconstruction's errors, not
innovations.

A missing origin is rebuilt from the sentences of one pivot version (`reconstruct.infer_origin_text`),
in the pivot's order. Where the pivot moved two paragraphs, or lacks a line the others carry, every
other version "changes" the origin in the same way: a crossed pair of sentences, an added line. A
textual critic reads agreement of the majority of witnesses as the archetype's reading: a change
most of the versions that can show it make alike is where the reconstruction went wrong, and
versions sharing it are not copies of one another. Left in, such a record adds to the evidence
that makes a version look like the copy of another carrier.

Only sentence order and added lines are read so: word swaps and inserted words shared by most
versions were mostly a real branch's (an edited copy and its reprints outvoting the rest; generated
train, undated: parent accuracy 0.698 with order alone, 0.695 with swaps and edits too), and a
sentence most versions lack is a common cut (excerpts keep the lead), read by the drop records.
"""

from __future__ import annotations

from collections import Counter

# Records a reconstruction error shows as: a crossed pair of sentences, a line the origin lacks.
READING_KINDS = ("order", "add")
# Fewest versions sharing a change for it to read as the reconstruction's error: with fewer, two
# copies of one parent outvote a lone third witness.
MIN_ARCHETYPE_CARRIERS = 3


def _places(record: tuple) -> tuple[int, ...]:
    """The origin sentences a record stands at (an order record crosses two; a line the origin
    lacks stands at none: every version can show it)."""
    if record[0] == "add":
        return ()
    return (record[1], record[2]) if record[0] == "order" else (record[1],)


def archetype_errors(mutations: dict[str, set | None]) -> set[tuple]:
    """Records (of READING_KINDS) carried by more than half of the versions that witness them, and
    by at least MIN_ARCHETYPE_CARRIERS: the inferred origin's misreadings.

    A version witnesses an order when it is in the family's language (`mutations` not None) and
    kept both sentences: one that dropped either cannot show the order, so it is no vote against
    it. Every version in the family's language witnesses a line.
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
