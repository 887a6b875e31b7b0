"""A synthetic, seeded report for tests, benchmarks and screenshots of the report and the web app.

Built from the record types only (no stage runs), so the views can be tested and measured while
the stages are still being written. Stories have real structure: a root version (or an inferred
missing origin), verbatim copies, light edits, excerpts, rewrites, translations, and facts that
drift down the copy graph; one article is hostile (script tags, event handlers, javascript: links,
broken markup in its text and metadata) so every view can be checked to show it as text.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from wiretrace.data import (
    Article,
    ConsensusSentence,
    Drift,
    InputError,
    LineageEdge,
    Origin,
    Removed,
    Report,
    Sentence,
    Story,
    Variant,
)

# Markup a hostile page could carry; if any of it ran, it would set these markers.
HOSTILE_TEXT = (
    "Officials said <script>document.title='pwned';window.__pwned=1</script> the bridge reopened. "
    '<img src=x onerror="window.__pwned=2"> Crews worked overnight. '
    '<a href="javascript:window.__pwned=3">read more</a> </details></section></body> <!-- broken <b>'
)
HOSTILE_OUTLET = '"><svg onload=window.__pwned=4>'
HOSTILE_TITLE = "<script>window.__pwned=5</script>Bridge <i>reopens</i>"

_OUTLETS = [
    "northwire.example",
    "dailyledger.example",
    "metro-post.example",
    "contentfarm.example",
    "riverside-news.example",
    "weltblatt.example",
    "coastal-times.example",
    "aggregator.example",
]
_SUBJECTS = [
    "The council",
    "Rescue teams",
    "The ministry",
    "Local officials",
    "The company",
    "Police",
    "Health authorities",
    "The mayor",
    "Witnesses",
    "The agency",
]
_VERBS = ["said", "confirmed", "reported", "announced", "denied", "estimated", "warned", "added"]
_OBJECTS = [
    "that {n} people were affected",
    "that the road would reopen on {day}",
    "that repairs would cost {n} million",
    "that {n} families had been moved",
    "that the inquiry would start in {city}",
    "that talks in {city} had failed",
    "that the vote was delayed until {day}",
    "that {n} homes were without power",
]
_CITIES = ["Lisbon", "Harare", "Quito", "Tallinn", "Osaka", "Perth", "Lagos", "Bergen"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_SYNONYMS = {
    "said": "stated",
    "confirmed": "verified",
    "reported": "related",
    "warned": "cautioned",
    "people": "individuals",
    "families": "households",
    "homes": "dwellings",
    "road": "route",
}


def _sentence(rng: random.Random) -> str:
    obj = rng.choice(_OBJECTS).format(n=rng.randint(2, 1900), day=rng.choice(_DAYS), city=rng.choice(_CITIES))
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {obj}."


def _article(
    aid: str,
    sentences: list[str],
    rng: random.Random,
    outlet: str,
    day: int,
    language: str = "en",
    title: str | None = None,
) -> Article:
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for i, s in enumerate(sentences):
        start = text.index(s, pos)
        spans.append(Sentence(aid, i, i // 2, start, start + len(s), s))
        pos = start + len(s)
    return Article(
        id=aid,
        source=f"sample/{aid}.txt",
        content_hash=hashlib.sha256(aid.encode()).hexdigest(),
        text=text,
        title=title or sentences[0][:70],
        language=language,
        outlet=outlet,
        published=f"2024-03-{day:02d}T{rng.randint(6, 22):02d}:00:00",
        sentences=spans,
        removed=[Removed("Click here to subscribe to our newsletter", "call-to-action")]
        if rng.random() < 0.4
        else [],
    )


def sample_report(n_articles: int = 40, seed: int = 7, hostile: bool = True) -> Report:
    """About `n_articles` articles in stories of 1 to 12 versions; deterministic for a seed."""
    rng = random.Random(seed)
    articles: list[Article] = []
    stories: list[Story] = []
    k = 0
    while len(articles) < n_articles:
        k += 1
        sid = f"s{k:05d}"
        size = min(n_articles - len(articles), rng.choice([1, 2, 3, 4, 6, 8, 12]))
        day = rng.randint(1, 25)
        base = [_sentence(rng) for _ in range(rng.randint(6, 14))]
        inferred = size > 2 and rng.random() < 0.3
        members: list[Article] = []
        texts: dict[str, list[str]] = {}
        edges: list[LineageEdge] = []
        origin_id = f"{sid}-o1"
        drifted: dict[str, list[str]] = {}  # changed fact -> articles carrying the change
        for i in range(size):
            aid = f"{sid}-a{i + 1:02d}"
            outlet = rng.choice(_OUTLETS)
            if i == 0 and not inferred:
                sents, relation, parent = list(base), None, None
            else:
                parent_ids = [m.id for m in members] if members and (i > 1 or not inferred) else []
                parent = rng.choice(parent_ids) if parent_ids else origin_id
                src = texts.get(parent, base)
                relation = rng.choice(
                    ["verbatim", "light-edit", "excerpt", "rewrite", "machine-rewrite", "translation"]
                )
                sents = list(src)
                if relation == "light-edit":
                    j = rng.randrange(len(sents))
                    sents[j] = sents[j].replace(" said ", " told reporters ").replace(" 1", " 2", 1)
                    for fact in list(drifted):
                        if parent in drifted[fact]:
                            drifted[fact].append(aid)
                    if sents[j] != src[j]:
                        drifted.setdefault(src[j], []).append(aid)
                elif relation == "excerpt":
                    sents = sents[: max(2, len(sents) // 2)]
                elif relation in ("rewrite", "machine-rewrite"):
                    sents = [" ".join(_SYNONYMS.get(w, w) for w in s.split()) for s in sents]
                    rng.shuffle(sents)
                elif relation == "translation":
                    sents = [f"[de] {s}" for s in sents]
            language = "de" if relation == "translation" else "en"
            a = _article(aid, sents, rng, outlet, min(28, day + i // 3), language)
            if hostile and k == 1 and i == size - 1:
                a.text = HOSTILE_TEXT + "\n\n" + a.text
                a.title, a.outlet = HOSTILE_TITLE, HOSTILE_OUTLET
                a.removed.append(Removed("<script>window.__pwned=6</script>Share on <b>social", "share"))
            members.append(a)
            texts[aid] = sents
            if relation:
                edges.append(
                    LineageEdge(
                        aid,
                        parent,
                        relation,
                        round(rng.uniform(0.55, 0.98), 2),
                        [f"{relation}: {rng.randint(40, 100)}% of sentences aligned"],
                    )
                )
        origin = Origin(
            origin_id,
            None if inferred else members[0].id,
            inferred,
            ["Associated Press"] if rng.random() < 0.5 else [],
            round(rng.uniform(0.6, 0.95), 2),
            [m.id for m in members],
        )
        drift = []
        for original, carriers in sorted(drifted.items()):
            changed = original.replace(" said ", " told reporters ").replace(" 1", " 2", 1)
            if changed == original:
                continue
            holders = [m.id for m in members if m.id not in carriers]
            drift.append(
                Drift(
                    "number",
                    original[:60],
                    [
                        Variant(original[:60], holders, original),
                        Variant(changed[:60], sorted(set(carriers)), changed),
                    ],
                    "meaning",
                )
            )
        consensus = [
            ConsensusSentence(s, [m.id for m in members if s in texts[m.id]] or [members[0].id]) for s in base
        ]
        if size > 2:
            consensus.append(ConsensusSentence(_sentence(rng), [members[-1].id], addition=True))
        articles.extend(members)
        stories.append(
            Story(
                id=sid,
                articles=[m.id for m in members],
                label=members[0].title or sid,
                languages=sorted({m.language or "" for m in members}),
                outlets=sorted({m.outlet or "" for m in members}),
                first_published=min(m.published or "" for m in members),
                last_published=max(m.published or "" for m in members),
                origins=[origin] if size > 1 else [],
                lineage=edges,
                drift=drift,
                consensus=consensus if size > 1 else [],
            )
        )
    stories = [s for s in stories if len(s.articles) > 1]
    errors = (
        [InputError("broken<b>.warc.gz", "truncated <script>x()</script> WARC", "W005")] if hostile else []
    )
    return Report(articles=articles, stories=stories, errors=errors, version="sample")


def write_store(report: Report, path: str | Path) -> Path:
    """Write a (sample) report's articles and stories into the store at `path`, for serve tests and benchmarks."""
    from wiretrace.store import Store

    with Store(path) as st:
        st.add_articles(report.articles)
        st.save_stories(report.stories)
    return Path(path)
