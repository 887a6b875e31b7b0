"""Dates, weekdays, months and years in any of the languages Babel's CLDR data names.

Values are language-free: "weekday:5" (Saturday; Monday is 0), "month:8", "day:08-26",
"year:2014", "relative:-1" (yesterday). Babel supplies the month and weekday names of every
locale, so "Samstag", "sábado" and "Saturday" compare equal without a hand-written table.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wiretrace.facts.record import DATE, Fact

LOCALES = ("en", "de", "es", "fr", "it", "pt", "nl", "tr", "pl", "ru", "ar", "da", "sv")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
RELATIVE_DAYS = {
    "today": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "heute": 0,
    "gestern": -1,
    "morgen": 1,
    "hoy": 0,
    "ayer": -1,
    "mañana": 1,
    "aujourd'hui": 0,
    "hier": -1,
    "demain": 1,
    "oggi": 0,
    "ieri": -1,
    "domani": 1,
    "hoje": 0,
    "ontem": -1,
    "amanhã": 1,
    "vandaag": 0,
    "gisteren": -1,
    "bugün": 0,
    "dün": -1,
    "dzisiaj": 0,
    "wczoraj": -1,
}
# English short month forms used by news style ("Oct. 9").
_MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
# a year, also opening a range ("2018-19", "2018-2019"), not a count ("2000-strong") or an amount
_YEAR = re.compile(r"(?:(?<=\d{4}-)|(?<![\w.,$€£-]))(1[89]\d\d|20\d\d)(?![\w.,]\d|[\w%]|-(?!\d\d(?:\d\d)?(?!\w)))")
_WORD = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)


@lru_cache(maxsize=1)
def calendar_words() -> tuple[dict[str, int], dict[str, int]]:
    """(weekday name -> 0..6, month name -> 1..12) over all LOCALES, lower-cased."""
    from babel import Locale

    weekdays: dict[str, int] = {}
    months: dict[str, int] = {}
    for code in LOCALES:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for index, name in locale.days[context]["wide"].items():
                weekdays.setdefault(name.casefold(), index)
            for index, name in locale.months[context]["wide"].items():
                if len(name) >= 3:
                    months.setdefault(name.casefold(), index)
    # "May"/"mayo"/"mai" are months; so is "March", but "march" as a verb is rare in news datelines
    for short, index in _MONTH_ABBREVIATIONS.items():
        months.setdefault(short, index)
    return weekdays, months


def extract_dates(sentence: str, language: str | None = None) -> list[Fact]:
    """Weekdays, day-month dates, months, years and relative days ("yesterday") in `sentence`."""
    weekdays, months = calendar_words()
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for m in _WORD.finditer(sentence):
        word = m.group(0).casefold().rstrip("'’s") if m.group(0).endswith(("'s", "’s")) else m.group(0).casefold()
        if word in weekdays:
            facts.append(
                Fact(
                    DATE,
                    f"weekday:{weekdays[word]}",
                    m.group(0),
                    m.span(),
                    extra={"label": WEEKDAYS_EN[weekdays[word]]},
                )
            )
        elif word in RELATIVE_DAYS:
            facts.append(Fact(DATE, f"relative:{RELATIVE_DAYS[word]}", m.group(0), m.span()))
        elif word in months and (m.group(0)[0].isupper() or language not in (None, "en", "de")):
            if word in _MONTH_ABBREVIATIONS and word not in ("may",) and sentence[m.end() : m.end() + 1] != ".":
                continue
            month = months[word]
            # a day next to the month: "August 26", "26 August", "26. August", "26 de agosto"
            after = re.match(r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)", sentence[m.end() :])
            before = re.search(r"(?<!\d)(\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:de\s+)?$", sentence[: m.start()])
            day_match = after or before
            if day_match and 1 <= int(day_match.group(1)) <= 31:
                day = int(day_match.group(1))
                start = m.start() if after else m.start() - len(before.group(0))
                end = m.end() + after.end() if after else m.end()
                facts.append(
                    Fact(
                        DATE,
                        f"day:{month:02d}-{day:02d}",
                        sentence[start:end],
                        (start, end),
                        extra={"label": f"{MONTHS_EN[month - 1]} {day}"},
                    )
                )
                taken.append((start, end))
            else:
                facts.append(Fact(DATE, f"month:{month}", m.group(0), m.span(), extra={"label": MONTHS_EN[month - 1]}))
                taken.append(m.span())
    for m in _YEAR.finditer(sentence):
        facts.append(Fact(DATE, f"year:{m.group(1)}", m.group(1), m.span()))
    return sorted(facts, key=lambda f: f.span)
