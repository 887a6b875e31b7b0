"""The bundled example corpus (examples/) is well formed and agrees with examples/TRUTH.json.

The corpus is the demo's input and the first fixture of many stage tests, so a broken id, a drifted
value that is not really in the text, or a relation label the text contradicts would silently poison
every evaluation built on it. These checks read the files directly (stdlib HTML parsing, warcio for
the WARC) and use nothing of wiretrace but the relation and drift vocabularies.
"""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.archiveiterator import ArchiveIterator

from wiretrace.data import DRIFT_KINDS, RELATIONS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TRUTH = json.loads((EXAMPLES / "TRUTH.json").read_text(encoding="utf-8"))
NOT_CORPUS = {"README.md", "TRUTH.json"}
FORMATS = {".txt": "txt", ".html": "html", ".jsonl": "jsonl", ".warc.gz": "warc"}
MAX_CORPUS_BYTES = 150_000


class _TextOf(HTMLParser):
    """Visible text of an HTML page, one block per line (scripts and styles dropped)."""

    _skip: ClassVar[set[str]] = {"script", "style"}
    _blocks: ClassVar[set[str]] = {
        "p", "div", "li", "h1", "h2", "h3", "figcaption", "title", "section", "footer", "header",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._skip:
            self._skipping += 1
        if tag in self._blocks:
            self.parts.append("\n")
        if tag == "meta":
            named = dict(attrs)
            key = named.get("property") or named.get("name")
            if key and named.get("content") is not None:
                self.meta[key] = named["content"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skip and self._skipping:
            self._skipping -= 1
        if tag in self._blocks:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _parse_html(page: str) -> tuple[str, dict[str, str]]:
    parser = _TextOf()
    parser.feed(page)
    return "".join(parser.parts), parser.meta


def _format_of(path: Path) -> str | None:
    return next((fmt for suffix, fmt in FORMATS.items() if path.name.endswith(suffix)), None)


def _corpus_files() -> list[Path]:
    """Every corpus file: what `wiretrace analyze examples/` should read (no '_' or '.' folders)."""
    files = []
    for path in sorted(EXAMPLES.rglob("*")):
        relative = path.relative_to(EXAMPLES)
        if any(part.startswith(("_", ".")) for part in relative.parts) or path.is_dir():
            continue
        if relative.as_posix() not in NOT_CORPUS:
            files.append(path)
    return files


def _load_corpus() -> dict[str, dict]:
    """id -> {file, format, text, published} for every article, parsed straight from the files."""
    articles: dict[str, dict] = {}

    def add(article_id: str, **fields: object) -> None:
        assert article_id not in articles, f"duplicate article id {article_id}"
        articles[article_id] = fields

    for path in _corpus_files():
        fmt = _format_of(path)
        assert fmt, f"{path.name}: not a corpus format ({', '.join(FORMATS)})"
        if fmt == "txt":
            add(path.stem, file=path.name, format=fmt, text=path.read_text(encoding="utf-8"), published=None)
        elif fmt == "html":
            text, meta = _parse_html(path.read_text(encoding="utf-8"))
            add(path.stem, file=path.name, format=fmt, text=text, published=meta.get("article:published_time"))
        elif fmt == "jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                assert {"id", "title", "text", "url", "published", "outlet"} <= record.keys()
                add(record["id"], file=path.name, format=fmt, text=record["title"] + "\n\n" + record["text"],
                    published=record["published"])
        else:
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type != "response":
                        continue
                    page = record.content_stream().read().decode("utf-8")
                    text, meta = _parse_html(page)
                    add(record.rec_headers.get_header("WARC-Target-URI"), file=path.name, format=fmt,
                        text=text, published=meta.get("article:published_time"),
                        warc_record_id=record.rec_headers.get_header("WARC-Record-ID"))
    return articles


CORPUS = _load_corpus()
VERSIONS = {
    version["id"]: version
    for story in TRUTH["stories"]
    for family in story["families"]
    for version in family["versions"]
}


def _normalise(text: str) -> str:
    """Fold typographic quotes and whitespace so quoting conventions do not hide a verbatim match."""
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return re.sub(r"\s+", " ", text).strip().casefold()


def _text(article_id: str) -> str:
    return _normalise(CORPUS[article_id]["text"])


DATELINE = re.compile(r"^[A-ZÀ-Ý][^(\n]{1,40}\([A-Za-z]{2,8}\)\s*[—–-]+\s*")
SENTENCE_END = re.compile(r'(?<=[.!?"])\s+(?=["A-Z0-9])')
ABBREVIATION_END = re.compile(r"\b[A-Z][a-z]{0,4}\.$")  # "Capt.", "Gen.": not a sentence end


def _sentences(article_id: str) -> list[str]:
    """Sentences of 8+ words ending in punctuation: long enough that a match means copying, short
    enough to survive excerpts; headlines and teasers (no final stop) are page furniture, not text.

    Split per line (paragraph or HTML block) so page furniture never glues onto body text; a leading
    dateline is dropped because quoting writers drop it.
    """
    sentences: list[str] = []
    for line in CORPUS[article_id]["text"].splitlines():
        pieces: list[str] = []
        for piece in SENTENCE_END.split(DATELINE.sub("", line.strip())):
            if pieces and ABBREVIATION_END.search(pieces[-1]):
                pieces[-1] += " " + piece
            else:
                pieces.append(piece)
        sentences += [
            _normalise(piece) for piece in pieces if len(piece.split()) >= 8 and piece.endswith((".", "!", "?", '"'))
        ]
    return sentences


def _shared_sentences(parent: str, child: str) -> tuple[int, float]:
    """How many of the parent's sentences reappear word for word in the child, and what share."""
    sentences = _sentences(parent)
    child_text = _text(child)
    shared = sum(sentence in child_text for sentence in sentences)
    return shared, shared / len(sentences)


def _instant(stamp: str) -> datetime:
    """A comparable instant; a bare date counts as the end of that day (UTC), the latest it could be."""
    if len(stamp) == 10:
        return datetime.combine(date.fromisoformat(stamp), datetime.max.time(), tzinfo=UTC)
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_corpus_has_every_format_and_stays_small():
    formats = {entry["format"] for entry in CORPUS.values()}
    assert formats == set(FORMATS.values())
    size = sum(path.stat().st_size for path in _corpus_files())
    assert size < MAX_CORPUS_BYTES


def test_every_file_article_is_in_truth_and_back():
    assert sorted(CORPUS) == sorted(TRUTH["articles"])
    for article_id, entry in TRUTH["articles"].items():
        assert CORPUS[article_id]["file"] == entry["file"], article_id
        assert CORPUS[article_id]["format"] == entry["format"], article_id
        assert CORPUS[article_id].get("warc_record_id") == entry.get("warc_record_id"), article_id


def test_metadata_dates_match_truth():
    for article_id, entry in CORPUS.items():
        if entry["published"] is not None:
            assert entry["published"] == TRUTH["articles"][article_id]["published"], article_id


def test_stories_partition_the_corpus_into_families():
    seen: list[str] = []
    for story in TRUTH["stories"]:
        family_members = [v["id"] for family in story["families"] for v in family["versions"]]
        assert sorted(family_members) == sorted(story["articles"]), story["id"]
        seen += story["articles"]
        for family in story["families"]:
            assert family["origin_in_corpus"] == (family["origin"] in CORPUS)
            for version in family["versions"]:
                assert version["relation"] in RELATIONS
                if version["id"] == family["origin"]:
                    assert version["parent"] is None and version["relation"] == "independent"
                else:
                    assert version["parent"] in {v["id"] for v in family["versions"]}, version["id"]
                for other in version.get("also_acceptable_parents", []):
                    assert other in story["articles"] and other != version["id"]
    assert sorted(seen) == sorted(CORPUS), "every article belongs to exactly one story"


def test_every_copy_is_published_after_its_parent():
    published = {article_id: _instant(entry["published"]) for article_id, entry in TRUTH["articles"].items()}
    for version in VERSIONS.values():
        if version["parent"]:
            assert published[version["parent"]] < published[version["id"]], version["id"]


def test_translations_change_language():
    for version in VERSIONS.values():
        if version["relation"] == "translation":
            languages = {TRUTH["articles"][version[key]]["language"] for key in ("id", "parent")}
            assert len(languages) == 2, version["id"]


def test_the_wire_origin_has_wire_length():
    largest = max(TRUTH["stories"], key=lambda story: len(story["articles"]))
    origin = max(largest["families"], key=lambda family: len(family["versions"]))["origin"]
    body = CORPUS[origin]["text"]
    body = body[body.index("(AP)"):body.index("contributed to this report")]
    assert 450 <= len(body.split()) <= 650


@pytest.mark.parametrize("drift", TRUTH["drift"], ids=lambda d: f"{d['kind']}:{d['changed']}")
def test_planted_drift_is_in_the_texts_it_is_claimed_for(drift):
    assert drift["kind"] in DRIFT_KINDS
    original, changed = _normalise(drift["original"]), _normalise(drift["changed"])
    assert original != changed
    for article_id in drift["original_articles"]:
        assert original in _text(article_id), article_id
        assert changed not in _text(article_id), article_id
    for article_id in drift["articles"]:
        assert changed in _text(article_id), article_id
        assert original not in _text(article_id), article_id


def test_copy_errors_are_inherited_by_copies_of_the_copy():
    inherited = 0
    for drift in TRUTH["drift"]:
        if drift["cause"] != "copy-error":
            continue
        for version in VERSIONS.values():
            if version["parent"] in drift["articles"]:
                assert version["id"] in drift["articles"], (drift["changed"], version["id"])
                inherited += drift["kind"] == "place" and drift["severity"] == "spelling"
    assert inherited, "the spun copy and its copy should share a misspelt place name"


# Share of the parent's sentences found verbatim in the child, per relation: what the label means.
SHARED_RANGE = {
    "verbatim": (0.9, 1.0),
    "light-edit": (0.4, 0.95),
    "excerpt": (0.1, 0.5),
    "rewrite": (0.0, 0.2),
    "machine-rewrite": (0.0, 0.05),
    "translation": (0.0, 0.0),
}


@pytest.mark.parametrize("version", [v for v in VERSIONS.values() if v["parent"]], ids=lambda v: v["id"][-40:])
def test_relation_labels_agree_with_the_text(version):
    shared, share = _shared_sentences(version["parent"], version["id"])
    low, high = SHARED_RANGE[version["relation"]]
    assert low <= share <= high, (version["relation"], shared, round(share, 2))
    if version["relation"] == "excerpt":
        assert 4 <= shared <= 6


def test_independent_reports_share_no_sentences():
    """Family origins (of one story or of look-alike stories) are separate writing, not copies."""
    origins = sorted(family["origin"] for story in TRUTH["stories"] for family in story["families"])
    for i, first in enumerate(origins):
        for second in origins[i + 1:]:
            assert _shared_sentences(first, second)[0] == 0, (first, second)


def test_warc_rebuilds_byte_for_byte(tmp_path):
    script = EXAMPLES / "_build" / "make_warc.py"
    spec = importlib.util.spec_from_file_location("make_warc", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = module.build(tmp_path / "rebuilt.warc.gz")
    assert rebuilt.read_bytes() == module.OUT.read_bytes()
