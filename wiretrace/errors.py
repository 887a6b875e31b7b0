"""Error codes with explanations, in the spirit of spaCy's `Errors`.

A bad input never stops a run: the reader yields an `InputError` with one of these codes, the
CLI prints it on stderr, the report lists it in `errors[]`, and the exit code becomes 1.
"""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    EMPTY = "W001"
    BINARY = "W002"
    ENCODING = "W003"
    GZIP = "W004"
    WARC = "W005"
    TOO_LARGE = "W006"
    HTML = "W007"
    UNKNOWN_FORMAT = "W008"
    RECORD = "W009"
    NO_TEXT = "W010"
    UNREADABLE = "W011"


EXPLANATIONS: dict[Code, str] = {
    Code.EMPTY: "The file or record is empty (or only white space).",
    Code.BINARY: "The file looks binary (NUL bytes or mostly control characters), not text or HTML.",
    Code.ENCODING: "The bytes could not be decoded as text in any encoding tried.",
    Code.GZIP: "The gzip stream is truncated or corrupt; records read before the damage are kept.",
    Code.WARC: "The WARC file is truncated or corrupt; records read before the damage are kept.",
    Code.TOO_LARGE: "The article is larger than `max_article_bytes`; raise the limit to read it.",
    Code.HTML: "The HTML could not be parsed (too deeply nested or malformed beyond repair).",
    Code.UNKNOWN_FORMAT: (
        "The extension is not one wiretrace reads (.txt .md .html .htm .json .jsonl .csv .warc, each optionally .gz)."
    ),
    Code.RECORD: "A JSON/CSV record is malformed or has no text field (see `text_fields`).",
    Code.NO_TEXT: "No article text was found after extraction and cleaning.",
    Code.UNREADABLE: "The path does not exist or cannot be read.",
}


class WiretraceError(Exception):
    """An error in usage or settings (not in an input file): the CLI exits with code 2."""
