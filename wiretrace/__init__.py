"""wiretrace: trace how a news story travels."""

from __future__ import annotations

__version__ = "0.1.0"


def analyze(paths, out=None, store=":memory:", settings=None, progress=None, rebuild=False):
    """Run the whole pipeline: `wiretrace.analyze(["articles/"]) -> Report` (see `pipeline.analyze`)."""
    from wiretrace.pipeline import analyze as _analyze

    return _analyze(paths, out=out, store=store, settings=settings, progress=progress, rebuild=rebuild)
