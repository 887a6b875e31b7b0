"""A seeded synthetic news corpus for engine tests and fault benchmarks (crash, parity, dirty, scale).

Why not bench/generator: that generator needs the real SemEval texts beside the repo; engine
tests must run without them and must be cheap at any size. Texts here are made of invented
names, places and numbers, so nothing is copied from anywhere. Each story has a base text and
a few derived versions (verbatim, excerpt, a changed number, reordered paragraphs) with their
own outlet and date, written as JSONL records so metadata survives ingest.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

_FIRST = (
    "Ana", "Bruno", "Carla", "Dario", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemal", "Lena",
    "Marco", "Nadia", "Oscar", "Paula",
)
_LAST = (
    "Abara", "Brandt", "Castell", "Dumont", "Eskola", "Ferrante", "Gorski", "Halvorsen", "Ibarra", "Jovanic",
    "Kessler", "Lindqvist",
)
_PLACES = (
    "Varnholm", "Ostrava", "Quillan", "Redmarsh", "Saltire", "Tembury", "Ulvik", "Westerby", "Yarrow",
    "Zennor", "Brackwater",
)
_THINGS = (
    "ferry", "bridge", "council", "budget", "storm", "hospital", "rail", "line", "school", "harbour", "dam",
    "power", "plant", "factory", "water", "supply", "mine", "airport", "court", "ruling", "election",
    "vaccine", "programme",
)
_VERBS = ("collapsed", "was closed", "was approved", "was delayed", "flooded", "was evacuated", "reopened", "failed")
_OUTLETS = ("northwire", "dailyledger", "harbourtimes", "citypost", "riverherald", "metronews", "thegazette")
_TEMPLATES = (
    "{person} said {n} people were affected after the {thing} in {place} {verb} on {day}.",
    "Officials in {place} confirmed that the {thing} {verb} and that {n} workers were sent to the site.",
    '"We are doing everything we can," {person} told reporters in {place}.',
    "The {thing} had been inspected {k} times since {year}, according to {person}.",
    "Residents of {place} said they had warned the authorities about the {thing} for {k} years.",
    "{person}, who leads the regional office, said repairs would cost {n} million dollars.",
    "Police in {place} said {k} people were still missing late on {day}.",
    "The national government said it would send {n} more staff to {place} by {day}.",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _base(rng: random.Random) -> tuple[str, list[str]]:
    person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    values = {
        "person": person,
        "place": rng.choice(_PLACES),
        "thing": rng.choice(_THINGS),
        "verb": rng.choice(_VERBS),
        "day": rng.choice(_DAYS),
        "year": str(rng.randint(1990, 2020)),
    }
    sentences = []
    for template in rng.sample(_TEMPLATES, k=rng.randint(5, len(_TEMPLATES))):
        sentences.append(template.format(n=rng.randint(12, 900), k=rng.randint(2, 9), **values))
    title = f"{values['thing'].capitalize()} in {values['place']} {values['verb']}, {person} says"
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    return title, paragraphs


def _derive(rng: random.Random, paragraphs: list[str]) -> list[str]:
    kind = rng.choice(("verbatim", "excerpt", "number", "reorder"))
    if kind == "excerpt":
        return paragraphs[: max(2, len(paragraphs) - 1)]
    if kind == "number":
        out = list(paragraphs)
        for i, p in enumerate(out):
            words = p.split(" ")
            for j, w in enumerate(words):
                if w.isdigit() and len(w) >= 2:
                    words[j] = str(int(w) + rng.randint(1, 9))
                    out[i] = " ".join(words)
                    return out
        return out
    if kind == "reorder" and len(paragraphs) > 2:
        return [paragraphs[0], *reversed(paragraphs[1:])]
    return list(paragraphs)


def iter_records(n_articles: int, seed: int = 0, versions: tuple[int, int] = (2, 6)) -> Iterator[dict]:
    """`n_articles` JSON records in stories of `versions` (min, max) articles, fully determined by `seed`."""
    rng = random.Random(seed)
    made, story = 0, 0
    while made < n_articles:
        title, paragraphs = _base(rng)
        size = min(rng.randint(*versions), n_articles - made)
        day = rng.randint(1, 27)
        for v in range(size):
            body = paragraphs if v == 0 else _derive(rng, paragraphs)
            yield {
                "id": f"st{seed}-{story:06d}-v{v}",
                "title": title,
                "text": "\n\n".join(body),
                "outlet": rng.choice(_OUTLETS),
                "url": f"https://example.org/{story}/{v}",
                "published": f"2025-03-{day + min(v, 1):02d}",
            }
            made += 1
        story += 1


def write_corpus(folder: str | Path, n_articles: int, seed: int = 0, per_file: int = 50) -> list[Path]:
    """Write `n_articles` into `folder` as JSONL files of `per_file` records; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    records = iter_records(n_articles, seed)
    chunk: list[dict] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == per_file:
            files.append(_write(folder, len(files), chunk))
            chunk = []
    if chunk:
        files.append(_write(folder, len(files), chunk))
    return files


def _write(folder: Path, k: int, records: list[dict]) -> Path:
    path = folder / f"part-{k:05d}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path
