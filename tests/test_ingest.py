"""Ingest: every format's happy path, ids and sources, and one test per kind of bad input."""

from __future__ import annotations

import gzip
import io
import json
import sys
import tracemalloc
from pathlib import Path

import pytest

from wiretrace.config import Settings
from wiretrace.data import InputError, RawDocument
from wiretrace.ingest import read_paths
from wiretrace.ingest.decode import decode_bytes
from wiretrace.ingest.sources import Source

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def read(*paths, **settings) -> list[RawDocument | InputError]:
    return list(read_paths(list(paths), Settings(**settings) if settings else None))


def docs(items) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors(items) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def codes(items) -> list[str]:
    return [e.code for e in errors(items)]


def write_warc(path: Path, pages: list[tuple[str, str]], gzip_records: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    for url, html in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=http)
        writer.write_record(record)
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


# --- happy paths -------------------------------------------------------------------------------


def test_text_file_id_is_stem_and_content_verbatim(tmp_path):
    (tmp_path / "story-1.txt").write_text("First line.\n\nSecond paragraph — with a dash.", encoding="utf-8")
    [doc] = read(tmp_path / "story-1.txt")
    assert doc.id == "story-1"
    assert doc.content == "First line.\n\nSecond paragraph — with a dash."
    assert doc.source == str(tmp_path / "story-1.txt")
    assert not doc.is_html


def test_html_keeps_markup_and_pulls_head_metadata(tmp_path):
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title> A  headline </title>'
        '<link rel="canonical" href="https://news.example/a">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2021-10-09T10:00:00Z"></head>'
        "<body><p>Body text.</p></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    [doc] = read(tmp_path / "page.html")
    assert doc.is_html and doc.content == html
    assert (doc.title, doc.url, doc.outlet, doc.published) == (
        "A headline", "https://news.example/a", "Example News", "2021-10-09T10:00:00Z"
    )


def test_html_declared_charset_is_used(tmp_path):
    html = '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body>na\xefve</body></html>'
    (tmp_path / "latin.htm").write_bytes(html.encode("latin-1"))
    [doc] = read(tmp_path / "latin.htm")
    assert doc.title == "Café" and "naïve" in doc.content


def test_jsonl_field_mapping_ids_and_sources(tmp_path):
    lines = [
        {"doc_id": "a1", "headline": "H1", "body": "Text one", "link": "https://x/1", "pubdate": "2021-10-09",
         "site": "X", "lang": "en"},
        {"maintext": ["Para one.", "Para two."], "date": 1633737600},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    first, second = read(path)
    assert (first.id, first.title, first.content, first.url, first.published, first.outlet) == (
        "a1", "H1", "Text one", "https://x/1", "2021-10-09", "X"
    )
    assert first.source == f"{path}#1" and first.meta == {"lang": "en"}
    assert second.id == "batch#2" and second.source == f"{path}#2"
    assert second.content == "Para one.\n\nPara two."
    assert second.published == "2021-10-09T00:00:00+00:00"


def test_jsonl_bad_records_are_reported_and_reading_goes_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "ok 1"}\nnot json\n[1, 2]\n{"title": "no text"}\n{"text": "ok 2"}\n')
    items = read(path)
    assert [d.content for d in docs(items)] == ["ok 1", "ok 2"]
    assert codes(items) == ["W009", "W009", "W009"]
    assert [e.source for e in errors(items)] == [f"{path}#2", f"{path}#3", f"{path}#4"]
    assert "looked for text" in errors(items)[2].reason


def test_custom_text_fields_from_settings(tmp_path):
    path = tmp_path / "custom.jsonl"
    path.write_text('{"story": "custom field", "key": "k9"}\n')
    [doc] = read(path, text_fields=("story",), id_fields=("key",))
    assert (doc.id, doc.content) == ("k9", "custom field")


def test_json_array_object_and_wrapper(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([{"text": "one"}, {"id": "x", "content": "two"}]))
    (tmp_path / "one.json").write_text(json.dumps({"title": "T", "text": "single"}))
    (tmp_path / "wrap.json").write_text(json.dumps({"status": "ok", "articles": [{"text": "w1"}, {"text": "w2"}]}))
    items = read(tmp_path)
    assert [(d.id, d.content) for d in docs(items)] == [
        ("list#1", "one"), ("x", "two"), ("one", "single"), ("wrap#1", "w1"), ("wrap#2", "w2")
    ]
    assert not errors(items)


def test_json_array_streams_past_chunk_boundaries(tmp_path, monkeypatch):
    from wiretrace.ingest import readers

    monkeypatch.setattr(readers, "JSON_CHUNK_CHARS", 7)  # force many partial reads
    records = [{"text": f"article number {i} " + "x" * (i * 13)} for i in range(30)]
    (tmp_path / "many.json").write_text(json.dumps(records, indent=1))
    items = read(tmp_path / "many.json")
    assert [d.content for d in docs(items)] == [r["text"].strip() for r in records]


def test_truncated_json_array_keeps_earlier_records(tmp_path):
    text = json.dumps([{"text": "a"}, {"text": "b"}, {"text": "c"}])
    (tmp_path / "cut.json").write_text(text[: text.rindex("{") + 5])
    items = read(tmp_path / "cut.json")
    assert [d.content for d in docs(items)] == ["a", "b"]
    assert codes(items) == ["W009"]


def test_csv_field_mapping_delimiter_and_row_ids(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('ID;Title;Text\n7;T1;"Hello; with a ""quote""\nand a newline"\n;T2;second\n;;\n', encoding="utf-8")
    first, second = read(path)
    assert (first.id, first.title, first.content, first.source) == (
        "7", "T1", 'Hello; with a "quote"\nand a newline', f"{path}#1"
    )
    assert (second.id, second.source) == ("rows#2", f"{path}#2")


def test_csv_row_without_text_is_w009(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("title,text\nA,\nB,body\n")
    items = read(path)
    assert codes(items) == ["W009"] and [d.title for d in docs(items)] == ["B"]


def test_warc_html_responses(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [("https://a.example/1", "<html><head><title>One</title></head><body>1</body></html>"),
                      ("https://a.example/2", "<html><body>2</body></html>")], gzip_records=True)
    items = read(path)
    assert not errors(items)
    one, two = docs(items)
    assert one.is_html and one.title == "One" and one.url == "https://a.example/1"
    assert one.id == "https://a.example/1" and one.source == f"{path}#{one.id}"
    assert one.meta["warc_record_id"].startswith("urn:uuid:")
    assert one.published and one.published == one.meta["warc_date"]
    assert two.url == "https://a.example/2"


def test_gzip_is_transparent_for_every_format(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"plain text"))
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(b"<html><head><title>G</title></head></html>"))
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(b'{"text": "j"}\n'))
    (tmp_path / "d.csv.gz").write_bytes(gzip.compress(b"text\ncsv row\n"))
    (tmp_path / "e.json.gz").write_bytes(gzip.compress(b'[{"text": "json"}]'))
    items = read(tmp_path)
    assert not errors(items)
    assert [(d.id, d.content[:10]) for d in docs(items)] == [
        ("a", "plain text"), ("b", "<html><hea"), ("c#1", "j"), ("d#1", "csv row"), ("e#1", "json")
    ]


def test_folder_recursion_sorted_and_hidden_skipped(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", "c.txt", ".hidden.txt", ".git/x.txt", "A.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel)
    assert [d.content for d in docs(read(tmp_path))] == ["A.txt", "a/b/c.txt", "a/z.txt", "b.txt", "c.txt"]
    assert [d.content for d in docs(read(tmp_path / ".hidden.txt"))] == [".hidden.txt"]  # named explicitly


def test_stdin_text_and_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Just text\nfrom a pipe.")))
    [doc] = read("-")
    assert (doc.id, doc.source, doc.content) == ("stdin", "<stdin>", "Just text\nfrom a pipe.")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n')))
    assert [(d.id, d.content) for d in docs(read("-"))] == [("stdin#1", "a"), ("stdin#2", "b")]


def test_extensionless_file_is_sniffed(tmp_path):
    (tmp_path / "page").write_text("<!doctype html><html><body>x</body></html>")
    (tmp_path / "notes").write_text("plain words")
    (tmp_path / "feed").write_text('{"text": "line"}\n')
    items = {d.id: d for d in docs(read(tmp_path))}
    assert items["page"].is_html and not items["notes"].is_html and items["feed#1"].content == "line"


def test_seeds_read_as_five_text_articles():
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not present")
    items = read(SEEDS)
    assert not errors(items) and len(docs(items)) == 5
    assert all(len(d.content) > 1000 and not d.is_html and d.meta["replaced"] == 0 for d in docs(items))


# --- bad inputs: one test per kind -------------------------------------------------------------


def test_empty_and_whitespace_files_are_w001(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b"  \n\t\n")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    items = read(tmp_path)
    assert codes(items) == ["W001", "W001", "W001"]
    assert "empty.txt" in errors(items)[2].reason


def test_binary_file_is_w002(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "controls.html").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15] * 50) + b"<html>")
    items = read(tmp_path)
    assert codes(items) == ["W002", "W002"]
    assert "NUL" in errors(items)[1].reason


def test_invalid_utf8_is_w003(tmp_path):
    # random high bytes: no valid UTF-8 multi-byte sequence, not plausible in any 8-bit encoding
    noise = bytes((i * 151 + 77) % 128 + 128 for i in range(3000))
    (tmp_path / "noise.txt").write_bytes(noise)
    assert codes(read(tmp_path / "noise.txt")) == ["W003"]


def test_mostly_valid_utf8_is_kept_with_replacement(tmp_path):
    good = "Zürich, São Paulo and Kraków signed the accord. " * 40
    data = good.encode() + b"\xff\xfe" + good.encode()
    (tmp_path / "damaged.txt").write_bytes(data)
    [doc] = read(tmp_path / "damaged.txt")
    assert doc.content.count("\ufffd") == doc.meta["replaced"] == 2 and "Kraków" in doc.content


def test_legacy_western_encoding_is_detected():
    decoded = decode_bytes("Der Minister sagte, die Straßen seien gesperrt. „Die Ärzte“ warnten.".encode("cp1252"))
    assert decoded.encoding == "cp1252" and "Straßen" in decoded.text and "„Die Ärzte“" in decoded.text


def test_truncated_gzip_keeps_records_read_before_damage(tmp_path):
    lines = b"".join(json.dumps({"text": f"record {i} " + "w" * 200}).encode() + b"\n" for i in range(2000))
    data = gzip.compress(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = read(tmp_path / "cut.jsonl.gz")
    kept = docs(items)
    assert 0 < len(kept) < 2000
    assert [d.content for d in kept] == [f"record {i} " + "w" * 200 for i in range(len(kept))]
    [error] = errors(items)
    assert error.code == "W004" and f"after {len(kept)} records" in error.reason


def test_truncated_gzip_single_article_is_w004(tmp_path):
    data = gzip.compress(("A long article. " * 500).encode())
    (tmp_path / "cut.txt.gz").write_bytes(data[:-20])
    (tmp_path / "notgzip.txt.gz").write_bytes(b"this is not gzip at all")
    assert codes(read(tmp_path)) == ["W004", "W004"]


@pytest.mark.parametrize("gzip_records", [True, False])
def test_truncated_warc_keeps_complete_records(tmp_path, gzip_records):
    pages = [(f"https://a.example/{i}", "<html><body>" + f"page {i} " * 300 + "</body></html>") for i in range(3)]
    data = write_warc(tmp_path / "full.warc", pages, gzip_records)
    cut = tmp_path / ("cut.warc.gz" if gzip_records else "cut.warc")
    cut.write_bytes(data[: int(len(data) * 0.8)])
    items = read(cut)
    assert [d.url for d in docs(items)] == ["https://a.example/0", "https://a.example/1"]
    [error] = errors(items)
    assert error.code == "W005" and "after 2 records" in error.reason


def test_not_a_warc_is_w005(tmp_path):
    (tmp_path / "fake.warc").write_text("hello, I am not a WARC file\n" * 10)
    assert codes(read(tmp_path / "fake.warc")) == ["W005"]


def test_article_over_limit_is_w006(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 1000)
    (tmp_path / "big.html.gz").write_bytes(gzip.compress(b"<html>" + b"x" * 5000))
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"text": "small"}) + "\n" + json.dumps({"text": "y" * 5000}) + "\n" + json.dumps({"text": "ok"})
    )
    items = read(tmp_path, max_article_bytes=1000)
    assert codes(items) == ["W006", "W006", "W006"]
    assert [d.content for d in docs(items)] == ["small", "ok"]  # the reader resyncs after the long line
    assert errors(items)[2].source == f"{tmp_path / 'lines.jsonl'}#2"


def test_100mb_article_refused_without_opening(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: costs no disk
        handle.truncate(100 * 1024 * 1024)

    def must_not_open(self):
        raise AssertionError("a file over the limit must not be read")

    monkeypatch.setattr(Source, "open", must_not_open)
    [error] = read(path)  # default max_article_bytes (20 MB)
    assert error.code == "W006" and "104,857,600 bytes" in error.reason


def test_large_jsonl_streams_in_bounded_memory(tmp_path):
    record = json.dumps({"text": "z" * 1000}) + "\n"
    path = tmp_path / "stream.jsonl"
    path.write_text(record * 5000)  # 5 MB
    tracemalloc.start()
    count = sum(1 for item in read_paths([path]) if isinstance(item, RawDocument))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 5000
    assert peak < 2_000_000  # far below the file size: records are not accumulated


@pytest.mark.slow
def test_100mb_jsonl_streams_in_bounded_memory(tmp_path):
    record = json.dumps({"text": "q" * 2000}) + "\n"
    path = tmp_path / "big.jsonl"
    with open(path, "w") as handle:
        for _ in range(100 * 1024 * 1024 // len(record)):
            handle.write(record)
    tracemalloc.start()
    count = sum(1 for item in read_paths([path]) if isinstance(item, RawDocument))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 100 * 1024 * 1024 // len(record)
    assert peak < 5_000_000


def test_deeply_nested_html_does_not_crash(tmp_path):
    depth = 10_000
    (tmp_path / "body.html").write_text("<html><head><title>Deep</title></head><body>" + "<div>" * depth + "x"
                                        + "</div>" * depth + "</body></html>")
    (tmp_path / "head.html").write_text("<html><head>" + "<span>" * depth + "<title>t</title></head><body>y</body>")
    (tmp_path / "nohead.html").write_text("<html>" + "<b><i>" * depth)
    items = read(tmp_path)
    assert not errors(items)
    assert [d.id for d in docs(items)] == ["body", "head", "nohead"]
    assert docs(items)[0].title == "Deep"


def test_unknown_extension_is_w008_and_missing_path_w011(tmp_path):
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "doc.pdf.gz").write_bytes(gzip.compress(b"%PDF-1.4"))
    items = read(tmp_path, tmp_path / "nope.txt")
    assert codes(items) == ["W008", "W008", "W011"]
    assert ".pdf" in errors(items)[0].reason and "nope.txt" in errors(items)[2].reason


def test_single_path_string_is_not_iterated_by_character(tmp_path):
    (tmp_path / "one.txt").write_text("x")
    assert [d.id for d in docs(read_paths(str(tmp_path / "one.txt")))] == ["one"]


def test_wiretraceignore_keeps_notes_out_of_a_corpus(tmp_path):
    (tmp_path / "a.txt").write_text("An article.")
    (tmp_path / "README.md").write_text("# notes about this corpus")
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "b.txt").write_text("Not an article.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("Another article.")
    (tmp_path / "sub" / "TRUTH.json").write_text('{"x": 1}')
    (tmp_path / ".wiretraceignore").write_text("# comment\nREADME.md\n_build/\nTRUTH.json\n")
    ids = sorted(d.id for d in docs(read(tmp_path)))
    assert ids == ["a", "c"]
    (tmp_path / ".wiretraceignore").unlink()
    assert sorted(d.id for d in docs(read(tmp_path))) == ["README", "a", "b", "c"]
