"""Property: read_paths never raises, whatever bytes a file of any supported extension holds."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiretrace.config import Settings
from wiretrace.data import InputError, RawDocument
from wiretrace.ingest import read_paths
from wiretrace.ingest.metadata import parse_text_metadata

NAMES = ["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.csv", "a.tsv", "a.warc", "a.warc.gz", "a.txt.gz",
         "a.jsonl.gz", "noextension", "a.unknown"]

# arbitrary bytes, plus bytes that start like each format so the parsers get past the first check
PREFIXES = [b"", b"<html><head>", b'[{"text": "', b'{"text": "', b"text,title\n", b"WARC/1.0\r\n", b"\x1f\x8b"]
contents = st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=2048))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), data=contents, compress=st.booleans())
def test_read_paths_never_raises(name, data, compress):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(gzip.compress(data) if compress and name.endswith(".gz") else data)
        items = list(read_paths([path], Settings(max_article_bytes=4096)))
    assert all(isinstance(i, RawDocument | InputError) for i in items)
    assert all(i.code.startswith("W") for i in items if isinstance(i, InputError))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_parse_text_metadata_never_raises(text):
    meta = parse_text_metadata(text)
    assert len(meta.credited) == len(set(meta.credited))
