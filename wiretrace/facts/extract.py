"""`extract_facts`: every checkable fact of a sentence, in any language.

Dates first (their day numbers are not counts), then numbers, names, quotes and negation cues.
`extract_many` batches the English names through spaCy and extracts each distinct sentence
once, which is what makes a story of hundreds of near-identical copies cheap; given the aligned
groups it tags one reading per set of readings with the same name-like words; with `names=False`
it skips the tagger for sentences that cannot drift (see drift.story_facts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wiretrace.facts.dates import extract_dates
from wiretrace.facts.names import grouped_ner_names, heuristic_names
from wiretrace.facts.negation import extract_negations
from wiretrace.facts.numbers import extract_numbers
from wiretrace.facts.quotes import extract_quotes
from wiretrace.facts.record import Fact

# Sentences longer than this are cut before extraction (hostile input: a "sentence" of a megabyte).
MAX_SENTENCE_CHARS = 5000


def _assemble(sentence: str, language: str | None, names: list[Fact] | None) -> list[Fact]:
    """The sentence's facts; with `names` None, only the name-free ones (dates, numbers, negation)."""
    dates = extract_dates(sentence, language)
    numbers = extract_numbers(sentence, language, skip=[d.span for d in dates])
    if names is None:
        facts = dates + numbers + extract_negations(sentence, language)
        return sorted(facts, key=lambda f: (f.span, f.kind))
    names = [n for n in names if not any(d.span[0] <= n.span[0] and n.span[1] <= d.span[1] for d in dates)]
    quotes = extract_quotes(sentence, names)
    facts = dates + numbers + names + quotes + extract_negations(sentence, language)
    return sorted(facts, key=lambda f: (f.span, f.kind))


def extract_facts(sentence: str, language: str | None = None) -> list[Fact]:
    """The facts of one sentence, sorted by position (`language`: ISO 639-1, None if unknown)."""
    return extract_many([(sentence, language)])[0]


def extract_many(
    items: Iterable[tuple[str, str | None]], names: bool = True, groups: Iterable[Sequence[int]] = ()
) -> list[list[Fact]]:
    """`extract_facts` over many (sentence, language) pairs; each distinct pair is extracted once.

    `names=False` skips the name tagger (most of the cost) and the quotes, whose speakers are names:
    for sentences that only need their dates, numbers and negation cues. `groups` (lists of indexes
    into `items`) marks readings of one statement: English readings in a group that share their
    name-like words are tagged once (names.grouped_ner_names); an item in no group stands alone.
    """
    items = [((s or "")[:MAX_SENTENCE_CHARS], lang) for s, lang in items]
    distinct = sorted(set(items), key=lambda x: (x[0], x[1] or ""))
    if not names:
        light = {item: _assemble(item[0], item[1], None) for item in distinct}
        return [light[item] for item in items]
    groups = [list(group) for group in groups]
    english = [i for i, (_, lang) in enumerate(items) if lang in (None, "en")]
    grouped = [[items[i][0] for i in group if items[i][1] in (None, "en")] for group in groups]
    in_group = {i for group in groups for i in group}
    grouped += [[items[i][0]] for i in english if i not in in_group]
    names_of = grouped_ner_names([g for g in grouped if g])
    found: dict[tuple[str, str | None], list[Fact]] = {}
    for sentence, lang in distinct:
        tagged = names_of.get(sentence) if lang in (None, "en") else heuristic_names(sentence, lang)
        found[(sentence, lang)] = _assemble(sentence, lang, tagged or [])
    return [found[item] for item in items]
