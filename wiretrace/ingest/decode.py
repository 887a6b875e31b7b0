"""Bytes to text, with one documented rule for every kind of bad input.

The rule, in order (first match wins):

1. Only white space (or nothing) -> W001.
2. A byte-order mark names the encoding (UTF-8, UTF-16, UTF-32).
3. Binary: a NUL byte, or more than 10% C0 control characters other than tab, CR, LF, FF, VT
   and ESC, in the first 64 KB -> W002. (UTF-16/32 without a BOM is treated as binary: news
   text in the wild practically never comes that way.)
4. A declared charset (HTML ``<meta charset>``, HTTP ``Content-Type``) that decodes the bytes
   without error is used.
5. Strict UTF-8 that decodes is used.
6. *Damaged UTF-8*: if the bytes hold at least as many valid multi-byte UTF-8 characters as
   invalid bytes, and the invalid bytes are at most 1% of all bytes, the text is UTF-8 with a few
   bad bytes: it is decoded with U+FFFD replacement and kept (``replaced`` counts them). Text in a
   legacy 8-bit encoding has *no* valid multi-byte sequences, so it never takes this branch.
7. *Western legacy text*: if the bytes decode as Windows-1252 (a superset of Latin-1, the most
   common legacy encoding of news pages), every non-ASCII character is a letter or common
   typographic punctuation, and non-ASCII letters are at most a quarter of all letters, it is
   Windows-1252. (Cyrillic or Greek 8-bit text decodes to almost only non-ASCII letters, so it
   fails the last test; Central European cp1250 text can pass it: a known confusion.)
   charset-normalizer is not asked first because on short texts it prefers exotic code pages.
8. Otherwise charset-normalizer guesses; a guess is accepted only if the decoded text is mostly
   printable. No acceptable guess -> W003.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from wiretrace.errors import Code

SAMPLE_BYTES = 65_536
MAX_CONTROL_RATIO = 0.10
MAX_DAMAGED_UTF8_RATIO = 0.01
MIN_PRINTABLE_RATIO = 0.95
MAX_WESTERN_NON_ASCII_LETTERS = 0.25
_TYPOGRAPHY = frozenset("\u00a0\u00ab\u00bb\u00b7\u00b0\u00a9\u00ae\u00a3\u00a7\u00b4\u00bf\u00a1"
                        "\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u20ac\u2022\u2122")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never appear in text (keeps \t \n \v \f \r and ESC).
_CONTROL_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B})
_CONTROL_DELETE = bytes(sorted(_CONTROL_BYTES))
_NON_PRINTABLE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # invalid byte sequences replaced by U+FFFD (damaged UTF-8)


@dataclass(slots=True)
class DecodeFailure:
    code: Code
    reason: str


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def binary_reason(sample: bytes) -> str | None:
    """Why `sample` looks binary, or None. Callers skip this when a UTF-16/32 BOM is present."""
    nul = sample.find(b"\x00")
    if nul >= 0:
        return f"contains NUL bytes (first at byte {nul})"
    if not sample:
        return None
    controls = len(sample) - len(sample.translate(None, _CONTROL_DELETE))
    if controls / len(sample) > MAX_CONTROL_RATIO:
        return f"{controls / len(sample):.0%} of the first {len(sample)} bytes are control characters"
    return None


def normalise_codec(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when Python does not know it."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None


def _decode_damaged_utf8(data: bytes) -> Decoded | None:
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    valid_multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - replaced
    if replaced <= valid_multibyte and replaced <= MAX_DAMAGED_UTF8_RATIO * len(data):
        return Decoded(text, "utf-8", replaced)
    return None


def _decode_western(data: bytes) -> Decoded | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = non_ascii_letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            non_ascii_letters += ord(ch) > 0x7F
        elif ord(ch) > 0x7F and ch not in _TYPOGRAPHY:
            return None
    if letters and non_ascii_letters <= MAX_WESTERN_NON_ASCII_LETTERS * letters:
        return Decoded(text, "cp1252")
    return None


def _printable_ratio(text: str) -> float:
    if not text:
        return 1.0
    return 1.0 - len(_NON_PRINTABLE.findall(text)) / len(text)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded | DecodeFailure:
    """Decode one document's bytes following the module rule; never raises."""
    if not data.strip():
        return DecodeFailure(Code.EMPTY, "is empty" if not data else "holds only white space")
    bom = bom_encoding(data)
    if bom:
        text = data.decode(bom, errors="replace")
        if not text.strip():
            return DecodeFailure(Code.EMPTY, "holds only a byte-order mark and white space")
        return Decoded(text, bom, text.count("\ufffd"))
    reason = binary_reason(data[:SAMPLE_BYTES])
    if reason:
        return DecodeFailure(Code.BINARY, f"looks binary: {reason}")
    for encoding in (normalise_codec(declared), "utf-8"):
        if encoding:
            try:
                return Decoded(data.decode(encoding), encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    guess = _decode_damaged_utf8(data) or _decode_western(data)
    if guess is not None:
        return guess
    best = charset_normalizer.from_bytes(data[: SAMPLE_BYTES * 4]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding, errors="replace")
        except LookupError:
            text = ""
        if text and _printable_ratio(text) >= MIN_PRINTABLE_RATIO:
            return Decoded(text, best.encoding)
    return DecodeFailure(Code.ENCODING, "could not be decoded: invalid UTF-8 and no other encoding fits")


def sniff_stream_encoding(sample: bytes, declared: str | None = None) -> str | DecodeFailure:
    """The encoding for a stream (JSONL, CSV) judged on its first bytes, for `io.TextIOWrapper`.

    The stream is then decoded with ``errors="replace"``, so a damaged record later in a large file
    costs a few U+FFFD characters instead of the whole file.
    """
    if not sample.strip():
        return DecodeFailure(Code.EMPTY, "is empty" if not sample else "holds only white space")
    bom = bom_encoding(sample)
    if bom:
        return bom
    reason = binary_reason(sample)
    if reason:
        return DecodeFailure(Code.BINARY, f"looks binary: {reason}")
    candidates = [normalise_codec(declared), "utf-8"]
    for encoding in candidates:
        if not encoding:
            continue
        try:
            # a sample may end inside a multi-byte character: decode incrementally, no final flush
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except (UnicodeDecodeError, LookupError):
            pass
    decoded = decode_bytes(sample)
    if isinstance(decoded, DecodeFailure):
        return decoded
    return decoded.encoding
