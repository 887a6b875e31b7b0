"""report.json follows its schema and is deterministic; report.html escapes hostile text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import jsonschema

from wiretrace.data import Article, InputError, LineageEdge, Origin, Removed, Report, Story
from wiretrace.report import load_schema, report_dict, write_report

HOSTILE = (
    'Breaking <script>alert("x")</script> news <img src=x onerror="alert(1)"> and '
    '<a href="javascript:alert(2)">click</a> </details></body> <!-- broken'
)


def hostile_report() -> Report:
    a = Article(
        id="evil<b>", source="evil.html", content_hash="h", text=HOSTILE + "\n\nSecond paragraph.",
        title="<script>alert('t')</script>", outlet='"><svg onload=alert(3)>', language="en",
        removed=[Removed("<script>junk()</script>", "call-to-action")],
    )
    s = Story(
        id="s-1", articles=[a.id], label=HOSTILE[:60],
        origins=[Origin("s-1-o1", None, True, ["<i>AP</i>"], 0.5, [a.id])],
        lineage=[LineageEdge(a.id, "s-1-o1", "rewrite", 0.5, ["<script>1</script>"])],
    )
    return Report(articles=[a], stories=[s], errors=[InputError("<bad>.bin", "binary <b>", "W002")],
                  version="test")


def test_report_json_matches_schema(tmp_path):
    doc = report_dict(hostile_report())
    jsonschema.validate(doc, load_schema())
    json_path, _ = write_report(hostile_report(), tmp_path)
    jsonschema.validate(json.loads(json_path.read_text()), load_schema())


def test_schema_rejects_an_unknown_relation():
    doc = report_dict(hostile_report())
    doc["stories"][0]["lineage"][0]["relation"] = "stolen"
    try:
        jsonschema.validate(doc, load_schema())
    except jsonschema.ValidationError:
        return
    raise AssertionError("schema accepted an unknown relation")


class Elements(HTMLParser):
    """Every element, attribute and script body as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_html_escapes_every_hostile_string(tmp_path):
    _, html_path = write_report(hostile_report(), tmp_path)
    parser = Elements()
    parser.feed(html_path.read_text())
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)  # no event handler survived as markup
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
        if tag == "script":
            assert dict(attrs).get("src") is None  # the report never loads a script
    assert not any("alert(" in body for body in parser.scripts)  # the fixture's scripts stayed text
    html = html_path.read_text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # shown as text, not dropped
    csp = [dict(a).get("content", "") for t, a in parser.tags
           if t == "meta" and (dict(a).get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0] and "unsafe-inline" not in csp[0].split("script-src")[-1]


def test_html_needs_no_network(tmp_path):
    _, html_path = write_report(hostile_report(), tmp_path)
    html = html_path.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)


def test_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_report(hostile_report(), a)
    write_report(hostile_report(), b)
    assert (a / "report.json").read_bytes() == (b / "report.json").read_bytes()
    assert (a / "report.html").read_bytes() == (b / "report.html").read_bytes()
