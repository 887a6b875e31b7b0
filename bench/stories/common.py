"""Shared helpers of the stories benchmarks: generated versions -> Articles, ARI, MinHash baselines."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from wiretrace.data import Article

# Days over which a benchmark corpus's stories begin (`bench.generator.generate(date_span=...)`): a week
# of news, so that being published days apart says little, as in a real crawl. At the generator's
# default (~2 years for ~300-550 stories) nearly every close-dated pair was one story, and the pair
# model learnt "both dated and close" as strong evidence that real same-day news does not bear out.
DATE_SPAN = 7

# Hand-judged same-event / different-event pairs of SemEval base articles (ids only): the raters paired
# few of the articles, and several unpaired ones report one event (three reports of one papal slap, two
# copies of one law review), which the raters' pairs alone would count as different stories.
EVENTS_FILE = Path(__file__).with_name("semeval_events.json")

_WORD = re.compile(r"\w+", re.UNICODE)


def judged_events() -> dict:
    """The hand-judged event pairs (`EVENTS_FILE`), for `bench.generator.generate(events=...)`."""
    return json.loads(EVENTS_FILE.read_text(encoding="utf-8"))


def to_articles(versions) -> list[Article]:
    return [
        Article(
            id=v.id, source=f"generated#{v.id}", content_hash=v.id, text=v.text, language=v.language,
            published=v.published, outlet=v.outlet,
        )
        for v in versions
    ]


def with_sentences(articles: list[Article]) -> list[Article]:
    """The articles with the sentences the clean stage gives them (`clean.document.sentence_spans` in
    their language), as the product's stories stage receives them; `to_articles` leaves them out, and
    the stage then splits the text again itself (~1/3 of its lexical features' CPU)."""
    from dataclasses import replace

    from wiretrace.clean.document import sentence_spans, to_sentences

    return [replace(a, sentences=to_sentences(a.id, a.text, sentence_spans(a.text, a.language))) for a in articles]


def ari(truth: list[str], pred: list[str]) -> float:
    """Adjusted Rand index of two labelings (Hubert & Arabie), from the contingency table."""
    def comb2(x):
        x = np.asarray(x, dtype=np.float64)
        return (x * (x - 1) / 2).sum()

    pairs = Counter(zip(truth, pred))
    sum_cells = comb2(list(pairs.values()))
    sum_a = comb2(list(Counter(truth).values()))
    sum_b = comb2(list(Counter(pred).values()))
    total = comb2([len(truth)])
    expected = sum_a * sum_b / total if total else 0.0
    maximum = (sum_a + sum_b) / 2
    return float((sum_cells - expected) / (maximum - expected)) if maximum != expected else 1.0


def labels_from_groups(ids: list[str], groups: list[list[str]]) -> list[str]:
    where = {a: k for k, g in enumerate(groups) for a in g}
    return [f"g{where[a]}" if a in where else f"solo-{a}" for a in ids]


def minhash_baseline(
    articles: list[Article], ngram: int, threshold: float, num_perm: int = 256
) -> tuple[list[list[str]], float]:
    """datasketch MinHash LSH dedup as text-dedup / datatrove run it: union-find over LSH matches."""
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent = {a.id: a.id for a in articles}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in sorted(articles, key=lambda a: a.id):
        words = _WORD.findall(a.text.lower())
        grams = {" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))}
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch([g.encode("utf-8") for g in grams])
        for other in lsh.query(m):
            ra, rb = find(a.id), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        lsh.insert(a.id, m)
    groups: dict[str, list[str]] = {}
    for a in articles:
        groups.setdefault(find(a.id), []).append(a.id)
    return list(groups.values()), time.perf_counter() - start


def feature_index(articles: list[Article], settings, cache: str | None = None):
    """A StoryIndex holding the features of `articles` (no pairs yet) and the seconds it took.

    With `cache`, the encoded chunk vectors are kept under bench/stories/.cache/<cache> (lexical
    features are always recomputed, they are cheap), so scoring and clustering can be iterated on
    without re-encoding. A cache hit reports no feature time.
    """

    from wiretrace.embed import get_encoder
    from wiretrace.errors import WiretraceError
    from wiretrace.stories import StoryIndex
    from wiretrace.stories.features import ArticleFeatures, compute_features, lexical_features

    encoder = get_encoder(settings.encoder)
    if cache and settings.encoder != "use":  # each encoder's vectors (and version) cached apart; USE's as before
        version = getattr(getattr(encoder, "inner", encoder), "version", "")
        cache = f"{cache}-{settings.encoder}" + (f"-{version}" if version else "")
    path = Path(__file__).with_name(".cache") / cache if cache else None
    ordered = sorted(articles, key=lambda a: a.id)
    index = StoryIndex(dim=encoder.dim, encoder=encoder.name)
    cached = None
    if path is not None and (path / "index.json").exists():
        try:
            cached = StoryIndex.load(path)
        except WiretraceError:  # a cache written in an older format is recomputed
            cached = None
    if cached is not None and cached.ids == [a.id for a in ordered]:
        feats = [
            ArticleFeatures(chunks=cached.chunks[k], n_chunks=int(cached.n_chunks[k]), **lexical_features(a)[0])
            for k, a in enumerate(ordered)
        ]
        index.add(feats)
        return index, float("nan")
    start = time.perf_counter()
    index.add(compute_features(ordered, encoder, settings.batch_size))
    seconds = time.perf_counter() - start
    if path is not None:
        index.save(path)
    return index, seconds
