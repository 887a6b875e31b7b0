"""Perturbation benchmark of the facts stage: `.venv/bin/python -m bench.facts.run [--articles N]`.

Real English articles (SemEval-2022 task 8 subset, read from ../shared, never copied) are copied
with one injected change of a known kind (number, date, place/person name, quote wording,
negation), or faithfully (template paraphrase of reporting verbs, sentence reordering), or with
rounding only. Each copy forms a two-version story with the original as origin. We measure, per
kind, recall (the change is flagged as that kind, not as rounding) and precision (flags of that
kind that were injected), the false-alarm rate on faithful copies, and speed. Faithful copies
never reword inside quotation marks (a reworded quote is drift). `big_story` runs one story of
`--copies` versions through lineage, drift and consensus as the pipeline does. Writes results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
from pathlib import Path

from wiretrace.config import Settings
from wiretrace.data import Article, LineageEdge, Origin, Story
from wiretrace.facts import extract_many, find_drift
from wiretrace.facts.dates import WEEKDAYS_EN

DATA = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval2022_task8_subset" / "pairs_original_text.jsonl"
)
OUT = Path(__file__).resolve().parent / "results.json"
SEED = 13


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


def inject_number(text: str, rng: random.Random) -> str | None:
    spots = [m for m in re.finditer(r"(?<![\w.,$])(\d{1,3}(?:,\d{3})*)(?![\w.,]?\d)(?=\s+[a-z])", text)]
    spots = [m for m in spots if not 1800 <= int(m.group(1).replace(",", "")) <= 2100]
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
    """A person's surname or a place swapped for another real name (the kind spaCy gives it)."""
    from wiretrace.facts.names import english_pipeline

    doc = english_pipeline()(text[:3000])
    ents = [e for e in doc.ents if e.label_ in ("PERSON", "GPE") and e.start_char > 0]
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


def inject_quote(text: str, rng: random.Random) -> str | None:
    spots = [m for m in re.finditer(r"[“\"]([^”\"\n]{20,}?)[”\"]", text)]
    if not spots:
        return None
    m = rng.choice(spots)
    words = m.group(1).split()
    k = rng.randrange(len(words))
    words[k] = "surely" if words[k] != "surely" else "maybe"
    words.insert(min(len(words), k + 2), "completely")
    return text[: m.start(1)] + " ".join(words) + text[m.end(1) :]


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--copies", type=int, default=500)
    args = parser.parse_args()
    settings = Settings()
    rng = random.Random(SEED)
    texts = [paragraphs(t) for t in load_articles(args.articles)]
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
