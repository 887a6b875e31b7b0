"""The worker pool of the local engine and what its workers run (cleaning, the per-story stages).

Kept apart from `wiretrace.pipeline` so a worker never imports the store (DuckDB, pyarrow: ~0.45
CPU s and ~75 MB a worker, and pyarrow starts threads at import): a task's function is pickled by
module and name, and unpickling it imports this module only.

Workers start from a fork server (Linux) that has imported numpy, scipy and the stage modules once,
so each worker is a fork of it instead of a fresh interpreter importing them again (~0.8 CPU s a
worker). The fork server is itself a fresh interpreter (not a fork of the parent, which may run
DuckDB and encoder threads), started with single-threaded BLAS, and what it imports starts no
threads, so forking it is safe. Elsewhere (macOS, whose system libraries are not fork-safe, and
Windows) workers are spawned. WIRETRACE_START_METHOD=spawn|forkserver overrides the choice.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager

from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument, Story

_WORKER_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "WIRETRACE_ENCODER_THREADS")
# Imported once by the fork server: what workers import for their tasks, none of it starting threads
# at import with single-threaded BLAS (a test checks). Missing ones are skipped by multiprocessing.
PRELOAD = (
    "numpy", "scipy.sparse", "sentencepiece", "wiretrace.workers", "wiretrace.clean", "wiretrace.embed",
    "wiretrace.stories", "wiretrace.align", "wiretrace.lineage", "wiretrace.facts", "wiretrace.consensus",
    "wiretrace._preload",  # the encoders named by `worker_pool(encoders=...)`, the stages' models
)
CLEAN_PRELOAD = ("wiretrace.workers", "wiretrace.clean", "wiretrace._preload")  # what the ingest pool's workers need
PRELOAD_ENV = "WIRETRACE_PRELOAD_ENCODERS"  # how `worker_pool` tells `wiretrace._preload` the encoders
STAGE_PRELOAD_ENV = "WIRETRACE_PRELOAD_STAGE"  # and which stage's models to load: "stages", "clean" or ""
PARENT_CHECK_SECONDS = 1.0


def default_workers() -> int:
    """Worker processes for the parallel stages: WIRETRACE_WORKERS, else the CPUs this process may use."""
    raw = os.environ.get("WIRETRACE_WORKERS", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def stage_encoders(settings: Settings) -> tuple[str, ...]:
    """The encoders a pool for the stories and per-story stages uses: the grouping and alignment ones."""
    return tuple(sorted({settings.grouping_encoder(), settings.align_encoder or settings.encoder}))


def start_method() -> str:
    """"forkserver" on Linux, else "spawn" (see the module's docstring); WIRETRACE_START_METHOD overrides."""
    import multiprocessing

    wanted = os.environ.get("WIRETRACE_START_METHOD", "").strip()
    if wanted in ("spawn", "forkserver"):
        return wanted if wanted in multiprocessing.get_all_start_methods() else "spawn"
    return "forkserver" if sys.platform.startswith("linux") else "spawn"


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: leave when the parent is gone.

    An idle pool worker waits on a queue whose write end it holds itself, so when `wiretrace
    analyze` is killed (SIGKILL, OOM killer) its workers would wait forever; a daemon thread
    notices and ends the process. A spawned worker is the parent's child and is re-parented when
    it dies; a fork server's worker is the fork server's child, and the fork server exits when the
    parent dies (its pipe from the parent closes), so either way the worker's own parent changes.
    `parent` (the pool's owner) is checked too, for a parent gone before this ran.
    """
    import threading

    first = os.getppid()

    def gone() -> bool:
        if os.getppid() != first:
            return True
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False

    def watch() -> None:
        while not gone():
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="wiretrace-parent-watch", daemon=True).start()


@contextmanager
def worker_pool(
    workers: int | None = None, encoders: Iterable[str] = (), preload: Iterable[str] = PRELOAD
) -> Iterator[Executor | None]:
    """A process pool for the parallel stages, or None when one worker would do.

    `preload`: the modules the fork server imports (the stages' by default; `CLEAN_PRELOAD` for
    the ingest pool, whose workers only clean).
    `encoders` (names for `get_encoder`) are loaded once in the fork server, before the workers are
    forked from it, instead of in every worker (spawned workers load them when a task needs them).

    Never forked from this process: it may hold DuckDB and encoder threads, which fork does not
    copy safely (workers come from a fork server or are spawned: see the module's docstring).
    Each worker runs single-threaded numeric code (one process per core already).
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        yield None
        return
    import multiprocessing

    preload = tuple(preload)
    method = start_method()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(list(preload))
    # BLAS reads its thread count when numpy is imported, so the variables must be in the
    # environment the workers (and the fork server, started with the first) begin with: start them
    # all now, then restore ours.
    saved = {k: os.environ.get(k) for k in (*_WORKER_ENV, PRELOAD_ENV, STAGE_PRELOAD_ENV)}
    os.environ.update(dict.fromkeys(_WORKER_ENV, "1"))
    os.environ[PRELOAD_ENV] = ",".join(sorted(set(encoders))) if method == "forkserver" else ""
    os.environ[STAGE_PRELOAD_ENV] = preloaded_stage(preload) if method == "forkserver" else ""
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_exit_with_parent, initargs=(os.getpid(),)
        )
        for _ in range(workers):  # each submit with no idle worker starts one
            pool.submit(os.getpid)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if method == "forkserver":
            stop_fork_server()


def preloaded_stage(preload: Iterable[str]) -> str:
    """Which stage's models `wiretrace._preload` loads in a fork server importing `preload`: "stages" (the
    per-story stages' models and tables) when it imports them, "clean" (the language model) when it
    imports only the cleaning stage, else ""."""
    modules = set(preload)
    if "wiretrace._preload" not in modules:
        return ""
    if "wiretrace.facts" in modules:
        return "stages"
    return "clean" if "wiretrace.clean" in modules else ""


def stop_fork_server() -> None:
    """End multiprocessing's fork server (a later pool starts a new one): it holds the preloaded
    modules (~100 MB), which would otherwise stay beside the parent after its pool, e.g. during the
    save; and its workers' CPU time reaches `getrusage(RUSAGE_CHILDREN)` only once it is joined."""
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)  # private, in CPython 3.8-3.14
    if stop is not None:
        stop()


class LazyPool(Executor):
    """A `worker_pool` started on the first task: a run whose batches are all too small for a pool
    (a few files: `pipeline.ingest_into` cleans them in this process) never starts one."""

    def __init__(self, stack: ExitStack, workers: int, encoders: Iterable[str], preload: Iterable[str]) -> None:
        self._stack, self._args = stack, (workers, tuple(encoders), tuple(preload))
        self._pool: Executor | None = None
        self._max_workers = workers

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> Future:
        if self._pool is None:
            self._pool = self._stack.enter_context(worker_pool(*self._args))
        assert self._pool is not None  # workers > 1
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._stack.close()


@contextmanager
def lazy_worker_pool(
    workers: int | None = None, encoders: Iterable[str] = (), preload: Iterable[str] = PRELOAD
) -> Iterator[Executor | None]:
    """`worker_pool`, started when the first task is submitted (`LazyPool`); None when one worker would do."""
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        yield None
        return
    with ExitStack() as stack:
        yield LazyPool(stack, workers, encoders, preload)


def _clean_many(task: tuple[list[RawDocument], Settings]) -> list[Article | InputError]:
    from wiretrace.clean import clean_document

    docs, settings = task
    return [clean_document(doc, settings) for doc in docs]


def process_story(
    story: Story,
    members: dict[str, Article],
    settings: Settings,
    timings: dict[str, float] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Story:
    """Lineage, then facts and consensus over the alignments lineage computed (each version is
    aligned once per story, not once per stage). Both engines call this, so they agree.

    `timings`, when given, gets each stage's seconds by `clock` added (benchmarks pass
    `time.process_time` for CPU seconds)."""
    from wiretrace.align import EmbeddingCache
    from wiretrace.consensus import reconstruct
    from wiretrace.facts import find_drift
    from wiretrace.lineage import trace_with_alignments

    t0 = clock()
    cache = EmbeddingCache(settings=settings)
    story, alignments = trace_with_alignments(story, members, settings, cache=cache)
    alignments.vectors = cache.vectors_by_text()  # facts reuses them for its gap sentences
    t1 = clock()
    story = find_drift(story, members, settings, alignments=alignments)
    t2 = clock()
    story = reconstruct(story, members, settings, alignments=alignments)
    if timings is not None:
        for name, seconds in (("lineage", t1 - t0), ("facts", t2 - t1), ("consensus", clock() - t2)):
            timings[name] = timings.get(name, 0.0) + seconds
    return story


TEXT_CACHE_MIN_SIZE = 1024  # lru caches this large hold per-text results; smaller ones hold models and tables


def clear_text_caches() -> int:
    """Empty every per-text `lru_cache` of the wiretrace modules loaded (tokens, pair edits, n-grams...).

    A worker process runs the per-story stages for one task's stories, then others': it never sees a
    story twice, so what these caches hold after a task is memory, not speed (Spark reuses its Python
    workers, and they grew to ~1.4 GB each at 100,000 articles). Small caches (models, patterns,
    gazetteers) are kept. Pure memoisation: outputs do not change. Returns how many caches were cleared."""
    cleared = 0
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("wiretrace"):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if info is not None and hasattr(value, "cache_clear"):
                size = info().maxsize
                if size is not None and size >= TEXT_CACHE_MIN_SIZE:
                    value.cache_clear()
                    cleared += 1
    return cleared


def process_stories(
    items: Iterable[tuple[Story, dict[str, Article]]], settings: Settings
) -> tuple[list[Story], dict[str, float]]:
    """One worker task of either engine: `process_story` over a chunk of stories, then the per-text
    caches are cleared (the worker's next task holds other stories); the stage timings too."""
    timings: dict[str, float] = {}
    done = [process_story(story, members, settings, timings) for story, members in items]
    clear_text_caches()
    return done, timings


def _process_many(
    task: tuple[list[tuple[Story, dict[str, Article]]], Settings],
) -> tuple[list[Story], dict[str, float]]:
    items, settings = task
    return process_stories(items, settings)
