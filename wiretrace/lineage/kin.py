"""Which versions of a traced family can testify about a candidate origin: its kin.

A family is joined by strong derivation evidence, but one link can still bridge two reports (a
stock line a blog pastes under any story, an excerpt with commentary that another blog copies
without the excerpt). The origin test asks whether the candidate carries what the others share;
a textual critic reads that question only over the witnesses of the candidate's own text:
material that versions sharing no copied wording with the candidate carry is another report's
(or another commentator's), and cannot show that the candidate dropped it. So the containment and
coverage rules of `origin.missing_origin_reasons` are read over the candidate's kin (see
`kin_of`): versions with strong derivation evidence against the candidate itself, the same test
that joins a family (`families.strong_link`). A version that shares nothing with the candidate
still testifies through the kin that carry the same material (a wire's tail excerpt beside its
full copies), so a truly missing origin keeps its evidence.
"""

from __future__ import annotations

from wiretrace.data import Alignment
from wiretrace.lineage.families import strong_link
from wiretrace.lineage.relations import RelationRule, reads_independent
from wiretrace.lineage.versions import Aligner, Member


def kin_of(top: str, others: list[str], aligner: Aligner, rule: RelationRule) -> set[str]:
    """The versions of `others` with strong derivation evidence against `top` itself: a sentence
    kept word for word or lightly edited, or much of one carried with copied wording (the family
    test, `strong_link`, read on this pair only, in either direction)."""
    kin = set()
    for other in others:
        if other == top:
            continue
        alignment = aligner.get(other, top)
        if not alignment.pairs:
            continue
        fa = aligner.features(other, top)
        if not fa.cross_lingual and not reads_independent(fa, rule) and _copied_sentence(alignment):
            kin.add(other)  # what `strong_link` would say, without the other direction's features
            continue
        fb = aligner.features(top, other)
        derived = not reads_independent(fa, rule) or not reads_independent(fb, rule)
        if derived and strong_link(fa, fb, alignment, rule):
            kin.add(other)
    return kin


def _copied_sentence(alignment: Alignment) -> bool:
    return any(p.kind in ("verbatim", "light-edit") for p in alignment.pairs)


def shared_with_kin(member: Member, top: str, kin: set[str]) -> set[int]:
    """`member`'s sentences that the candidate `top` or one of its kin carries too: the material
    of the candidate's report `member` shares (what another report's versions share with it does
    not count)."""
    witnesses = kin | {top}
    return {i for i in member.shared if member.support.get(i, set()) & (witnesses - {member.id})}


def other_report(top: str, members: dict[str, Member], kin: set[str]) -> set[str]:
    """The versions of a traced family that carry none of `top`'s report: not its kin, and none of
    their sentences is carried by `top` or by two of its kin.

    A stock line (a blog's sign-off, its standing remarks) pasted under two reports joins their
    copies into one traced family by a verbatim sentence. The copies of the other report share no
    copied wording with the candidate, and what they share with its kin is such a line, carried by
    one of them only. A copy of the candidate's report that shares nothing with it (a wire's tail
    excerpt when the candidate is its lead) still carries sentences that two of the full copies
    carry: it stays. So does a version in another language than the candidate: across languages
    there is no copied wording to weigh, and a translation's sentences align loosely."""
    inside = kin | {top}
    language = members[top].units.language
    out = set()
    for m in sorted(members):
        if m in inside or members[m].units.language != language:
            continue
        carriers = (found & inside for found in members[m].support.values())
        if not any(top in found or len(found) >= 2 for found in carriers):
            out.add(m)
    return out
