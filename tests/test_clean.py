"""The clean stage: the five seeds, each junk rule (positive and negative), captions, templates,
sentence splitting in four languages, and hostile HTML."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from wiretrace.clean import clean_document, clean_text, remove_templates, split_sentences
from wiretrace.clean.junk import call_to_action, caption, classify_line, comment_policy, read_time, share_line
from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def seed(prefix: str) -> str:
    if not SEEDS.exists():
        pytest.skip("shared seeds not present")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def removed_texts(result) -> str:
    return "\n".join(r.text for r in result.removed)


# --- the seeds ----------------------------------------------------------------------------------
# (seed, junk substrings that must be removed, story sentences that must survive)
SEED_CASES = [
    (
        "000",
        ["CLICK HERE FOR FULL VERSION OF THIS STORY"],
        [
            "The Taliban has refused to cooperate with the United States",
            "is on the FBI’s most-wanted list with a $10 million bounty on his head.",
            "The Associated Press reported the Taliban’s refusal to allow strikes against ISIS targets:",
        ],
    ),
    (
        "001",
        [
            "Caroline Downey",
            "2 min read",
            "More from National Review",
            "temporarily suspending article commenting",
            "Recommended Stories",
        ],
        [
            "Taliban officials on Saturday refused to agree to collaborate",
            "“It covers various topics.”",
            "Shaheen told the AP that the talks will cover the 2020 agreement",
        ],
    ),
    (
        "002",
        ["International", "Our readers are reading too"],
        [
            "The Afghan Taliban excluded the possibility of cooperating with the United States",
            "The official spoke on the condition of anonymity as they were not authorized to discuss the Doha"
            " meetings.",
        ],
    ),
    (
        "003",
        ["Follow AsumeTech on", "More From Category", "More Stories Today", "Leave a Reply"],
        [
            "We are in able to deal with ISIS in independently.",
            "urging them to become more inclusive and pay attention to human rights",
        ],
    ),
    (
        "004",
        ["Click here for the FOX NEWS APP", "Leave a Comment", "(AP Photo / Abdullah Sahil)"],
        [
            "The Taliban on Saturday banned joining the United States",
            "contributed to this report.",
            "“Winter is on its way. There is no wood. We need water and food,” he said.",
            "During the Doha talks, US officials will seek to seize",
        ],
    ),
]


@pytest.mark.parametrize(("prefix", "junk", "story"), SEED_CASES, ids=[c[0] for c in SEED_CASES])
def test_seed_junk_removed_and_story_kept(prefix, junk, story):
    raw = seed(prefix)
    result = clean_text(raw)
    gone = removed_texts(result)
    for piece in junk:
        assert piece in gone, f"junk not removed: {piece!r}"
        assert piece not in result.text, f"junk left in text: {piece!r}"
    for sentence in story:
        assert sentence in result.text, f"story sentence lost: {sentence!r}"
    # Every removed piece is junk: none of it is one of the story's own paragraphs.
    story_paragraphs = [p for p in raw.split("\n") if any(s in p for s in story)]
    for removed in result.removed:
        assert all(removed.text not in p for p in story_paragraphs if len(removed.text) > 40)
    assert result.language == "en"
    assert result.sentences and all(result.text[s:e].strip() for s, e, _ in result.sentences)


def test_seed_001_all_twenty_teasers_removed():
    raw = seed("001")
    result = clean_text(raw)
    teasers = [r for r in result.removed if r.reason == "teaser-block"]
    headings = [r for r in teasers if r.text == "Recommended Stories"]
    items = [r for r in teasers if r.text != "Recommended Stories"]
    assert len(headings) == 1 and len(items) == 20
    bullet_lines = [line.strip(" •") for line in raw.split("\n") if line.strip().startswith("•")]
    assert len(bullet_lines) == 20
    for headline in bullet_lines:
        assert headline not in result.text
        assert any(item.text.startswith(headline) for item in items)
    assert "Bani-Sadr" not in result.text and "Tom Brady" not in result.text


def test_seed_titles_sections_and_captions():
    assert clean_text(seed("002")).title.startswith("Taliban Rejects Cooperation")
    r002 = clean_text(seed("002"))
    assert {r.reason for r in r002.removed} >= {"section-label", "repeated-title"}
    assert r002.text.startswith("The Afghan Taliban")
    r001 = clean_text(seed("001"))
    assert r001.title.startswith("Taliban Refuse to Agree") and r001.byline == "Caroline Downey"
    r004 = clean_text(seed("004"))
    assert len(r004.captions) == 1 and r004.captions[0].startswith("Relatives and residents")
    assert "Relatives and residents" not in r004.text
    assert clean_text(seed("000")).title is None  # the first line is body, not a headline


def test_seed_document_and_glued_sentences():
    raw = seed("000")
    article = clean_document(RawDocument(id="s0", source="000.txt", content=raw))
    assert isinstance(article, Article)
    assert article.content_hash == hashlib.sha256(raw.encode()).hexdigest()
    texts = [s.text for s in article.sentences]
    assert any(t.endswith("withdrew from the country in August.") for t in texts)
    assert any(t.startswith("Senior Taliban officials and U.S. representatives") for t in texts)
    for s in article.sentences:
        assert article.text[s.start : s.end] == s.text
    assert [s.index for s in article.sentences] == list(range(len(article.sentences)))
    assert article.sentences[-1].paragraph == article.text.count("\n\n")


# --- line rules: invented examples, positive and negative -----------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "Click here to get the Daily Planet app",
        "Read more",
        "Leave a comment",
        "Follow The Daily Planet on",
        "Sign up for our newsletter",
        "Subscribe now",
        "Download our app",
        "More from The Daily Planet",
        "You may also like",
        "Trending now",
        "Related stories",
        "Weiterlesen",
        "Lesen Sie auch: Neue Regeln",
        "Folgen Sie uns auf Twitter",
        "Jetzt abonnieren",
        "Mehr aus Politik",
        "Das könnte Sie auch interessieren",
        "Leer más",
        "Síguenos en Instagram",
        "Te puede interesar",
        "Deja un comentario",
        "Suscríbete al boletín",
        "Lire aussi",
        "Suivez-nous sur Facebook",
        "Abonnez-vous à la newsletter",
        "À lire aussi",
        "Laisser un commentaire",
        "Plus d'actualités",
        "Other readers are also reading",
    ],
)
def test_call_to_action_positive(line):
    assert call_to_action(line) == "call-to-action"


@pytest.mark.parametrize(
    "line",
    [
        "Residents were told to click here and there on the council's site to find shelters, the mayor said.",
        "She promised to follow the money wherever it leads.",
        "Follow the money.",
        "More than 40 people were injured in the blast on Friday.",
        "Subscribers to the service lost access for three days, the company said on Monday in Paris.",
        "Die Polizei bat Zeugen, sich zu melden und den Anweisungen zu folgen.",
        "Más de 200 personas asistieron al acto en Madrid.",
        "Plus de 300 personnes ont manifesté samedi à Lyon.",
        "Read the full statement, he told reporters, and you will see we did nothing wrong.",
    ],
)
def test_call_to_action_negative(line):
    assert classify_line(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Share on Facebook",
        "Tweet",
        "Copy link",
        "Share | Tweet | Email",
        "Auf Facebook teilen",
        "Compartir en WhatsApp",
        "Partager sur X",
    ],
)
def test_share_lines(line):
    assert share_line(line) == "share"


def test_share_negative():
    assert share_line("Facebook shares fell 5% on Tuesday after the report.") is None


@pytest.mark.parametrize(
    "line",
    ["·2 min read", "3 Min. Lesezeit", "Lectura: 4 min", "5 min de lecture", "Reading time: 6 minutes"],
)
def test_read_time(line):
    assert read_time(line) == "read-time"


def test_comment_policy():
    policy = (
        "To keep our community civil, we have temporarily suspended comments on this article. "
        "Please see our guidelines."
    )
    assert comment_policy(policy) == "comment-policy"
    assert (
        comment_policy("Wir haben die Kommentarfunktion gemäß unserer Netiquette deaktiviert.")
        == "comment-policy"
    )
    story = "The ministry declined to comment on the new policy, citing ongoing talks."
    assert comment_policy(story) is None


@pytest.mark.parametrize(
    "line",
    [
        "A man walks past a damaged shop in the old town on Monday. (Reuters Photo / Jane Roe)",
        "Firefighters at the scene. (Foto: dpa)",
        "Photo: John Doe / The Daily Planet",
        "Getty Images",
        "Bomberos en el lugar del incendio. (Imagen de archivo)",
        "Crédit photo : Jean Dupont",
    ],
)
def test_captions(line):
    assert caption(line) == "caption"


def test_caption_negative_and_routing():
    assert caption("The spokesman (who asked not to be named) said talks would resume.") is None
    assert caption("CAIRO (Reuters) - Officials met on Sunday to discuss the ceasefire plan.") is None
    text = (
        "The council met on Monday to approve the new budget for schools and roads in the city.\n\n"
        "Council members vote in the town hall on Monday. (Photo: Jane Roe / Daily Planet)\n\n"
        "The budget passed by nine votes to two after a debate that lasted more than four hours."
    )
    result = clean_text(text)
    assert result.captions == [
        "Council members vote in the town hall on Monday. (Photo: Jane Roe / Daily Planet)"
    ]
    assert "town hall" not in result.text and "nine votes" in result.text


# --- teaser blocks by structure and topic ---------------------------------------------------------
BODY = (
    "The city council approved a new budget on Monday that raises spending on schools, public transport "
    "and road repairs across every district, officials said after a long debate.\n\n"
    "The mayor said the budget would cut waiting lists for school places and modernise bus depots, "
    "while opposition councillors warned that borrowing would climb faster than revenues.\n\n"
    "Residents who attended the meeting questioned whether repairs to crumbling bridges and flooded "
    "underpasses would begin before winter, and the treasurer promised quarterly progress reports."
)
TEASERS = [
    "Storm floods coastal villages in the north",
    "Heavy rain submerged harbours and farmland overnight.",
    "Tennis champion retires after knee injury",
    "The veteran player announced her decision in Madrid.",
    "Chip maker unveils faster processor",
    "Analysts expect laptops with the chip early next year.",
    "Museum returns looted bronze sculptures",
    "Curators signed the agreement with envoys on Friday.",
]


def test_teaser_block_without_heading_words_removed_by_structure_and_topic():
    text = BODY + "\n\nElsewhere\n\n" + "\n\n".join(TEASERS)
    result = clean_text(text)
    items = [r for r in result.removed if r.reason == "teaser-block"]
    assert len(items) == 5  # the heading and four teasers
    assert "Storm floods" not in result.text and "modernise bus depots" in result.text


def test_teaser_block_with_heading_words_in_german():
    text = BODY + "\n\nDas könnte Sie auch interessieren\n\n" + "\n\n".join("• " + t for t in TEASERS[::2])
    result = clean_text(text)
    assert sum(r.reason == "teaser-block" for r in result.removed) == 5
    assert "Storm floods" not in result.text


def test_story_list_on_topic_is_kept():
    points = [
        "• School budgets rise in every district",
        "• Bus depots will be modernised",
        "• Road repairs across the city budget",
        "• Borrowing by the council will climb",
    ]
    result = clean_text(BODY + "\n\nKey points\n\n" + "\n\n".join(points))
    assert "Bus depots will be modernised" in result.text
    assert not any(r.reason == "teaser-block" for r in result.removed)


# --- templates --------------------------------------------------------------------------------------
def _article(i: int, outlet: str | None, body: str) -> Article:
    result = clean_text(body)
    return Article(
        id=f"a{i}", source=f"a{i}", content_hash=str(i), text=result.text, outlet=outlet, language="en"
    )


def test_templates_per_outlet():
    footer = "The Daily Planet is funded by readers like you and relies on your support every month."
    quote = "“We will rebuild the bridge before winter,” the minister said at the opening ceremony."

    def story(i: int) -> str:
        return (
            f"Story number {i} is about a different event in town {i}, reported on day {i} by staff.\n\n"
            f"Witness {i} described what happened in district {i} to reporters at the scene."
        )

    planet = [_article(i, "planet", f"{story(i)}\n\n{footer}") for i in range(3)]
    # The same quote in three outlets' versions of one story is story text, not a template.
    quoted = [_article(10 + i, outlet, f"{story(10 + i)}\n\n{quote}") for i, outlet in enumerate("xyz")]
    cleaned = remove_templates(planet + quoted, Settings(template_min_articles=3))
    for article in cleaned[:3]:
        assert footer not in article.text
        assert any(r.reason == "template" and r.text == footer for r in article.removed)
        assert article.text.startswith("Story number") and "Witness" in article.text
        assert all(article.text[s.start : s.end] == s.text for s in article.sentences)
    for article in cleaned[3:]:
        assert quote in article.text and not any(r.reason == "template" for r in article.removed)
    assert [a.id for a in cleaned] == ["a0", "a1", "a2", "a10", "a11", "a12"]


def test_templates_ignore_outletless_and_below_threshold():
    footer = "Subscribers get unlimited access to all of our investigations and archives online today."
    articles = [
        _article(i, None, f"Unique story {i} happened somewhere quite far away today.\n\n{footer}")
        for i in range(5)
    ]
    assert [a.text for a in remove_templates(articles, Settings())] == [a.text for a in articles]
    two = [
        _article(i, "x", f"Unique story {i} happened somewhere quite far away today.\n\n{footer}")
        for i in range(2)
    ]
    assert remove_templates(two, Settings(template_min_articles=3))[0].text == two[0].text


# --- sentences in four languages ----------------------------------------------------------------------
def _split(text: str, language: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language)]


def test_sentences_english():
    text = (
        "The U.S. envoy met Dr. Jane Roe at 3.5 km from the border in August.Senior officials said "
        '"talks went well." Mr. Smith Sr. left.\n\nA new paragraph starts here. It has 2.75 million people.'
    )
    assert _split(text, "en") == [
        "The U.S. envoy met Dr. Jane Roe at 3.5 km from the border in August.",
        'Senior officials said "talks went well."',
        "Mr. Smith Sr. left.",
        "A new paragraph starts here.",
        "It has 2.75 million people.",
    ]


def test_sentences_german():
    text = (
        "Am 3. Oktober sprach Prof. Müller z.B. über Steuern. Er sagte: „Das reicht nicht.“ Danach ging er."
    )
    assert _split(text, "de") == [
        "Am 3. Oktober sprach Prof. Müller z.B. über Steuern.",
        "Er sagte: „Das reicht nicht.“",
        "Danach ging er.",
    ]


def test_sentences_spanish():
    text = "La Sra. García viajó a EE.UU. el lunes. ¿Qué pasó después? ¡Nadie lo sabe! Costó 1.500 euros."
    assert _split(text, "es") == [
        "La Sra. García viajó a EE.UU. el lunes.",
        "¿Qué pasó después?",
        "¡Nadie lo sabe!",
        "Costó 1.500 euros.",
    ]


def test_sentences_french():
    text = "M. Dupont est arrivé à Paris. Mme Durand a dit « Non. » Puis elle est partie…"
    assert _split(text, "fr") == [
        "M. Dupont est arrivé à Paris.",
        "Mme Durand a dit « Non. »",
        "Puis elle est partie…",
    ]


def test_sentences_edge_cases():
    assert split_sentences("", "en") == [] and split_sentences("\n\n \n", None) == []
    text = "Yes there is a meeting . . . about relations, he said. It covers topics."
    assert len(split_sentences(text, "en")) == 2


# --- languages, documents, hostile HTML -----------------------------------------------------------------
def test_languages_detected():
    assert (
        clean_text(
            "Der Stadtrat hat am Montag einen neuen Haushalt beschlossen, der mehr Geld für Schulen "
            "und Straßen vorsieht."
        ).language
        == "de"
    )
    assert (
        clean_text(
            "El ayuntamiento aprobó el lunes un nuevo presupuesto que destina más dinero a las escuelas."
        ).language
        == "es"
    )
    assert (
        clean_text(
            "Le conseil municipal a adopté lundi un nouveau budget qui prévoit davantage d'argent "
            "pour les écoles."
        ).language
        == "fr"
    )
    assert clean_text("Okay.").language is None


ARTICLE_HTML = """<html><head><title>Council approves budget</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Council approves budget</h1>
<p>The city council approved a new budget on Monday that raises spending on schools and public transport
across every district of the city, officials said after a long debate that lasted into the night.</p>
<p>The mayor said the budget would cut waiting lists for school places and modernise the old bus depots,
while opposition councillors warned that borrowing would climb faster than the city's revenues.</p>
<p>Click here to download our app</p>
<script>var tracking = "do not keep me";</script>
<p>The budget passed by nine votes to two and takes effect in January, the council's clerk confirmed.</p>
</article><footer>Copyright 2024 Daily Planet</footer></body></html>"""


def test_html_document():
    doc = RawDocument(id="h1", source="page.html", content=ARTICLE_HTML, is_html=True)
    article = clean_document(doc)
    assert isinstance(article, Article)
    assert article.title == "Council approves budget"
    assert "nine votes to two" in article.text and "modernise the old bus depots" in article.text
    assert "do not keep me" not in article.text and "download our app" not in article.text
    assert "\n\n" in article.text and article.language == "en"


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 10_000 + "deep text" + "</div>" * 10_000,
        "<html><body><p>Broken <b>markup <i>never <p>closed <table><tr><td>cell",
        "<script>alert(1)</script><style>p{}</style>",
        "\x00\x01<html>\ufffd</html>",
        "",
    ],
)
def test_hostile_html_never_raises(html):
    result = clean_document(RawDocument(id="x", source="x.html", content=html, is_html=True))
    assert isinstance(result, InputError | Article)
    if isinstance(result, InputError):
        assert result.code in ("W007", "W010")


def test_empty_plain_text_is_no_text_error():
    result = clean_document(RawDocument(id="e", source="e.txt", content="Share on Facebook\n\nTweet\n"))
    assert isinstance(result, InputError) and result.code == "W010"


def test_deterministic():
    doc = RawDocument(id="d", source="d.txt", content=BODY + "\n\nElsewhere\n\n" + "\n\n".join(TEASERS))
    assert clean_document(doc).to_dict() == clean_document(doc).to_dict()


def test_interview_questions_and_subheaded_sections_are_not_teasers():
    body = (
        "Marta Okafor has managed the harbour at Porthleven for eleven years. Before that she worked as a "
        "marine engineer on container vessels, sailing between Rotterdam, Singapore and Santos. Last spring "
        "she oversaw the switch of the island ferries from diesel engines to battery propulsion, a project "
        "financed by regional government grants and watched closely by other coastal municipalities. "
        "Passenger numbers climbed afterwards, according to figures published by the transport authority."
    )
    qa = [
        "What surprised you most this winter?",
        "Honestly, the seagulls. They learned the new timetable faster than commuters did.",
        "Were there technical problems?",
        "Cold weather slowed charging, so one older vessel stayed in reserve until March.",
        "Which books travel with you on summer holidays?",
        "Detective novels, mostly Scandinavian ones, and occasionally poetry collections.",
        "Any advice for young engineers?",
        "Learn welding properly. Software knowledge matters, but hands-on skills never disappear.",
    ]
    result = clean_text("\n\n".join([body, *qa]), language="en")
    for line in qa:
        assert line in result.text
    assert not [r for r in result.removed if r.reason == "teaser-block"]
