"""Direct quotes and their speakers.

A quote is the text between quotation marks of any script convention (“…”, "…", «…», „…“,
‚…‘), or from an opening mark to the end of the sentence when the sentence splitter cut a
multi-sentence quote. Its value is the quoted words case- and punctuation-folded, with names
canonical ("Daesh" = "ISIS"), so only a change of wording counts.
"""

from __future__ import annotations

import re

from wiretrace.facts.names import canonical
from wiretrace.facts.record import PERSON, QUOTE, Fact

_PAIRS = [("“", "”"), ("„", "“"), ("„", "”"), ("«", "»"), ("»", "«"), ("‚", "‘"), ("‘", "’"), ('"', '"'), ("「", "」")]
# the quoted text holds neither mark (also keeps a run of lone opening marks linear, not quadratic)
_QUOTE = re.compile("|".join(f"{re.escape(o)}([^{re.escape(o + c)}]+?){re.escape(c)}" for o, c in _PAIRS))
# A quote cut by the sentence splitter: an opening mark (after a space, before a word) running to
# the end, or a closing mark (right after a word) from the start. `topsy-turvy," said X` closes a
# quote; read as an opening mark it would make "said X ..." the quote.
_OPEN_ONLY = re.compile(r"(?:^|(?<=[\s(\[]))[“„«»\"](?=\s?\w)\s*([^“”„«»\"]{12,})$")
_CLOSE_ONLY = re.compile(r"^\s*([^“”„«»\"]{12,}?)(?<=\S)[”“»«\"](?!\w)")
MIN_QUOTE_WORDS = 3
# `Fact.extra["cut"]` of a quote the sentence splitter cut: only its opening or its closing mark is here.
OPEN_CUT, CLOSE_CUT = "open", "close"
SPEECH_VERBS = (
    r"said|says|told|tweeted|added|wrote|stated|declared|sagte|erklärte|dijo|afirmó|declaró|a déclaré|"
    r"a dit|ha detto|disse"
)
_SPEAKER_AFTER = re.compile(rf"(?:{SPEECH_VERBS})\s+((?:[A-Z][\w'’-]+\s?){{1,3}})")
_SPEAKER_BEFORE = re.compile(rf"((?:[A-Z][\w'’-]+\s?){{1,3}})\s*(?:,[^,]{{0,60}},\s*)?(?:{SPEECH_VERBS})\b")
_TOKEN = re.compile(r"[\w'’-]+", re.UNICODE)


def quote_value(text: str) -> str:
    """The compared form of a quote: folded words, names canonical."""
    words = []
    for token in _TOKEN.findall(text):
        canon, kind = canonical(token) if token[:1].isupper() else (token.casefold(), None)
        words.append(canon if kind else token.casefold().replace("’", "'"))
    return " ".join(words)


def extract_quotes(sentence: str, names: list[Fact]) -> list[Fact]:
    """The quotes of `sentence`; `names` (from names.py) supply the speaker when one is named."""
    spans = [(*m.span(m.lastindex or 0), "") for m in _QUOTE.finditer(sentence)]
    if not spans:
        for pattern, cut in ((_OPEN_ONLY, OPEN_CUT), (_CLOSE_ONLY, CLOSE_CUT)):
            m = pattern.search(sentence)
            if m:
                spans.append((*m.span(1), cut))
                break
    facts = []
    for start, end, cut in spans:
        text = sentence[start:end].strip()
        if len(_TOKEN.findall(text)) < MIN_QUOTE_WORDS:
            continue  # a scare quote or a title, not speech
        speaker = _speaker(sentence, (start, end), names)
        extra = {"cut": cut} if cut else {}
        facts.append(Fact(QUOTE, quote_value(text), text, (start, end), speaker=speaker, extra=extra))
    return facts


def open_quotes(sentences: list[str]) -> list[bool]:
    """For each sentence of an article, whether a quote opened earlier is still open where it starts.

    A lone closing mark ends a quote the splitter cut only when an earlier sentence opened one;
    without that opening mark (messy text, a dropped mark) nobody can tell where the quote began.
    """
    out, is_open = [], False
    for sentence in sentences:
        out.append(is_open)
        rest = _QUOTE.sub(" ", sentence)
        if _OPEN_ONLY.search(rest):
            is_open = True
        elif _CLOSE_ONLY.search(rest) or any(c in rest for c in "”»"):
            is_open = False
    return out


def _speaker(sentence: str, span: tuple[int, int], names: list[Fact]) -> str | None:
    """The person named outside the quote nearest to it, else a capitalised name next to a speech verb."""
    people = [n for n in names if n.kind == PERSON and (n.span[1] <= span[0] or n.span[0] >= span[1])]
    if people:
        nearest = min(people, key=lambda n: min(abs(n.span[0] - span[1]), abs(span[0] - n.span[1])))
        return nearest.surface
    outside = sentence[: span[0]] + " " + sentence[span[1] :]
    for pattern in (_SPEAKER_AFTER, _SPEAKER_BEFORE):
        m = pattern.search(outside)
        if m:
            return m.group(1).strip()
    return None
