"""Numbers in a sentence, normalised to a magnitude, with what they count and how they are hedged.

Number words ("forty-six", "sechsundvierzig", "cuarenta y seis") are read by text2num's
`alpha2digit` (en, fr, es, pt, de, nl, da, it). What no library does for us, and is written here:
locale-aware digit grouping ("1,005" in English is "1.005" in German and "1 005" in French),
scale words in many languages ("1.3 million", "1,3 Millionen", "1,3 millones"), hedges
("at least", "mindestens", "al menos") and the words a number counts.
"""

from __future__ import annotations

import difflib
import math
import re
from decimal import Decimal
from functools import lru_cache

from wiretrace.facts.record import NUMBER, Fact

# Languages writing "1.005,5" (dot groups, comma decimal); the others write "1,005.5".
COMMA_DECIMAL = frozenset(
    [
        "de",
        "es",
        "fr",
        "it",
        "pt",
        "nl",
        "tr",
        "pl",
        "ru",
        "da",
        "sv",
        "no",
        "nb",
        "fi",
        "cs",
        "sk",
        "sl",
        "hr",
        "sr",
        "bg",
        "ro",
        "hu",
        "el",
        "uk",
        "id",
        "vi",
        "lt",
        "lv",
        "et",
        "ca",
        "gl",
        "eu",
    ]
)
TEXT2NUM_LANGS = frozenset({"en", "fr", "es", "pt", "de", "nl", "da", "it"})

SCALES: dict[str, float] = {}
for _words, _factor in (
    ("thousand thousands tausend mil mille milles duizend bin tysiąc tysiące tysięcy тысяч тысячи тысяча k", 1e3),
    (
        "million millions millionen mio mio. millón millones milione milioni milhão milhões miljoen miljoenen "
        "milyon milion miliony milionów миллион миллиона миллионов mn m",
        1e6,
    ),
    (
        "billion billions milliarde milliarden mrd mrd. milliard milliards miliardo miliardi mil-millones "
        "miljard miljarden milyar miliard miliardy miliardów миллиард миллиарда миллиардов bn",
        1e9,
    ),
    ("trillion trillions billionen billón billones", 1e12),
):
    for _w in _words.split():
        SCALES[_w] = _factor
# Collective counts written as words.
DOZENS = {"dozen": 12, "dutzend": 12, "docena": 12, "douzaine": 12, "dozzina": 12, "dúzia": 12, "score": 20}

HEDGES = (
    "at least",
    "more than",
    "over",
    "nearly",
    "almost",
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "up to",
    "an estimated",
    "estimated",
    "fewer than",
    "less than",
    "under",
    "close to",
    "upwards of",
    "mindestens",
    "mehr als",
    "über",
    "fast",
    "etwa",
    "rund",
    "knapp",
    "bis zu",
    "ungefähr",
    "circa",
    "ca.",
    "al menos",
    "más de",
    "casi",
    "unos",
    "unas",
    "alrededor de",
    "cerca de",
    "hasta",
    "aproximadamente",
    "au moins",
    "plus de",
    "près de",
    "environ",
    "quelque",
    "quelques",
    "jusqu'à",
    "presque",
    "almeno",
    "più di",
    "quasi",
    "circa",
    "fino a",
    "pelo menos",
    "mais de",
    "cerca de",
    "quase",
    "minstens",
    "meer dan",
    "bijna",
    "ongeveer",
    "en az",
    "yaklaşık",
    "co najmniej",
    "ponad",
    "prawie",
    "około",
)
_HEDGE = re.compile(
    r"(?:" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\s+$", re.IGNORECASE
)
PERCENT_WORDS = {
    "percent",
    "per cent",
    "prozent",
    "por ciento",
    "pour cent",
    "per cento",
    "por cento",
    "procent",
    "yüzde",
    "процентов",
}
CURRENCY_SIGNS = {"$": "$", "€": "€", "£": "£", "¥": "¥", "us$": "$"}
CURRENCY_WORDS = {
    "dollar": "$",
    "dollars": "$",
    "dólares": "$",
    "euro": "€",
    "euros": "€",
    "pounds": "£",
    "dollari": "$",
    "yuan": "¥",
    "rupees": "₹",
}
DURATION_UNITS = {
    "year": "year",
    "years": "year",
    "month": "month",
    "months": "month",
    "week": "week",
    "weeks": "week",
    "day": "day",
    "days": "day",
    "hour": "hour",
    "hours": "hour",
    "jahre": "year",
    "jahren": "year",
    "años": "year",
    "ans": "year",
    "anni": "year",
}

_DIGITS = re.compile(r"(?<![\w.,])([$€£¥]|US\$)?\s?(\d+(?:[.,]\d+|[\u00a0\u202f\u2009' ]\d{3}(?!\d))*)(?![\w])")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
# Words that end what a number counts ("46 people who ...", "46 killed in ...").
_COUNT_STOP = frozenset(
    [
        "who",
        "which",
        "that",
        "in",
        "on",
        "at",
        "of",
        "and",
        "or",
        "but",
        "as",
        "to",
        "from",
        "by",
        "with",
        "for",
        "while",
        "when",
        "after",
        "before",
        "since",
        "since",
        "was",
        "were",
        "is",
        "are",
        "had",
        "have",
        "has",
        "the",
        "a",
        "an",
        "die",
        "der",
        "das",
        "und",
        "in",
        "im",
        "am",
        "von",
        "des",
        "el",
        "la",
        "los",
        "las",
        "y",
        "en",
        "de",
        "que",
        "et",
        "le",
        "les",
        "du",
        "des",
        "il",
        "di",
        "e",
        "che",
    ]
)
YEAR_RANGE = (1800, 2100)
# Two numbers within this relative distance, one of them hedged or round, differ only by rounding.
ROUNDING_TOLERANCE = 0.1


def parse_digits(token: str, language: str | None) -> float | None:
    """The value of a digit group as `language` writes it ("1,005" en = "1.005" de = 1005)."""
    token = re.sub(r"[\u00a0\u202f\u2009' ]", "\u2009", token)
    if "\u2009" in token:  # spaces and apostrophes only ever group thousands
        token = token.replace("\u2009", "")
    if token.isdigit():
        return float(token)
    decimal, group = (",", ".") if language in COMMA_DECIMAL else (".", ",")
    if "," in token and "." in token:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        group = "." if decimal == "," else ","
    elif token.count(decimal) == 1 and token.count(group) == 0:
        # "1.005" in English is a decimal; "1,005" in German is a decimal too (the text says so)
        pass
    elif token.count(group) >= 1 and all(len(p) == 3 for p in token.split(group)[1:]):
        pass
    elif token.count(group) == 1:  # "1,5" in an English text: the writer used a decimal comma
        decimal, group = group, decimal
    else:
        return None
    try:
        return float(token.replace(group, "").replace(decimal, "."))
    except ValueError:
        return None


def format_value(x: float) -> str:
    """A canonical string of a magnitude: "1005", "1300000", "1.3"."""
    if math.isfinite(x) and x == int(x):
        return str(int(x))
    return f"{x:.6g}"


def is_round(x: float) -> bool:
    """1,000, 50, 1.3 million: at most two significant digits."""
    if x <= 0:
        return False
    digits = f"{x:.6g}".replace(".", "").replace("-", "").lstrip("0").rstrip("0")
    return len(digits) <= 2


def rounding_only(a: float, b: float, a_hedged: bool, b_hedged: bool) -> bool:
    """True when `a` and `b` can be the same count told with a different precision."""
    if a == b:
        return True
    if max(abs(a), abs(b)) == 0:
        return True
    if abs(a - b) / max(abs(a), abs(b)) > ROUNDING_TOLERANCE:
        return False
    # one value must be the other told less precisely: fewer significant digits, and no further
    # from it than one step of its last digit (212 -> 200 is rounding; 23 -> 21 is another count)
    (da, ua), (db, ub) = _precision(a), _precision(b)
    if da == db:
        return False
    step = ua if da < db else ub
    return abs(a - b) <= step + 1e-9


def _precision(x: float) -> tuple[int, float]:
    """(significant digits, value of the last significant digit): 200 -> (1, 100), 2.15 -> (3, 0.01)."""
    d = Decimal(repr(float(abs(x)))).normalize().as_tuple()
    return len(d.digits), float(Decimal(1).scaleb(d.exponent))


@lru_cache(maxsize=8)
def _has_text2num() -> bool:
    try:
        import text_to_num  # noqa: F401
    except ImportError:
        return False
    return True


def _spell_numbers(sentence: str, language: str | None) -> tuple[str, list[int] | None]:
    """The sentence with number words turned to digits, and a map from its characters to the original's."""
    if language not in TEXT2NUM_LANGS or not _has_text2num() or not re.search(r"[^\W\d_]{3,}", sentence):
        return sentence, None
    from text_to_num import alpha2digit

    try:
        converted = alpha2digit(sentence, language)
    except Exception:  # text2num is strict about some inputs; the digits are still read below
        return sentence, None
    if converted == sentence:
        return sentence, None
    mapping = [0] * (len(converted) + 1)
    matcher = difflib.SequenceMatcher(None, sentence, converted, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j1, j2):
            mapping[k] = i1 + (k - j1) if tag == "equal" else (i1 if k == j1 else max(i1, i2 - 1))
    mapping[len(converted)] = len(sentence)
    return converted, mapping


def _counted_words(text: str) -> tuple[str, ...]:
    """Up to four words after a number, up to the first function word: what the number counts."""
    words: list[str] = []
    for m in _WORD.finditer(text[:80]):
        w = m.group(0).strip(".'’-").casefold()
        if not w or w in _COUNT_STOP or w in SCALES:
            if words or w in _COUNT_STOP:
                break
            continue
        words.append(w)
        gap = text[m.end() : m.end() + 2]
        if len(words) == 4 or (gap and gap[0] in ",;:.!?)"):
            break
    return tuple(words)


def extract_numbers(sentence: str, language: str | None, skip: list[tuple[int, int]] | None = None) -> list[Fact]:
    """Every cardinal number in `sentence` (spans listed in `skip`, e.g. dates, are left out)."""
    skip = list(skip or [])
    facts = _digit_numbers(sentence, sentence, None, language, skip)
    # number words, read on text2num's rewriting of the sentence, mapped back to the original
    text, mapping = _spell_numbers(sentence, language)
    if mapping is not None:
        for fact in _digit_numbers(sentence, text, mapping, language, skip + [f.span for f in facts]):
            if re.search(r"[^\W\d_]", sentence[fact.span[0] : fact.span[1]]):
                facts.append(fact)
    for m in re.finditer(r"(?i)\b(?:(half) )?(?:a |an |one )?(" + "|".join(DOZENS) + r")\b(?! of)", sentence):
        if any(s < m.end() and m.start() < e for s, e in skip):
            continue
        value = DOZENS[m.group(2).casefold()] * (0.5 if m.group(1) else 1)
        hedge = _HEDGE.search(sentence[max(0, m.start() - 30) : m.start()])
        start = m.start() - (len(hedge.group(0)) if hedge else 0)
        facts.append(
            Fact(
                kind=NUMBER,
                value=format_value(value),
                surface=sentence[start : m.end()],
                span=(start, m.end()),
                number=value,
                counted=_counted_words(sentence[m.end() :]),
                approximate=True,
            )
        )
    return sorted(facts, key=lambda f: f.span)


def _digit_numbers(
    sentence: str, text: str, mapping: list[int] | None, language: str | None, skip: list[tuple[int, int]]
) -> list[Fact]:
    """Digit numbers of `text` (the sentence, or its number-words rewrite whose `mapping` leads back)."""

    def original(i: int) -> int:
        return i if mapping is None else mapping[min(i, len(mapping) - 1)]

    facts: list[Fact] = []
    for m in _DIGITS.finditer(text):
        start, end = original(m.start(2)), original(m.end(2) - 1) + 1
        if any(s < end and start < e for s, e in skip):
            continue
        value = parse_digits(m.group(2), language)
        if value is None:
            continue
        unit = CURRENCY_SIGNS.get((m.group(1) or "").casefold())
        rest = text[m.end() :]
        # scale word ("1.3 million", "1,3 Mio.") or collective ("a dozen" handled below)
        scale = re.match(r"\s?([^\W\d_][\w.-]*)", rest)
        if (
            scale
            and scale.group(1).casefold().rstrip(".") in SCALES
            and not (scale.group(1) in ("m", "k") and not m.group(1))
        ):
            value = round(value * SCALES[scale.group(1).casefold().rstrip(".")], 6)
            rest = rest[scale.end() :]
            end = original(m.end() + scale.end() - 1) + 1
        hyphen_unit = re.match(r"-([^\W\d_]+)", rest)
        if hyphen_unit and hyphen_unit.group(1).casefold() in DURATION_UNITS:  # "20-year presence"
            unit = DURATION_UNITS[hyphen_unit.group(1).casefold()]
        low = rest.lstrip().casefold()
        if rest.startswith("%") or any(low.startswith(w) for w in PERCENT_WORDS):
            unit = "%"
        counted = _counted_words(rest.lstrip("%- ") if not hyphen_unit else rest[hyphen_unit.end() :])
        if counted and counted[0] in CURRENCY_WORDS:
            unit = unit or CURRENCY_WORDS[counted[0]]
        if counted and counted[0] in DURATION_UNITS and unit is None:
            unit = DURATION_UNITS[counted[0]]
        before = text[max(0, m.start() - 30) : m.start()]
        hedge = _HEDGE.search(before)
        surface_start = original(m.start() - len(hedge.group(0))) if hedge else original(m.start())
        is_year = (
            unit is None
            and "," not in m.group(2)
            and "." not in m.group(2)
            and len(m.group(2)) == 4
            and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]
        )
        if is_year:
            continue  # years are dates (see dates.py)
        facts.append(
            Fact(
                kind=NUMBER,
                value=format_value(value) + (unit or ""),
                surface=sentence[surface_start:end].strip(),
                span=(surface_start, end),
                number=value,
                counted=counted,
                unit=unit,
                approximate=bool(hedge),
            )
        )
    return facts
