"""A family's origin: rank its versions, test the best, and say why it is not the origin when the
evidence says the origin is missing from the corpus.

In the order a textual critic would use it: shared readings (a version with minority readings or
readings of its own is a copy), fullness (the origin carries what the others share; an excerpt is
no parent of a fuller text), sentence order (an order every independent copy reverses is a
copy's), then publication time and a wire dateline for what the text cannot decide. When the best
version's only fault is added lines or spinning, the version it reads as copied from is weighed
in its place (`alternative_origin`, `fuller_text_first`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from wiretrace.align.aligner import Units
from wiretrace.align.edits import token_similarity
from wiretrace.align.sentences import lower_tokens
from wiretrace.data import AlignedPair, Article
from wiretrace.lineage.features import in_order_length
from wiretrace.lineage.innovations import order_inversions
from wiretrace.lineage.kin import kin_of, shared_with_kin
from wiretrace.lineage.readings import (
    ODD_SWAPS_MIN,
    figures_phrase,
    plainer_witness,
    plainer_witnesses,
    plainer_word,
)
from wiretrace.lineage.relations import DEFAULT_RULE, RelationRule, classify, swaps_phrase
from wiretrace.lineage.ties import unaligned_body
from wiretrace.lineage.versions import (
    MIN_INDEPENDENT_CARRIERS,
    Aligner,
    Member,
    added_sentences,
    lacked_sentences,
    without_dateline,
)

# An in-corpus origin may show at most this many minority readings per 100 aligned tokens ...
ORIGIN_MAX_MINORITY = 1.0
# ... and at most this many readings of its own where two or more other versions agree on another.
ORIGIN_MAX_UNIQUE_READINGS = 0
# ... and must carry this share of what each other version shares with the family.
ORIGIN_MIN_CONTAINMENT = 0.8
# a copy adds a line of its own (a sign-off, a plug); a fuller text with more is no such copy
ADDED_LINES_MAX = 1
# Readings compared per version when ranking (keeps big families linear).
CENTRALITY_MAX_READINGS = 16
# An in-corpus origin has at most this many words of its own where all other readings agree.
ORIGIN_MAX_OWN_READINGS = 0
# Below this share of its sentences in the family order, a version moved paragraphs.
REORDERED_MAX = 0.85


def published_rank(members: list[Member]) -> dict[str, float]:
    """1.0 for the earliest publication, 0.0 for the latest, 0.5 when unknown."""
    dated = sorted({m.article.published for m in members if m.article.published})
    if len(dated) < 2:
        return {m.id: 0.5 for m in members}
    pos = {d: 1.0 - k / (len(dated) - 1) for k, d in enumerate(dated)}
    return {m.id: pos.get(m.article.published or "", 0.5) for m in members}


def alternative_origin(
    top: Member,
    ranked: list[Member],
    verdict: list[tuple[str, str]],
    too_late: set[str],
    witnesses: dict[str, int],
    aligner: Aligner,
    furniture: dict[str, set[int]],
    datelines: dict[str, set[str]],
) -> Member | None:
    """The version to weigh as the origin instead of `top` when `top`'s only fault reads as the act
    of a copy made from another version of the family, or None.

    A top whose only fault is lines of its own that independent full copies all lack is a full copy
    that added them: the best-ranked full copy without them may be the origin. A top whose only
    fault is spinning (odd synonyms where another version reads the common words: see
    `plainer_witness`) was spun from a plainer text, and the ranking put it first only because the
    spinner's reprints outvote that text: the best-ranked version it reads as spun from may be the
    origin (not the witness with most plain sentences: that may be an edited copy of the plain
    text, a reorder, say). The alternative must pass the origin test itself, and only one is
    weighed: a lower-ranked plain copy passing where the best-ranked one failed is more often a
    copy of a missing origin whose own edit went unnoticed."""
    rules = {rule for rule, _ in verdict}
    others = [m.id for m in ranked[1:] if m.shared]
    if rules == {"additions"}:
        _, candidates = added_sentences(top.id, others, witnesses, aligner, furniture)
    elif rules == {"spun"}:
        candidates = {w[0] for w in plainer_witnesses(top.id, others, aligner, furniture, datelines)}
    elif rules == {"order"}:
        candidates = _moved_from(top.id, others, witnesses, aligner, furniture)
    else:
        return None
    return next((m for m in ranked[1:] if m.id in candidates and m.id not in too_late), None)


def _moved_from(
    top: str, others: list[str], witnesses: dict[str, int], aligner: Aligner, furniture: dict[str, set[int]]
) -> set[str]:
    """The versions `top` may have moved paragraphs from, when its order of its own (`_own_order`)
    is its fault: those that keep the order the independent copies keep at every such pair."""
    skip = furniture.get(top, set())
    pairs = _own_order(top, [top, *others], witnesses, aligner, skip)
    return _order_keepers(top, pairs, others, aligner, skip) if pairs else set()


def fuller_text_first(
    ranked: list[Member],
    too_late: set[str],
    agency_own: set[str],
    aligner: Aligner,
    rule: RelationRule,
    furniture: dict[str, set[int]],
) -> list[Member]:
    """`ranked` with the fuller text moved ahead of a top version that is an excerpt of it.

    An excerpt cannot be the source of the fuller text it lies inside: the fuller text holds
    material the excerpt lacks, and a copy that added it would have added half a story. Scores
    reward what versions share, so a wire and its lead excerpts tie on shared material and the
    wire's unshared rest (which nobody quoted) counts against it. The relation classifier, which
    tells an excerpt from a full copy with a sign-off added, says whether the top is an excerpt of
    another version; it lies inside that version when the material it shares with the family
    (not its own commentary) is there (ORIGIN_MIN_CONTAINMENT, as for the "containment" reason). The
    best-ranked such version (not later than the top, and not outranked by the agency's own
    version) moves ahead, repeatedly, until the top is an excerpt of none. A fuller text whose only
    surplus is a line (ADDED_LINES_MAX body sentences) may as well be a copy that added a
    sign-off or a plug: the scores decide that case. Structure cannot tell an excerpt inside its
    fuller text from a full text quoted inside commentary, so the surplus must also read as the
    text's continuation: another version carries some of it (a wire's other excerpts), or it reads
    as news body, not a commentator's voice (`opinion_voice`, English cues; in other languages a
    surplus nobody carries leaves the scores' order, as before this rule).
    """

    def lies_inside(part: Member, whole: str) -> bool:
        pairs = [p for p in aligner.get(part.id, whole).pairs if p.a in part.shared]
        # each shared sentence in a place of its own: a page that repeats itself is not inside one
        # that says it once
        places = min(len({p.a for p in pairs}), len({p.b for p in pairs}))
        return bool(part.shared) and places >= ORIGIN_MIN_CONTAINMENT * len(part.shared)

    def reads_as_fuller_text(part: str, whole: str, rest: set[int]) -> bool:
        # another version carrying some of the surplus makes it the text's continuation (a wire's
        # other excerpts); a surplus nobody carries is the whole's own, and a whole that wraps the
        # part in commentary is a blog quoting it, not its source
        others = (m.id for m in ranked if m.id not in (part, whole))
        if any(rest & {p.b for p in aligner.get(o, whole).pairs} for o in others):
            return True
        units = aligner.units[whole]
        if (units.language or "en") != "en":
            return False  # the register cues are English: without a carrier, keep the scores' order
        return not opinion_voice([units.texts[i] for i in sorted(rest)])

    seen = {ranked[0].id}
    while ranked[0].id not in agency_own:
        top = ranked[0]
        fuller = next(
            (
                m
                for m in ranked[1:]
                if m.id not in seen
                and (m.id not in too_late or top.id in too_late)
                and classify(aligner.features(top.id, m.id), rule)[0] == "excerpt"
                and lies_inside(top, m.id)
                and len(rest := unaligned_body(top.id, m.id, aligner, furniture)) > ADDED_LINES_MAX
                and reads_as_fuller_text(top.id, m.id, rest)
            ),
            None,
        )
        if fuller is None:
            break
        seen.add(fuller.id)
        ranked = [fuller, *(m for m in ranked if m.id != fuller.id)]
    return ranked


_QUOTED = re.compile(r"[\"\u201c\u201d\u00ab\u00bb][^\"\u201c\u201d\u00ab\u00bb]*[\"\u201c\u201d\u00ab\u00bb]")
_READER_VOICE = re.compile(r"\b(?:i|i'm|i've|me|my|we|we're|we've|us|our|ours|you|you're|your|yours)\b")


def opinion_voice(lines: list[str]) -> bool:
    """Whether most `lines` speak in a commentator's voice (English cues): outside quotes, a first
    or second person ("we", "our", "I", "you") or a question. A news body reports in the third
    person and keeps its sources' "we" inside quotes; a blog or column talks to its readers."""
    if not lines:
        return False
    voiced = 0
    for line in lines:
        bare = _QUOTED.sub(" ", line).lower()
        if _READER_VOICE.search(bare) or bare.rstrip().endswith("?"):
            voiced += 1
    return 2 * voiced > len(lines)


def missing_origin_reasons(
    top: Member,
    ranked: list[Member],
    own: dict[str, list[tuple[str, str]]],
    reordered: set[str],
    hub: str,
    to_hub: dict[str, dict[int, int]],
    witnesses: dict[str, int],
    aligner: Aligner,
    articles: dict[str, Article],
    credit: tuple[str | None, set[str], list[str]],
    furniture: dict[str, set[int]],
    datelines: dict[str, set[str]],
    spun_from: bool = False,
    rule: RelationRule = DEFAULT_RULE,
) -> list[tuple[str, str]]:
    """Why the family's most origin-like version `top` is not its origin, as (rule, evidence) pairs;
    none when it is. Rules: "credit" (the copies credit an agency none of whose own versions is
    here), "readings" (readings of its own where the others agree), "figures" (a figure two or
    more witnesses read otherwise: copies keep figures, so the one that differs changed it), "own
    words", "order",
    "spun" (another version reads the common words where it reads odd synonyms: see
    `plainer_witness`), "containment" (most versions share material it lacks), "additions"
    (lines of its own that independent full copies all lack: see `added_sentences`), "coverage"
    (sentences independent versions share are missing from it); containment and coverage are read
    over its kin only (`lineage/kin.py`: what versions sharing no copied wording with it carry is
    another report's). Readings and own words do not
    count when its readings of its own are the common words at ODD_SWAPS_MIN or more places net:
    the others then agree because they are one spinner's branch. The agency's own version,
    credited by its copies, is the origin whatever textual noise (a write-thru, a trimmed
    paragraph) says otherwise. `spun_from`: `top` is weighed as the text a spun version was spun
    from; then all its minority readings, not only its unique ones, are read for the spinners' vote
    (independent spinners sharing one synonym table outvote the plain text together, so none of its
    readings is unique)."""
    source_agency, agency_own, copies_crediting = credit
    if top.id in agency_own:
        return []
    reasons: list[tuple[str, str]] = []
    family = len(ranked)
    if source_agency and not agency_own and articles[top.id].outlet:
        reasons.append((
            "credit",
            f"{len(copies_crediting)} of {family} versions credit {source_agency} and none is "
            f"{source_agency}'s own (its most origin-like version, {top.id}, is from {articles[top.id].outlet})",
        ))
    # where the others agree on odd synonyms and it reads the common words, they are a spun branch:
    # their vote says nothing against the text they were spun from (readings and own words alike)
    language = aligner.units[top.id].language or "en"
    read = top.minority_readings if spun_from else top.unique
    plain_net = sum(
        plainer_word(mine, theirs, language) - plainer_word(theirs, mine, language) for theirs, mine in read
    )
    outvoted_by_spinner = plain_net >= ODD_SWAPS_MIN
    too_many_readings = top.minority_rate > ORIGIN_MAX_MINORITY or len(top.unique) > ORIGIN_MAX_UNIQUE_READINGS
    if too_many_readings and not outvoted_by_spinner:
        reasons.append((
            "readings",
            f"even its most origin-like version, {top.id}, has {len(top.unique)} readings of its own "
            f"where others agree{_among(top.unique_substitutions)}",
        ))
    if len(own.get(top.id, [])) > ORIGIN_MAX_OWN_READINGS and not outvoted_by_spinner:
        reasons.append((
            "own words",
            f"even its most origin-like version, {top.id}, has {len(own[top.id])} words of its own where "
            f"the others agree ({swaps_phrase(own[top.id])})",
        ))
    if top.minority_figures:
        reasons.append((
            "figures",
            f"even its most origin-like version, {top.id}, reads {figures_phrase(len(top.minority_figures))} that two "
            f"or more others read otherwise ({swaps_phrase(top.minority_figures)}): changed in it, not in them",
        ))
    if top.id in reordered:
        reasons.append(("order", f"even its most origin-like version, {top.id}, orders sentences unlike the others"))
    else:
        others = [m.id for m in ranked if m.shared]
        transposed = _own_order(top.id, others, witnesses, aligner, furniture.get(top.id, set()))
        if transposed:
            reasons.append((
                "order",
                f"even its most origin-like version, {top.id}, has {len(transposed)} pairs of sentences in an order of "
                "its own, where independent versions all keep the other order",
            ))
    # material shared between versions but missing from the candidate: one such version may be
    # a copy of a copy that added it; when most are, they descend from something else. Read over
    # the candidate's kin only: what versions sharing no copied wording with it carry is another
    # report's material (see `lineage/kin.py`)
    kin = kin_of(top.id, [m.id for m in ranked[1:] if m.shared], aligner, rule)
    lacking = []
    for other in ranked[1:]:
        if other.id not in kin:
            continue
        material = shared_with_kin(other, top.id, kin)
        if not material:
            continue
        al = aligner.get(other.id, top.id)
        if len({p.a for p in al.pairs} & material) < ORIGIN_MIN_CONTAINMENT * len(material):
            lacking.append(other.id)
    if lacking and len(lacking) * 2 > len(kin):
        reasons.append(("containment", f"{len(lacking)} of {len(kin)} versions share material that {top.id} lacks"))
    plainer = plainer_witness(top.id, [m.id for m in ranked[1:] if m.shared], aligner, furniture, datelines)
    if plainer:
        witness, sentences, swaps = plainer
        reasons.append((
            "spun",
            f"even its most origin-like version, {top.id}, reads odd words where {witness} reads common ones, "
            f"in {sentences} sentences ({swaps_phrase(swaps)}): spinning replaces common words, never the reverse",
        ))
    added, _ = added_sentences(top.id, [m.id for m in ranked[1:] if m.shared], witnesses, aligner, furniture)
    if added:
        reasons.append((
            "additions",
            f"{len(added)} sentences of {top.id}, its most origin-like version, are in no other version, though "
            "independent versions carry all the rest of it: a copy added them",
        ))
    dropped = lacked_sentences(top.id, hub, to_hub, witnesses, aligner, among=kin)
    if dropped:
        reasons.append((
            "coverage",
            f"{len(dropped)} sentences that independent versions share are missing from {top.id}, its most "
            "origin-like version",
        ))
    return reasons


def _own_order(
    top: str,
    family: list[str],
    witnesses: dict[str, int],
    aligner: Aligner,
    skip: set[int] | frozenset = frozenset(),
) -> set[tuple[int, int]]:
    """The pairs of `top`'s sentences (earlier, later) it has in an order of its own: pairs every other version
    carrying both has the other way round, those versions being MIN_INDEPENDENT_CARRIERS or more
    witness groups (`witnesses`).

    Sentence order is a reading like any word: copies keep their source's order unless an editor
    moves a paragraph, so where independent copies all agree on an order and one version has
    another, that version moved it and is no origin. `reordered_versions` sees only a version whose order
    is far from the hub's; one transposed pair is as much a change, and the hub itself may be the
    version that moved it. Read in `top`'s own frame (each version's alignment to it, made by the
    containment test anyway): through the hub, one misaligned sentence of `top` would read as a
    pair every copy has the other way. `top`'s headline and byline (`skip`) do not count.
    """
    against: dict[tuple[int, int], set[int]] = {}  # (earlier, later) in top -> groups reading later first
    read: list[tuple[dict[int, int], set[tuple[int, int]]]] = []  # each other version's places and flipped pairs
    for m in sorted(family):
        if m == top or witnesses.get(m) == witnesses.get(top):
            continue
        places = _sentence_places(m, top, aligner, skip)
        if len(places) < 2:
            continue
        # (earlier, later) in top, for each pair m reads the other way round
        flipped = set(order_inversions([(i, j) for j, i in places.items()]))
        for pair in flipped:
            against.setdefault(pair, set()).add(witnesses.get(m, -1))
        read.append((places, flipped))
    # a pair some other version carries in top's order is no order of top's own; only the few pairs
    # enough groups reverse are looked up, not every pair of every version (quadratic in its length)
    own = {pair for pair, groups in against.items() if len(groups) >= MIN_INDEPENDENT_CARRIERS}
    for places, flipped in read:
        own = {(x, y) for x, y in own if not (x in places and y in places and (x, y) not in flipped)}
        if not own:
            break
    return own


def _sentence_places(version: str, top: str, aligner: Aligner, skip: set[int] | frozenset) -> dict[int, int]:
    """Where `version` has each sentence of `top` it carries: top sentence -> its first sentence there."""
    places: dict[int, int] = {}
    for p in sorted(aligner.get(version, top).pairs, key=lambda p: (p.a, p.b)):
        if p.b not in skip:
            places.setdefault(p.b, p.a)
    return places


def _order_keepers(
    top: str, pairs: set[tuple[int, int]], others: list[str], aligner: Aligner, skip: set[int] | frozenset
) -> set[str]:
    """The versions of `others` that have every one of `top`'s own-order `pairs` the other way round
    (the order the independent copies keep): the texts `top` may have moved the paragraphs from."""
    keepers = set()
    for m in others:
        places = _sentence_places(m, top, aligner, skip)
        if all(a in places and b in places and places[b] < places[a] for a, b in pairs):
            keepers.add(m)
    return keepers


def centrality(
    hub: str,
    to_hub: dict[str, dict[int, int]],
    units: dict[str, Units],
    skip: set[int] | frozenset = frozenset(),
    datelines: dict[str, set[str]] | None = None,
) -> dict[str, float]:
    """Mean similarity of each version's readings to the other readings of the same sentence.

    Every copy deviates from its source in its own way, so the source's wording sits at the centre
    of the star: this is the majority-reading principle of textual criticism, made graded. A
    leading dateline's words (`datelines`, per version) are left out of a reading: copies keep or
    strip a wire's dateline as house style, so a wire that keeps its own must not read as off-centre.
    """
    datelines = datelines or {}
    readings: dict[int, list[tuple[str, int]]] = {j: [(hub, j)] for j in range(len(units[hub].texts)) if j not in skip}
    for m in sorted(to_hub):
        for i, j in sorted(to_hub[m].items()):
            if j in readings:
                readings[j].append((m, i))
    totals: dict[str, list[float]] = {}
    for _j, group in sorted(readings.items()):
        if len(group) < 3:
            continue  # two readings: no majority to speak of
        group = sorted(
            group, key=lambda r: hashlib.blake2b(f"{r[0]}#{r[1]}".encode(), digest_size=8).digest()
        )
        group = group[:CENTRALITY_MAX_READINGS]
        texts = [without_dateline(units[m].texts[i], datelines.get(m)) for m, i in group]
        # the similarity is symmetric: each pair of readings is compared once
        matrix = [[1.0] * len(group) for _ in group]
        for k in range(len(group)):
            for o in range(k + 1, len(group)):
                matrix[k][o] = matrix[o][k] = token_similarity(texts[k], texts[o])
        means = []
        for k in range(len(group)):
            means.append(sum(matrix[k][o] for o in range(len(group)) if o != k) / (len(group) - 1))
        # relative to the sentence's most central reading: sentences differ in how much copies
        # changed them, and a version that dropped a much-changed sentence must not gain by it
        top = max(means) or 1.0
        for (m, _), value in zip(group, means, strict=True):
            totals.setdefault(m, []).append(value / top)
    return {m: sum(v) / len(v) for m, v in totals.items()}


def own_readings(
    hub: str,
    to_hub: dict[str, dict[int, int]],
    units: dict[str, Units],
    datelines: dict[str, set[str]] | None = None,
    skip: set[int] | frozenset = frozenset(),
) -> dict[str, list[tuple[str, str]]]:
    """Per version, the words of a sentence where it alone departs from what all other readings agree on.

    A copy adds changes of its own (a number, a "not", a swapped word), an origin has none: any
    word only one reading has, or that every other reading (two or more) has but it lacks, is an
    own reading. Listed as (what the others read, what it reads) with "" for nothing. The words of a
    dateline ("KABUL (AP) —") are not readings: copies keep or strip it as house style; nor are the
    hub sentences in `skip` (its headline and byline).
    """
    datelines = datelines or {}
    # words of each version's reading of each hub sentence (a sentence split in two reads as one)
    words: dict[int, dict[str, set[str]]] = {
        j: {hub: set(lower_tokens(t))} for j, t in enumerate(units[hub].texts) if j not in skip
    }
    for m in sorted(to_hub):
        for i, j in sorted(to_hub[m].items()):
            if j not in words:
                continue
            words[j].setdefault(m, set()).update(lower_tokens(units[m].texts[i]))
    out: dict[str, list[tuple[str, str]]] = {}
    for j in sorted(words):
        if len(words[j]) < 3:
            continue  # fewer than three witnesses: no vote
        voters = sorted(words[j], key=lambda m: hashlib.blake2b(f"{m}#{j}".encode(), digest_size=8).digest())
        voters = voters[:CENTRALITY_MAX_READINGS]
        support = Counter(w for m in voters for w in words[j][m])
        n = len(voters)
        stamp = {w for o in voters for w in datelines.get(o, set())}
        # who reads each word in the neighbouring sentences: a word is "around" a version when
        # another version reads it there (one pass per sentence, not one per version)
        owners: dict[str, set[str]] = {}
        for k in (j - 1, j + 1):
            for o, ws in words.get(k, {}).items():
                for w in ws:
                    owners.setdefault(w, set()).add(o)
        for m in voters:
            # a sentence boundary drawn elsewhere moves words to the next reading: not an own reading
            nearby = {w for k in (j - 1, j + 1) for w in words.get(k, {}).get(m, set())}
            mine = sorted(
                w
                for w in words[j][m]
                if support[w] == 1 and not _read_by_another(owners.get(w), m) and w not in stamp
            )
            lost = sorted(
                w
                for w, c in support.items()
                if c == n - 1 and w not in words[j][m] and w not in nearby and w not in stamp
            )
            if mine or lost:
                found = out.setdefault(m, [])
                found.extend(("", w) for w in mine)
                found.extend((w, "") for w in lost)
    return out


def _read_by_another(readers: set[str] | None, version: str) -> bool:
    return bool(readers) and (len(readers) > 1 or version not in readers)


def reordered_versions(hub: str, to_hub: dict[str, dict[int, int]]) -> set[str]:
    """Versions whose sentences run in an order of their own (paragraphs moved)."""
    def in_order(mapping: dict[int, int]) -> float:
        pairs = [AlignedPair(a=i, b=j, similarity=0.0, kind="") for i, j in mapping.items()]
        return in_order_length(pairs) / max(1, len(pairs))

    out = {m for m, mapping in to_hub.items() if len(mapping) >= 3 and in_order(mapping) < REORDERED_MAX}
    if len(to_hub) >= 2 and 2 * len(out) > len(to_hub):
        return {hub}  # most versions disagree with the hub's order: the hub moved its sentences
    return out


def _among(substitutions: list[tuple[str, str]]) -> str:
    """The readings shown as examples: only the trusted substitutions among them (edits.PairEdits),
    though all of them count, since a moved word is a reading of its own too."""
    return f", among them {swaps_phrase(substitutions)}" if substitutions else ""
