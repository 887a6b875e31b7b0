"""Families of copies within one story: which versions derive from one report.

Versions join by strong derivation evidence (a sentence kept word for word or lightly edited, much
of a version carried with copied wording, a credit to the same agency); a version joined only by
weak evidence (a rewrite) attaches to the one family it is closest to, so rewrites and shared stock
sentences never chain two agencies' reports of one event into one family. Also here: the groups of
near-identical versions that count as one witness, and the agency a family's copies credit.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from wiretrace.data import Alignment, Article
from wiretrace.lineage.credits import (
    copied_from_agencies,
    credited_agencies,
    outlet_agency,
)
from wiretrace.lineage.features import RelationFeatures
from wiretrace.lineage.relations import RelationRule, classify
from wiretrace.lineage.versions import Aligner, closeness, connected_groups

# Two versions are one witness when they are each other's closest version at least this close.
NEAR_COPY = 0.9
# Without a near-verbatim sentence in common, two versions are one family when one carries at least
# `min_shared` of the other with this share of its word trigrams copied (containment).
FAMILY_MIN_COPIED = 0.2
# Versions crediting the same agency join one family from this many shared statements.
MIN_CREDITED_SHARED = 3
# An agency is the family's source when at least this share of versions credit it as copies (one
# stray "told The Associated Press" in a long family is a quote's attribution, not a credit line).
CREDIT_MIN_SHARE = 1 / 3


def pivot_of(family: list[str], ids: list[str], sims: np.ndarray) -> str:
    """The family member most similar to the others (by mean sentence embedding)."""
    index = {i: k for k, i in enumerate(ids)}
    rows = [index[i] for i in family]
    block = np.where(np.isinf(sims[np.ix_(rows, rows)]), 0.0, sims[np.ix_(rows, rows)])
    return family[int(np.argmax(block.sum(axis=1)))]


def family_links(
    ids: list[str],
    candidates: list[tuple[str, str]],
    articles: dict[str, Article],
    aligner: Aligner,
    rule: RelationRule,
) -> list[tuple[str, str]]:
    """Pairs of versions that belong to one family: strong derivation evidence, plus weak evidence
    that attaches a lone version to one family only.

    One event reported by two agencies gives two families whose versions share a quote or a
    stock sentence; spun copies, excerpts and rewrites of each then chain the two into one when
    any derived-looking pair links versions. So a family is a connected component over strong
    evidence only (see `strong_link`); a version linked to others only by weak evidence (a human
    rewrite: re-worded throughout) joins the one family it is closest to and never bridges two,
    and never a version of another agency (two agencies' own reports sharing little wording are
    two families). Across languages there is no wording to weigh: only the strong test counts.
    """
    strong: list[tuple[str, str]] = []
    weak: list[tuple[float, str, str]] = []
    for a, b in candidates:
        fa, fb = aligner.features(a, b), aligner.features(b, a)
        derived = classify(fa, rule)[0] != "independent" or classify(fb, rule)[0] != "independent"
        if _credited_copy(articles[a], articles[b], fa, fb, rule) or (
            derived and strong_link(fa, fb, aligner.get(a, b), rule)
        ):
            strong.append((a, b))
        elif derived and not fa.cross_lingual and not _other_agencies(articles[a], articles[b]):
            weak.append((max(closeness(fa), closeness(fb)), a, b))
    group = {m: k for k, members in enumerate(connected_groups(ids, strong)) for m in members}
    size = Counter(group.values())
    closest: dict[str, tuple[float, str]] = {}
    for value, a, b in weak:
        if group[a] == group[b]:
            continue
        for x, y in ((a, b), (b, a)):
            if size[group[x]] == 1 and (x not in closest or (value, y) > closest[x]):
                closest[x] = (value, y)
    return sorted(strong + [tuple(sorted((x, y))) for x, (_, y) in closest.items()])


def strong_link(fa: RelationFeatures, fb: RelationFeatures, alignment: Alignment, rule: RelationRule) -> bool:
    """Evidence a copy desk would accept that one version derives from the other (or both from one
    text): a sentence kept word for word or lightly edited, or much of one version carried with
    copied wording (Clough & Stevenson's trigram containment); across languages, much of one carried."""
    coverage = max(fa.child_coverage, fb.child_coverage)
    if fa.cross_lingual:
        return coverage >= rule.min_shared
    if any(p.kind in ("verbatim", "light-edit") for p in alignment.pairs):
        return True
    return coverage >= rule.min_shared and max(fa.copied_share, fb.copied_share) >= FAMILY_MIN_COPIED


def _other_agencies(a: Article, b: Article) -> bool:
    """Each version is (or credits) an agency, and they name none in common: two agencies' reports."""
    def agencies(x: Article) -> set[str]:
        own = outlet_agency(x.outlet)
        return set(copied_from_agencies(x)) | ({own} if own else set())

    mine, theirs = agencies(a), agencies(b)
    return bool(mine) and bool(theirs) and not (mine & theirs)


def _credited_copy(
    a: Article, b: Article, fa: RelationFeatures, fb: RelationFeatures, rule: RelationRule
) -> bool:
    """Two versions crediting the same agency and sharing several statements: a rewrite of its copy.

    A human rewrite re-words everything, so its alignment alone can look like own reporting; the
    credit line ("told The Associated Press") is the evidence a desk editor would use.
    """
    common = set(credited_agencies(a)) & set(credited_agencies(b))
    coverage = max(fa.child_coverage, fb.child_coverage)
    enough = fa.aligned_child >= MIN_CREDITED_SHARED and coverage >= rule.min_shared / 2
    return bool(common) and enough


def credited_source(family: list[str], articles: dict[str, Article]) -> tuple[str | None, set[str], list[str]]:
    """The agency the family's copies credit, its own versions in the family, and the crediting copies.

    A version from outlet X crediting agency Y != X is a copy of Y's wire; when enough of the family
    says so, Y is the source: its own version (outlet Y) is the origin, and without one the origin is
    missing and credited to Y.
    """
    counts: Counter = Counter()
    crediting: dict[str, list[str]] = {}
    for m in family:
        for agency in copied_from_agencies(articles[m]):
            counts[agency] += 1
            crediting.setdefault(agency, []).append(m)
    if not counts:
        return None, set(), []
    agency, n = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if n < max(1.0, CREDIT_MIN_SHARE * len(family)):
        return None, set(), []
    own = {m for m in family if outlet_agency(articles[m].outlet) == agency}
    return agency, own, sorted(crediting[agency])


def witness_groups(family: list[str], pairs: list[tuple[str, str]], aligner: Aligner) -> dict[str, int]:
    """Witness group of each member: a version and its near-copy count as one witness.

    Mutations are inherited downstream: a copy of a copy repeats its parent's readings and
    additions, so the two are one voice, not two. Near-copies are mutual nearest neighbours (by
    `closeness`) at least NEAR_COPY close; pairing only mutual nearest keeps the grouping from
    chaining a whole family of light edits into one witness.
    """
    close: dict[str, tuple[float, str]] = {}
    for a, b in sorted(pairs):
        if a not in family or b not in family:
            continue
        value = max(closeness(aligner.features(a, b)), closeness(aligner.features(b, a)))
        for x, y in ((a, b), (b, a)):
            if x not in close or (value, y) > close[x]:
                close[x] = (value, y)
    order = sorted(family)
    links = [
        (x, y) for x, (value, y) in close.items() if value >= NEAR_COPY and close.get(y, (0.0, ""))[1] == x and x < y
    ]
    return {m: k for k, group in enumerate(connected_groups(order, links)) for m in group}
