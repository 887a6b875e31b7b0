"""Inputs that broke a reader or cleaner once (found by bench/fuzz and bench/dirty): each stays a test."""

from __future__ import annotations

import io

import pytest

from wiretrace.data import InputError, RawDocument
from wiretrace.ingest import read_paths


def _two_record_warc() -> bytes:
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i in range(2):
        html = f"<html><head><title>T{i}</title></head><body><p>Paragraph {i} of a story.</p></body></html>"
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html.encode()
        writer.write_record(writer.create_warc_record(f"https://example.org/{i}", "response",
                                                      payload=io.BytesIO(payload)))
    return buf.getvalue()


@pytest.mark.parametrize("keep_of_last_payload", [5, 20, 33])
def test_warc_cut_inside_last_record_http_headers_is_reported(tmp_path, keep_of_last_payload):
    data = _two_record_warc()
    last_payload = data.rindex(b"HTTP/1.1 200 OK")
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: last_payload + keep_of_last_payload])
    items = list(read_paths([path]))
    assert [type(i) for i in items] == [RawDocument, InputError]
    assert items[1].code == "W005"


def test_warc_cut_inside_last_record_body_is_reported(tmp_path):
    data = _two_record_warc()
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 30])
    items = list(read_paths([path]))
    assert [type(i) for i in items] == [RawDocument, InputError] and items[1].code == "W005"
