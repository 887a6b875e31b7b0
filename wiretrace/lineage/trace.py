"""Lineage of one story: families of copies, their origins (found or inferred missing), a parent
and a relation per version.

Cost: each version is aligned to its few nearest versions (by mean sentence embedding) and to
the story pivot, so a story of n copies costs about (NEIGHBOURS + 1)·n alignments, not n².

Families: versions joined by strong derivation evidence (a sentence kept word for word or lightly
edited, much of a version carried with copied wording, a credit to the same agency); a version
joined only by weak evidence (a rewrite) attaches to the one family it is closest to, so rewrites
and shared stock sentences never chain two agencies' reports of one event into one family.

How direction is read, in the order a textual critic would use it:
1. shared readings: where two versions differ by a single word, the reading more versions of the
   family carry is the older one (mutations are inherited downstream, never undone), so a
   version with many minority readings cannot be the origin of the others (headlines, bylines and
   datelines are house style, not readings: see `lineage/furniture.py`);
2. fullness: a version that carries the material the others share is origin-like; an excerpt
   cannot be the parent of a fuller version, and a version lying inside a small excerpt, or
   carrying the lines a version added, descends from it unless chance explains it (a version that
   also changed words and kept exactly an excerpt's lines descends from it unless the family's
   editing copies often lack those lines: one selection inherited, not the same one made twice);
3. publication time and a wire dateline break the remaining ties; where versions still tie
   (undated), the one whose form independent copies keep where they differ is the older (a
   sentence's exact words, a line, the order of two sentences: a copy's change reaches only its
   own copies; see `lineage/ties.py`).
A family whose best candidate still shows minority readings, lines of its own that the full copies
lack, or does not contain what the others share, descends from an origin missing from the corpus
(when its only fault is added lines, the best full copy without them is weighed in its place;
when its only fault is spinning, the best-ranked version it reads as spun from, and so on back
while each is rejected as spun: spinning swaps common words for odd ones, never the reverse):
its text is inferred as the majority reading of each aligned sentence (see
`StoryAlignments.origin_sentences`), unless the majority is a spun branch's odd synonyms (see
`lineage/reconstruct.py`). Changed figures are mutations copies inherit, like changed words (see
`readings.word_swaps`), and so are words inserted or cut inside a kept sentence and a changed
sentence order (see `lineage/innovations.py`); a sentence order that every independent copy
reverses marks its version as no origin (`lineage/origin.py`), and a change most versions share
against an inferred origin is the reconstruction's error, not a shared innovation
(`lineage/archetype.py`).

A family is read over its top version's kin (`lineage/kin.py`): versions that carry none of the
top's report (another report a blog's stock line joined in) are traced apart as a family of
their own, and the origin test's containment and coverage count only the top's kin.

This module runs the steps in order for each story; each step lives in a module of its own:
`versions` (members, on-demand alignments, lines lacked and added), `families` (who copies one
report; witness groups; credited agency), `kin` (who testifies about a candidate origin),
`readings` (minority readings, word and figure swaps),
`origin` (ranking and the origin test), `ties` (ties at the top), `reconstruct` (a missing
origin's text), `parents` (a parent per version by inherited mutations), then `relations` (the
derivation type) and the evidence a reader sees."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from wiretrace.align.aligner import EmbeddingCache, Units
from wiretrace.align.edits import compared, is_mangled_name
from wiretrace.align.sentences import lower_tokens
from wiretrace.align.story import StoryAlignments
from wiretrace.config import Settings
from wiretrace.data import AlignedPair, Alignment, Article, LineageEdge, Origin, Story
from wiretrace.embed import Encoder
from wiretrace.lineage.archetype import without_archetype_errors
from wiretrace.lineage.credits import (
    credited_agencies,
    dateline,
    mentioned_outlets,
)
from wiretrace.lineage.families import credited_source, family_links, pivot_of, witness_groups
from wiretrace.lineage.features import RelationFeatures, relation_features
from wiretrace.lineage.furniture import furniture_sentences
from wiretrace.lineage.innovations import add_innovations
from wiretrace.lineage.kin import kin_of, other_report
from wiretrace.lineage.origin import (
    alternative_origin,
    centrality,
    fuller_text_first,
    missing_origin_reasons,
    own_readings,
    published_rank,
    reordered_versions,
)
from wiretrace.lineage.parents import add_additions, add_origin_innovations, place_by_inheritance
from wiretrace.lineage.readings import changes_from, changes_from_readings, count_readings
from wiretrace.lineage.reconstruct import infer_origin_text, inferred_origin_texts, plainer_readings
from wiretrace.lineage.relations import DEFAULT_RULE, RelationRule, classify, swaps_phrase
from wiretrace.lineage.ties import older_tied_version
from wiretrace.lineage.timing import not_first
from wiretrace.lineage.versions import Aligner, Member, connected_groups, doc_vectors, relation_kind

NEIGHBOURS = 4  # nearest versions each version is aligned to (besides the pivot)
COPY_RELATIONS = ("verbatim", "light-edit", "excerpt")
OWN_READING_WEIGHT = 0.25
# Weights of the origin score: one changed word in one sentence moves centrality by ~0.005, so it
# is scaled up; publication time and dateline only break what the text cannot decide.
CENTRALITY_WEIGHT = 5.0
TIE_BREAK_WEIGHT = 0.02  # readings compared per sentence (keeps big families linear)
# A family splits when at least this many of its versions carry none of its top version's report.
MIN_OTHER_REPORT = 2


def trace_with_alignments(
    story: Story,
    articles: dict[str, Article],
    settings: Settings | None = None,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
    rule: RelationRule = DEFAULT_RULE,
) -> tuple[Story, StoryAlignments]:
    """Fill `origins` and `lineage` of a copy of `story`, and return the alignments computed."""
    settings = settings or Settings()
    ids = sorted(a for a in set(story.articles) if a in articles)
    if len(ids) == 1:  # most stories of a news stream: nothing to align, so encode nothing
        return _single(story, articles[ids[0]])
    cache = cache or EmbeddingCache(encoder=encoder, settings=settings)
    cache.prefetch([articles[i] for i in ids])
    units = {i: cache.units(articles[i]) for i in ids}
    store = StoryAlignments(story=story.id)
    result = replace(story, origins=[], lineage=[])
    if not ids:
        return result, store
    aligner = Aligner(units, store)
    vectors = doc_vectors([units[i] for i in ids])
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    pivot_idx = int(np.argmax(np.where(np.isinf(sims), 0.0, sims).sum(axis=1))) if len(ids) > 1 else 0
    store.pivot = ids[pivot_idx]
    candidates: set[tuple[str, str]] = set()
    for k, i in enumerate(ids):
        order = np.argsort(-sims[k], kind="stable")[: min(NEIGHBOURS, len(ids) - 1)]
        for j in order:
            candidates.add(tuple(sorted((i, ids[int(j)]))))
        if i != store.pivot:
            candidates.add(tuple(sorted((i, store.pivot))))
    edges = family_links(ids, sorted(candidates), articles, aligner, rule)
    queue = connected_groups(ids, edges)
    n = 0
    while queue:
        family = queue.pop(0)
        traced = _trace_family(
            story.id,
            n + 1,
            family,
            articles,
            units,
            aligner,
            edges,
            rule,
            store,
            pivot_of(family, ids, sims),
        )
        if isinstance(traced, list):  # two reports joined by a stock line: trace each on its own
            queue[0:0] = traced
            continue
        n += 1
        origin, edges_out = traced
        result.origins.append(origin)
        result.lineage.extend(edges_out)
    result.lineage.sort(key=lambda e: e.article)
    return result, store


def _single(story: Story, article: Article) -> tuple[Story, StoryAlignments]:
    """A one-version story: its own origin (the same records `_trace_family` gives a family of one)."""
    origin, edge = _own_origin(f"{story.id}-o1", article.id, sorted(set(credited_agencies(article))))
    store = StoryAlignments(story=story.id)
    store.pivot = article.id
    return replace(story, origins=[origin], lineage=[edge]), store


def _own_origin(origin_id: str, article_id: str, credited: list[str]) -> tuple[Origin, LineageEdge]:
    """A version that shares its sentences with no other: the origin of its own family of one."""
    origin = Origin(
        id=origin_id, article=article_id, inferred=False, credited=credited, confidence=0.9, articles=[article_id]
    )
    edge = LineageEdge(
        article=article_id,
        parent=None,
        relation="independent",
        confidence=0.9,
        evidence=["no other version of the story shares its sentences"],
    )
    return origin, edge


def trace(
    story: Story,
    articles: dict[str, Article],
    settings: Settings | None = None,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
) -> Story:
    """A copy of `story` with `origins` (one per family) and `lineage` (one edge per version)."""
    return trace_with_alignments(story, articles, settings, encoder, cache)[0]


@dataclass(slots=True)
class _Family:
    """One family being traced: its versions and the evidence read over them once, which the
    origin test is then asked about for each candidate origin in turn."""

    ids: list[str]
    members: dict[str, Member]
    edges: list[tuple[str, str]]  # the story's derivation links inside the family
    articles: dict[str, Article]
    units: dict[str, Units]
    aligner: Aligner
    rule: RelationRule
    furniture: dict[str, set[int]]  # headline, byline, credit lines: house style, not readings
    datelines: dict[str, set[str]]
    hub: str  # the family pivot: every version is measured in its sentences' frame
    to_hub: dict[str, dict[int, int]]
    own: dict[str, list[tuple[str, str]]]  # words only a version has or lacks where the others agree
    reordered: set[str]  # versions with a sentence order of their own
    time_rank: dict[str, float]
    too_late: set[str]  # versions published after another: a copy cannot precede its source
    credit: tuple[str | None, set[str], list[str]]  # credited agency, its own versions, copies crediting it
    witnesses: dict[str, int] = field(default_factory=dict)

    def verdict(self, candidate: Member, ranked: list[Member], spun_from: bool = False) -> list[tuple[str, str]]:
        """Why `candidate` (ranked first) is not the family's origin; empty when it is."""
        return missing_origin_reasons(
            candidate, ranked, self.own, self.reordered, self.hub, self.to_hub, self.witnesses, self.aligner,
            self.articles, self.credit, self.furniture, self.datelines, spun_from, self.rule,
        )


def _trace_family(
    story_id: str,
    number: int,
    family: list[str],
    articles: dict[str, Article],
    units: dict[str, Units],
    aligner: Aligner,
    edges: list[tuple[str, str]],
    rule: RelationRule,
    store: StoryAlignments,
    family_pivot: str,
) -> tuple[Origin, list[LineageEdge]] | list[list[str]]:
    """The family's origin and a lineage edge per version; or, when the family joins two reports
    (see `kin.other_report`), its parts to trace apart."""
    origin_id = f"{story_id}-o{number}"
    credits = Counter(c for i in family for c in credited_agencies(articles[i]))
    credited = sorted(c for c, n in credits.items() if 2 * n >= len(family))
    if len(family) == 1:
        origin, edge = _own_origin(origin_id, family[0], credited)
        return origin, [edge]
    fam = _read_family(family, articles, units, aligner, edges, rule, family_pivot)
    ranked = _ranked(fam)
    top = ranked[0]
    # versions that carry none of the top's report belong to another report a stock line joined in
    outsiders = other_report(top.id, fam.members, kin_of(top.id, [m for m in family if m != top.id], aligner, rule))
    if len(outsiders) >= MIN_OTHER_REPORT:
        rest = [m for m in family if m not in outsiders]
        apart = sorted(outsiders)
        return [rest, *connected_groups(apart, [(a, b) for a, b in fam.edges if a in outsiders and b in outsiders])]
    # is the best candidate the origin, or does the family descend from a missing text?
    source_agency, agency_own, copies_crediting = fam.credit
    if source_agency and not agency_own and articles[top.id].outlet:
        credited = sorted(set(credited) | {source_agency})
    fam.witnesses = witness_groups(family, fam.edges, aligner)
    top, ranked, verdict, wording_note = _choose_origin(fam, ranked)
    if verdict:
        return _trace_from_missing_origin(fam, origin_id, credited, ranked, [text for _, text in verdict], store)
    time_note = ", earliest" if fam.time_rank[top.id] == 1.0 else ""
    if top.id in agency_own:
        time_note += f", {source_agency}'s own version, credited by {len(copies_crediting)} copies"
    origin = Origin(
        id=origin_id,
        article=top.id,
        inferred=False,
        credited=credited,
        confidence=round(min(0.95, 0.6 + top.score - ranked[1].score), 3),
        articles=family,
    )
    origin_edge = LineageEdge(
        article=top.id,
        parent=None,
        relation="independent",
        confidence=origin.confidence,
        evidence=[
            f"origin of {len(family)} versions: carries what they share{time_note}"
            + (f", dateline {dateline(top.article)}" if dateline(top.article) else ""),
            *wording_note,
        ],
    )
    return origin, [origin_edge, *_trace_from_member_origin(fam, top, ranked[1:], store)]


def _read_family(
    family: list[str],
    articles: dict[str, Article],
    units: dict[str, Units],
    aligner: Aligner,
    edges: list[tuple[str, str]],
    rule: RelationRule,
    family_pivot: str,
) -> _Family:
    """The family's members with their shared sentences, readings and origin scores."""
    members = {i: Member(id=i, units=units[i], article=articles[i]) for i in family}
    fam_edges = [(a, b) for a, b in edges if a in members and b in members]
    for a, b in fam_edges:
        for p in aligner.get(a, b).pairs:
            members[a].shared.add(p.a)
            members[b].shared.add(p.b)
            members[a].support.setdefault(p.a, set()).add(b)
            members[b].support.setdefault(p.b, set()).add(a)
    furniture = {m: furniture_sentences(articles[m], units[m].texts) for m in family}
    count_readings(members, aligner, fam_edges, furniture)
    time_rank = published_rank(list(members.values()))
    # fullness: the family's material it carries, each sentence weighted by how many versions carry
    # it; measured in one frame (the family pivot's sentences) so every version is judged alike
    hub = family_pivot if family_pivot in members else family[0]
    to_hub = {m: {p.a: p.b for p in aligner.get(m, hub).pairs} for m in family if m != hub}
    hub_support = Counter(j for pairs in to_hub.values() for j in set(pairs.values()))
    carried = {hub: sum(1 + hub_support[j] for j in range(len(units[hub].texts)) if hub_support[j])}
    for m, pairs in to_hub.items():
        carried[m] = sum(1 + hub_support[j] for j in set(pairs.values()))
    most_carried = max(carried.values()) or 1
    # readings are read in the body text: headlines and bylines are house style, not evidence
    body_to_hub = {
        m: {i: j for i, j in pairs.items() if i not in furniture[m] and j not in furniture[hub]}
        for m, pairs in to_hub.items()
    }
    datelines = {m: set(lower_tokens(dateline(articles[m]) or "")) for m in family}
    central = centrality(hub, body_to_hub, units, furniture[hub], datelines)
    own = own_readings(hub, body_to_hub, units, datelines, furniture[hub])
    reordered = reordered_versions(hub, to_hub)
    for m in members.values():
        own_share = 1.0 - len(m.shared) / max(1, len(m.units.texts))
        m.score = (
            carried[m.id] / most_carried  # carries what the others share
            + CENTRALITY_WEIGHT * central.get(m.id, 0.0)  # the centre the others deviate from
            - 0.25 * min(len(m.unique), 8)  # readings of its own where the others agree
            - OWN_READING_WEIGHT * min(len(own.get(m.id, [])), 8)  # words only it has or lacks
            - OWN_READING_WEIGHT * (m.id in reordered)  # sentence order of its own
            - 0.3 * own_share  # material nobody else has: commentary, junk, additions
            + TIE_BREAK_WEIGHT * time_rank[m.id]  # clocks and time zones lie: a tie-breaker only
            + TIE_BREAK_WEIGHT * (dateline(m.article) is not None)
        )
    return _Family(
        ids=family,
        members=members,
        edges=fam_edges,
        articles=articles,
        units=units,
        aligner=aligner,
        rule=rule,
        furniture=furniture,
        datelines=datelines,
        hub=hub,
        to_hub=to_hub,
        own=own,
        reordered=reordered,
        time_rank=time_rank,
        # a copy cannot precede its source: the origin is among the earliest versions (or undated)
        too_late=not_first([articles[m] for m in family]),
        credit=credited_source(family, articles),
    )


def _ranked(fam: _Family) -> list[Member]:
    """Members by how origin-like they are: the earliest, the credited agency's own, the best score;
    an excerpt never above the fuller text it lies inside."""
    agency_own = fam.credit[1]
    ranked = sorted(
        fam.members.values(), key=lambda m: (m.id in fam.too_late, m.id not in agency_own, -m.score, m.id)
    )
    return fuller_text_first(ranked, fam.too_late, agency_own, fam.aligner, fam.rule, fam.furniture)


def _choose_origin(
    fam: _Family, ranked: list[Member]
) -> tuple[Member, list[Member], list[tuple[str, str]], list[str]]:
    """The origin candidate, the ranking under it, why it is not the origin (empty when it is) and
    an evidence line when a tie at the top was broken."""
    top = ranked[0]
    verdict = fam.verdict(top, ranked)
    # a top rejected as a copy (it added lines, or was spun) yields to the text it was copied from;
    # spinning is followed back while each step is rejected as spun, toward the plainest text
    candidate, candidate_ranked, candidate_verdict, weighed = top, ranked, verdict, {top.id}
    while True:
        alternative = alternative_origin(
            candidate, candidate_ranked, candidate_verdict, fam.too_late | weighed, fam.witnesses, fam.aligner,
            fam.furniture, fam.datelines,
        )
        if alternative is None:
            break
        weighed.add(alternative.id)
        reranked = [alternative, *(m for m in ranked if m.id != alternative.id)]
        alternative_verdict = fam.verdict(alternative, reranked, {"spun"} <= {name for name, _ in candidate_verdict})
        if not alternative_verdict:
            top, ranked, verdict = alternative, reranked, alternative_verdict
            break
        if {rule for rule, _ in alternative_verdict} != {"spun"}:
            break
        candidate, candidate_ranked, candidate_verdict = alternative, reranked, alternative_verdict
    if verdict:
        return top, ranked, verdict, []
    # a tie at the top: what independent copies carry tells the source from its edited copy
    older = older_tied_version(
        ranked, fam.too_late | fam.credit[1], fam.hub, fam.to_hub, fam.witnesses, fam.aligner, fam.datelines,
        fam.furniture, lambda rival: not fam.verdict(rival, [rival, *(m for m in ranked if m.id != rival.id)]),
    )
    if older is None:
        return top, ranked, verdict, []
    top = older[0]
    return top, [top, *(m for m in ranked if m.id != top.id)], verdict, [older[1]]


def _trace_from_member_origin(
    fam: _Family, top: Member, copies: list[Member], store: StoryAlignments
) -> list[LineageEdge]:
    """An edge per copy when the origin `top` is in the corpus: each copy's parent is the version
    whose changes to the origin it inherits."""
    aligner, units = fam.aligner, fam.units
    mutations = {m.id: changes_from(m.id, top.id, aligner, units) for m in copies}
    for m in copies:
        aligned = {p.a for p in aligner.get(m.id, top.id).pairs}
        add_additions(mutations[m.id], units[m.id].texts, aligned | fam.furniture[m.id], fam.datelines[m.id])
        add_origin_innovations(mutations[m.id], m.id, top.id, aligner, units, fam.furniture, fam.datelines)
    parents = place_by_inheritance([m.id for m in copies], top.id, mutations, fam.articles, len(units[top.id].texts))
    out = []
    for m in sorted(copies, key=lambda m: m.id):
        best = parents[m.id]
        f = aligner.features(m.id, best)
        relation, confidence, evidence = classify(f, fam.rule)
        if relation == "independent":
            relation = "rewrite"
        store.to_parent[m.id] = aligner.get(m.id, best)
        out.append(
            LineageEdge(
                article=m.id,
                parent=best,
                relation=relation,
                confidence=confidence,
                evidence=evidence,
                additions=f.additions,
                omissions=f.omissions,
            )
        )
    return out


def _trace_from_missing_origin(
    fam: _Family,
    origin_id: str,
    credited: list[str],
    ranked: list[Member],
    reasons: list[str],
    store: StoryAlignments,
) -> tuple[Origin, list[LineageEdge]]:
    """The inferred origin (its text the majority readings around the best-attested version) and an edge
    per version, each parented by the inferred origin or the version whose changes it inherits."""
    family, members, units, aligner = fam.ids, fam.members, fam.units, fam.aligner
    # the pivot frames the inferred text (its sentences, their order): the version whose sentences
    # the family attests most, each weighed by how many members carry it, so stock commentary two
    # blogs share does not outweigh the body every copy carries; a version with a sentence order of
    # its own would hand the origin its reordering, so it frames the text only if all do
    pivot = max(
        family,
        key=lambda i: (
            i not in fam.reordered,
            sum(len(s) for s in members[i].support.values()),
            len(members[i].shared),
            -members[i].minority_rate,
            i,
        ),
    )
    readings, member_pairs = infer_origin_text(family, members, aligner, pivot)
    languages = Counter(units[i].language for i in family)
    family_language = sorted(languages.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]
    readings = plainer_readings(readings, member_pairs, units, family_language)
    store.origin_sentences[origin_id] = readings
    origin_texts = inferred_origin_texts(readings, units)
    confidence = round(min(0.95, 0.5 + 0.1 * len(reasons) + 0.05 * len(family)), 3)
    origin = Origin(
        id=origin_id, article=None, inferred=True, credited=credited, confidence=confidence, articles=family
    )
    # copies of copies: the member whose mutations (against the inferred text) the version carries
    mutations = {
        m: changes_from_readings(m, origin_texts, member_pairs[m], units, family_language) for m in family
    }
    for m in family:
        own_lines = {i for i, _, _ in member_pairs[m]} | fam.furniture[m]
        add_additions(mutations[m], units[m].texts, own_lines, fam.datelines[m])
        pairs = [(i, k) for i, k, _ in member_pairs[m]]
        add_innovations(mutations[m], units[m].texts, origin_texts, pairs, fam.furniture[m], fam.datelines[m])
    # a change most witnesses share is the reconstruction's misreading, not a branch's innovation
    mutations = without_archetype_errors(mutations)
    parents = place_by_inheritance(family, origin_id, mutations, fam.articles, len(origin_texts))
    out = []
    for m in ranked:
        parent = parents[m.id]
        cross = bool(m.units.language and family_language and m.units.language != family_language)
        triples = member_pairs[m.id]
        if parent == origin_id:
            f = _features_against_reconstruction(m, origin_texts, triples, units, cross)
        else:
            f = aligner.features(m.id, parent)
        relation, rel_conf, evidence = classify(f, fam.rule)
        if relation == "independent":
            relation = "rewrite"
        if parent == origin_id:
            evidence = [f"origin not in the corpus: {reasons[0]}", *evidence]
            via = mentioned_outlets(m.article)
            if via:
                evidence.append(
                    f"names {', '.join(via)}: possibly copied through its reprint (not in the corpus)"
                )
            if m.unique_substitutions:
                evidence.append(
                    f"{len(m.unique_substitutions)} readings no other version shares"
                    f" ({swaps_phrase(m.unique_substitutions)})"
                )
            store.to_parent[m.id] = Alignment(
                a=m.id,
                b=origin_id,
                pairs=[
                    AlignedPair(
                        a=i,
                        b=k,
                        similarity=round(compared(m.units.texts[i], origin_texts[k]).char_similarity, 4),
                        kind=relation_kind(m.units.texts[i], origin_texts[k], cross),
                    )
                    for i, k, _ in sorted(triples)
                ],
            )
        else:
            store.to_parent[m.id] = aligner.get(m.id, parent)
        out.append(
            LineageEdge(
                article=m.id,
                parent=parent,
                relation=relation,
                confidence=rel_conf,
                evidence=evidence,
                additions=f.additions,
                omissions=f.omissions,
            )
        )
    return origin, out


def _features_against_reconstruction(
    m: Member,
    origin_texts: list[str],
    triples: list[tuple[int, int, tuple[str, int]]],
    units: dict[str, Units],
    cross: bool,
) -> RelationFeatures:
    """Relation features of `m` against the inferred origin, read leave-one-out: each of its
    sentences against the witness reading it was aligned through, coverage and omissions against
    the whole inferred text, and as changes only its own readings (where the others agree)."""
    u = m.units
    loo_texts = [units[w[0]].texts[w[1]] for _, _, w in triples]
    loo_pairs = [
        AlignedPair(a=i, b=n, similarity=0.0, kind=relation_kind(u.texts[i], loo_texts[n], cross))
        for n, (i, _, _) in enumerate(triples)
    ]
    f = relation_features(u.texts, loo_texts, loo_pairs, cross)
    # coverage and omissions are measured against the whole inferred origin, not the witnessed part
    f.parent_sentences = len(origin_texts)
    f.aligned_parent = len({k for _, k, _ in triples})
    f.omissions = sorted(set(range(len(origin_texts))) - {k for _, k, _ in triples})
    # against a reconstruction, phrase-level differences include the other witnesses' edits:
    # only this version's own readings (where the others agree on another) are its changes
    f.inferred_parent = True
    f.word_swaps = list(m.unique)
    f.substitutions = list(m.unique_substitutions)
    f.swap_rate = len(m.unique) / max(1, sum(len(lower_tokens(u.texts[i])) for i, _, _ in triples))
    f.odd_names = [
        (old, new) for old, new in m.unique if old[:1].isupper() and new[:1].isupper() and is_mangled_name(old, new)
    ]
    return f
