"""Property-based fuzzing of the stages that meet hostile input first: readers, cleaner, fact extractor.

The readers and `clean_document` catch every exception so one bad file never stops a run; that
safety net would also hide real bugs. So besides "never raises", these properties check that no
result is the catch-all's ("unreadable after ... (TypeError: ...)", "cleaning failed: ..."), and
that the unguarded inner functions (`clean_text`, `extract_facts`) keep their output contracts.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiretrace.clean import clean_document
from wiretrace.clean.document import clean_text
from wiretrace.config import Settings
from wiretrace.data import Article, InputError, RawDocument
from wiretrace.ingest import read_paths

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EXTENSIONS = [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".warc", ""]
PREFIXES = [b"", b"<html><body><p>", b'{"text": "', b'[{"title": "t", "text": "', b"id,title,text\n",
            b"WARC/1.0\r\nWARC-Type: response\r\n", b"\xef\xbb\xbf", b"\xff\xfe"]
# A Python exception name in a reason means the catch-all swallowed a bug (e.g. "(TypeError: ...").
_SWALLOWED = re.compile(r"\((?:TypeError|AttributeError|KeyError|IndexError|ValueError|AssertionError|"
                        r"UnboundLocalError|NameError|ZeroDivisionError|OverflowError)\b")

html_ish = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<br>", "<h1>", "</h1>",
                         "<a href='x'>", "</a>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&#x110000;",
                         "<meta property='og:title' content='", "'>", "\x00", "\r\n", "<title>", "</title>"]),
    ),
    max_size=40,
).map("".join)

text_ish = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list("\n\n .,\"“”'")),
    max_size=600,
)


def _read_bytes(name: str, data: bytes) -> list[RawDocument | InputError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return list(read_paths([path], Settings(max_article_bytes=8192)))


@FUZZ
@given(ext=st.sampled_from(EXTENSIONS), gz=st.booleans(), prefix=st.sampled_from(PREFIXES),
       body=st.binary(max_size=2048))
def test_readers_on_arbitrary_bytes(ext, gz, prefix, body):
    data = prefix + body
    items = _read_bytes("doc" + ext + (".gz" if gz else ""), gzip.compress(data, mtime=0) if gz else data)
    for item in items:
        assert isinstance(item, RawDocument | InputError)
        if isinstance(item, InputError):
            assert re.fullmatch(r"W\d{3}", item.code)
            assert not _SWALLOWED.search(item.reason), item.reason
        else:
            assert isinstance(item.content, str)


@FUZZ
@given(text=text_ish)
def test_readers_on_text_records(text):
    """Well-formed containers around arbitrary text: a record is read or refused with a reason."""
    import json

    for name, data in (
        ("a.txt", text.encode("utf-8")),
        ("a.jsonl", (json.dumps({"id": "x", "text": text}) + "\n").encode()),
        ("a.csv", ("id,text\nx," + json.dumps(text) + "\n").encode()),
        ("a.html", f"<html><body><p>{text}</p></body></html>".encode()),
    ):
        for item in _read_bytes(name, data):
            if isinstance(item, InputError):
                assert not _SWALLOWED.search(item.reason), (name, item.reason)


@FUZZ
@given(text=text_ish, title=st.none() | st.text(max_size=60))
def test_clean_text_contract(text, title):
    result = clean_text(text, title=title)
    assert isinstance(result.text, str)
    previous_end = 0
    for start, end, paragraph in result.sentences:
        assert 0 <= start < end <= len(result.text)
        assert start >= previous_end, "sentences are in order and do not overlap"
        assert paragraph >= 0
        previous_end = end


@FUZZ
@given(content=st.one_of(html_ish, text_ish), is_html=st.booleans())
def test_clean_document_never_hides_a_crash(content, is_html):
    doc = RawDocument(id="x", source="fuzz", content=content, is_html=is_html)
    result = clean_document(doc, Settings())
    if isinstance(result, InputError):
        assert not result.reason.startswith("cleaning failed"), result.reason
        return
    assert isinstance(result, Article) and result.text.strip()
    for s in result.sentences:
        assert result.text[s.start : s.end] == s.text


@FUZZ
@given(sentence=text_ish, language=st.sampled_from([None, "en", "es", "pt", "de", "fr", "zz"]))
def test_extract_facts_contract(sentence, language):
    facts_mod = pytest.importorskip("wiretrace.facts")
    extract_facts = getattr(facts_mod, "extract_facts", None)
    if extract_facts is None:
        pytest.skip("wiretrace.facts.extract_facts not built yet")
    facts = extract_facts(sentence, language)
    for fact in facts:
        start, end = fact.span
        assert 0 <= start <= end <= len(sentence), (fact, len(sentence))
        assert isinstance(fact.value, str)
