"""Run a lineage, facts or examples benchmark with the per-story stages on another sentence encoder.

    .venv/bin/python -m bench.lineage.with_encoder use-static bench.lineage.generated --stories 150 --split eval

Makes every `EmbeddingCache` use `encoder` (what `Settings.align_encoder` does in the product; the
benchmarks build their own Settings) and runs the module's `main` with the remaining arguments, so
every benchmark measures the variant without an option of its own. The module's results file is
written as usual: restore it when the run is a comparison (`git checkout bench/lineage/results.json`).
"""

from __future__ import annotations

import runpy
import sys

from wiretrace.align import aligner


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    encoder, module, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if encoder != "default":
        aligner.align_encoder_name = lambda settings: encoder
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
