"""`Fact`: one checkable claim found in a sentence (a number, date, name, quote or negation)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Fact kinds are the drift kinds (wiretrace.data.DRIFT_KINDS).
NUMBER, DATE, PERSON, PLACE, ORGANISATION, QUOTE, NEGATION = (
    "number",
    "date",
    "person",
    "place",
    "organisation",
    "quote",
    "negation",
)
NAME_KINDS = (PERSON, PLACE, ORGANISATION)


@dataclass(slots=True)
class Fact:
    """A fact as written (`surface`, `span` into the sentence) and as compared (`value`, normalised).

    Numbers carry their magnitude (`number`), what they count (`counted`, lower-cased words), a
    `unit` ("%", "$", "year", ...) and whether the text hedges them (`approximate`: "at least 46").
    Quotes carry their `speaker` when the sentence names one.
    """

    kind: str
    value: str
    surface: str
    span: tuple[int, int]
    number: float | None = None
    counted: tuple[str, ...] = ()
    unit: str | None = None
    approximate: bool = False
    speaker: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
