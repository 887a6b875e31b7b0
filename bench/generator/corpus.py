"""Seeded story-corpus generator over real English news (SemEval-2022 Task 8 articles).

Each English article is the origin of one story; 3-15 versions are derived from it (or from an
earlier version: copies of copies) by operators that mimic how wire copy travels. Pairs the
SemEval annotators rated same-event (Overall <= 1.5) become one story with two independent
families; pairs rated very dissimilar (Overall >= 3.5) stay different stories and get close dates,
as hard negatives. Every record says its story, parent, relation and planted fact changes.

Scale corpora (more articles than the real bases can give) add *synthetic* bases: the first half
of one real article spliced to the second half of another, with its names and numbers mutated.
They are honest about it (`synthetic: true` in the truth) and serve speed runs, not quality.
The texts are read from ../shared at run time and never written into the repository.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.generator.synonyms import SPIN

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "semeval2022_task8_subset"
_SENT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_NUM = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_CAP = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]{3,})\b")
_QUOTED = re.compile(r"[\"“]([^\"”]{15,200})[\"”]")
_NEG = re.compile(r"\b(is|was|will|has|are|were|can|had)\b (?!not\b)")
JUNK = (
    "Follow us on social media for the latest updates.",
    "Share this article with your friends.",
    "Sign up for our newsletter to get the top stories every morning.",
    "Leave a comment below and tell us what you think.",
    "Click here to read more stories like this.",
)
COMMENTARY = (
    "This is yet another example of a story the mainstream press keeps getting wrong.",
    "Readers of this site will not be surprised by what happened next.",
    "We have been warning about this for months, and few people listened.",
    "The details below deserve a careful look from anyone who cares about {name}.",
    "What does this mean for {name}? Our take follows the report.",
    "Here is how the news was first reported, in full:",
    "As usual, the official version leaves many questions unanswered.",
    "Critics of {name} were quick to respond on social media.",
    "We will keep following this story as it develops.",
)
PARAPHRASE_PREFIX = ("Reportedly, ", "According to reports, ", "It emerged that ", "Sources say that ")
OPERATORS = {  # operator -> weight
    "verbatim": 1.0,
    "light_edit": 1.5,
    "excerpt": 1.5,
    "excerpt_commentary": 1.5,
    "reorder": 1.0,
    "spin": 2.0,
    "paraphrase": 2.0,
    "translation": 1.5,
    "number_change": 1.0,
    "name_change": 1.0,
    "negation_flip": 0.7,
    "quote_change": 0.7,
}
RELATION = {
    "verbatim": "verbatim", "light_edit": "light-edit", "excerpt": "excerpt",
    "excerpt_commentary": "excerpt", "reorder": "rewrite", "spin": "machine-rewrite",
    "paraphrase": "rewrite", "translation": "translation", "number_change": "light-edit",
    "name_change": "light-edit", "negation_flip": "light-edit", "quote_change": "light-edit",
}


@dataclass
class Version:
    id: str
    text: str
    language: str
    story: str
    base: str
    parent: str | None
    relation: str
    operator: str
    published: str | None
    outlet: str
    changes: list[dict] = field(default_factory=list)
    synthetic: bool = False
    # the words the operator substituted, (parent's word, its replacement) per occurrence: the truth
    # of bench.lineage.swaps (the texts are the same with or without this record)
    swaps: list[tuple[str, str]] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text.replace("\n", " ")) if s.strip()]


def paragraphs(sents: list[str], rng: np.random.Generator) -> str:
    out, k = [], 0
    while k < len(sents):
        step = int(rng.integers(2, 4))
        out.append(" ".join(sents[k : k + step]))
        k += step
    return "\n\n".join(out)


def load_sources(root: Path = SHARED) -> dict:
    """English articles, their machine translations, and same-event / different-event pairs."""
    with open(root / "pairs_original_text.jsonl", encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f]
    english: dict[str, str] = {}
    same, different = [], []
    for p in pairs:
        a, b = p["pair_id"].split("_")
        for aid, lang, text in ((a, p["lang1"], p["text1"]), (b, p["lang2"], p["text2"])):
            if lang == "en" and len(sentences(text)) >= 3:
                english[aid] = text.strip()
        if p["lang1"] == "en" and p["lang2"] == "en":
            overall = p["labels"]["Overall"]
            if overall <= 1.5:
                same.append((a, b))
            elif overall >= 3.5:
                different.append((a, b))
    translations: dict[str, list[tuple[str, str]]] = {}
    with open(root / "translation_pairs_mt.jsonl", encoding="utf-8") as f:
        mt_rows = [json.loads(line) for line in f]
    for t in mt_rows:
        if t["orig_lang"] == "en" and t["mt_text"].strip():
            translations.setdefault(t["article_id"], []).append((t["mt_lang"], t["mt_text"].strip()))
    return {"english": english, "same": same, "different": different, "translations": translations}


def split_of(base_id: str) -> str:
    """Stable train/eval split of base articles (blake2b, so never `hash`)."""
    return "train" if hashlib.blake2b(base_id.encode(), digest_size=2).digest()[0] % 3 == 0 else "eval"


# operators ---------------------------------------------------------------------------------------
def _respell(word: str, rng: np.random.Generator) -> str:
    if len(word) < 4:
        return word + "e"
    i = int(rng.integers(1, len(word) - 2))
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _spin(text: str, rng: np.random.Generator, rate: float = 0.8, swaps: list | None = None) -> str:
    def swap(m: re.Match) -> str:
        w = m.group(0)
        syn = SPIN.get(w.lower())
        if syn is None or rng.random() > rate:
            return w
        new = syn.capitalize() if w[0].isupper() else syn
        if swaps is not None:
            swaps.append((w, new))
        return new

    return re.sub(r"[A-Za-z']+", swap, text)


def _recorded_sub(pattern: str, new: str, text: str, swaps: list | None, count: int = 0) -> str:
    """`re.sub` of a whole word that records each (old, new) it made in `swaps`."""

    def sub(m: re.Match) -> str:
        if swaps is not None:
            swaps.append((m.group(0), new))
        return new

    return re.sub(pattern, sub, text, count=count)


def _paraphrase_sentence(s: str, rng: np.random.Generator, swaps: list | None = None) -> str:
    r = rng.random()
    if r < 0.3 and len(s) > 20 and s[0].isupper() and not s[:2].isupper():
        return PARAPHRASE_PREFIX[int(rng.integers(len(PARAPHRASE_PREFIX)))] + s[0].lower() + s[1:]
    if r < 0.55 and ", " in s[: len(s) // 2]:
        head, tail = s.split(", ", 1)
        tail = tail.rstrip(".")
        if tail and head:
            return tail[0].upper() + tail[1:] + ", " + head[0].lower() + head[1:] + "."
    if r < 0.8:
        return _recorded_sub(r"\bsaid\b", "told reporters", re.sub(r"\s*\([^)]*\)", "", s), swaps, count=1)
    return s


def derive(
    op: str, parent: str, rng: np.random.Generator, translation: str | None = None, swaps: list | None = None
) -> tuple[str, list]:
    """Apply operator `op` to `parent` text: (new text, planted fact changes); the words it substituted
    are appended to `swaps` (parent's word, replacement), one per occurrence, when given."""
    sents = sentences(parent)
    changes: list[dict] = []
    if op == "verbatim":
        return paragraphs(sents, rng) + "\n\n" + JUNK[int(rng.integers(len(JUNK)))], changes
    if op == "light_edit":
        if len(sents) > 3:
            del sents[int(rng.integers(1, len(sents)))]
        return paragraphs([_recorded_sub(r"\bsaid\b", "says", s, swaps) for s in sents], rng), changes
    if op in ("excerpt", "excerpt_commentary"):
        k = max(2, int(len(sents) * rng.uniform(0.3, 0.7)))
        start = 0 if rng.random() < 0.7 else int(rng.integers(0, max(1, len(sents) - k)))
        part = sents[start : start + k]
        if op == "excerpt":
            return paragraphs(part, rng), changes
        names = _CAP.findall(parent) or ["this"]
        name = names[int(rng.integers(len(names)))]
        picks = rng.choice(len(COMMENTARY), size=4, replace=False)
        before = [COMMENTARY[i].format(name=name) for i in picks[:2]]
        after = [COMMENTARY[i].format(name=name) for i in picks[2:]]
        return "\n\n".join([" ".join(before), paragraphs(part, rng), " ".join(after)]), changes
    if op == "reorder":
        head, rest = sents[:1], sents[1:]
        blocks = [rest[i : i + 2] for i in range(0, len(rest), 2)]
        order = rng.permutation(len(blocks))
        return paragraphs(head + [s for i in order for s in blocks[i]], rng), changes
    if op == "spin":
        return paragraphs([_spin(s, rng, swaps=swaps) for s in sents], rng), changes
    if op == "paraphrase":
        kept = [s for i, s in enumerate(sents) if i == 0 or rng.random() > 0.2]
        return paragraphs([_paraphrase_sentence(s, rng, swaps) for s in kept], rng), changes
    if op == "translation":
        return translation or parent, changes
    text = paragraphs(sents, rng)
    if op == "number_change":
        nums = list(_NUM.finditer(text))
        if nums:
            m = nums[int(rng.integers(len(nums)))]
            digits = m.group(0).replace(",", "")
            try:
                value = float(digits)
            except ValueError:
                value = 0.0
            new = str(int(value * rng.choice([0.5, 1.5, 2.0]) + rng.integers(1, 9)))
            changes.append({"kind": "number", "original": m.group(0), "changed": new})
            text = text[: m.start()] + new + text[m.end() :]
    elif op == "name_change":
        caps = sorted(set(_CAP.findall(text)))
        if caps:
            name = caps[int(rng.integers(len(caps)))]
            new = _respell(name, rng)
            changes.append({"kind": "name", "original": name, "changed": new})
            text = _recorded_sub(rf"\b{re.escape(name)}\b", new, text, swaps)
    elif op == "negation_flip":
        m = _NEG.search(text)
        if m:
            changes.append({"kind": "negation", "original": m.group(0).strip(), "changed": m.group(1) + " not"})
            text = text[: m.end(1)] + " not" + text[m.end(1) :]
    elif op == "quote_change":
        m = _QUOTED.search(text)
        if m:
            quote = m.group(1)
            quote_swaps: list = []
            new = _spin(quote, rng, rate=1.0, swaps=quote_swaps)
            if swaps is not None:
                swaps.extend(quote_swaps)
            if new == quote:
                words = quote.split()
                new = " ".join(words[:-1]) if len(words) > 3 else quote + " indeed"
            changes.append({"kind": "quote", "original": quote, "changed": new})
            text = text.replace(quote, new, 1)
    return text, changes


# corpus ------------------------------------------------------------------------------------------
def _day(rng: np.random.Generator, base_day: int, spread: int) -> int:
    return base_day + int(rng.integers(0, spread + 1))


def _iso(day: int | None) -> str | None:
    from datetime import date

    return None if day is None else date.fromordinal(day).isoformat()


def _synthetic_base(texts: list[str], rng: np.random.Generator) -> str:
    """A new 'event' for scale runs: halves of two real articles, names and numbers mutated."""
    a, b = (sentences(texts[int(i)]) for i in rng.choice(len(texts), size=2, replace=False))
    spliced = a[: max(2, len(a) // 2)] + b[len(b) // 2 :]
    text = " ".join(spliced)
    text = _NUM.sub(lambda m: str(int(rng.integers(2, 5000))), text)
    return _CAP.sub(lambda m: _respell(m.group(1), rng) if rng.random() < 0.5 else m.group(1), text)


def story_roots(base_ids: list[str], rated_same: list, events: dict | None = None) -> dict[str, str]:
    """Each base article's story, named by the smallest base id in it: union-find over same-event pairs.

    The raters' pairs (Overall <= 1.5) say nothing of the many articles no rater paired, some of which
    report one event. `events` (hand-judged, `bench/stories/semeval_events.json`) adds its "same" pairs
    and drops the raters' pairs it judged "different"; None keeps the raters' pairs alone."""
    allowed = set(base_ids)
    parent = {b: b for b in base_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    same = {tuple(sorted(p)) for p in rated_same}
    if events is not None:
        same -= {tuple(sorted(p)) for p in events.get("different", [])}
        same |= {tuple(sorted(p)) for p in events.get("same", [])}
    for a, b in sorted(same):
        if a in allowed and b in allowed:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {b: find(b) for b in base_ids}


def generate(
    seed: int = 0,
    split: str | None = "eval",
    n_articles: int | None = None,
    min_versions: int = 3,
    max_versions: int = 15,
    derived_share: float = 0.75,
    undated_share: float = 0.3,
    sources: dict | None = None,
    date_span: int = 700,
    events: dict | None = None,
) -> list[Version]:
    """A corpus of versions with truth; `split` picks the base articles (None: all).

    `date_span`: the days over which the stories' first publications spread. The default (about two
    years, under one story a day) makes "published within days of each other" nearly proof of one
    story; a real crawl holds dozens to thousands of stories a day, so the stories benchmark and the
    pair model's fit use a dense span (`bench.stories.common.DATE_SPAN`).

    `events`: hand-judged same/different pairs of base articles (see `story_roots`); None keeps the
    raters' pairs alone."""
    src = sources or load_sources()
    rng = np.random.default_rng(seed)
    english = src["english"]
    base_ids = sorted(i for i in english if split is None or split_of(i) == split)
    allowed = set(base_ids)
    story_root = story_roots(base_ids, src["same"], events)  # base -> its story (same-event pairs share one)
    story_day = {}
    for b in base_ids:
        # 2020-01-01 + up to `date_span` days; drawn on 0..699 and scaled, so the random stream (and every
        # text and id after it) is the same whatever the span
        story_day.setdefault(story_root[b], 737425 + int(rng.integers(0, 700)) * date_span // 700)
    for a, b in sorted(src["different"]):  # hard negatives: close in time
        if a in allowed and b in allowed and story_root[a] != story_root[b]:
            story_day[story_root[b]] = story_day[story_root[a]] + int(rng.integers(0, 10))
    out: list[Version] = []
    ops, weights = list(OPERATORS), np.array(list(OPERATORS.values()))
    weights = weights / weights.sum()

    def new_id() -> str:
        return "a" + format(int(rng.integers(0, 2**48)), "012x")

    def outlet() -> str:
        return f"outlet-{int(rng.integers(0, 400)):03d}"

    def emit_story(base: str, text: str, story: str, day0: int, synthetic: bool, trans: list) -> None:
        undated = rng.random() < undated_share
        root = Version(
            new_id(), text, "en", story, base, None, "independent", "origin",
            None if undated else _iso(_day(rng, day0, 1)), outlet(), synthetic=synthetic,
        )
        out.append(root)
        if rng.random() > derived_share:
            return
        family = [root]
        for _ in range(int(rng.integers(min_versions, max_versions + 1))):
            op = str(rng.choice(ops, p=weights))
            if op == "translation" and not trans:
                op = "spin"
            parent = root if op == "translation" or rng.random() < 0.7 else family[int(rng.integers(len(family)))]
            lang, mt = trans[int(rng.integers(len(trans)))] if op == "translation" else ("en", None)
            swaps: list[tuple[str, str]] = []
            text_v, changes = derive(op, parent.text, rng, mt, swaps)
            day = None if (undated or rng.random() < undated_share) else _day(rng, day0, 4)
            v = Version(
                new_id(), text_v, lang, story, base, parent.id, RELATION[op], op, _iso(day), outlet(),
                changes, synthetic, swaps,
            )
            out.append(v)
            if op != "translation":
                family.append(v)

    for b in base_ids:
        story = "st-" + story_root[b]
        emit_story(b, english[b], story, story_day[story_root[b]], False, src["translations"].get(b, []))
        if n_articles is not None and len(out) >= n_articles:
            break
    texts = [english[b] for b in base_ids]
    k = 0
    while n_articles is not None and len(out) < n_articles:
        k += 1
        text = _synthetic_base(texts, rng)
        emit_story(f"syn{k}", text, f"st-syn{seed}-{k}", 737425 + int(rng.integers(0, 700)), True, [])
    if n_articles is not None:
        out = out[:n_articles]
    order = rng.permutation(len(out))
    return [out[i] for i in order]


def write(versions: list[Version], path: Path) -> None:
    """Write `corpus.jsonl` (what wiretrace reads) and `truth.jsonl` (what the benchmark scores)."""
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "corpus.jsonl", "w", encoding="utf-8") as f:
        for v in versions:
            rec = {"id": v.id, "text": v.text, "language": v.language, "published": v.published, "outlet": v.outlet}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(path / "truth.jsonl", "w", encoding="utf-8") as f:
        for v in versions:
            rec = {
                "id": v.id, "story": v.story, "base": v.base, "parent": v.parent, "relation": v.relation,
                "operator": v.operator, "changes": v.changes, "synthetic": v.synthetic,
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
