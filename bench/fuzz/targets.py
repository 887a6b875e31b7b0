"""Atheris fuzz targets: `python -m bench.fuzz.targets TARGET [libFuzzer flags]` runs one.

Each target turns fuzzer bytes into an input for one stage and checks what the stage promises:
readers and `clean_document` never raise and never return their catch-all error (which would hide
a bug); `clean_text` and `extract_facts` keep their span contracts. Any violation raises, which
atheris reports as a crash with the input saved under the working directory.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from wiretrace.clean import clean_document
    from wiretrace.clean.document import clean_text
    from wiretrace.config import Settings
    from wiretrace.data import InputError, RawDocument
    from wiretrace.ingest import read_paths

EXTENSIONS = (".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".warc", ".txt.gz", ".jsonl.gz", ".warc.gz", "")
SWALLOWED = re.compile(r"\((?:TypeError|AttributeError|KeyError|IndexError|ValueError|AssertionError|"
                       r"UnboundLocalError|NameError|ZeroDivisionError|OverflowError)\b")
SETTINGS = Settings(max_article_bytes=65536)
_TMP = Path(tempfile.mkdtemp(prefix="wiretrace-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))


class ContractError(AssertionError):
    """A stage broke its promise on a fuzzed input (the message says which)."""


def readers(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    ext = EXTENSIONS[fdp.ConsumeIntInRange(0, len(EXTENSIONS) - 1)]
    path = _TMP / f"doc{ext}"
    path.write_bytes(fdp.ConsumeBytes(fdp.remaining_bytes()))
    for item in read_paths([path], SETTINGS):
        if isinstance(item, InputError):
            if SWALLOWED.search(item.reason):
                raise ContractError(f"reader swallowed a bug: {item.reason}")
        elif not isinstance(item, RawDocument):
            raise ContractError(f"reader yielded {type(item).__name__}")


def cleaner(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    is_html = fdp.ConsumeBool()
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    result = clean_text(text)
    for start, end, _paragraph in result.sentences:
        if not 0 <= start < end <= len(result.text):
            raise ContractError(f"sentence span {(start, end)} outside text of {len(result.text)}")
    article = clean_document(RawDocument(id="x", source="fuzz", content=text, is_html=is_html), SETTINGS)
    if isinstance(article, InputError):
        if article.reason.startswith("cleaning failed"):
            raise ContractError(article.reason)
        return
    for s in article.sentences:
        if article.text[s.start : s.end] != s.text:
            raise ContractError("sentence text differs from its span")


def facts(data: bytes) -> None:
    from wiretrace.facts import extract_facts

    fdp = atheris.FuzzedDataProvider(data)
    language = (None, "en", "es", "pt", "de", "fr")[fdp.ConsumeIntInRange(0, 5)]
    sentence = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    for fact in extract_facts(sentence, language):
        start, end = fact.span
        if not 0 <= start <= end <= len(sentence):
            raise ContractError(f"fact span {fact.span} outside sentence of {len(sentence)}")


TARGETS = {"readers": readers, "cleaner": cleaner, "facts": facts}


def main() -> None:
    name = sys.argv[1]
    if name == "facts":  # load spaCy before fuzzing starts, so its import is not timed as one input
        from wiretrace.facts import extract_facts

        extract_facts("Warm up the model in 2025.", "en")
    atheris.Setup([sys.argv[0], *sys.argv[2:]], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
