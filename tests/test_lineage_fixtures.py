"""Invented articles for the align and lineage tests (no text from /work/shared)."""

from __future__ import annotations

import hashlib

from wiretrace.data import Article

ORIGIN = [
    "HARBORVILLE, Norland (AP) — The city council of Harborville voted on Tuesday to close the "
    "old ferry terminal "
    "after inspectors found deep cracks in its concrete pier.",
    "Mayor Elena Brandt said the decision was painful but necessary to protect commuters.",
    "About 4,200 passengers used the terminal every day before the inspection.",
    "Engineers from the Coastal Works Agency said the pier could collapse during a winter storm.",
    "The council approved 12 million dollars for a temporary floating dock near the fish market.",
    "Ferry operator BlueLine said it would reroute its boats to the new dock within three weeks.",
    "Local shop owners warned that the closure would hurt business in the old harbor district.",
    "Brandt told The Associated Press that a new terminal could open in 2027 if funding is found.",
    "The old terminal was built in 1958 and last renovated in the early 1990s.",
    "Opposition councillor Tomas Reyes voted against the plan, calling it rushed.",
]

# word-level spinning: common words swapped for odd synonyms, names mangled, order kept
SPUN = [
    "HARBORVILLE, Norland (AP) — The town board of Harborvile balloted on Tuesday to shut the "
    "aged ferry station "
    "after examiners located profound fissures in its cement wharf.",
    "Mayor Elena Brant said the choice was agonizing but required to safeguard travellers.",
    "About 4,200 riders utilized the station each day before the examination.",
    "Engineers from the Coastal Works Agency said the wharf could crumble throughout a winter tempest.",
    "The board sanctioned 12 million dollars for a short-lived drifting dock near the fish bazaar.",
    "Ferry operator BlewLine said it would redirect its vessels to the fresh dock within three weeks.",
    "Local store proprietors cautioned that the shutting would damage commerce in the aged harbor district.",
    "Brant told The Associated Press that a fresh station could launch in 2027 if financing is located.",
    "The aged station was constructed in 1958 and final refurbished in the early 1990s.",
    "Opposition councillor Thomas Reyas balloted against the scheme, labeling it hurried.",
]

GERMAN = [
    "HARBORVILLE, Norland (AP) — Der Stadtrat von Harborville hat am Dienstag beschlossen, das "
    "alte Fährterminal "
    "zu schließen, nachdem Prüfer tiefe Risse im Betonpier gefunden hatten.",
    "Bürgermeisterin Elena Brandt sagte, die Entscheidung sei schmerzhaft, aber notwendig, um "
    "Pendler zu schützen.",
    "Vor der Inspektion nutzten täglich etwa 4.200 Fahrgäste das Terminal.",
    "Ingenieure der Coastal Works Agency sagten, der Pier könne bei einem Wintersturm einstürzen.",
    "Der Rat bewilligte 12 Millionen Dollar für ein provisorisches schwimmendes Dock in der "
    "Nähe des Fischmarkts.",
    "Der Fährbetreiber BlueLine kündigte an, seine Boote innerhalb von drei Wochen zum neuen "
    "Dock umzuleiten.",
    "Örtliche Ladenbesitzer warnten, die Schließung werde den Geschäften im alten Hafenviertel schaden.",
    "Brandt sagte der Associated Press, ein neues Terminal könne 2027 eröffnen, wenn die "
    "Finanzierung gesichert sei.",
]

COMMENTARY_BEFORE = [
    "Our town keeps making the same mistake with public money, and this week proves it again.",
    "Readers have written to us for years about the state of the waterfront.",
]
COMMENTARY_AFTER = [
    "We think the council should have listened to residents a decade ago.",
    "Share your view in the comments below and tell us what you think of the mayor.",
]

# another agency's own reporting of the same event: same facts, its own words and quotes
INDEPENDENT = [
    "MERIDIAN CITY (Reuters) - Harborville will shut its ferry terminal, a council vote showed on Tuesday, "
    "ending decades of service at the crumbling site.",
    "Council documents seen by Reuters put the cost of a stopgap dock at 12 million dollars.",
    "Commuters interviewed at the harbor on Wednesday said they feared longer journeys to work.",
    "A spokesman for BlueLine declined to say how many crossings would be cancelled.",
    "Maritime analyst Priya Nandakumar said several ports in the region faced similar repair bills.",
    "The terminal's closure follows a storm last year that flooded parts of the waterfront.",
    "Reuters could not independently verify the engineers' assessment of the pier.",
]


def article(
    aid: str,
    sentences: list[str],
    language: str = "en",
    published: str | None = None,
    paragraphs: bool = True,
    **kw,
) -> Article:
    text = ("\n\n" if paragraphs else " ").join(sentences)
    return Article(
        id=aid,
        source=aid,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        language=language,
        published=published,
        **kw,
    )


def light_edit(sentences: list[str]) -> list[str]:
    out = list(sentences)
    out[1] = out[1].replace("painful but necessary", "painful yet necessary")
    out[3] = out[3].replace("could collapse", "might collapse")
    out[6] = out[6].replace("Local shop owners", "Shop owners")
    return out


def replaced(sentences: list[str], k: int, old: str, new: str, count: int = -1) -> list[str]:
    """`sentences` with `old` replaced by `new` in sentence `k` (`count` times; -1: every time)."""
    out = list(sentences)
    assert old in out[k]
    out[k] = out[k].replace(old, new, count)
    return out


def closest_parent(child: str, mutations: dict[str, set], size: int) -> str | None:
    """`parents.closest_ancestor` of `child` among every other version, under the family's own rates."""
    from wiretrace.lineage.parents import FamilyRates, closest_ancestor

    rates = FamilyRates.of(mutations, size)
    candidates = sorted(m for m in mutations if m != child)
    return closest_ancestor(child, candidates, mutations, rates)


def hub_frame(aligner, versions, hub: str) -> tuple[dict[str, dict[int, int]], dict[str, int]]:
    """What the origin test reads about `versions` in `hub`'s frame: each other version's sentences
    mapped to the hub's, and every version a witness group of its own (none copied another here)."""
    to_hub = {m: {p.a: p.b for p in aligner.get(m, hub).pairs} for m in sorted(versions) if m != hub}
    return to_hub, {m: k for k, m in enumerate(sorted(versions))}


def trace_one_inferred_origin(corpus: dict[str, Article], cache) -> tuple[object, str]:
    """Trace `corpus` as one story whose one origin must be inferred: the story and that origin's text."""
    from wiretrace.data import Story
    from wiretrace.lineage import trace_with_alignments

    story, store = trace_with_alignments(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert [o.inferred for o in story.origins] == [True], story.lineage
    origin = story.origins[0].id
    units = {a: cache.units(corpus[a]) for a in corpus}
    return story, " ".join(units[m].texts[i] for m, i in store.origin_sentences[origin])
