"""A parent per version: place each version under the closest version whose mutations it inherits.

A child carries its parent's visible mutations (swapped words and figures, added lines, inserted or
cut words, a changed sentence order), beyond what chance explains given how often the family's
other versions make the same change (`FamilyRates`, Laplace-smoothed rates, p < 0.05). A version
lying inside an excerpt descends from it unless chance explains the shared cut.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from wiretrace.align.aligner import Units
from wiretrace.align.sentences import lower_tokens
from wiretrace.data import Article
from wiretrace.lineage.innovations import INNOVATION_KINDS, add_innovations
from wiretrace.lineage.timing import published_after
from wiretrace.lineage.versions import MIN_ADDED_WORDS, Aligner, after_dateline

# A child carries at least this share of its parent's visible mutations (mutations are inherited,
# not undone; the slack absorbs alignment noise). Two spins of one text share many swaps by chance
# (spinners use the same synonym tables), so a looser test would chain siblings.
INHERIT_MIN = 0.95
# A child lying wholly inside an excerpt, or carrying the lines a candidate added, descends from it
# unless sharing that by chance is at least this likely (a significance level: see `FamilyRates`).
CONTAINMENT_MAX_CHANCE = 0.05
# What a copy inherits as lines of its source, weighed by how often the family repeats them: the
# sentences it added and its innovations inside kept sentences (see `lineage/innovations.py`).
INHERITED_LINES = ("add", *INNOVATION_KINDS)


def place_by_inheritance(
    versions: list[str],
    root: str,
    mutations: dict[str, set | None],
    articles: dict[str, Article],
    origin_size: int | None = None,
) -> dict[str, str]:
    """A parent per version: the closest ancestor whose mutations it carries, else `root`.

    A parent has a subset of its child's mutations, so versions with fewer mutations are placed
    first; a version published after another cannot be its parent. `origin_size` (sentences of the
    root) lets an excerpt be a parent by containment (see `closest_ancestor`).
    """
    rates = FamilyRates.of(mutations, origin_size) if origin_size else None
    order = sorted(versions, key=lambda m: (mutations[m] is None, _weight(mutations[m]), m))
    parents: dict[str, str] = {}
    for m in order:
        possible = [p for p in parents if not published_after(articles[p], articles[m])]
        parents[m] = closest_ancestor(m, possible, mutations, rates) or root
    second_chance(parents, root, mutations, articles, rates)
    return parents


def add_additions(mutations: set | None, texts: list[str], skip: set[int], stamp: set[str]) -> None:
    """Record, in place, the sentences a version added to the origin (not aligned to it, not its
    headline or byline) as ("add", words) mutations: a copy carries its parent's additions (the
    commentary around a quoted block, a reprint's credit line), so they are inherited like swaps.
    A leading dateline (`stamp`, house style) is not part of the words; fragments too short to be
    told apart by chance are left out."""
    if mutations is None:
        return
    for i, text in enumerate(texts):
        if i in skip:
            continue
        words = after_dateline(lower_tokens(text), stamp)
        if len(words) >= MIN_ADDED_WORDS:
            mutations.add(("add", " ".join(words)))


def add_origin_innovations(
    mutations: set | None,
    version: str,
    origin: str,
    aligner: Aligner,
    units: dict[str, Units],
    furniture: dict[str, set[int]],
    datelines: dict[str, set[str]],
) -> None:
    """Record, in place, the words `version` inserted or cut in the sentences it kept
    from the in-corpus `origin`, and the order it changed (see `lineage/innovations.py`): a copy
    inherits a negation or a moved paragraph as it inherits a swapped word. Headlines and bylines
    of either text are house style, as are dateline words."""
    pairs = [(p.a, p.b) for p in aligner.get(version, origin).pairs if p.b not in furniture[origin]]
    add_innovations(
        mutations, units[version].texts, units[origin].texts, pairs, furniture[version],
        datelines[version] | datelines[origin],
    )


def _weight(mutations: set | None) -> float:
    if mutations is None:
        return float("inf")
    return sum(1.0 if m[0] == "swap" else 0.5 for m in mutations)


@dataclass(slots=True)
class FamilyRates:
    """How many versions of a family keep each origin sentence, and carry each added sentence: how
    likely a version is to share them without copying.

    Copies keep the lead more often than the tail, and a sentence every copy drops says nothing
    about who copied whom: a version lying inside an excerpt by chance is judged against these
    rates, not against sentences drawn uniformly. Likewise an added line many versions carry
    (boilerplate such as "Share this article") is no trace of copying. `cuts` counts the versions
    that kept a lead and dropped the rest, by where they cut (see `chance_inside`).
    `editor_drops` holds, per version that changed words (a swap), the origin sentences it lacks
    (see `editor_keeps_whole`).
    """

    size: int
    counts: list[int]
    voters: int
    added: Counter = field(default_factory=Counter)
    cuts: Counter = field(default_factory=Counter)
    editor_drops: list[frozenset[int]] = field(default_factory=list)
    _memo: dict = field(default_factory=dict)  # (child drops, container drops) -> chance; editor tests

    @classmethod
    def of(cls, mutations: dict[str, set | None], size: int) -> FamilyRates:
        counts = [0] * size
        voters = 0
        added: Counter = Counter()
        cuts: Counter = Counter()
        editor_drops: list[frozenset[int]] = []
        for found in mutations.values():
            if found is None:
                continue
            voters += 1
            for j in range(size):
                counts[j] += ("drop", j) not in found
            added.update(m for m in found if m[0] in INHERITED_LINES)
            cut = lead_cut(found, size)
            if cut is not None:
                cuts[cut] += 1
            if changed_words(found):
                editor_drops.append(_dropped(found))
        return cls(size=size, counts=counts, voters=voters, added=added, cuts=cuts, editor_drops=editor_drops)

    def chance_added(self, lines: set) -> float:
        """The chance that a version would carry all these added `lines` without copying them from
        one of the two versions compared: each at the rate the family's other versions carry it."""
        others = self.voters - 2
        chance = 1.0
        for line in sorted(lines):
            chance *= (self.added[line] - 2 + 1) / (others + 2)
        return chance

    def chance_inherited(self, lines: set) -> float:
        """`chance_added` for a source's added lines and innovations (see `lineage/innovations.py`),
        with a changed sentence order read as one innovation: one transposition crosses many pairs
        of sentences, and its copies carry them together, so their rates are not independent
        chances to multiply. The order counts at its commonest pair's rate."""
        crossed = sorted(line for line in lines if line[0] == "order")
        chance = self.chance_added(set(lines) - set(crossed))
        if crossed:
            chance *= max(self.chance_added({pair}) for pair in crossed)
        return chance

    def chance_inside(self, child: set, container: set) -> float:
        """The chance that `child`, were it copied from the origin, would keep nothing `container`
        dropped, given how many sentences it kept.

        Each version is taken to keep sentence j independently with the rate the family's other
        versions keep it (Laplace-smoothed, the two themselves left out); conditioning on the
        child's size keeps a short excerpt from looking improbable merely for being short. A child
        that kept the lead and nothing else is the excerpt anyone would cut: it lies inside every
        container that kept a longer lead, so containment says nothing of it (chance 1); only a
        cut at the very sentence where the container stopped is a coincidence worth weighing.
        """
        key = (
            frozenset(m[1] for m in child if m[0] == "drop"),
            frozenset(m[1] for m in container if m[0] == "drop"),
        )
        if key not in self._memo:
            self._memo[key] = self._chance_inside(child, container)
        return self._memo[key]

    def editor_keeps_whole(self, child: set, container: set) -> bool:
        """Whether `child`, a version that changed words and kept exactly the lines `container` kept
        (no more, no fewer), is better explained as an edit of `container` than as an edit of the
        origin that happened to lack the same lines.

        An excerpt's only act is its selection, so for an excerpt the coincidence is where it cut
        (`chance_inside`). A version that also changed words made two acts if it cut by itself, one
        if it edited the excerpt (parsimony: one selection inherited, not the same one made twice).
        Both likelihoods are read from the family's other word-changing versions (Laplace-smoothed,
        the child left out): under descent, the share that keep their source whole (they dropped
        nothing); by chance, the share that lack every line `container` dropped. Descent wins when
        it explains the child better (equal priors). Where editing copies often lack those very
        lines (a last line nobody aligns, a paragraph editors cut), chance wins.
        """
        lines = _dropped(container)
        if not lines or _dropped(child) != lines:
            return False
        key = ("editor", lines)
        if key not in self._memo:
            # the child is one of the editors, and lacks the lines (`child` drops exactly them)
            others = max(0, len(self.editor_drops) - 1)
            lacking = max(0, sum(lines <= d for d in self.editor_drops) - 1)
            cutting = max(0, sum(bool(d) for d in self.editor_drops) - 1)
            by_chance = (lacking + 1) / (others + 2)
            by_descent = 1.0 - (cutting + 1) / (others + 2)
            self._memo[key] = by_chance < by_descent
        return self._memo[key]

    def _chance_inside(self, child: set, container: set) -> float:
        others = self.voters - 2
        rates, inside, child_kept = [], [], 0
        for j in range(self.size):
            child_has, container_has = ("drop", j) not in child, ("drop", j) not in container
            child_kept += child_has
            rates.append((self.counts[j] - child_has - container_has + 1) / (others + 2))
            inside.append(container_has)
        lead = all(("drop", j) not in child for j in range(child_kept))
        if child_kept == 0:
            return 1.0
        if lead:
            if lead_cut(container, self.size) != child_kept:
                return 1.0  # a shorter lead lies inside any longer one
            # the same cut as the container's: the coincidence is where both stopped, read from
            # where the family's other lead excerpts stop (Laplace-smoothed over the cut points)
            cutters = sum(self.cuts.values()) - 2
            return min(1.0, (self.cuts[child_kept] - 2 + 1) / (cutters + max(1, self.size - 1)))
        everywhere = _count_distribution(rates)[child_kept]
        if everywhere <= 0.0:
            return 1.0
        within = _count_distribution([r for r, ok in zip(rates, inside, strict=True) if ok])
        if child_kept >= len(within):
            return 0.0
        outside = float(np.prod([1.0 - r for r, ok in zip(rates, inside, strict=True) if not ok]))
        return min(1.0, outside * within[child_kept] / everywhere)


def changed_words(mutations: set) -> bool:
    """Whether a version's mutations include a changed word or figure (a swap)."""
    return any(m[0] == "swap" for m in mutations)


def _dropped(mutations: set) -> frozenset[int]:
    """The origin sentences a version lacks."""
    return frozenset(m[1] for m in mutations if m[0] == "drop")


def lead_cut(mutations: set, size: int) -> int | None:
    """How many origin sentences a version kept when it kept a lead and dropped the rest (None when
    it kept all, none, or not a lead)."""
    kept = [("drop", j) not in mutations for j in range(size)]
    k = sum(kept)
    if 0 < k < size and all(kept[:k]):
        return k
    return None


def _count_distribution(rates: list[float]) -> list[float]:
    """P(exactly k kept) for k = 0..len(rates), each kept independently with its rate (Poisson binomial)."""
    dist = [1.0]
    for r in rates:
        nxt = [0.0] * (len(dist) + 1)
        for k, value in enumerate(dist):
            nxt[k] += value * (1.0 - r)
            nxt[k + 1] += value * r
        dist = nxt
    return dist


def closest_ancestor(
    child: str,
    candidates: list[str],
    mutations: dict[str, set | None],
    rates: FamilyRates | None = None,
) -> str | None:
    """The candidate whose mutations the child carries (mutations are inherited, never undone),
    and of those the one with most of them: the closest ancestor, as in phylogenetics.

    Inherited word swaps are the strongest evidence and rank first. A candidate without swaps is an
    ancestor when the child carries the lines it added (commentary, a reprint's own lines) or its
    other innovations (inserted words, a changed order: `lineage/innovations.py`), or lies
    inside it (an excerpt: the child kept none of what it dropped), and chance explains neither
    (below CONTAINMENT_MAX_CHANCE, read from the family's `rates`; for a child that also changed
    words and kept exactly the container's lines, see `FamilyRates.editor_keeps_whole`); of
    several containers the smallest wins; a candidate whose swaps all fell in sentences the child
    cut is judged so too (unseen swaps say nothing). Without `rates` only swaps count.
    """
    mine = mutations[child]
    if not mine:
        return None
    dropped = {m for m in mine if m[0] == "drop"}
    best: tuple[int, float, int, str] | None = None
    for p in candidates:
        theirs = mutations[p]
        if not theirs:
            continue
        if theirs.isdisjoint(mine):
            continue  # nothing in common (no swap, cut or line carried): every test below fails
        # swaps at sentences the child dropped cannot be seen, so they do not count against it
        visible = {m for m in theirs if m[0] == "drop" or (m[0] == "swap" and ("drop", m[1]) not in dropped)}
        carried = {m for m in visible if m in mine}
        added = {m for m in theirs if m[0] in INHERITED_LINES}
        carried_added = added & mine
        swaps = [m for m in visible if m[0] == "swap"]
        drops = [m for m in visible if m[0] == "drop"]
        kept_swaps = sum(m in carried for m in swaps)
        weight = _weight(carried)
        # a sentence the candidate dropped and the child still has: the child read a fuller text
        restored = sum(m not in dropped for m in drops)
        if restored > (1.0 - INHERIT_MIN) * len(drops):
            continue
        if swaps and (kept_swaps < INHERIT_MIN * len(swaps) or weight < INHERIT_MIN * _weight(visible)):
            continue
        if not swaps:
            # no swap to inherit (an excerpt, or its swaps fell where the child dropped): only the
            # lines it added or containment can tell a parent from a sibling. Swaps in sentences the
            # child cut are no evidence either way (a copy of the candidate and a copy of the origin
            # lack those sentences alike), so they do not bar the cut the two share from being weighed
            if rates is None:
                continue
            # a copy may cut some of the lines its source added (an excerpt of a commented copy
            # keeps the comment above the quote, not the one below): the lines it carries count
            inherits_additions = (
                bool(carried_added) and rates.chance_inherited(carried_added) < CONTAINMENT_MAX_CHANCE
            )
            # two excerpts of one text drop the same tail by chance
            contained = bool(drops) and (
                rates.chance_inside(mine, theirs) < CONTAINMENT_MAX_CHANCE
                or (changed_words(mine) and rates.editor_keeps_whole(mine, theirs))
            )
            if not inherits_additions and not contained:
                continue
        # of candidates the child carries as much of, the one with fewest changes it lacks: a copy
        # of the parent carries the parent's changes plus its own
        lacked = sum(m not in mine for m in visible) + len(added - carried_added)
        key = (kept_swaps + len(carried_added), weight + 0.5 * len(carried_added), -lacked, p)
        if best is None or key > best:
            best = key
    return best[3] if best else None


def second_chance(
    parents: dict[str, str],
    origin: str,
    mutations: dict[str, set | None],
    articles: dict[str, Article],
    rates: FamilyRates | None = None,
) -> None:
    """Re-attach versions to a closer ancestor placed after them, in place.

    Parents are first chosen in order of fewest mutations, so a copy of a copy that dropped
    sentences (and the swaps in them) can rank before its own parent and miss it, and hang on the
    origin or on its grandparent. Any version not published after it and not its own descendant
    (no cycles) may then be its parent, when the inheritance test of `closest_ancestor` says so;
    a version already below a member moves only further down its own line (to a descendant of its
    parent), never sideways to another branch, unless its parent was taken on shared lines alone
    (no changed word to inherit) and the new one has changed words it inherits: an excerpt of a
    spin lies inside a plain excerpt cut at the same sentence, but it reads the spin's words.
    """
    def ancestors(m: str) -> set[str]:
        seen: set[str] = set()
        while m in parents and m not in seen:
            seen.add(m)
            m = parents[m]
        return seen

    for m in sorted(parents):
        possible = [
            p
            for p in sorted(parents)
            if p != m and m not in ancestors(p) and not published_after(articles[p], articles[m])
        ]
        found = closest_ancestor(m, possible, mutations, rates)
        if found and (
            parents[m] == origin
            or parents[m] in ancestors(found)
            or (changed_words(mutations[found] or set()) and not changed_words(mutations[parents[m]] or set()))
        ):
            parents[m] = found
