"""Perturbation benchmark of the facts stage: `.venv/bin/python -m bench.facts.run [--articles N]`.

Real English articles (SemEval-2022 task 8 subset, read from ../shared, never copied) are copied
with one injected change of a known kind (number, date, place/person name, quote wording,
negation), or faithfully (template paraphrase of reporting verbs, sentence reordering), or with
rounding only. Each copy forms a two-version story with the original as origin. We measure, per
kind, recall (the change is flagged as that kind, not as rounding) and precision (flags of that
kind that were injected), the false-alarm rate on faithful copies, and speed. Faithful copies
never reword inside quotation marks (a reworded quote is drift); injected changes stay within
their kind (a number is never a date's day, a quote edit never touches a name, number or "not").
`big_story` runs one story of `--copies` versions through lineage, drift and consensus as the
pipeline does. Writes results.json. `--show` prints every miss and false alarm.

`--speed` times only the drift stage (CPU seconds, per-process loading excluded) on one story of
`--copies` versions derived by bench/generator's operators and on a generated corpus of ordinary
stories (`--corpus` articles), counting the sentences sent through the name tagger; it adds a
"speed" entry to results.json (run it after the quality run, which rewrites the file).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wiretrace.config import Settings
from wiretrace.data import Article, LineageEdge, Origin, Story
from wiretrace.facts import extract_many, find_drift
from wiretrace.facts.dates import MONTHS_EN, WEEKDAYS_EN
from wiretrace.facts.negation import is_cue

DATA = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval2022_task8_subset" / "pairs_original_text.jsonl"
)
OUT = Path(__file__).resolve().parent / "results.json"
SEED = 13


@contextmanager
def counting_ner() -> Iterator[list[int]]:
    """Count the sentences sent to the name tagger while the block runs (one entry per call)."""
    from wiretrace.facts import names

    counts: list[int] = []
    original = names.ner_names

    def counting(sentences: list[str]) -> list:
        counts.append(len(sentences))
        return original(sentences)

    names.ner_names = counting  # grouped_ner_names calls it through the module
    try:
        yield counts
    finally:
        names.ner_names = original


def load_articles(n: int) -> list[str]:
    texts: list[str] = []
    seen = set()
    for line in DATA.open(encoding="utf-8"):
        row = json.loads(line)
        for lang, key in (("lang1", "text1"), ("lang2", "text2")):
            text = row.get(key) or ""
            if row[lang] == "en" and len(text) > 800 and text[:200] not in seen:
                seen.add(text[:200])
                texts.append(text[:4000])
    random.Random(SEED).shuffle(texts)
    return texts[:n]


def paragraphs(text: str) -> str:
    from wiretrace.align.sentences import split_text

    return "\n\n".join(s for _, s in split_text(text, "en"))


# --- injection operators: each returns the changed text, or None when the article has no target ---


# A number right after a month is a date's day ("Oct. 1"): changing it is a date change.
_AFTER_MONTH = re.compile(r"\b(?:" + "|".join(MONTHS_EN) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+$")


def inject_number(text: str, rng: random.Random) -> str | None:
    """A count changed beyond rounding (never a year or a date's day)."""
    spots = [m for m in re.finditer(r"(?<![\w.,$])(\d{1,3}(?:,\d{3})*)(?![\w.,]?\d)(?=\s+[a-z])", text)]
    spots = [m for m in spots if not 1800 <= int(m.group(1).replace(",", "")) <= 2100]
    spots = [m for m in spots if not _AFTER_MONTH.search(text[max(0, m.start() - 12) : m.start()])]
    if not spots:
        return None
    m = rng.choice(spots)
    value = int(m.group(1).replace(",", ""))
    new = value * 3 + 7 if value < 10 else int(str(value)[::-1]) if str(value)[::-1] != str(value) else value * 2 + 1
    if new == value or abs(new - value) / max(value, 1) <= 0.15:
        new = value * 2 + 3
    return text[: m.start(1)] + f"{new:,}" + text[m.end(1) :]


def inject_date(text: str, rng: random.Random) -> str | None:
    spots = [m for m in re.finditer(r"\b(" + "|".join(WEEKDAYS_EN) + r")\b", text)]
    if spots:
        m = rng.choice(spots)
        other = WEEKDAYS_EN[(WEEKDAYS_EN.index(m.group(1)) + 2) % 7]
        return text[: m.start()] + other + text[m.end() :]
    years = [m for m in re.finditer(r"\b(19[5-9]\d|20[0-2]\d)\b", text)]
    if years:
        m = rng.choice(years)
        return text[: m.start()] + str(int(m.group(1)) - 3) + text[m.end() :]
    return None


REPLACEMENT_NAMES = ["Brazil", "Norway", "Kenya", "Portugal", "Vietnam"]


def inject_name(text: str, rng: random.Random) -> tuple[str, str] | None:
    """A person's surname or a place swapped for another real name (the kind spaCy gives it).

    People are full names ("Teegan Maxwell", capitalised words only): a lone capitalised word the
    tagger calls a person is as often a place or a common word ("Kanakapura", "Tips"), which would
    make the truth label wrong."""
    from wiretrace.facts.names import english_pipeline

    def full_name(e) -> bool:
        words = e.text.split()
        return len(words) >= 2 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)

    doc = english_pipeline()(text[:3000])
    ents = [e for e in doc.ents if e.start_char > 0 and (e.label_ == "GPE" or (e.label_ == "PERSON" and full_name(e)))]
    if not ents:
        return None
    e = rng.choice(ents)
    if e.label_ == "PERSON":
        parts = e.text.split()
        new = " ".join([*parts[:-1], "Thorvaldsen"]) if len(parts) > 1 else "Thorvaldsen"
        kind = "person"
    else:
        new = rng.choice([n for n in REPLACEMENT_NAMES if n != e.text])
        kind = "place"
    return re.sub(r"\b" + re.escape(e.text) + r"\b", new, text), kind


# A quotation: curly marks, or straight marks opening before a word and closing after one.
_QUOTATION = re.compile(r"“([^”“\n]{20,}?)”|(?:^|(?<=[\s(\[]))\"(?=\S)([^\"\n]{20,}?)(?<=\S)\"(?!\w)")
MIN_QUOTED_WORDS = 4  # speech, not a scare quote or a title


def inject_quote(text: str, rng: random.Random) -> str | None:
    """A quotation reworded: one plain word replaced and one inserted (never a name, number or "not",
    whose change is another kind of drift)."""
    spots = [m for m in _QUOTATION.finditer(text) if len((m.group(1) or m.group(2)).split()) >= MIN_QUOTED_WORDS]
    if not spots:
        return None
    m = rng.choice(spots)
    group = 1 if m.group(1) else 2
    words = m.group(group).split(" ")
    plain = [k for k, w in enumerate(words) if w.isalpha() and w.islower() and not is_cue(w, "en")]
    if not plain:
        return None
    k = rng.choice(plain)
    words[k] = "surely" if words[k] != "surely" else "maybe"
    words.insert(min(len(words), k + 2), "completely")
    return text[: m.start(group)] + " ".join(words) + text[m.end(group) :]


def inject_negation(text: str, rng: random.Random) -> str | None:
    spots = [m for m in re.finditer(r"\b(is|was|are|were|will|has|have|can|would)\b(?! not)", text)]
    if not spots:
        return None
    m = rng.choice(spots)
    return text[: m.end()] + " not" + text[m.end() :]


def faithful_paraphrase(text: str, rng: random.Random) -> str:
    """Reporting verbs and connectives reworded outside quotation marks (a faithful copy keeps quotes)."""
    swaps = {
        " said ": " stated ",
        " says ": " states ",
        " told ": " informed ",
        " also ": " additionally ",
        " however ": " but ",
        " because ": " since ",
        " about ": " regarding ",
    }
    chosen = {old: new for old, new in swaps.items() if rng.random() < 0.8}
    # cut the text at quotation marks, tracking whether each piece is inside a quote (a quote may
    # run over several paragraphs)
    pieces, inside, start = [], False, 0
    for m in re.finditer(r"[“”\"]", text):
        pieces.append((text[start : m.start()], inside))
        pieces.append((m.group(0), False))
        inside = m.group(0) == "“" or (m.group(0) == '"' and not inside)
        start = m.end()
    pieces.append((text[start:], inside))
    out = []
    for piece, quoted in pieces:
        if not quoted:
            for old, new in chosen.items():
                piece = piece.replace(old, new)
        out.append(piece)
    return "".join(out)


def faithful_reorder(text: str, rng: random.Random) -> str:
    paras = text.split("\n\n")
    head, rest = paras[:1], paras[1:]
    rng.shuffle(rest)
    return "\n\n".join(head + rest)


def rounding(text: str, rng: random.Random) -> str | None:
    spots = [m for m in re.finditer(r"(?<![\w.,$])(\d{2,3}(?:,\d{3})*)(?![\w.,]?\d)(?=\s+[a-z])", text)]
    spots = [m for m in spots if not 1800 <= int(m.group(1).replace(",", "")) <= 2100]
    if not spots:
        return None
    m = rng.choice(spots)
    return text[: m.start(1)] + "at least " + m.group(1) + text[m.end(1) :]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def story_of(original: str, copy: str, settings: Settings) -> Story:
    arts = {
        "orig": Article(id="orig", source="orig", content_hash=_sha(original), text=original, language="en"),
        "copy": Article(id="copy", source="copy", content_hash=_sha(copy), text=copy, language="en"),
    }
    story = Story(
        id="s",
        articles=["copy", "orig"],
        origins=[Origin(id="o", article="orig", inferred=False, articles=["copy", "orig"])],
        lineage=[LineageEdge(article="copy", parent="orig", relation="light-edit", confidence=1.0)],
    )
    return find_drift(story, arts, settings)


def big_story(texts: list[str], copies: int, settings: Settings) -> dict:
    """One story of `copies` versions of an article through lineage, drift and consensus (as the
    pipeline runs them): every third copy has a number changed, the others are faithful paraphrases.
    Measures the time of each stage and how many changed copies are flagged with the original as reading."""
    from wiretrace.consensus import reconstruct
    from wiretrace.lineage import trace_with_alignments

    base = next(t for t in texts if inject_number(t, random.Random(0)))
    arts = {"c0000": Article(id="c0000", source="c0000", content_hash=_sha(base), text=base, language="en")}
    changed: dict[str, str] = {}
    for k in range(1, copies):
        copy_rng = random.Random(k)
        text = faithful_paraphrase(base, copy_rng) if k % 3 else (inject_number(base, copy_rng) or base)
        aid = f"c{k:04d}"
        arts[aid] = Article(id=aid, source=aid, content_hash=_sha(text), text=text, language="en")
        if k % 3 == 0:
            changed[aid] = text
    story = Story(id="big", articles=sorted(arts))
    t = time.perf_counter()
    story, alignments = trace_with_alignments(story, arts, settings)
    lineage_seconds = time.perf_counter() - t
    t = time.perf_counter()
    story = find_drift(story, arts, settings, alignments=alignments)
    drift_seconds = time.perf_counter() - t
    t = time.perf_counter()
    story = reconstruct(story, arts, settings, alignments=alignments)
    consensus_seconds = time.perf_counter() - t
    numbers = [d for d in story.drift if d.kind == "number" and d.severity == "meaning"]
    caught = {a for d in numbers for v in d.variants[1:] for a in v.articles if a in changed}
    wrong_reading = [d for d in numbers if "c0000" not in d.variants[0].articles]
    faithful = {a for a in arts if a not in changed and a != "c0000"}
    flagged_faithful = {a for d in story.drift if d.severity != "rounding" for v in d.variants[1:] for a in v.articles}
    return {
        "copies": copies,
        "lineage_seconds": round(lineage_seconds, 1),
        "drift_seconds": round(drift_seconds, 1),
        "consensus_seconds": round(consensus_seconds, 1),
        "drift_records": len(story.drift),
        "changed_copies": len(changed),
        "changed_copies_flagged": round(len(caught) / max(1, len(changed)), 3),
        "number_drifts_with_wrong_reading": len(wrong_reading),
        "faithful_copies_flagged": round(len(flagged_faithful & faithful) / max(1, len(faithful)), 3),
        "consensus_sentences": len(story.consensus),
    }


def _sentences(aid: str, text: str) -> list:
    """The article's sentences, as the clean stage stores them (later stages do not split again)."""
    from wiretrace.align.sentences import split_text
    from wiretrace.data import Sentence

    out, start = [], 0
    for index, (paragraph, sentence) in enumerate(split_text(text, "en")):
        begin = max(start, text.find(sentence, start))
        out.append(Sentence(aid, index, paragraph, begin, begin + len(sentence), sentence))
        start = begin + len(sentence)
    return out


def speed_story(texts: list[str], copies: int, settings: Settings) -> dict:
    """The drift stage on one realistic story of `copies` versions, derived as wire copy travels
    (bench/generator's operators: verbatim, light edits, excerpts, spins, paraphrases, planted
    changes; each from the base or an earlier copy). spaCy is loaded before timing; reports the
    drift stage's time and how many sentences it sent through NER."""
    import numpy as np

    from bench.generator.corpus import OPERATORS, derive
    from wiretrace.lineage import trace_with_alignments

    rng = np.random.default_rng(SEED)
    ops = [o for o in OPERATORS if o != "translation"]
    weights = np.array([OPERATORS[o] for o in ops])
    base = max(texts, key=len)
    versions = [base]
    for _ in range(1, copies):
        parent = versions[int(rng.integers(len(versions)))] if rng.random() < 0.5 else base
        versions.append(derive(str(rng.choice(ops, p=weights / weights.sum())), parent, rng)[0])
    arts = {}
    for k, text in enumerate(versions):
        aid = f"v{k:04d}"
        arts[aid] = Article(
            id=aid, source=aid, content_hash=_sha(text), text=text, language="en", sentences=_sentences(aid, text)
        )
    story = Story(id="speed", articles=sorted(arts))
    story, alignments = trace_with_alignments(story, arts, settings)
    # loaded once per worker process, not per story: spaCy, the name tables, the encoder
    story_of(versions[0], versions[1], settings)
    with counting_ner() as sent_to_ner:
        cpu, t = time.process_time(), time.perf_counter()
        story = find_drift(story, arts, settings, alignments=alignments)
        seconds, cpu_seconds = time.perf_counter() - t, time.process_time() - cpu
    from wiretrace.facts.groups import sentence_graph

    graph = sentence_graph(story, arts, settings, alignments)
    return {
        "copies": copies,
        "sentences": sum(len(v) for v in graph.texts.values()),
        "distinct_sentences": len({s for v in graph.texts.values() for s in v}),
        "sentences_through_ner": sum(sent_to_ner),
        "drift_seconds": round(seconds, 2),
        "drift_cpu_seconds": round(cpu_seconds, 2),
        "drift_records": len(story.drift),
    }


def corpus_speed(n_articles: int, settings: Settings) -> dict:
    """The drift stage over a generated corpus of ordinary stories (3-15 versions each, as the
    pipeline meets them): its CPU time, and how many sentences went through the name tagger."""
    from bench.generator.corpus import generate
    from wiretrace.lineage import trace_with_alignments

    versions = generate(seed=SEED, split="eval", n_articles=n_articles)
    by_story: dict[str, dict[str, Article]] = {}
    for v in sorted(versions, key=lambda v: v.id):
        article = Article(
            id=v.id,
            source=v.id,
            content_hash=_sha(v.text),
            text=v.text,
            language=v.language,
            sentences=_sentences(v.id, v.text),
        )
        by_story.setdefault(v.story, {})[v.id] = article
    traced = []
    for sid in sorted(by_story):
        arts = by_story[sid]
        if len(arts) >= 2:
            traced.append((trace_with_alignments(Story(id=sid, articles=sorted(arts)), arts, settings), arts))
    story_of(versions[0].text, versions[1].text, settings)  # per-process loading, not per story
    with counting_ner() as sent_to_ner:
        cpu = time.process_time()
        drifts = [len(find_drift(story, arts, settings, alignments=al).drift) for (story, al), arts in traced]
        cpu_seconds = time.process_time() - cpu
    sentences = sum(len(a.sentences) for _, arts in traced for a in arts.values())
    distinct = sum(len({s.text for a in arts.values() for s in a.sentences}) for _, arts in traced)
    return {
        "stories": len(traced),
        "versions": sum(len(arts) for _, arts in traced),
        "sentences": sentences,
        "distinct_sentences_per_story": distinct,
        "sentences_through_ner": sum(sent_to_ner),
        "drift_cpu_seconds": round(cpu_seconds, 2),
        "sentences_per_cpu_second": round(sentences / max(cpu_seconds, 1e-9), 1),
        "drift_records": sum(drifts),
    }


def _show(label: str, original: str, copy: str, drift: list) -> None:
    """Print a miss (the injected kind not flagged) or a false alarm (a flag of another kind)."""
    wrong = [d for d in drift if d.kind != label]
    missed = label not in ("faithful", "rounding") and not any(d.kind == label for d in drift)
    if not wrong and not missed:
        return
    if missed:
        changed = [(a, b) for a, b in zip(original.split("\n\n"), copy.split("\n\n"), strict=False) if a != b]
        print(f"MISS {label}:")
        for a, b in changed[:2]:
            print(f"   orig: {a[:300]}\n   copy: {b[:300]}")
    for d in wrong:
        print(f"FALSE {d.kind} (in a {label} copy, {d.severity}):")
        for v in d.variants:
            print(f"   {v.value!r} <- {v.sentence[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--copies", type=int, default=500)
    parser.add_argument("--show", action="store_true", help="print every miss and false alarm")
    parser.add_argument("--speed", action="store_true", help="only time the drift stage (a --copies story, a corpus)")
    parser.add_argument("--corpus", type=int, default=400, help="articles of the generated corpus timed by --speed")
    args = parser.parse_args()
    settings = Settings()
    rng = random.Random(SEED)
    texts = [paragraphs(t) for t in load_articles(args.articles)]
    if args.speed:
        speed = {"story": speed_story(texts, args.copies, settings), "corpus": corpus_speed(args.corpus, settings)}
        previous = json.loads(OUT.read_text()) if OUT.exists() else {}
        OUT.write_text(json.dumps({**previous, "speed": speed}, indent=2) + "\n")
        print(json.dumps(speed, indent=2))
        return
    kinds = ("number", "date", "person", "place", "quote", "negation")
    injected = {k: 0 for k in kinds}
    hits = {k: 0 for k in kinds}
    flagged = {k: 0 for k in kinds}
    flagged_right = {k: 0 for k in kinds}
    faithful = faithful_alarms = 0
    rounded = rounded_only = 0
    t0 = time.perf_counter()
    for text in texts:
        cases: list[tuple[str, str]] = []
        for name, op in (
            ("number", inject_number),
            ("date", inject_date),
            ("quote", inject_quote),
            ("negation", inject_negation),
        ):
            out = op(text, rng)
            if out and out != text:
                cases.append((name, out))
        named = inject_name(text, rng)
        if named and named[0] != text:
            cases.append((named[1], named[0]))
        cases += [("faithful", faithful_paraphrase(text, rng)), ("faithful", faithful_reorder(text, rng))]
        r = rounding(text, rng)
        if r:
            cases.append(("rounding", r))
        for label, copy in cases:
            drift = [d for d in story_of(text, copy, settings).drift if d.severity != "rounding"]
            found = {d.kind for d in drift}
            if args.show:
                _show(label, text, copy, drift)
            if label == "faithful":
                faithful += 1
                faithful_alarms += bool(drift)
                for k in found & set(kinds):
                    flagged[k] += 1
            elif label == "rounding":
                rounded += 1
                rounded_only += not drift
                for k in found & set(kinds):
                    flagged[k] += 1
            else:
                injected[label] += 1
                hits[label] += label in found
                for k in found & set(kinds):
                    flagged[k] += 1
                    flagged_right[k] += k == label
    quality_seconds = time.perf_counter() - t0
    per_kind = {
        k: {
            "injected": injected[k],
            "recall": round(hits[k] / injected[k], 3) if injected[k] else None,
            "precision": round(flagged_right[k] / flagged[k], 3) if flagged[k] else None,
        }
        for k in kinds
    }
    # speed: fact extraction, and the drift stage on one story of many copies
    sentences = [(s, "en") for t in texts for s in t.split("\n\n")]
    t = time.perf_counter()
    extract_many(sentences)
    facts_per_second = len(sentences) / (time.perf_counter() - t)
    big = big_story(texts, args.copies, settings)
    results = {
        "articles": len(texts),
        "per_kind": per_kind,
        "faithful_copies": faithful,
        "false_alarm_rate": round(faithful_alarms / faithful, 3) if faithful else None,
        "rounding_copies": rounded,
        "rounding_only_rate": round(rounded_only / rounded, 3) if rounded else None,
        "quality_run_seconds": round(quality_seconds, 1),
        "sentences_extracted_per_second": round(facts_per_second, 1),
        "big_story": big,
    }
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
