"""Alignment speed, and the time to trace one story of 500 copies (wall and process CPU seconds:
the cores are shared, so CPU seconds are the comparable figure).

    .venv/bin/python -m bench.lineage.speed [--copies 500]

Copies are derived from one real SemEval English article with the generator's operators
(verbatim, light edit, excerpt, spin, paraphrase, reorder), copies of copies included.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.generator.corpus import OPERATORS, derive, load_sources
from bench.lineage.common import save_result
from bench.lineage.generated import to_article
from wiretrace.align import EmbeddingCache, align_units
from wiretrace.data import Story
from wiretrace.lineage import trace_with_alignments


class _V:  # the few fields `to_article` reads
    def __init__(self, vid: str, text: str) -> None:
        self.id, self.text, self.language, self.published, self.outlet = vid, text, "en", None, None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=500)
    args = parser.parse_args()
    src = load_sources()
    base_id = max(sorted(src["english"]), key=lambda k: min(len(src["english"][k]), 6000))
    rng = np.random.default_rng(7)
    texts = [src["english"][base_id]]
    ops = [o for o in OPERATORS if o != "translation"]
    for _ in range(args.copies - 1):
        parent = texts[0] if rng.random() < 0.7 else texts[int(rng.integers(len(texts)))]
        texts.append(derive(str(rng.choice(ops)), parent, rng)[0])
    articles = {f"c{k:04d}": to_article(_V(f"c{k:04d}", t)) for k, t in enumerate(texts)}
    cache = EmbeddingCache()
    t0, c0 = time.perf_counter(), time.process_time()
    cache.prefetch(list(articles.values()))
    t_encode, c_encode = time.perf_counter() - t0, time.process_time() - c0
    units = [cache.units(a) for a in articles.values()]
    # raw aligner throughput: each copy against the original
    t0, c0 = time.perf_counter(), time.process_time()
    pairs = sum(len(align_units(u, units[0]).pairs) for u in units[1:])
    compared = sum(len(u.texts) * len(units[0].texts) for u in units[1:])
    t_align, c_align = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    story, alignments = trace_with_alignments(
        Story(id="big", articles=sorted(articles)), articles, cache=cache
    )
    t_trace, c_trace = time.perf_counter() - t0, time.process_time() - c0
    result = {
        "command": f".venv/bin/python -m bench.lineage.speed --copies {args.copies}",
        "copies": args.copies,
        "sentences": cache.encoded_sentences,
        "encode_seconds": round(t_encode, 2),
        "encode_cpu_seconds": round(c_encode, 2),
        "alignments_to_original": len(units) - 1,
        "aligned_pairs": pairs,
        "aligned_pairs_per_second": round(pairs / t_align, 1),
        "aligned_pairs_per_cpu_second": round(pairs / c_align, 1),
        "sentence_pairs_considered_per_second": round(compared / t_align, 1),
        "trace_seconds_500_copies_after_encoding": round(t_trace, 2),
        "trace_cpu_seconds_after_encoding": round(c_trace, 2),
        "alignments_computed_by_trace": len(alignments.all),
        "origins": len(story.origins),
        "machine": "2 shared cores, no GPU",
    }
    print(result)
    save_result("speed", result)


if __name__ == "__main__":
    main()
