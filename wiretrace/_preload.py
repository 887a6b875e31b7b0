"""Imported by the workers' fork server (`wiretrace.workers`): loads the encoders the pool's tasks will
use, named in WIRETRACE_PRELOAD_ENCODERS, so each forked worker starts with them loaded (USE: ~0.9
CPU s and ~95 MB a worker otherwise, now shared pages) instead of loading its own.

Loading starts no threads (BLAS and the encoder are single-threaded in the fork server's environment;
a test checks), so the fork server stays safe to fork. A failure is left to the workers: they load the
encoder as before and report the error where a task needs it.
"""

from __future__ import annotations

import os

from wiretrace.workers import PRELOAD_ENV


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


_load([n for n in os.environ.get(PRELOAD_ENV, "").split(",") if n])
