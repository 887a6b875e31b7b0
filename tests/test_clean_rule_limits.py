"""The clean rules' early exits keep their answers: the share rule's token limit, the reprint patterns' word filter."""

from __future__ import annotations

from wiretrace.clean.junk import MAX_SHARE_TOKENS, share_line
from wiretrace.ingest.metadata import find_reprint_sources


def test_share_line_at_and_past_the_token_limit() -> None:
    words = ["Share", "Facebook", "Twitter", "WhatsApp", "Email", "Print", "Copy", "link", "Reddit", "Telegram"]
    at_limit = " | ".join(words[: MAX_SHARE_TOKENS // 2])  # the bars are tokens too
    assert share_line(at_limit) == "share"
    assert share_line(" ".join(["share"] * MAX_SHARE_TOKENS)) == "share"
    assert share_line(" ".join(["share"] * (MAX_SHARE_TOKENS + 1))) is None
    assert share_line("Share 12 34 56 78 90 11 12 13 14 15 16 17 18") == "share"  # numbers are not counted
    assert share_line("Share this story, said the minister, before the ferry left port") is None
    assert share_line("") is None


def test_reprint_sources_in_any_case_of_their_words() -> None:
    text = "The ferry sank (Via The Amazon Post). This story first appeared in The River Times."
    assert [name for _, name in find_reprint_sources(text)] == ["The Amazon Post", "The River Times"]
    assert find_reprint_sources("Dieser Artikel erschien zuerst bei Der Spiegel.") == [(15, "Der Spiegel")]
    assert find_reprint_sources("Ten people died when the ferry sank.") == []
