"""Stories stage: put every version of one real-world event together, keep other events apart.

    features (per article)  ->  candidates (LSH, anchors, vectors)  ->  verified pair scores
    ->  average-linkage clustering  ->  Story records

`group(articles, settings, index)` is the entry point. Passing a `StoryIndex` makes the run
incremental: only new articles are encoded, candidates are found again over every row (cheap:
sorts and matrix products) and only pairs without a score are scored; the result equals a
from-scratch run over all articles up to the encoder's batch noise (~2e-7 on a vector), as long as
the exact vector search is used (up to `EXACT_SEARCH_LIMIT` articles; above it the HNSW index is
approximate and depends on insertion order).

Story ids: "s-" + the first 12 hex digits of blake2b(smallest article id in the story). They are
stable when articles join a story unless a newcomer has a smaller id than every member.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor

import numpy as np

from wiretrace.config import Settings
from wiretrace.data import Article, Story
from wiretrace.embed import PooledEncoder, get_encoder, text_key
from wiretrace.stories.candidates import candidate_array
from wiretrace.stories.cluster import MERGE_THRESHOLD, attach_satellites, average_linkage, components
from wiretrace.stories.features import MAX_CHUNKS, ArticleFeatures, compute_features, lexical_features_batch
from wiretrace.stories.index import StoryIndex
from wiretrace.stories.score import score_pairs

__all__ = [
    "StoryIndex",
    "feature_passes",
    "features_in_pool",
    "group",
    "group_from",
    "pair_probability",
    "stories_of",
    "story_id",
    "update_index",
    "update_index_from",
    "verify_new",
]

EDGE_THRESHOLD = 0.5  # a candidate pair at least this probable links two articles' components
FILL_LIMIT = 60  # components up to this size get every missing pair scored before clustering
FEATURE_BATCHES = 16  # encoder batches per feature pass: reprints in one pass share their vectors


def story_id(article_ids: list[str]) -> str:
    """Deterministic story id from its smallest article id (see module docstring)."""
    return "s-" + hashlib.blake2b(min(article_ids).encode("utf-8"), digest_size=6).hexdigest()


def update_index(
    articles: list[Article], settings: Settings, index: StoryIndex, pool: Executor | None = None
) -> StoryIndex:
    """Add `articles` to `index`: encode them, find and score their candidate pairs.

    With `pool` (a process pool), features are computed in its workers (`features_in_pool`):
    the same features as without one, so the index is the same too.
    """
    _check_encoder(settings, index)
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.id not in index.row:
            by_id.setdefault(article.id, article)
    passes = feature_passes(by_id, settings)
    return _add_passes(([by_id[i] for i in part] for part in passes), settings, index, pool)


def update_index_from(
    ids: Iterable[str],
    load: Callable[[list[str]], list[Article]],
    settings: Settings,
    index: StoryIndex,
    pool: Executor | None = None,
) -> StoryIndex:
    """`update_index` over the articles `load(ids)` returns, loaded one feature pass at a time.

    Only the ids and the compact `ArticleFeatures` of the corpus are held, never all its articles;
    the passes cut the same sorted id list at the same places, so the index equals `update_index`'s
    over the same (distinct) articles."""
    _check_encoder(settings, index)
    passes = feature_passes((i for i in ids if i not in index.row), settings)
    return _add_passes((load(part) for part in passes), settings, index, pool)


def feature_passes(ids: Iterable[str], settings: Settings) -> list[list[str]]:
    """The distinct ids, sorted, cut into feature passes of `_feature_step(settings)` articles.

    The encoder's batches (and the vector shared by identical texts) are formed within a pass, and
    USE vectors move by ~2e-7 with a batch's composition, so every engine cuts these same passes:
    that is what makes the Spark engine's features, and so its stories, equal the local engine's."""
    todo, step = sorted(set(ids)), _feature_step(settings)
    return [todo[s : s + step] for s in range(0, len(todo), step)]


def _check_encoder(settings: Settings, index: StoryIndex) -> None:
    encoder = get_encoder(settings.grouping_encoder())
    if len(index) and index.encoder and index.encoder != encoder.name:
        from wiretrace.errors import WiretraceError

        raise WiretraceError(f"story index was built with encoder {index.encoder!r}, not {encoder.name!r}")
    index.encoder = encoder.name


def _feature_step(settings: Settings) -> int:
    return max(settings.batch_size, 1) * FEATURE_BATCHES


def _add_passes(
    passes: Iterable[list[Article]], settings: Settings, index: StoryIndex, pool: Executor | None
) -> StoryIndex:
    """Features of each pass of articles (sorted by id) into `index`, then their candidate pairs scored."""
    encoder = get_encoder(settings.grouping_encoder())
    had_rows = len(index) > 0 or index.rows_removed
    new_rows: list[int] = []
    for part in passes:
        if pool is None:
            feats = compute_features(part, encoder, settings.batch_size)
        else:
            feats = features_in_pool(part, encoder.name, encoder.dim, settings.batch_size, pool)
        new_rows.extend(index.add(feats))
        del part, feats  # before the next pass is loaded: one pass of articles held at a time
    if new_rows or index.rows_removed:
        verify_new(index, new_rows, recheck=had_rows)
    return index


LEXICAL_PER_TASK = 64  # articles per pool task for the lexical half of the features


def _lexical_many(articles: list[Article]) -> list[tuple[dict, list[str]]]:
    return lexical_features_batch(articles)


def features_in_pool(
    articles: list[Article], encoder_name: str, dim: int, batch_size: int, pool: Executor
) -> list[ArticleFeatures]:
    """`compute_features(articles, encoder, batch_size)`, both halves run in `pool`'s workers.

    The lexical half goes out in slices of articles; the distinct chunk texts go out in the same
    fixed encoder batches `compute_features` cuts, so the features are the same (a test checks).
    """
    lexes: list[dict] = []
    owners: list[int] = []
    slots: list[int] = []
    slot: dict[bytes, int] = {}
    unique: list[str] = []
    slices = [articles[s : s + LEXICAL_PER_TASK] for s in range(0, len(articles), LEXICAL_PER_TASK)]
    for part in pool.map(_lexical_many, slices):
        for lex, chunks in part:
            for text in chunks:
                key = text_key(text)
                if key not in slot:
                    slot[key] = len(unique)
                    unique.append(text)
                owners.append(len(lexes))
                slots.append(slot[key])
            lexes.append(lex)
    vectors = PooledEncoder(encoder_name, pool, batch_size, dim).encode(unique).astype(np.float16)
    per = np.zeros((len(articles), MAX_CHUNKS, dim), dtype=np.float16)
    counts = [0] * len(articles)
    for owner, k in zip(owners, slots):
        per[owner, counts[owner]] = vectors[k]
        counts[owner] += 1
    return [ArticleFeatures(chunks=per[i], n_chunks=counts[i], **lex) for i, lex in enumerate(lexes)]


def verify_new(index: StoryIndex, new_rows: list[int], recheck: bool = False) -> None:
    """Find and score the candidate pairs touching `new_rows` (rows already added to `index`).

    With `recheck`, the candidates of every row are found again and become the only pairs flagged as
    candidates: new articles can push an old pair out of an article's SEMANTIC_K nearest neighbours
    or a band bucket over BUCKET_CAP, and an old article's neighbours can now include a new one. So
    the candidate set is the one a from-scratch run finds, and only pairs without a score (nearly
    all touch new rows) are scored. Finding candidates is cheap next to encoding the new articles.

    Pairs stay arrays end to end: the stored ones (scored earlier) are only flagged as candidates
    now, the others are scored in batches and written in one merge."""
    pairs = candidate_array(index, np.arange(len(index)) if recheck else new_rows)
    lo, hi = _by_id(index, pairs)
    if recheck:
        index.pairs.clear_candidates()
        index.rows_removed = False
    known = index.pairs.has_rows(lo, hi)
    index.pairs.put_rows(lo[known], hi[known], None, True)
    fresh = ~known
    index.pairs.put_rows(lo[fresh], hi[fresh], score_pairs(index, pairs[fresh]), True)


def _by_id(index: StoryIndex, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i, j) as (row of the smaller id, row of the larger id): how `index.pairs` keys them."""
    if not len(pairs):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rank = np.empty(len(index), dtype=np.int64)
    rank[sorted(range(len(index)), key=index.ids.__getitem__)] = np.arange(len(index), dtype=np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    first = rank[i] < rank[j]
    return np.where(first, i, j), np.where(first, j, i)


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _cluster(index: StoryIndex) -> list[tuple[list[int], bool]]:
    """Groups of index rows, each with whether its component was filled in (every pair scored):
    components over strong candidate edges, filled in, then average linkage.

    Candidate pairs are read as columns (`PairStore.columns`) and each component's weights are
    built only while it is clustered, so no corpus-wide copy of the pairs is held."""
    order = sorted(range(len(index)), key=lambda r: index.ids[r])
    rank = np.zeros(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    rows_a, rows_b, scores, candidate = index.pairs.columns()
    ra, rb, p = rank[rows_a[candidate]], rank[rows_b[candidate]], scores[candidate]
    by_pair = np.lexsort((rb, ra))  # the order of the sorted id pairs (ranks follow ids)
    ra, rb, p = ra[by_pair], rb[by_pair], p[by_pair]
    strong = p >= EDGE_THRESHOLD
    comps = components(len(order), np.stack([ra[strong], rb[strong]], axis=1))
    label = np.zeros(len(order), dtype=np.int64)
    for c, comp in enumerate(comps):
        label[comp] = c
    inside = label[ra] == label[rb]
    ra, rb, p = ra[inside], rb[inside], p[inside]
    by_label = np.argsort(label[ra], kind="stable")  # stable: pair order kept within a component
    ra, rb, p, where = ra[by_label], rb[by_label], p[by_label], label[ra[by_label]]
    starts = np.searchsorted(where, np.arange(len(comps) + 1))
    groups: list[tuple[list[int], bool]] = []
    for c, comp in enumerate(comps):
        if len(comp) == 1:
            groups.append((comp, True))
            continue
        s, e = int(starts[c]), int(starts[c + 1])
        local: dict | PairWeights = PairWeights(ra[s:e], rb[s:e], p[s:e])
        if len(comp) <= FILL_LIMIT:
            local = dict(local.items())
            local.update(_fill_in(index, order, comp, local))
        filled = len(comp) <= FILL_LIMIT
        groups.extend((g, filled) for g in attach_satellites(average_linkage(comp, local, MERGE_THRESHOLD), local))
    return [([order[k] for k in g], filled) for g, filled in groups]


class PairWeights:
    """A component's pair weights for the clustering, read from its numpy columns.

    The same items, in the same order, as `dict(zip(zip(a, b), w))`; `average_linkage` and
    `attach_satellites` read `columns()`, so 20 bytes a pair instead of a dict entry's ~180. On a
    large corpus weak links join most articles into one component with millions of pairs, and that
    dict was held through both clustering passes on top of their own.
    """

    CHUNK = 1 << 16  # pairs turned into Python objects at a time

    def __init__(self, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> None:
        self._a, self._b, self._w = a, b, w

    def __len__(self) -> int:
        return len(self._a)

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a, b, w) arrays: how the clustering reads them, without a Python object per pair."""
        return self._a, self._b, self._w

    def items(self) -> Iterator[tuple[tuple[int, int], float]]:
        for s in range(0, len(self._a), self.CHUNK):
            e = s + self.CHUNK
            yield from zip(zip(self._a[s:e].tolist(), self._b[s:e].tolist()), self._w[s:e].tolist())


def _fill_in(index: StoryIndex, order: list[int], comp: list[int], known: dict) -> dict:
    """Score (and remember) every pair of a small component that no generator proposed."""
    missing = [(a, b) for i, a in enumerate(comp) for b in comp[i + 1 :] if (a, b) not in known]
    out: dict[tuple[int, int], float] = {}
    cached, todo = [], []
    for a, b in missing:
        key = _key(index.ids[order[a]], index.ids[order[b]])
        if key in index.pairs:
            cached.append(((a, b), index.pairs[key][0]))
        else:
            todo.append((a, b))
    out.update(cached)
    if todo:
        scores = score_pairs(index, [(order[a], order[b]) for a, b in todo])
        for (a, b), p in zip(todo, scores.tolist()):
            out[(a, b)] = p
            index.pairs[_key(index.ids[order[a]], index.ids[order[b]])] = (p, False)
    return out


def _story(index: StoryIndex, rows: list[int], filled: bool = True) -> Story:
    ids = sorted(index.ids[r] for r in rows)
    central = _central(index, ids, filled)
    days = sorted(index.published[r] for r in rows if index.published[r])
    return Story(
        id=story_id(ids),
        articles=ids,
        label=index.lead[index.row[central]],
        languages=sorted({index.language[r] for r in rows if index.language[r]}),
        outlets=sorted({index.outlet[r] for r in rows if index.outlet[r]}),
        first_published=days[0] if days else None,
        last_published=days[-1] if days else None,
    )


CENTRAL_PAIRS = 1 << 20  # member pairs of one story looked up at a time in `_central`


def _central(index: StoryIndex, ids: list[str], filled: bool = True) -> str:
    """The member with the highest summed pair probability to the others (ties: smallest id).

    Outside a filled-in component only candidate pairs count: an index that grew over several runs
    still holds fill-in scores from when the component was small, which a from-scratch run lacks."""
    if len(ids) == 1:
        return ids[0]
    rounded = [round(t, 6) for t in _member_totals(index, ids, filled).tolist()]
    return ids[min(range(len(ids)), key=lambda k: (-rounded[k], ids[k]))]


def _member_totals(index: StoryIndex, ids: list[str], filled: bool) -> np.ndarray:
    """Each member's summed pair probability to the others (`ids` sorted; see `_central`).

    The pairs are looked up as arrays, a block of first members at a time, and each member's total
    gathers its scores in the order of the pairs (i, j) of sorted ids, first as the second member,
    then as the first: the float sums a loop over the pairs makes (a lookup per pair in Python was
    most of the story records' CPU)."""
    n = len(ids)
    rows = np.array([index.row[a] for a in ids], dtype=np.int64)
    totals = np.zeros(n, dtype=np.float64)
    step = max(1, CENTRAL_PAIRS // n)
    for start in range(0, n - 1, step):
        firsts = np.arange(start, min(start + step, n - 1))
        counts = n - 1 - firsts
        first = np.repeat(firsts, counts)  # the pairs (i, j), i < j, of these first members, in order
        second = first + 1 + np.arange(first.size) - np.repeat(np.cumsum(counts) - counts, counts)
        held, scores, candidate = index.pairs.get_rows(rows[first], rows[second])
        keep = held if filled else candidate
        first, second, scores = first[keep], second[keep], scores[keep]
        np.add.at(totals, second, scores)  # in order: no member of a later block is a first member here
        np.add.at(totals, first, scores)
    return totals


def group(
    articles: list[Article],
    settings: Settings | None = None,
    index: StoryIndex | None = None,
    pool: Executor | None = None,
) -> list[Story]:
    """Group articles into stories; with `index`, add them to it and return the stories of all its articles.

    `pool`, a process pool, computes the features in its workers (same result, see `update_index`)."""
    settings = settings or Settings()
    index = index if index is not None else empty_index(settings)
    update_index(articles, settings, index, pool)
    return stories_of(index)


def group_from(
    ids: Iterable[str],
    load: Callable[[list[str]], list[Article]],
    settings: Settings | None = None,
    index: StoryIndex | None = None,
    pool: Executor | None = None,
) -> list[Story]:
    """`group` over articles read on demand: `load(ids)` returns those articles (see `update_index_from`)."""
    settings = settings or Settings()
    index = index if index is not None else empty_index(settings)
    update_index_from(ids, load, settings, index, pool)
    return stories_of(index)


def empty_index(settings: Settings) -> StoryIndex:
    """A new index for `settings`' encoder (its name tells the scores which languages it reads)."""
    encoder = get_encoder(settings.grouping_encoder())
    return StoryIndex(dim=encoder.dim, encoder=encoder.name)


def stories_of(index: StoryIndex) -> list[Story]:
    """Cluster every article of `index` into stories (sorted by their smallest article id)."""
    stories = [_story(index, rows, filled) for rows, filled in _cluster(index)]
    return sorted(stories, key=lambda s: s.articles[0])


def pair_probability(a: Article, b: Article, settings: Settings | None = None) -> float:
    """Same-story probability of two articles (used by the SemEval benchmark and by tests)."""
    settings = settings or Settings()
    index = empty_index(settings)
    index.add(compute_features([a, b], get_encoder(settings.grouping_encoder()), settings.batch_size))
    return float(score_pairs(index, [(0, 1)])[0]) if len(index) == 2 else 1.0
