"""The local engine: runs the stages in order over a store.

Stages are pure functions over records (see docs/architecture.md); this module is the only
place that reads and writes the store and reports progress, so the Spark engine can reuse the
same stage functions inside its tasks.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from wiretrace import __version__
from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument, Report, Story
from wiretrace.progress import Progress
from wiretrace.store import INDEX_ROWS_PER_INSERT, INDEX_STATE, STORIES_STATE, IndexWrite, Store, record_hash
from wiretrace.workers import (  # noqa: F401  (re-exported: the engines, benchmarks and tests use them from here)
    CLEAN_PRELOAD,
    PARENT_CHECK_SECONDS,
    TEXT_CACHE_MIN_SIZE,
    _clean_many,
    _exit_with_parent,
    _process_many,
    clear_text_caches,
    default_workers,
    lazy_worker_pool,
    process_stories,
    process_story,
    stage_encoders,
    worker_pool,
)

if TYPE_CHECKING:
    from wiretrace.stories import StoryIndex

log = logging.getLogger(__name__)

# A worker pool costs a process start and a model load per worker (seconds), so small corpora
# run in this process. WIRETRACE_WORKERS overrides the worker count (1 = never a pool).
PARALLEL_MIN_ARTICLES = 1500
STORIES_PER_TASK = 8  # stories sent to a worker at once (amortises pickling and queueing)
TASKS_IN_FLIGHT = 4  # per worker: bounds the articles pickled and waiting in the queue


def _bounded_map(pool: Executor, fn: Callable, tasks: Iterable, in_flight: int) -> Iterator:
    """Results of fn(task) in task order, with at most `in_flight` tasks submitted and unfinished
    (so a large corpus is never pickled into the queue all at once)."""
    pending: dict[int, Future] = {}
    ready: dict[int, object] = {}
    next_out = 0
    for k, task in enumerate(tasks):
        pending[k] = pool.submit(fn, task)
        while len(pending) >= in_flight:
            done, _ = wait(pending.values(), return_when=FIRST_COMPLETED)
            for key in [key for key, f in pending.items() if f in done]:
                ready[key] = pending.pop(key).result()
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
    for key in sorted(pending):
        ready[key] = pending.pop(key).result()
    while next_out in ready:
        yield ready.pop(next_out)
        next_out += 1


@dataclass(slots=True)
class IngestResult:
    read: int = 0
    added: int = 0
    skipped: int = 0
    errors: list[InputError] = field(default_factory=list)
    stories: StoriesRun | None = None  # what the later stages reused and recomputed (`analyze_store` fills it)


def ingest_into(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Progress | None = None,
    pool: Executor | None = None,
) -> IngestResult:
    """Read, clean and store every article under `paths`; already stored records are skipped.

    Batches go in one transaction each, so a run killed at any point leaves whole articles only,
    and running again completes it without duplicates. With `pool`, each batch is cleaned in
    its worker processes (results in input order, so the store is the same either way).
    """
    from wiretrace.ingest import read_paths

    result = IngestResult()
    progress = progress or Progress(enabled=False)
    task = progress.task("ingest", total=None)
    stream = read_paths(paths, settings)
    while True:
        batch = list(itertools.islice(stream, settings.batch_size))
        if not batch:
            break
        docs: list[tuple[str, RawDocument]] = []
        for item in batch:
            if isinstance(item, InputError):
                result.errors.append(item)
                progress.error(item)
            else:
                docs.append((record_hash(item), item))
        result.read += len(docs)
        known = store.known_hashes(h for h, _ in docs)
        todo = [(h, doc) for h, doc in docs if h not in known]
        result.skipped += len(docs) - len(todo)
        store.add_aliases([(h, doc.source) for h, doc in docs if h in known])
        cleaned: list[Article] = []
        for (h, _), article in zip(todo, _clean_batch([doc for _, doc in todo], settings, pool), strict=True):
            if isinstance(article, InputError):
                result.errors.append(article)
                progress.error(article)
                continue
            article.content_hash = h
            cleaned.append(article)
        result.added += store.add_articles(cleaned)
        progress.advance(task, len(batch))
    progress.done(task)
    return result


def _clean_batch(docs: list[RawDocument], settings: Settings, pool: Executor | None) -> list[Article | InputError]:
    if pool is None or len(docs) < 2 * CLEAN_PER_TASK:
        return _clean_many((docs, settings))
    tasks = ((docs[i : i + CLEAN_PER_TASK], settings) for i in range(0, len(docs), CLEAN_PER_TASK))
    return [a for part in pool.map(_clean_many, tasks) for a in part]


CLEAN_PER_TASK = 32


MEMBERS_PER_LOAD = 2000  # articles the per-story stages read at once (whole stories, so a big one may exceed it)


class ArticleSource(Protocol):
    """Where the stages read articles from, by id, with templates already removed."""

    def __len__(self) -> int: ...

    def ids(self) -> list[str]: ...

    def load(self, ids: list[str]) -> list[Article]:
        """The articles with these ids, in that order (unknown ids skipped)."""
        ...


class InMemoryArticles:
    """Articles already in memory (a list given to `run_stages`)."""

    def __init__(self, articles: list[Article]) -> None:
        self._by_id = {a.id: a for a in articles}

    def __len__(self) -> int:
        return len(self._by_id)

    def ids(self) -> list[str]:
        return list(self._by_id)

    def load(self, ids: list[str]) -> list[Article]:
        return [self._by_id[i] for i in ids if i in self._by_id]


class StoredArticles:
    """The store's articles, read in batches when a stage needs them and stripped of templates on the way.

    So the main process holds the ids, the template keys and one batch of articles, not the corpus:
    memory is bounded by batch, not corpus, size. The template pass reads the store once up front.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        from wiretrace.clean.templates import Templates

        self.store = store
        self._ids = store.article_ids()
        self.templates = Templates.count(store.iter_articles(), settings)

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self) -> list[str]:
        return list(self._ids)

    def load(self, ids: list[str]) -> list[Article]:
        return [self.templates.strip(a) for a in self.store.articles_by_ids(ids)]


def run_stages(
    articles: list[Article],
    settings: Settings,
    store: Store | None = None,
    progress: Progress | None = None,
    pool: Executor | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[list[Article], list[Story]]:
    """Everything after ingest over articles in memory: templates, stories, then each per-story stage.

    Without `pool`, a corpus of at least PARALLEL_MIN_ARTICLES articles runs in a pool of
    `default_workers()` processes (the stories stage's encoder batches, then the per-story stages);
    results are the same and keep story order either way.
    `timings`, when given, gets seconds per stage (per-story stages summed over workers).
    `analyze_stored` is the same over a store, without holding the corpus in memory.
    """
    from wiretrace.clean import remove_templates

    progress = progress or Progress(enabled=False)
    timings = {} if timings is None else timings
    t = time.perf_counter()
    articles = remove_templates(articles, settings)
    timings["templates"] = timings.get("templates", 0.0) + time.perf_counter() - t
    return articles, _in_pool(InMemoryArticles(articles), settings, pool, progress, timings)


def _in_pool(
    source: ArticleSource, settings: Settings, pool: Executor | None, progress: Progress, timings: dict[str, float]
) -> list[Story]:
    """`_stories_and_stages` in `pool`, or in a pool of our own when none is given and the corpus is large."""
    if pool is None and len(source) >= PARALLEL_MIN_ARTICLES:
        with worker_pool(encoders=stage_encoders(settings)) as own:
            return _stories_and_stages(source, settings, own, progress, timings)
    return _stories_and_stages(source, settings, pool, progress, timings)


def _stories_and_stages(
    source: ArticleSource,
    settings: Settings,
    pool: Executor | None,
    progress: Progress,
    timings: dict[str, float],
) -> list[Story]:
    """Stories (encoding in `pool`), then the per-story stages (in `pool` too)."""
    from wiretrace.stories import group_from

    task = progress.task("stories", total=len(source))
    t = time.perf_counter()
    stories = group_from(source.ids(), source.load, settings, pool=pool)
    timings["stories"] = timings.get("stories", 0.0) + time.perf_counter() - t
    progress.advance(task, len(source))
    progress.done(task)
    task = progress.task("lineage, facts, consensus", total=len(stories))
    t = time.perf_counter()
    done = _story_stages(stories, source, settings, pool, progress, task, timings)
    timings["per-story wall"] = timings.get("per-story wall", 0.0) + time.perf_counter() - t
    progress.done(task)
    return done


def _with_members(stories: list[Story], source: ArticleSource) -> Iterator[tuple[Story, dict[str, Article]]]:
    """Each story with its member articles, read from `source` for about MEMBERS_PER_LOAD articles at a time."""
    start = 0
    while start < len(stories):
        end, size = start + 1, len(stories[start].articles)
        while end < len(stories) and size + len(stories[end].articles) <= MEMBERS_PER_LOAD:
            size += len(stories[end].articles)
            end += 1
        by_id = {a.id: a for a in source.load(sorted({i for s in stories[start:end] for i in s.articles}))}
        for story in stories[start:end]:
            yield story, {i: by_id[i] for i in story.articles if i in by_id}
        del by_id
        start = end


def _story_stages(
    stories: list[Story],
    source: ArticleSource,
    settings: Settings,
    pool: Executor | None,
    progress: Progress,
    task: int,
    timings: dict[str, float],
) -> list[Story]:
    """process_story over every story, in `pool` when given; output in story order."""
    items = _with_members(stories, source)
    done: list[Story] = []
    if pool is None:
        for story, members in items:
            done.append(process_story(story, members, settings, timings))
            progress.advance(task, 1)
        return done
    tasks = iter(lambda: list(itertools.islice(items, STORIES_PER_TASK)), [])
    in_flight = TASKS_IN_FLIGHT * getattr(pool, "_max_workers", 2)
    for part, part_timings in _bounded_map(pool, _process_many, ((chunk, settings) for chunk in tasks), in_flight):
        done.extend(part)
        for name, seconds in part_timings.items():
            timings[name] = timings.get(name, 0.0) + seconds
        progress.advance(task, len(part))
    return done


# -- incremental runs over a store ------------------------------------------------------------------
# The store keeps the story index (features and verified pair scores) with the stories it grouped,
# so a run encodes and scores only articles the index lacks, and re-traces only stories whose members
# or their texts changed. See docs/architecture.md, "Incremental runs".

INDEX_FORMAT = 1  # bump when what the stored index means changes (its columns, features, pair scores)
LAST_RUN_STATE = "last_stories_run"  # meta key: the StoriesRun of the last run, as JSON


@dataclass(slots=True)
class StoriesRun:
    """What one run of the stages over a store reused and what it recomputed."""

    indexed: int = 0  # articles whose stored features and pair scores were reused
    encoded: int = 0  # articles encoded and scored this run (new ones and those whose text changed)
    changed: int = 0  # stored articles whose text changed (the corpus-wide template pass) and were re-encoded
    unchanged: int = 0  # stories whose stored lineage, facts and consensus were reused
    traced: int = 0  # stories run through lineage, facts and consensus
    rebuild: str = ""  # why the stored index was not used ("" when it was)

    def to_dict(self) -> dict[str, int | str]:
        return {name: getattr(self, name) for name in self.__slots__}


def index_state(settings: Settings) -> str:
    """What the stored index and stories are only valid for: the index format, the wiretrace version, its
    code (`code_digest`) and every setting but the engine (the encoder included). Any change makes the next run
    rebuild."""
    # not the engine: every engine gives the same stories, so one may continue another's store
    kept = {k: v for k, v in settings.to_dict().items() if k != "engine"}
    state = {"format": INDEX_FORMAT, "version": __version__, "code": code_digest(), "settings": kept}
    return json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)


@functools.cache
def code_digest() -> str:
    """Digest of the wiretrace package's Python sources: a stored result is only reused by the code that
    made it. The version alone is not enough: an edited checkout (or a patched install) keeps its version
    while lineage or facts give other answers."""
    root = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def article_fingerprint(article: Article) -> str:
    """Digest of everything an article holds after the template pass: equal digests, equal inputs to
    the stories features and to the per-story stages."""
    payload = json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def load_index(
    store: Store, source: StoredArticles, settings: Settings, rebuild: bool = False, state: str | None = None
) -> tuple[StoryIndex, StoriesRun]:
    """The stored story index, minus rows that no longer hold (see `stale_rows`), or an empty index
    with the reason in `StoriesRun.rebuild` when the store has none valid for `settings` (whose
    `index_state` the caller may pass as `state`)."""
    from wiretrace.embed import get_encoder
    from wiretrace.stories import StoryIndex

    encoder = get_encoder(settings.grouping_encoder())
    run = StoriesRun()
    stored = store.get_state(INDEX_STATE)
    if rebuild:
        run.rebuild = "asked to rebuild"
    elif stored is None:
        run.rebuild = "no stored index"
    elif stored != (state or index_state(settings)):
        run.rebuild = "settings, encoder or wiretrace code changed"
    else:
        try:
            index = StoryIndex.from_arrow(
                store.story_index_rows(), store.story_index_pairs(), encoder.dim, encoder.name,
                store.story_index_count(),
            )
        except ValueError as exc:
            run.rebuild = f"stored index unreadable ({exc})"
    if run.rebuild:
        if stored is not None or rebuild:
            log.info("stories: rebuilding the story index: %s", run.rebuild)
        return StoryIndex(dim=encoder.dim, encoder=encoder.name), run
    stale = stale_rows(index, source, store)
    run.changed = len(stale & set(source.ids()))
    index.remove(stale)
    run.indexed = len(index)
    if stale:
        log.info("stories: %d stored articles changed since they were indexed and are re-encoded", len(stale))
    return index, run


def stale_rows(index: StoryIndex, source: StoredArticles, store: Store) -> set[str]:
    """Ids of index rows that no longer describe their article: gone from the store, without a
    fingerprint, or whose text after the template pass differs from the one the features came from.

    A stored article never changes, and stripping it depends only on it and the template keys, so
    its text can only have changed when the keys did: only then is every indexed article re-read."""
    now = set(source.ids())
    stale = {i for i, fingerprint in zip(index.ids, index.fingerprints) if i not in now or not fingerprint}
    if store.story_index_templates() != set(source.templates.keys):
        kept = {i: fingerprint for i, fingerprint in zip(index.ids, index.fingerprints) if i not in stale}
        check = sorted(kept)
        for start in range(0, len(check), MEMBERS_PER_LOAD):
            for article in source.load(check[start : start + MEMBERS_PER_LOAD]):
                if article_fingerprint(article) != kept[article.id]:
                    stale.add(article.id)
    return stale


class StageEngine(Protocol):
    """Where `analyze_stored` runs its two heavy steps; everything else (the template pass, the index's
    load, candidates, scores, clusters, the saves) stays in this process, the same for every engine.

    `LocalEngine` runs them here or in a process pool; `wiretrace.engine.spark.SparkEngine` as Spark jobs."""

    def update_index(
        self, ids: list[str], load: Callable[[list[str]], list[Article]], settings: Settings, index: StoryIndex
    ) -> None:
        """`stories.update_index_from(ids, load, settings, index)`: encode the feature passes of the ids
        the index lacks (`load` reads a list of them), add them, score their candidate pairs."""
        ...

    def trace(
        self,
        stories: list[Story],
        source: ArticleSource,
        settings: Settings,
        progress: Progress,
        task: int,
        timings: dict[str, float],
    ) -> list[Story]:
        """`process_story` over every story with its members from `source`; output in story order."""
        ...

    def release(self) -> None:
        """Let the workers go once the per-story stages are done, before the stories are saved: idle,
        they still hold their models and what their last task left in memory."""
        ...


@dataclass(slots=True)
class LocalEngine:
    """The local engine's steps: in this process, or in `pool`'s workers when given."""

    pool: Executor | None = None

    def update_index(
        self, ids: list[str], load: Callable[[list[str]], list[Article]], settings: Settings, index: StoryIndex
    ) -> None:
        from wiretrace.stories import update_index_from

        update_index_from(ids, load, settings, index, self.pool)

    def trace(
        self,
        stories: list[Story],
        source: ArticleSource,
        settings: Settings,
        progress: Progress,
        task: int,
        timings: dict[str, float],
    ) -> list[Story]:
        return _story_stages(stories, source, settings, self.pool, progress, task, timings)

    def release(self) -> None:
        """Nothing to do: the pool belongs to `analyze_stored` (shut down before the save) or its caller."""


def analyze_stored(
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    pool: Executor | None = None,
    timings: dict[str, float] | None = None,
    rebuild: bool = False,
    engine: StageEngine | None = None,
) -> tuple[StoredArticles, list[Story], StoriesRun]:
    """`run_stages` over every stored article, read from `store` batch by batch (`StoredArticles`: the main
    process's memory bounded by batch, not corpus, size), reusing what the store kept from its last run,
    then saved to it. Returns the source too (it reads the articles, templates removed).

    Only articles the stored index lacks (or whose text changed) are encoded and scored; a story
    whose members and their texts are those of a stored story, under the same settings, keeps its
    stored lineage, facts and consensus. The index is saved as soon as the stories are grouped (and
    then dropped), the stories after the per-story stages, noting the index state they came from.
    The result equals a from-scratch run's (tests/test_incremental.py); `rebuild` forces one.
    Without `pool`, a pool of its own is started for a corpus of at least PARALLEL_MIN_ARTICLES and
    shut down before the stories are saved: its idle workers keep what the per-story stages cached
    (~0.6 GB each at 10k articles), which would otherwise add to the save's own peak. `engine`, when
    given, runs the encoding and the per-story stages instead of a pool (e.g. the Spark engine's).
    """
    progress = progress or Progress(enabled=False)
    timings = {} if timings is None else timings
    t = time.perf_counter()
    source = StoredArticles(store, settings)
    timings["templates"] = timings.get("templates", 0.0) + time.perf_counter() - t
    t = time.perf_counter()
    state = index_state(settings)
    index, run = load_index(store, source, settings, rebuild, state)
    timings["index load"] = timings.get("index load", 0.0) + time.perf_counter() - t
    own = engine is None and pool is None and len(source) >= PARALLEL_MIN_ARTICLES
    with worker_pool(encoders=stage_encoders(settings)) if own else nullcontext(pool) as workers:
        steps = engine or LocalEngine(workers)
        held = [index]
        del index  # `_group_stored` drops the last reference once the index is saved
        stories, carried = _group_stored(store, source, held, run, state, settings, steps, progress, timings)
        stories = _trace_stored(store, source, stories, carried, run, state, settings, steps, progress, timings)
        steps.release()
    t = time.perf_counter()
    store.save_stories(stories, state=state)
    timings["save"] = timings.get("save", 0.0) + time.perf_counter() - t
    log.info(
        "stories: %d indexed, %d new; %d stories unchanged, %d traced",
        run.indexed, run.encoded - run.changed, run.unchanged, run.traced,
    )
    store.set_state(LAST_RUN_STATE, json.dumps(run.to_dict(), sort_keys=True))
    return source, stories, run


def _group_stored(
    store: Store,
    source: StoredArticles,
    held: list[StoryIndex],
    run: StoriesRun,
    state: str,
    settings: Settings,
    engine: StageEngine,
    progress: Progress,
    timings: dict[str, float],
) -> tuple[list[Story], set[str]]:
    """The stories stage over the loaded index (`held`, its only reference: new rows added), the index
    saved, then dropped before the per-story stages, so the main process does not hold the corpus's
    features and pair scores (~1 GB at 100k articles) beside their workers. Returns the stories and
    the ids whose features came from the stored run."""
    from wiretrace.stories import stories_of

    index = held.pop()
    carried = set(index.ids)  # rows whose features (and, later, stories) come from the stored run
    fingerprints: dict[str, str] = {}

    def load_new(ids: list[str]) -> list[Article]:
        articles = source.load(ids)
        fingerprints.update((a.id, article_fingerprint(a)) for a in articles)
        return articles

    ids = source.ids()
    run.encoded = sum(1 for i in set(ids) if i not in index.row)
    new = run.encoded - run.changed
    label = f"stories: {run.indexed:,} indexed, {new:,} new"
    if run.changed:
        label += f", {run.changed:,} changed"
    if run.rebuild and run.rebuild != "no stored index":
        label = f"stories (rebuilt: {run.rebuild})"
    task = progress.task(label, total=run.encoded)
    t = time.perf_counter()
    engine.update_index(ids, load_new, settings, index)
    index.set_fingerprints(fingerprints)
    stories = stories_of(index)
    timings["stories"] = timings.get("stories", 0.0) + time.perf_counter() - t
    progress.advance(task, run.encoded)
    progress.done(task)
    t = time.perf_counter()
    store.save_index(IndexWrite(
        state=state,
        rows=index.rows_arrow_batches(index.persisted, INDEX_ROWS_PER_INSERT),
        pairs=index.pairs_arrow(),
        templates=sorted(source.templates.keys),
        dropped=list(index.dropped),
        reset=bool(run.rebuild),
    ))
    timings["save"] = timings.get("save", 0.0) + time.perf_counter() - t
    return stories, carried


def _trace_stored(
    store: Store,
    source: StoredArticles,
    stories: list[Story],
    carried: set[str],
    run: StoriesRun,
    state: str,
    settings: Settings,
    engine: StageEngine,
    progress: Progress,
    timings: dict[str, float],
) -> list[Story]:
    """The per-story stages for stories not reusable from the store (every story returned, in order)."""
    reused = _reusable(store, stories, carried, state)
    todo = [s for s in stories if s.id not in reused]
    run.unchanged, run.traced = len(reused), len(todo)
    task = progress.task(f"{len(reused):,} stories unchanged, {len(todo):,} to trace", total=len(todo))
    t = time.perf_counter()
    traced = iter(engine.trace(todo, source, settings, progress, task, timings))
    timings["per-story wall"] = timings.get("per-story wall", 0.0) + time.perf_counter() - t
    progress.done(task)
    return [reused[s.id] if s.id in reused else next(traced) for s in stories]


_GROUPING = ("id", "articles", "label", "languages", "outlets", "first_published", "last_published")


def _reusable(store: Store, stories: list[Story], carried: set[str], state: str) -> dict[str, Story]:
    """Stored stories that can stand for these: saved with the index of this state, every member's
    features carried over from it (so its text is unchanged), and the very same grouping."""
    if store.get_state(STORIES_STATE) != state:
        return {}
    wanted = [s.id for s in stories if all(a in carried for a in s.articles)]
    stored = store.stories_by_ids(wanted)
    return {
        s.id: stored[s.id]
        for s in stories
        if s.id in stored and all(getattr(s, f) == getattr(stored[s.id], f) for f in _GROUPING)
    }


def analyze_store(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Progress | None = None,
    rebuild: bool = False,
    timings: dict[str, float] | None = None,
) -> tuple[Report, IngestResult]:
    """Ingest `paths` into `store`, run every later stage over the whole stored corpus, save the results.

    The stages read the store batch by batch and reuse what it kept from the last run
    (`analyze_stored`; `rebuild` recomputes everything); only the Report, built once they are done,
    holds every article. `timings`, when given, gets seconds per stage (see `run_stages`)."""
    run = store.next_run()
    # started by the first batch large enough for it; its fork server imports the cleaning modules only
    with lazy_worker_pool(preload=CLEAN_PRELOAD) as pool:
        result = ingest_into(store, paths, settings, progress, pool=pool)
    store.add_errors(result.errors, run)
    # a pool of its own (for a corpus of PARALLEL_MIN_ARTICLES or more), shut down before the save
    source, stories, result.stories = analyze_stored(store, settings, progress, timings=timings, rebuild=rebuild)
    report = Report(
        articles=source.load(source.ids()),
        stories=stories,
        errors=sorted(result.errors, key=lambda e: (e.source, e.reason)),
        settings=settings.to_dict(),
        version=__version__,
    )
    return report, result


def analyze(
    paths: Iterable[str | Path],
    out: str | Path | None = None,
    store: str | Path | Store = ":memory:",
    settings: Settings | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> Report:
    """Run the whole pipeline over `paths` and return the `Report` (written to `out` if given).

    `store` is a path to a DuckDB file (kept between runs: new inputs join the stored corpus)
    or `:memory:` for a throw-away analysis. A kept store is analysed incrementally (`analyze_stored`);
    `rebuild` recomputes every stage over it.
    """
    settings = settings or Settings()
    if isinstance(store, Store):
        report, _ = analyze_store(store, paths, settings, progress, rebuild)
    else:
        with Store(store) as st:
            report, _ = analyze_store(st, paths, settings, progress, rebuild)
    if out is not None:
        from wiretrace.report import write_report

        write_report(report, out)
    return report
