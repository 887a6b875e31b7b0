"""parse_text_metadata: datelines, bylines, agency and reprint credits, and what must not match."""

from __future__ import annotations

import pytest

from wiretrace.ingest.metadata import parse_text_metadata


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("Headline here\n\nISLAMABAD (AP) — The officials said on Saturday.", "ISLAMABAD (AP)"),
        ("KABUL, Afghanistan (Reuters) - Officials said the talks would go on.", "KABUL, Afghanistan (Reuters)"),
        ("BERLIN (dpa) – Die Regierung hat am Montag beschlossen.", "BERLIN (dpa)"),
        ("WASHINGTON — The president signed the bill.", "WASHINGTON"),
        ("SÃO PAULO (AFP) — Le gouvernement a annoncé.", "SÃO PAULO (AFP)"),
    ],
)
def test_dateline(text, dateline):
    assert parse_text_metadata(text).dateline == dateline


@pytest.mark.parametrize(
    "text",
    [
        "U.S. - China talks resume this week.",
        "NATO - a short history of the alliance",
        "The talks in Islamabad (AP) ended — officials said.",  # not at the start of a paragraph
    ],
)
def test_no_dateline(text):
    assert parse_text_metadata(text).dateline is None


@pytest.mark.parametrize(
    ("text", "byline"),
    [
        ("Title\nBy Jane Doe\nThe story begins.", "Jane Doe"),
        ("By KATHY GANNON and JOHN ROE\nISLAMABAD (AP) — text", "KATHY GANNON and JOHN ROE"),
        ("Title\n\nJane Doe\n·2 min read\n\nThe story.", "Jane Doe"),
        ("Jane Q. Doe · 3 min read\nText", "Jane Q. Doe"),
        ("Von Max Mustermann\nBERLIN (dpa) – Text", "Max Mustermann"),
    ],
)
def test_byline(text, byline):
    assert parse_text_metadata(text).byline == byline


@pytest.mark.parametrize(
    "text",
    ["By the time they arrived, it was over.", "By Monday, the officials had left.", "By 2030 the plan ends.",
     "Short Title\nThe story goes on for a while."],
)
def test_no_byline(text):
    assert parse_text_metadata(text).byline is None


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        ("ISLAMABAD (AP) — Text.", ["The Associated Press"]),
        ("A spokesman told The Associated Press on Saturday.", ["The Associated Press"]),
        ("The AP reported that talks ended. Reuters also reported it.", ["The Associated Press", "Reuters"]),
        ("Officials told AFP that 50 people died.", ["Agence France-Presse"]),
        ("Agence France-Presse reported at least 50 deaths.", ["Agence France-Presse"]),
        ("Das berichtete die Nachrichtenagentur AP am Samstag.", ["The Associated Press"]),
        ("Das sagte er der Deutschen Presse-Agentur.", ["Deutsche Presse-Agentur"]),
        ("El gobierno, según la agencia EFE, negó los hechos.", ["EFE"]),
        ("Le bilan s'alourdit, selon l'AFP.", ["Agence France-Presse"]),
        ("Lo riferisce l'agenzia ANSA.", ["ANSA"]),
        ("Xinhua and Kyodo both carried the report.", ["Xinhua", "Kyodo News"]),
        ("NEW DELHI (PTI) — The minister said.", ["Press Trust of India"]),
    ],
)
def test_agency_credits(text, credited):
    assert parse_text_metadata(text).credited == credited


@pytest.mark.parametrize(
    "text",
    [
        "Click here for the FOX NEWS APP",  # a brand in page furniture is not a credit
        "Download our APP today. The CAP rose. Apple said it would appeal.",
        "Pakistan Tehreek-e-Insaf (PTI) leaders met on Monday. PTI said it would protest.",
        "Pay via UPI or card at checkout.",
        "She took AP Biology and an adapted course.",
        "The dpaX protocol and the adpa settings were changed.",
    ],
)
def test_no_agency_credit(text):
    assert parse_text_metadata(text).credited == []


def test_reprint_sources_are_credits():
    text = (
        "The story continues here (via Fox News). This article originally appeared on The Conversation "
        "and is republished under a licence. This story was first published by AP."
    )
    meta = parse_text_metadata(text)
    assert meta.reprinted_from == ["Fox News", "The Conversation", "The Associated Press"]
    assert meta.credited == ["Fox News", "The Conversation", "The Associated Press"]


def test_reprint_multilingual():
    assert parse_text_metadata("Dieser Artikel erschien zuerst bei Spiegel Online.").reprinted_from == [
        "Spiegel Online"
    ]
    assert parse_text_metadata("Este texto fue publicado originalmente en El País.").reprinted_from == ["El País"]
    assert parse_text_metadata("Cet article a été publié initialement dans Le Monde.").reprinted_from == ["Le Monde"]


def test_empty_and_non_text_inputs():
    assert parse_text_metadata("") == parse_text_metadata("   ") == parse_text_metadata(None)  # type: ignore[arg-type]
    assert parse_text_metadata("").credited == []
