"""Ties at the top of a family's ranking: which of two versions the text cannot order is older.

The form more independent copies keep where the two differ (a sentence's exact words, a line, the
order of two sentences) is the older: a copy's change reaches only its own copies. Read only where
the ranking ties; without that guard a productive branch outvotes its source.
"""

from __future__ import annotations

from collections.abc import Callable

from wiretrace.align.aligner import Units
from wiretrace.align.sentences import lower_tokens
from wiretrace.lineage.versions import Aligner, Member, after_dateline


def older_tied_version(
    ranked: list[Member],
    excluded: set[str],
    hub: str,
    to_hub: dict[str, dict[int, int]],
    witnesses: dict[str, int],
    aligner: Aligner,
    datelines: dict[str, set[str]],
    furniture: dict[str, set[int]],
    passes: Callable[[Member], bool],
) -> tuple[Member, str] | None:
    """Of the versions the ranking ties with the top version `ranked[0]` (equal scores), the one the
    family's independent copies show to be older, with an evidence line; None when the top stands.

    Where two texts differ, a copy's change reaches only its own copies, while every other copy that
    left the place alone keeps the source's form: the exact wording of a sentence (a changed quote,
    a "not", a name), a line (a plug or share-button text the standing version added), the order of two
    sentences. So at each place the two tied versions differ, the form more independent witnesses
    (`witnesses` groups, the two versions' own groups left out) carry is the older. Copies that
    changed the place themselves (a spin, a paraphrase) carry neither form and do not vote, which
    the graded majority of `centrality` cannot tell from support: a spinner that picks the edited
    copy's synonym counts as half a vote for it there. A rival replaces the standing version when it
    wins at some place and loses at none, and `passes` (the origin test); the tied versions are
    weighed in ranked order, each against the version standing then, until one that wins fails the
    origin test (each test aligns the family to it: the cost stays linear). Only ties are weighed: the
    ranking has read more than a few places, and a productive branch (an edited copy and its own
    copies) may carry its change more often than the source's other copies keep the original.
    Wording and order are read in the family pivot's frame (`to_hub`: a dateline's words, the
    pivot's headline and byline left out), lines in the standing version's frame, from alignments
    the origin test already made. `excluded`: versions that cannot be the origin (published too
    late) or need not yield (the agency's own version).
    """
    standing = ranked[0]
    if standing.id in excluded:
        return None
    units, skip = aligner.units, furniture.get(hub, set())
    readings = {m.id: _exact_readings(m.id, hub, to_hub, units, datelines.get(m.id, set()), skip) for m in ranked}
    carriers: dict[tuple[int, tuple[str, ...]], set[int]] = {}
    for m, found in readings.items():
        for j, words in found.items():
            carriers.setdefault((j, words), set()).add(witnesses[m])
    places = {m.id: _hub_places(m.id, hub, to_hub, units) for m in ranked}
    found_note: str | None = None
    for rival in ranked[1:]:
        if rival.score < ranked[0].score - SCORE_TIE:
            break  # the ranking tells them apart: it has read more than these places
        if rival.id in excluded:
            continue
        top = standing.id
        own_groups = {witnesses[top], witnesses[rival.id]}
        mine, theirs = readings[top], readings[rival.id]
        votes = {
            ("sentence", "sentences", "worded its own way"): [
                (len(carriers[(j, theirs[j])] - own_groups), len(carriers[(j, mine[j])] - own_groups))
                for j in sorted(mine.keys() & theirs.keys())
                if mine[j] != theirs[j]
            ],
            ("line", "lines", "of its own"): _line_votes(top, rival.id, ranked, witnesses, aligner, furniture),
            ("pair of sentences", "pairs of sentences", "in its own order"): _order_votes(
                top, rival.id, places, witnesses
            ),
        }
        won = {kind: sum(r > t for r, t in found) for kind, found in votes.items()}
        lost = sum(t > r for found in votes.values() for r, t in found)
        if not any(won.values()) or lost:
            continue
        if not passes(rival):
            break  # one failed origin test ends the weighing: each test aligns the family anew
        standing = rival
        changes = ", ".join(f"{n} {one if n == 1 else many} {how}" for (one, many, how), n in won.items() if n)
        found_note = (
            f"tied with {top}, which has {changes}: independent copies carry this version's form there, "
            f"so {top} changed it"
        )
    return (standing, found_note) if found_note else None


def _hub_places(m: str, hub: str, to_hub: dict[str, dict[int, int]], units: dict[str, Units]) -> dict[int, int]:
    """Where a version has each pivot sentence it carries: pivot sentence -> its first sentence there."""
    if m == hub:
        return {j: j for j in range(len(units[hub].texts))}
    out: dict[int, int] = {}
    for i, j in sorted(to_hub.get(m, {}).items()):
        out.setdefault(j, i)
    return out


def _order_votes(
    top: str, rival: str, places: dict[str, dict[int, int]], witnesses: dict[str, int]
) -> list[tuple[int, int]]:
    """(for the rival's order, for the top's) per pair of pivot sentences the two have in opposite
    orders: the independent witnesses carrying both sentences, by the order they have them in."""
    mine, theirs = places[top], places[rival]
    shared = sorted(set(mine) & set(theirs))
    own_groups = {witnesses[top], witnesses[rival]}
    votes = []
    for k, a in enumerate(shared):
        for b in shared[k + 1:]:
            rival_order = theirs[a] < theirs[b]
            if (mine[a] < mine[b]) == rival_order:
                continue
            for_rival, for_top = set(), set()
            for m, where in places.items():
                if m not in (top, rival) and a in where and b in where:
                    (for_rival if (where[a] < where[b]) == rival_order else for_top).add(witnesses[m])
            votes.append((len(for_rival - own_groups), len(for_top - own_groups)))
    return votes


def _line_votes(
    top: str, rival: str, ranked: list[Member], witnesses: dict[str, int], aligner: Aligner,
    furniture: dict[str, set[int]],
) -> list[tuple[int, int]]:
    """(for the rival, for the top) per body line `top` has and `rival` lacks: the independent
    witnesses that keep the line's nearest neighbour and lack the line, and those carrying it.

    A copy keeps its source's every line unless it cuts, and a line a copy adds (a plug, a share
    button's text) reaches only its own copies: a line that the copies keeping its neighbour lack
    was not in their source. Read in `top`'s frame from the alignments its origin test made.
    """
    lacked = unaligned_body(rival, top, aligner, furniture)
    body = [i for i in range(len(aligner.units[top].texts)) if i not in furniture.get(top, set()) and i not in lacked]
    if not lacked or not body:
        return []
    own_groups = {witnesses[top], witnesses[rival]}
    held = {m.id: {p.b for p in aligner.get(m.id, top).pairs} for m in ranked if m.id not in (top, rival) and m.shared}
    votes = []
    for i in sorted(lacked):
        nearest = min(body, key=lambda k: (abs(k - i), k))
        carry = {witnesses[m] for m, lines in held.items() if i in lines}
        lack = {witnesses[m] for m, lines in held.items() if nearest in lines and i not in lines}
        votes.append((len(lack - own_groups), len(carry - own_groups)))
    return votes


def unaligned_body(part: str, whole: str, aligner: Aligner, furniture: dict[str, set[int]]) -> set[int]:
    """Body sentences of `whole` (not headline, byline or sign-off) that `part` has no sentence aligned to."""
    carried = {p.b for p in aligner.get(part, whole).pairs}
    return {i for i in range(len(aligner.units[whole].texts)) if i not in carried} - furniture.get(whole, set())


def _exact_readings(
    m: str,
    hub: str,
    to_hub: dict[str, dict[int, int]],
    units: dict[str, Units],
    stamp: set[str],
    skip: set[int],
) -> dict[int, tuple[str, ...]]:
    """A version's exact words at each pivot sentence it carries as one sentence, a leading
    dateline's words (`stamp`) left out, the pivot's headline and byline (`skip`) too."""
    texts = units[m].texts
    if m == hub:
        placed = {j: [j] for j in range(len(texts))}
    else:
        placed = {}
        for i, j in sorted(to_hub.get(m, {}).items()):
            placed.setdefault(j, []).append(i)
    out: dict[int, tuple[str, ...]] = {}
    for j, own in placed.items():
        if j in skip or len(own) != 1:
            continue  # a sentence split elsewhere: where the words fall is the splitter's, not a reading
        words = after_dateline(lower_tokens(texts[own[0]]), stamp)
        if words:
            out[j] = tuple(words)
    return out


SCORE_TIE = 1e-9  # scores this close are a tie: the ranking cannot tell the versions apart
