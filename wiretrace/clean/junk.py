"""Line rules for page junk in plain text: each rule is a small named function with a reason code.

Rules look at one paragraph (a line of the page) and answer a reason or None. They are patterns
over the shape and vocabulary of junk in English, German, Spanish and French, never the literal
strings of a page. Precision first: an action pattern only fires on a short line that *starts*
with it, and a heading pattern only when it is the whole line, so a story sentence that happens
to contain "click", "follow" or "subscribe" stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_FLAGS = re.IGNORECASE | re.UNICODE
BULLET = re.compile(r"^[\s•·●▪◦►▶»>*\-–—|#]+")
_TERMINAL = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
MAX_ACTION_WORDS = 14  # a call to action is a short line; longer lines are prose


def strip_bullet(line: str) -> str:
    return BULLET.sub("", line).strip()


def words(line: str) -> list[str]:
    return line.split()


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def word_count(line: str) -> int:
    """Words in `line`; scripts written without spaces count one word per two characters."""
    cjk = len(_CJK.findall(line))
    return len(line.split()) + cjk // 2 if cjk else len(line.split())


def ends_like_sentence(line: str) -> bool:
    return bool(_TERMINAL.search(line.strip()))


# --- calls to action ----------------------------------------------------------------------------
# Anchored at the start of a short line.
_ACTION = re.compile(
    r"^(?:"
    # click / tap here
    r"(?:click|tap|press)\s+(?:here|this|to|for)\b|hier\s+klicken|klicken\s+sie\s+(?:hier|auf)|"
    r"(?:haga|haz)\s+clic|pulse\s+aquí|pincha\s+aquí|cliquez\s+(?:ici|sur)|clique[rz]?\s+ici|"
    # read more
    r"(?:read|see|watch|view|listen\s+to)\s+(?:more|also|next|the\s+full|full|the\s+latest)\b|"
    r"(?:continue|keep)\s+reading|weiterlesen|(?:lesen|sehen|hören)\s+sie\s+(?:auch|mehr|hier)|"
    r"mehr\s+(?:zum\s+thema|dazu|lesen|erfahren)|(?:leer|lea|lee|ver)\s+(?:más|también|además)\b|"
    r"(?:sigue|seguir|continúa|continuar)\s+leyendo|(?:lire|voir)\s+(?:aussi|plus|la\s+suite|également)|"
    r"à\s+lire\s+(?:aussi|également)|en\s+savoir\s+plus|"
    # comments
    r"(?:leave|post|add|write|submit)\s+a\s+(?:comment|reply|response)|join\s+the\s+(?:conversation|discussion)|"
    r"(?:show|view|load|see)\s+(?:all\s+)?(?:\d+\s+)?comments|comments?\s*[(\[]?\d+|"
    r"kommentar(?:e)?\s+(?:schreiben|hinterlassen|verfassen|anzeigen|lesen)|jetzt\s+kommentieren|"
    r"schreiben\s+sie\s+einen\s+kommentar|(?:deja|dejar|escribe|añade)\s+(?:un|tu)\s+comentario|"
    r"(?:laisser|laissez|écrire|écrivez|ajouter)\s+un\s+commentaire|"
    # follow / social
    r"follow\s+(?:us|\S+(?:\s+\S+){0,3}\s+on)\b|(?:folgen\s+sie|folge)\s+(?:uns|\S+\s+auf)|"
    r"síguenos|siguenos|sigue\s+a\s+\S+\s+en|suivez[- ]nous|suivez\s+\S+\s+sur|"
    # newsletters, subscriptions, apps
    r"sign\s+up|subscribe|get\s+(?:our|the)\s+(?:newsletter|app)|download\s+(?:our|the)\s+\S*\s*app|"
    r"newsletter\s+(?:abonnieren|bestellen)|jetzt\s+(?:abonnieren|anmelden|registrieren)|abonnieren\s+sie|"
    r"(?:app|applikation)\s+(?:herunterladen|laden)|laden\s+sie\s+(?:unsere|die)\s+app|"
    r"suscr[ií]b(?:e|ete|irse)|descarg(?:a|ue)\s+(?:nuestra|la)\s+app|"
    r"abonnez[- ]vous|inscrivez[- ]vous|téléchargez\s+(?:notre|l['’])\s*app"
    r")",
    _FLAGS,
)
# The whole (short) line is one of these headings or link labels.
_HEADING = re.compile(
    r"^(?:"
    r"(?:more|latest|top|related|recommended|trending|popular|other)\s+"
    r"(?:from|stories|news|articles|posts|videos|in|on|reads?|for\s+you)\b.{0,40}|"
    r"(?:recommended|related|trending|popular|editor['’]?s?\s+picks?|top\s+stories|most\s+(?:read|popular|viewed))"
    r"(?:\s+(?:stories|articles|news|content|posts|reading|now|today|for\s+you))?|"
    r"(?:you|we\s+think\s+you)\s+(?:may|might|will)\s+(?:also\s+)?(?:like|enjoy|be\s+interested(?:\s+in)?)|"
    r"(?:(?:our|other)\s+)?(?:readers|people|users|others)\s+(?:are\s+)?(?:also\s+)?(?:reading|read|viewed|watched|liked)"
    r"(?:\s+(?:too|also|this|now))?|what\s+(?:others|people)\s+are\s+(?:reading|watching)|don['’]t\s+miss|"
    r"(?:click\s+here\s+)?for\s+(?:the\s+)?full\s+(?:version|story|article).{0,30}|"
    r"(?:mehr|weitere|neueste|ähnliche|verwandte)\s+(?:aus|von|zum|zu|nachrichten|artikel|themen|beiträge)\b.{0,40}|"
    r"(?:das\s+)?(?:könnte|dürfte)\s+sie\s+(?:auch\s+)?interessieren|meistgelesen|empfohlen|empfehlungen|"
    r"(?:más|otras)\s+(?:de|noticias|artículos|historias|leídas?)\b.{0,40}|"
    r"(?:también\s+)?te\s+puede\s+interesar|lo\s+más\s+(?:leído|visto)|(?:noticias|artículos)\s+relacionad[oa]s|"
    r"recomendad[oa]s?|"
    r"plus\s+(?:de|d['’]|sur)\s*(?:articles|actualités|infos|nouvelles)?.{0,40}|(?:les\s+)?plus\s+lus|"
    r"(?:à\s+)?lire\s+aussi|vous\s+(?:aimerez|pourriez\s+aimer).{0,30}|sur\s+le\s+même\s+sujet|"
    r"articles?\s+(?:liés|similaires|recommandés)|recommandés?"
    r")[\s:.!»›>|\-–—]*$",
    _FLAGS,
)


def call_to_action(line: str) -> str | None:
    """Calls to action and teaser/link headings: "Click here for ...", "Read more", "More from X"."""
    text = strip_bullet(line)
    n = word_count(text)
    if n == 0 or n > MAX_ACTION_WORDS:
        return None
    if _HEADING.match(text):
        return "call-to-action"
    if _ACTION.match(text) and (not ends_like_sentence(text) or n <= 6):
        return "call-to-action"
    return None


# --- share / social -----------------------------------------------------------------------------
_SHARE_CORE = {
    "share",
    "shares",
    "shared",
    "tweet",
    "retweet",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "pinterest",
    "reddit",
    "telegram",
    "messenger",
    "flipboard",
    "email",
    "e-mail",
    "mail",
    "print",
    "copy",
    "link",
    "copied",
    "pin",
    "save",
    "bookmark",
    "teilen",
    "drucken",
    "kopieren",
    "merken",
    "compartir",
    "copiar",
    "enlace",
    "imprimir",
    "guardar",
    "partager",
    "imprimer",
    "copier",
    "lien",
    "enregistrer",
    "sms",
    "threads",
    "bluesky",
    "mastodon",
    "instagram",
    "youtube",
    "tiktok",
}
_SHARE_GLUE = {
    "on",
    "via",
    "this",
    "article",
    "story",
    "page",
    "the",
    "to",
    "by",
    "auf",
    "per",
    "diesen",
    "artikel",
    "en",
    "el",
    "la",
    "este",
    "artículo",
    "por",
    "sur",
    "le",
    "cet",
    "par",
    "url",
    "or",
    "and",
    "und",
    "y",
    "et",
    "|",
    "/",
    "·",
    "•",
}
_SOCIAL_TOKEN = re.compile(r"[\w-]+|[|/·•]", re.UNICODE)


MAX_SHARE_TOKENS = 12


def share_line(line: str) -> str | None:
    """Share and social buttons rendered as text: "Share on Facebook", "Tweet", "Copy link".

    Tokens are read only until there are too many: most lines are prose paragraphs, and listing
    every word of each was a sixth of the clean stage's time."""
    tokens: list[str] = []
    for match in _SOCIAL_TOKEN.finditer(strip_bullet(line)):
        token = match.group().lower()
        if token.isdigit():
            continue
        tokens.append(token)
        if len(tokens) > MAX_SHARE_TOKENS:
            return None
    if not tokens:
        return None
    core = [t for t in tokens if t in _SHARE_CORE]
    if core and all(t in _SHARE_CORE or t in _SHARE_GLUE for t in tokens):
        return "share"
    return None


_READ_TIME = re.compile(
    r"^(?:(?:reading\s+time|lesezeit|lesedauer|tiempo\s+de\s+lectura|lectura|temps\s+de\s+lecture|lecture)"
    r"\s*:?\s*(?:ca\.?\s*)?\d+\s*(?:min\w*\.?|minutes?|minuten|minutos)|"
    r"(?:ca\.?\s*)?\d+\s*(?:min\w*\.?|minutes?|minuten|minutos)\s*"
    r"(?:read|reading|lesezeit|lesedauer|lesen|de\s+lectura|lectura|de\s+lecture|lecture))\W*$",
    _FLAGS,
)


def read_time(line: str) -> str | None:
    """Read-time badges: "·2 min read", "3 Min. Lesezeit", "Lectura: 4 min", "5 min de lecture"."""
    return "read-time" if _READ_TIME.match(strip_bullet(line)) else None


# --- comment-policy boilerplate -----------------------------------------------------------------
_COMMENT_WORD = re.compile(
    r"\b(?:comment(?:s|ing|ers?)?|kommentar\w*|comentario\w*|commentaire\w*)\b", _FLAGS
)
_POLICY_WORD = re.compile(
    r"\b(?:communit(?:y|ies)|guidelines?|polic(?:y|ies)|moderat\w*|suspend\w*|civil\w*|respectful|"
    r"netiquette|community|richtlinien|gemeinschaft|regeln|deaktiviert|normas|comunidad|moderad\w*|"
    r"charte|communauté|modér\w*|règles)\b",
    _FLAGS,
)
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|wir|unser\w*|nosotros|nuestr\w*|nous|notre|nos)\b", _FLAGS)
MAX_POLICY_WORDS = 90


def comment_policy(line: str) -> str | None:
    """The site speaking about its own comment section ("we are temporarily suspending commenting")."""
    if word_count(line) > MAX_POLICY_WORDS:
        return None
    if _COMMENT_WORD.search(line) and _POLICY_WORD.search(line) and _FIRST_PERSON.search(line):
        return "comment-policy"
    return None


# --- photo captions and credits ------------------------------------------------------------------
_PHOTO_WORD = (
    r"(?:photo\w*|foto\w*|image\w*|imagen\w*|bild\w*|picture\w*|pic|getty|shutterstock|istock|"
    r"crédits?|credits?|keystone|imago|picture-alliance|dpa-bildfunk|afp\s+via)"
)
_CREDIT_IN_PARENS = re.compile(r"\((?=[^()]{0,120}\b" + _PHOTO_WORD + r"\b)[^()]{1,120}\)\s*\.?$", _FLAGS)
_CREDIT_PREFIX = re.compile(
    r"^(?:photo|foto|bild|image|imagen|picture|credit|crédit(?:\s+photo)?|photo\s+credit|fotos?|bildquelle)"
    r"\s*(?::|©|/)",
    _FLAGS,
)
_AGENCY_CREDIT = re.compile(
    r"\b(?:getty\s+images|shutterstock|istock(?:photo)?|afp\s+via\s+getty|imago\s+images)\b", _FLAGS
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", _FLAGS)
MAX_CREDIT_WORDS = 25


def caption(line: str) -> str | None:
    """Photo captions and credits: a picture description ending in "(AP Photo / Name)", "Photo: ..."."""
    text = strip_bullet(line)
    n = word_count(text)
    if _CREDIT_IN_PARENS.search(text):
        return "caption"
    if n <= MAX_CREDIT_WORDS and (
        _CREDIT_PREFIX.match(text) or _AGENCY_CREDIT.search(text) or (_COPYRIGHT.match(text) and n <= 12)
    ):
        return "caption"
    return None


LineRule = Callable[[str], "str | None"]
# Order matters only for the reason reported: the first rule that fires names the junk.
LINE_RULES: tuple[LineRule, ...] = (caption, read_time, share_line, call_to_action, comment_policy)


def classify_line(line: str) -> str | None:
    """The reason `line` is junk, or None when it may be story text."""
    for rule in LINE_RULES:
        reason = rule(line)
        if reason:
            return reason
    return None
