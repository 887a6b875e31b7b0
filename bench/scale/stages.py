"""Per-story stages (lineage with its alignment, facts, consensus) on frozen inputs: CPU per stage.

    .venv/bin/python -m bench.scale.facts prepare [--n 2500]        # once: the frozen corpus (shared with facts)
    .venv/bin/python -m bench.scale.stages run [--repeat 2] [--cold] [--profile] [--out /tmp/stages-after.json]
    .venv/bin/python -m bench.scale.stages compare /tmp/stages-before.json /tmp/stages-after.json
    .venv/bin/python -m bench.scale.stages twins       # what a text-level encoder cache could save
    .venv/bin/python -m bench.scale.stages split [--repeat 2] [--cold]  # CPU: the two models vs the rest
    .venv/bin/python -m bench.scale.stages split --align-encoder use-static

Reuses the pickle `bench.scale.facts prepare` writes (each story's members after stories; the
story's lineage in it is ignored, `trace_with_alignments` starts from `origins=[]`), and runs
`pipeline.process_story` over every story serially in one process, exactly as both engines call
it. Stage CPU comes from process_story's own `timings`, measured with `time.process_time` (the
cores are shared, so wall time would measure the neighbours; repeats report the min).
`--out` writes each story's lineage, drift and consensus, so `compare` can show a speed change
left every output as it was. `--cold` empties the per-text caches (tokens, pair edits, n-grams) before
each repeat, so a cache that pays only when a repeat re-reads the texts the one before read does
not pass for a speed-up (a worker sees each story once). Results go to bench/scale/stages_results.json.
`twins` runs every story once and counts the sentences sent to the encoder that another sentence
of the same story (or an earlier story in the process) already sent in the same words once
whitespace is normalised (the encoder's vector is the same: a lossless cache) or once case is
folded too (a different vector: a lossy cache); results under "twins" in stages_results.json.
`split` times each story's stages in parts, as `process_story` runs them: lineage as encoding
(`EmbeddingCache.prefetch`: sentence split and the model) and the rest (alignment, features,
families, origins, relations) on the encoded units, facts as spaCy name tagging and the rest, and
consensus, and counts the sentences sent to the tagger (a load-free measure of its work) and those sent
to the encoder (`sentences_encoded`: distinct texts per story); results under `--label` (default
"lineage_split"). `--align-encoder` (run and split) sets the per-story stages' encoder
(`Settings.align_encoder`).
The first repeat starts with the process's text caches
cold, later ones warm (all cold with `--cold`).
"""

from __future__ import annotations

import cProfile
import json
import pickle
import pstats
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench.scale.facts import DEFAULT_INPUTS, compare, run_compare_parser, save_labelled
from wiretrace.pipeline import clear_text_caches

HERE = Path(__file__).resolve().parent


def _run_once(items, settings, cold: bool = False) -> tuple[dict[str, float], list]:
    from wiretrace.facts import groups
    from wiretrace.pipeline import process_story

    groups._CACHE.clear()  # each repeat starts cold, as a worker does
    if cold:  # and, with --cold, without the texts an earlier repeat tokenised and compared
        clear_text_caches()
    timings: dict[str, float] = {}
    start = time.process_time()
    done = [process_story(story, members, settings, timings, clock=time.process_time) for story, _, members in items]
    timings["total"] = time.process_time() - start
    return timings, done


def _dump(done) -> list[dict]:
    return [
        {
            "id": s.id,
            "origins": [asdict(o) for o in s.origins],
            "lineage": [asdict(e) for e in s.lineage],
            "drift": [asdict(d) for d in s.drift],
            "consensus": [asdict(c) for c in s.consensus],
        }
        for s in done
    ]


def run(path: Path, repeat: int, profile: bool, out: Path | None, top: int, cold: bool = False) -> dict:
    from wiretrace.config import Settings

    with path.open("rb") as fh:
        data = pickle.load(fh)
    items, settings = data["items"], Settings(encoder=data["encoder"], align_encoder=ALIGN_ENCODER)
    n_articles = sum(len(members) for _, _, members in items)
    runs, done = [], []
    for _ in range(repeat):
        prof = cProfile.Profile() if profile else None
        if prof:
            prof.enable()
        timings, done = _run_once(items, settings, cold)
        if prof:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(top)
            pstats.Stats(prof).sort_stats("tottime").print_stats(top)
        runs.append(timings)
        print(json.dumps({k: round(v, 2) for k, v in timings.items()}))
    if out:
        out.write_text(json.dumps(_dump(done), ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8")
    stages = sorted({k for t in runs for k in t})
    best = {k: round(min(t.get(k, 0.0) for t in runs), 2) for k in stages}
    result = {
        "articles": n_articles,
        "stories": len(items),
        "cpu_seconds_min": best,
        "articles_per_cpu_second": round(n_articles / max(1e-9, best["total"]), 1),
        "repeats": repeat,
        "profiled": profile,
        "cold_text_caches": cold,
    }
    print(json.dumps(result))
    return result


def split(path: Path, repeat: int, cold: bool = False) -> dict:
    """Per-story CPU split into the two models and the code around them, min over repeats.

    As `pipeline.process_story` runs them: lineage as encoding (`EmbeddingCache.prefetch`: sentence
    split and the model) and the rest (alignment, features, families, origins, relations) on the
    encoded units; facts as spaCy name tagging (`names.ner_names`, the tokenizer and the NER model)
    and the rest (graph, extraction, diffs, witnesses); consensus."""
    from wiretrace.align import EmbeddingCache
    from wiretrace.config import Settings
    from wiretrace.consensus import reconstruct
    from wiretrace.facts import find_drift, groups, names
    from wiretrace.lineage import trace_with_alignments

    with path.open("rb") as fh:
        data = pickle.load(fh)
    items, settings = data["items"], Settings(encoder=data["encoder"], align_encoder=ALIGN_ENCODER)
    tagging = [0.0, 0]  # CPU seconds, sentences tagged
    inner = names.ner_names

    def timed_ner(sentences: list[str]):
        t = time.process_time()
        try:
            return inner(sentences)
        finally:
            tagging[0] += time.process_time() - t
            tagging[1] += len(sentences)

    runs = []
    names.ner_names = timed_ner  # grouped_ner_names looks it up in the module at each call
    try:
        for _ in range(repeat):
            groups._CACHE.clear()
            if cold:
                clear_text_caches()
            parts = dict.fromkeys(("encode", "trace_after_encoding", "facts", "consensus"), 0.0)
            tagging[0], tagging[1] = 0.0, 0
            encoded = 0
            for story, _, members in items:
                cache = EmbeddingCache(settings=settings)
                ids = sorted(a for a in set(story.articles) if a in members)
                t0 = time.process_time()
                if len(ids) > 1:  # as trace_with_alignments: a one-version story encodes nothing
                    cache.prefetch([members[i] for i in ids])
                t1 = time.process_time()
                story, alignments = trace_with_alignments(story, members, settings, cache=cache)
                alignments.vectors = cache.vectors_by_text()
                t2 = time.process_time()
                story = find_drift(story, members, settings, alignments=alignments)
                t3 = time.process_time()
                reconstruct(story, members, settings, alignments=alignments)
                encoded += len(cache.vectors_by_text())
                for key, seconds in zip(parts, (t1 - t0, t2 - t1, t3 - t2, time.process_time() - t3), strict=True):
                    parts[key] += seconds
            parts["facts_name_tagging"] = tagging[0]
            parts["facts_rest"] = parts["facts"] - tagging[0]
            parts["facts_sentences_tagged"] = tagging[1]
            parts["sentences_encoded"] = encoded
            runs.append(parts)
            print(json.dumps({k: round(v, 2) for k, v in parts.items()}))
    finally:
        names.ner_names = inner
    n_articles = sum(len(members) for _, _, members in items)
    best = {k: round(min(r[k] for r in runs), 2) for k in runs[0]}
    total = sum(best[k] for k in ("encode", "trace_after_encoding", "facts", "consensus"))
    result = {
        "articles": n_articles,
        "stories": len(items),
        **{f"{k}_cpu_seconds_min": v for k, v in best.items() if k not in COUNTS},
        **{k: int(best[k]) for k in COUNTS},
        "align_encoder": settings.align_encoder or settings.encoder,
        "encode_share": round(best["encode"] / max(1e-9, best["encode"] + best["trace_after_encoding"]), 3),
        "name_tagging_share_of_facts": round(best["facts_name_tagging"] / max(1e-9, best["facts"]), 3),
        "models_share_of_total": round((best["encode"] + best["facts_name_tagging"]) / max(1e-9, total), 3),
        "repeats": repeat,
        "cold_text_caches": cold,
    }
    print(json.dumps(result))
    return result


COUNTS = ("facts_sentences_tagged", "sentences_encoded")
ALIGN_ENCODER: str | None = None  # `Settings.align_encoder` of the runs (`--align-encoder`)


def _space(text: str) -> str:
    return " ".join(text.split())


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def twins(path: Path) -> dict:
    """Sentences encoded per story, and how many a cache keyed on normalised text would spare."""
    from wiretrace.config import Settings
    from wiretrace.embed import get_encoder
    from wiretrace.facts import groups
    from wiretrace.pipeline import process_story

    with path.open("rb") as fh:
        data = pickle.load(fh)
    items, settings = data["items"], Settings(encoder=data["encoder"], align_encoder=ALIGN_ENCODER)
    encoder = get_encoder(settings.encoder)
    sent: list[str] = []
    inner = encoder.encode

    def recording(texts: list[str]):
        sent.extend(texts)
        return inner(texts)

    encoder.encode = recording  # the shared instance every cache of this process encodes with
    groups._CACHE.clear()
    norms = {"exact": str, "space": _space, "fold": _fold}
    counts = {"encoded": 0} | {f"{k}_twin_in_{where}": 0 for where in ("story", "process") for k in norms}
    seen: dict[str, set[str]] = {k: set() for k in norms}
    try:
        for story, _, members in items:
            sent.clear()
            process_story(story, members, settings, {}, clock=time.process_time)
            counts["encoded"] += len(sent)
            for key, norm in norms.items():
                keys = {norm(t) for t in sent}
                counts[f"{key}_twin_in_story"] += len(sent) - len(keys)
                counts[f"{key}_twin_in_process"] += len(sent) - len(keys - seen[key])
                seen[key] |= keys
    finally:
        del encoder.encode
    n = max(1, counts["encoded"])
    result = {**counts, **{f"{k}_share": round(v / n, 4) for k, v in counts.items() if k != "encoded"}}
    print(json.dumps(result))
    return result


def main() -> None:
    ap, sub = run_compare_parser(__doc__, repeat=2, results="stages_results.json")
    sub.choices["run"].add_argument("--top", type=int, default=25)
    sub.add_parser("twins").add_argument("--inputs", type=Path, default=DEFAULT_INPUTS)
    sp = sub.add_parser("split")
    sp.add_argument("--inputs", type=Path, default=DEFAULT_INPUTS)
    sp.add_argument("--repeat", type=int, default=2)
    sp.add_argument("--label", default="lineage_split", help="key under which the result is kept")
    sp.add_argument("--cold", action="store_true", help="empty the per-text caches before each repeat")
    for name in ("run", "split"):
        sub.choices[name].add_argument(
            "--align-encoder", help='the per-story stages\' encoder (`Settings.align_encoder`): "use" or "use-static"'
        )
    args = ap.parse_args()
    global ALIGN_ENCODER
    ALIGN_ENCODER = getattr(args, "align_encoder", None)
    flag = f" --align-encoder '{args.align_encoder}'" if getattr(args, "align_encoder", None) else ""
    if args.cmd == "run":
        result = run(args.inputs, args.repeat, args.profile, args.out, args.top, args.cold)
        if not args.profile:  # a profiled run's times include the profiler's overhead
            save_labelled(HERE / "stages_results.json", args.label, result,
                          f"python -m bench.scale.stages run --repeat {args.repeat}" + " --cold" * args.cold + flag)
    elif args.cmd == "split":
        save_labelled(HERE / "stages_results.json", args.label, split(args.inputs, args.repeat, args.cold),
                      f"python -m bench.scale.stages split --repeat {args.repeat}" + " --cold" * args.cold + flag)
    elif args.cmd == "twins":
        save_labelled(HERE / "stages_results.json", "twins", twins(args.inputs), "python -m bench.scale.stages twins")
    else:
        sys.exit(0 if compare(args.a, args.b) else 1)


if __name__ == "__main__":
    main()
