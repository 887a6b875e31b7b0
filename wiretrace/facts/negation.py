"""Negation cues: the words that flip what a sentence asserts ("not", "never", "nicht", "jamás").

A cue list per language, not a parser: the facts stage only asks whether a cue was inserted or
deleted between two otherwise parallel sentences (see compare.py), which a list answers well.
"""

from __future__ import annotations

import re

from wiretrace.facts.record import NEGATION, Fact

CUES: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "not",
            "no",
            "never",
            "none",
            "nobody",
            "nothing",
            "neither",
            "nor",
            "without",
            "cannot",
            "can't",
            "won't",
            "didn't",
            "doesn't",
            "don't",
            "isn't",
            "aren't",
            "wasn't",
            "weren't",
            "hasn't",
            "haven't",
            "hadn't",
            "wouldn't",
            "shouldn't",
            "couldn't",
            "n't",
        ]
    ),
    "de": frozenset(
        [
            "nicht",
            "kein",
            "keine",
            "keinen",
            "keinem",
            "keiner",
            "keines",
            "nie",
            "niemals",
            "niemand",
            "nichts",
            "weder",
            "ohne",
        ]
    ),
    "es": frozenset(["no", "nunca", "jamás", "ningún", "ninguno", "ninguna", "nadie", "nada", "ni", "sin", "tampoco"]),
    "fr": frozenset(["ne", "n'", "pas", "jamais", "aucun", "aucune", "personne", "rien", "ni", "sans"]),
    "it": frozenset(["non", "mai", "nessuno", "nessuna", "niente", "nulla", "né", "senza"]),
    "pt": frozenset(["não", "nunca", "jamais", "nenhum", "nenhuma", "ninguém", "nada", "nem", "sem"]),
    "nl": frozenset(["niet", "geen", "nooit", "niemand", "niets", "noch", "zonder"]),
    "pl": frozenset(["nie", "nigdy", "żaden", "żadna", "nikt", "nic", "ani", "bez"]),
    "tr": frozenset(["değil", "yok", "hiç", "asla", "hiçbir"]),
}
ALL_CUES = frozenset().union(*CUES.values())
# Cue + word idioms that assert, not deny ("not long before" = shortly before, "not only ... but"):
# a paraphrase writes them for a positive statement, so they never count as a negation.
IDIOMS: dict[str, frozenset[tuple[str, str]]] = {
    "en": frozenset(
        [
            ("not", "long"),
            ("not", "far"),
            ("not", "only"),
            ("not", "just"),
            ("not", "least"),
            ("not", "until"),
            ("no", "doubt"),
            ("no", "less"),
            ("no", "more"),
            ("no", "sooner"),
            ("nothing", "but"),
            ("without", "doubt"),
        ]
    ),
    "de": frozenset([("nicht", "nur"), ("nicht", "lange"), ("ohne", "zweifel")]),
    "es": frozenset([("no", "solo"), ("no", "sólo"), ("sin", "duda"), ("no", "obstante")]),
    "fr": frozenset([("non", "seulement"), ("sans", "doute")]),
    "it": frozenset([("non", "solo"), ("senza", "dubbio")]),
    "pt": frozenset([("não", "só"), ("não", "apenas"), ("sem", "dúvida")]),
    "nl": frozenset([("niet", "alleen"), ("zonder", "twijfel")]),
}
ALL_IDIOMS = frozenset().union(*IDIOMS.values())


def is_idiom(cue: str, next_word: str | None, language: str | None) -> bool:
    """True when `cue` followed by `next_word` is an idiom that does not deny anything."""
    if not next_word:
        return False
    idioms = IDIOMS.get(language or "", ALL_IDIOMS if language is None else frozenset())
    return (cue.casefold().replace("’", "'"), next_word.casefold()) in idioms


_TOKEN = re.compile(r"[\w'’]+", re.UNICODE)


def cues_for(language: str | None) -> frozenset[str]:
    return CUES.get(language or "", ALL_CUES if language is None else CUES["en"])


def is_cue(token: str, language: str | None) -> bool:
    t = token.casefold().replace("’", "'")
    return t in cues_for(language) or t.endswith("n't")


def extract_negations(sentence: str, language: str | None) -> list[Fact]:
    """One fact per negation cue in the sentence (value "not"), idioms ("not only") left out."""
    tokens = list(_TOKEN.finditer(sentence))
    return [
        Fact(NEGATION, "not", m.group(0), m.span())
        for k, m in enumerate(tokens)
        if is_cue(m.group(0), language)
        and not is_idiom(m.group(0), tokens[k + 1].group(0) if k + 1 < len(tokens) else None, language)
    ]
