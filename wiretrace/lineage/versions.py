"""A story's versions as the tracer reads them: each member with its sentence units, the story's
alignments computed on demand, and the sentence-level evidence read off them (which sentences a
version lacks that independent witnesses carry, which lines it adds).

Shared by every other lineage module; nothing here decides an origin or a parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from wiretrace.align.aligner import Units, align_units
from wiretrace.align.edits import compared
from wiretrace.align.sentences import lower_tokens
from wiretrace.align.story import StoryAlignments, flipped
from wiretrace.data import Alignment, Article
from wiretrace.lineage.features import RelationFeatures, relation_features
from wiretrace.stories.cluster import components

# An added sentence counts as a trace of copying from this many words (shorter ones recur by chance).
MIN_ADDED_WORDS = 5
# A sentence this many independent witnesses carry belongs to the origin (it cannot lack it).
MIN_INDEPENDENT_CARRIERS = 2


@dataclass(slots=True)
class Member:
    id: str
    units: Units
    article: Article
    shared: set[int] = field(default_factory=set)  # own sentences aligned to another family member
    support: dict[int, set[str]] = field(default_factory=dict)  # sentence -> members carrying it
    minority: int = 0  # single-word readings less attested than the other version's
    minority_readings: list[tuple[str, str]] = field(default_factory=list)  # (majority reading, own reading)
    unique: list[tuple[str, str]] = field(default_factory=list)  # (majority reading, own reading)
    # the unique readings that are substitutions a person can trust (PairEdits.substitutions), once
    # per sentence they stand in (not once per version they were read against): shown
    unique_substitutions: list[tuple[str, str]] = field(default_factory=list)
    minority_figures: list[tuple[str, str]] = field(default_factory=list)  # (majority figure, own figure)
    aligned_tokens: int = 0
    score: float = 0.0

    @property
    def minority_rate(self) -> float:
        return 100.0 * self.minority / max(1, self.aligned_tokens)


class Aligner:
    """Alignments of one story, computed on demand and kept (each pair once, each direction read once).

    `get` returns a shared instance per (a, b): a pair is asked for tens of times per story, and
    flipping the stored direction each time cost more than looking it up. Do not mutate it.
    """

    def __init__(self, units: dict[str, Units], store: StoryAlignments) -> None:
        self.units = units
        self.store = store
        self._features: dict[tuple[str, str], RelationFeatures] = {}
        self._read: dict[tuple[str, str], Alignment] = {}

    def get(self, a: str, b: str) -> Alignment:
        found = self._read.get((a, b))
        if found is not None:
            return found
        found = self.store.all.get((a, b))
        if found is None:
            stored = self.store.all.get((b, a))
            if stored is None:
                lo, hi = sorted((a, b))
                self.store.add(align_units(self.units[lo], self.units[hi]))
                stored = self.store.all[(lo, hi)]
            found = stored if (stored.a, stored.b) == (a, b) else flipped(stored)
        self._read[(a, b)] = found
        return found

    def features(self, child: str, parent: str) -> RelationFeatures:
        """Relation features of `child` against `parent` (computed once; do not mutate)."""
        if (child, parent) not in self._features:
            uc, up = self.units[child], self.units[parent]
            cross = bool(uc.language and up.language and uc.language != up.language)
            pairs = self.get(child, parent).pairs
            self._features[(child, parent)] = relation_features(uc.texts, up.texts, pairs, cross)
        return self._features[(child, parent)]


# Sentence vectors whose mean ranks versions poorly, and the encoder whose mean stands in for them. The static
# encoder's vectors share a large common direction (unrelated sentences meet at a cosine of ~0.3), so the mean
# of a version's vectors tells its nearest versions apart worse than USE's did (generated train, static
# alignment: parent accuracy 0.811 with static means, 0.824 with hashed word n-grams, 0.838 with USE's).
DOC_VECTOR_ENCODER = {"use-static": "hash"}


def doc_vectors(units: list[Units]) -> np.ndarray:
    """Each version's mean sentence vector, normalised: what its nearest versions are ranked by."""
    stand_in = DOC_VECTOR_ENCODER.get(units[0].encoder) if units else None
    if stand_in is not None:
        from wiretrace.embed import get_encoder

        encoder = get_encoder(stand_in)
        units = [replace(u, vectors=encoder.encode(u.texts)) if u.texts else u for u in units]
    dim = max((u.vectors.shape[1] for u in units if u.vectors.size), default=1)
    out = np.zeros((len(units), dim), dtype=np.float32)
    for k, u in enumerate(units):
        if u.vectors.size:
            v = u.vectors.mean(axis=0)
            out[k] = v / (np.linalg.norm(v) or 1.0)
    return out


def connected_groups(ids: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Connected components of `ids`, each sorted, ordered by their smallest id."""
    order = sorted(ids)
    rank = {x: k for k, x in enumerate(order)}
    groups = components(len(order), [(rank[a], rank[b]) for a, b in edges])
    return [[order[k] for k in group] for group in groups]


def without_dateline(text: str, stamp: set[str] | None) -> str:
    """`text` without the leading words of its dateline (`stamp`), as space-joined words; `text`
    itself when it does not open with them."""
    if not stamp:
        return text
    words = lower_tokens(text)
    rest = after_dateline(words, stamp)
    return " ".join(rest) if len(rest) < len(words) else text


def after_dateline(words: list[str], stamp: set[str] | frozenset[str]) -> list[str]:
    """`words` without their leading run of dateline words (`stamp`)."""
    start = 0
    while start < len(words) and words[start] in stamp:
        start += 1
    return words[start:]


@lru_cache(maxsize=65536)
def folded_word_set(text: str) -> frozenset[str]:
    """The case-folded words of a sentence, as a set (cached: a sentence is read in many pairs)."""
    return frozenset(w.casefold() for w in lower_tokens(text))


def lacked_sentences(
    top: str,
    hub: str,
    to_hub: dict[str, dict[int, int]],
    witnesses: dict[str, int],
    aligner: Aligner,
    among: set[str] | None = None,
) -> list[int]:
    """Hub sentences that two or more independent witnesses carry but `top` does not.

    An origin carries all the material its copies share: a sentence that independent copies have
    and the candidate lacks was dropped by the candidate (copies do not add the same sentence
    independently). Carriage is read both through the hub and directly against `top`, so a
    sentence the hub alignment missed is not counted as lacking. `among`: the only versions whose
    carriage counts (the candidate's kin, see `lineage/kin.py`); all when None.
    """
    carriers: dict[int, set[str]] = {}
    if hub != top and (among is None or hub in among):
        for j in range(len(aligner.units[hub].texts)):
            carriers.setdefault(j, set()).add(hub)
    for m, mapping in to_hub.items():
        if m == top or (among is not None and m not in among):
            continue
        for j in set(mapping.values()):
            carriers.setdefault(j, set()).add(m)
    held = set(range(len(aligner.units[hub].texts))) if top == hub else set(to_hub.get(top, {}).values())
    top_text = " ".join(lower_tokens(" ".join(aligner.units[top].texts)))
    in_top: dict[str, set[int]] = {}
    out: list[int] = []
    for j, found in sorted(carriers.items()):
        if j in held or len({witnesses[m] for m in found}) < MIN_INDEPENDENT_CARRIERS:
            continue
        if runs_in(aligner.units[hub].texts[j], top_text):
            continue  # top has these words in a row: a sentence boundary drawn elsewhere, not a lack
        # the carriers' own sentences at j: does top carry any of them by direct alignment?
        direct = False
        for m in sorted(found):
            if m not in in_top:
                in_top[m] = {p.a for p in aligner.get(m, top).pairs}
            own = [i for i, jj in to_hub.get(m, {}).items() if jj == j] if m != hub else [j]
            direct = direct or any(i in in_top[m] for i in own)
        if not direct:
            out.append(j)
    return out


def added_sentences(
    top: str, others: list[str], witnesses: dict[str, int], aligner: Aligner, furniture: dict[str, set[int]]
) -> tuple[list[int], set[str]]:
    """Body sentences of `top` that no other version carries, while MIN_INDEPENDENT_CARRIERS or more
    independent witnesses carry every other body sentence of it.

    A copy that keeps a whole text keeps its every line; two independent full copies dropping the
    same line, and only it, is unlikely, whereas a reprint adding a line of its own (a sign-off, a
    newsletter plug, a remark) is common. So such lines are the candidate's additions, and the
    family's full copies descend from a text without them. Excerpts carry too little to count as
    full copies; headlines and bylines are house style; a line whose words another version has in a
    row (split elsewhere) is not an addition. Reads only alignments the origin decision already has.
    """
    skip = furniture.get(top, set())
    body = [i for i in range(len(aligner.units[top].texts)) if i not in skip]
    carried = {m: {p.b for p in aligner.get(m, top).pairs} for m in others}
    seen = set().union(*carried.values()) if carried else set()
    added = [i for i in body if i not in seen and len(lower_tokens(aligner.units[top].texts[i])) >= MIN_ADDED_WORDS]
    rest = set(body) - set(added) - {i for i in body if i not in seen}
    if not added or not rest:
        return [], set()
    full = {m for m in others if rest <= carried[m]}
    if len({witnesses[m] for m in full}) < MIN_INDEPENDENT_CARRIERS:
        return [], set()
    texts = {m: " ".join(lower_tokens(" ".join(aligner.units[m].texts))) for m in others}
    added = [i for i in added if not any(runs_in(aligner.units[top].texts[i], t) for t in texts.values())]
    return added, full if added else set()


def runs_in(sentence: str, text: str) -> bool:
    """Whether the words of `sentence` run in a row in `text` (space-joined lower tokens).

    Sentence splitters disagree on abbreviations and line breaks ("Sgt." ending a line, "Mr."): a
    version split elsewhere shows a fragment ("Oehler.") that aligns to nothing yet is all there.
    """
    words = " ".join(lower_tokens(sentence))
    return bool(words) and f" {words} " in f" {text} "


def relation_kind(a: str, b: str, cross: bool) -> str:
    from wiretrace.align.edits import edit_kind

    return edit_kind(compared(a, b), cross)


def closeness(f: RelationFeatures) -> float:
    """How much of the child is a close copy of this parent: coverage times wording similarity."""
    if f.cross_lingual:
        return 0.5 * f.child_coverage
    return f.child_coverage * f.token_similarity
