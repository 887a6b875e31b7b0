"""Aligned sentence groups of one story: which sentences of which versions make the same statement.

Alignments come from the lineage stage when it passes them (`StoryAlignments`: every pair it
aligned, and each child of an inferred origin linked to the version sentences read as that
origin's text), else they are
computed here with `wiretrace.align`: each version against its parent when lineage names one,
and against a pivot (the origin article, else the version with the most sentences); a small
story is aligned all against all. Groups are the connected components of the aligned pairs.
Gap sentences are compared by cosine with the vectors lineage's alignment already encoded
(`StoryAlignments.vectors`, filled by `pipeline.process_story`); only texts it lacks are encoded.
The result is cached per story content, so the consensus stage reuses what the facts stage built.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import numpy as np

from wiretrace.config import Settings
from wiretrace.data import AlignedPair, Alignment, Article, Story

# Up to this many versions, every pair is aligned (no pivot bias); above it, parent + pivot only.
ALL_PAIRS_MAX_VERSIONS = 8
_CACHE_SIZE = 8
# An unaligned sentence between two aligned neighbours joins its counterpart there at this cosine.
GAP_MIN_COSINE = 0.5
# The same cut on another encoder's cosine scale (cosines are not comparable across encoders): the static
# encoder's cosine that as many MSRP train pairs reach as reach GAP_MIN_COSINE under USE.
GAP_MIN_COSINE_BY_ENCODER = {"use-static": 0.554}

Node = tuple[str, int]  # (article id, sentence index)


@dataclass(slots=True)
class SentenceGraph:
    pivot: str | None
    texts: dict[str, list[str]]
    languages: dict[str, str | None]
    edges: list[tuple[Node, Node, AlignedPair]] = field(default_factory=list)
    group_of: dict[Node, int] = field(default_factory=dict)
    groups: list[list[Node]] = field(default_factory=list)

    def text(self, node: Node) -> str:
        return self.texts[node[0]][node[1]]


def _key(story: Story, articles: dict[str, Article]) -> str:
    """The cache key: ids, cleaned texts (not only content hashes, which callers may reuse) and lineage."""
    h = hashlib.blake2b(digest_size=16)
    for aid in sorted(story.articles):
        a = articles.get(aid)
        h.update(f"{aid}\0{a.content_hash if a else ''}\0{a.language if a else ''}\0".encode())
        h.update((a.text if a else "").encode("utf-8", "surrogatepass") + b"\n")
    for e in sorted(story.lineage, key=lambda e: e.article):
        h.update(f"{e.article}>{e.parent}\n".encode())
    return h.hexdigest()


# key -> (graph, the StoryAlignments it was built from, or None)
_CACHE: OrderedDict[str, tuple[SentenceGraph, object]] = OrderedDict()
_LOCK = threading.Lock()


def choose_pivot(story: Story, articles: dict[str, Article], texts: dict[str, list[str]]) -> str | None:
    """The origin article if the corpus has it, else the version with the most sentences (ties by id)."""
    for origin in sorted(story.origins, key=lambda o: o.id):
        if origin.article in texts and not origin.inferred:
            return origin.article
    return min(texts, key=lambda a: (-len(texts[a]), a)) if texts else None


def sentence_graph(
    story: Story, articles: dict[str, Article], settings: Settings | None = None, alignments=None
) -> SentenceGraph:
    """The story's aligned sentence groups (cached on the story's texts, lineage and `alignments` object)."""
    key = _key(story, articles)
    with _LOCK:
        if key in _CACHE and _CACHE[key][1] is alignments:
            _CACHE.move_to_end(key)
            return _CACHE[key][0]
    graph = _build(story, articles, settings or Settings(), alignments)
    with _LOCK:
        _CACHE[key] = (graph, alignments)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return graph


def _lineage_alignments(alignments, texts: dict[str, list[str]]) -> list[Alignment]:
    """The alignments lineage computed, read as sentence pairs between versions of the corpus.

    Besides every pair it aligned (`all`: parent, pivot and nearest neighbours), a version whose
    parent is an inferred origin is aligned to that origin's sentences, each of which is a reading
    taken from a version (`origin_sentences`): those pairs link the version to the reading.
    """
    out = [al for _, al in sorted(alignments.all.items()) if al.a in texts and al.b in texts]
    readings = getattr(alignments, "origin_sentences", {}) or {}
    for child in sorted(getattr(alignments, "to_parent", {}) or {}):
        al = alignments.to_parent[child]
        if child not in texts or al.b not in readings:
            continue
        by_reader: dict[str, list[AlignedPair]] = {}
        for p in al.pairs:
            if 0 <= p.b < len(readings[al.b]):
                reader, index = readings[al.b][p.b]
                if reader in texts and reader != child:
                    by_reader.setdefault(reader, []).append(replace(p, b=index))
        out.extend(Alignment(a=child, b=reader, pairs=pairs) for reader, pairs in sorted(by_reader.items()))
    return out


def _build(story: Story, articles: dict[str, Article], settings: Settings, alignments) -> SentenceGraph:
    from wiretrace.align import EmbeddingCache, align_units
    from wiretrace.align.aligner import article_language
    from wiretrace.align.sentences import sentence_texts

    members = sorted(a for a in set(story.articles) if a in articles)
    texts = {a: sentence_texts(articles[a]) for a in members}
    languages = {a: article_language(articles[a]) for a in members}
    pivot = choose_pivot(story, articles, texts)
    graph = SentenceGraph(pivot=pivot, texts=texts, languages=languages)
    cache = EmbeddingCache(settings=settings)
    known: dict[str, np.ndarray] = {}  # sentence vectors already computed (here, or by alignment)
    if alignments is not None and getattr(alignments, "all", None):
        computed = _lineage_alignments(alignments, texts)
        known = dict(getattr(alignments, "vectors", None) or {})
    else:
        pairs: set[tuple[str, str]] = set()
        if len(members) <= ALL_PAIRS_MAX_VERSIONS:
            pairs = set(itertools.combinations(members, 2))
        else:
            parent = {e.article: e.parent for e in story.lineage}
            for a in members:
                if pivot and a != pivot:
                    pairs.add((a, pivot))
                if parent.get(a) in texts and parent[a] != a:
                    pairs.add((a, parent[a]))
        computed = []
        if pairs:  # a one-version story has nothing to align: encode nothing
            cache.prefetch([articles[a] for a in members])
            computed = [align_units(cache.units(articles[a]), cache.units(articles[b])) for a, b in sorted(pairs)]
            for a in members:
                units = cache.units(articles[a])
                known.update(zip(units.texts, units.vectors, strict=True))
    parent_of: dict[Node, Node] = {}

    def find(n: Node) -> Node:
        while parent_of.setdefault(n, n) != n:
            parent_of[n] = parent_of[parent_of[n]]
            n = parent_of[n]
        return n

    def link(na: Node, nb: Node, pair: AlignedPair) -> None:
        graph.edges.append((na, nb, pair))
        ra, rb = find(na), find(nb)
        if ra != rb:
            parent_of[max(ra, rb)] = min(ra, rb)

    for al in computed:
        for p in al.pairs:
            if p.a < len(texts[al.a]) and p.b < len(texts[al.b]):
                link((al.a, p.a), (al.b, p.b), p)
    # sentences left between two anchors: only those (each distinct text once) are encoded
    gapped = [(al, _gap_options(al, len(texts[al.a]), len(texts[al.b]))) for al in computed]
    gapped = [(al, options) for al, options in gapped if options]
    if gapped:
        needed = {texts[al.a][i] for al, options in gapped for i, _ in options}
        needed |= {texts[al.b][j] for al, options in gapped for _, js in options for j in js}
        vectors = known | _vectors(sorted(needed - set(known)), cache, settings)
        cut = GAP_MIN_COSINE_BY_ENCODER.get(cache.encoder.name, GAP_MIN_COSINE)
        for al, options in gapped:
            for na, nb, pair in _gap_links(al, options, texts[al.a], texts[al.b], vectors, cut):
                link(na, nb, pair)
    components: dict[Node, list[Node]] = {}
    for a in members:
        for i in range(len(texts[a])):
            components.setdefault(find((a, i)), []).append((a, i))
    for gid, nodes in enumerate(sorted(components.values(), key=lambda ns: min(ns))):
        graph.groups.append(sorted(nodes))
        for n in nodes:
            graph.group_of[n] = gid
    return graph


def _gap_options(al: Alignment, len_a: int, len_b: int) -> list[tuple[int, list[int]]]:
    """Each unaligned sentence of `a` between two anchors, with the unaligned sentences of `b` between
    the same anchors (its candidate counterparts)."""
    matched_a = {p.a: p.b for p in al.pairs if p.a < len_a and p.b < len_b}
    matched_b = set(matched_a.values())
    out = []
    for i in range(len_a):
        if i in matched_a:
            continue
        before = next((matched_a[x] for x in range(i - 1, -1, -1) if x in matched_a), None)
        after = next((matched_a[x] for x in range(i + 1, len_a) if x in matched_a), None)
        if before is None or after is None:
            continue
        options = [j for j in range(before + 1, after) if j not in matched_b]
        if options:
            out.append((i, options))
    return out


def _vectors(texts: list[str], cache, settings: Settings) -> dict[str, np.ndarray]:
    """Sentence vectors of `texts`, encoded in batches (copies share sentences: each text once)."""
    size = max(1, settings.batch_size)
    out: dict[str, np.ndarray] = {}
    for k in range(0, len(texts), size):
        chunk = texts[k : k + size]
        out.update(zip(chunk, cache.encoder.encode(chunk), strict=True))
    return out


def _gap_links(
    al: Alignment,
    options: list[tuple[int, list[int]]],
    texts_a: list[str],
    texts_b: list[str],
    vectors,
    min_cosine: float = GAP_MIN_COSINE,
) -> list[tuple[Node, Node, AlignedPair]]:
    """Sentences left unaligned between the same two aligned neighbours, paired when close in meaning.

    A heavily spun sentence keeps its place and its names but loses most words, so the aligner's
    lexical evidence misses it; its position between two anchors is the missing evidence.
    """
    out = []
    used: set[int] = set()
    for i, candidates in options:
        free = [j for j in candidates if j not in used]
        if not free:
            continue
        sims = np.stack([vectors[texts_b[j]] for j in free]) @ vectors[texts_a[i]]
        best = int(sims.argmax())
        if float(sims[best]) >= min_cosine:
            used.add(free[best])
            out.append(
                (
                    (al.a, i),
                    (al.b, free[best]),
                    AlignedPair(a=i, b=free[best], similarity=round(float(sims[best]), 4), kind="paraphrase"),
                )
            )
    return out
