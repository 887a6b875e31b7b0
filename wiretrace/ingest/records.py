"""Map one JSON/CSV record (a dict) to a RawDocument, using the field names in Settings.

Field names match case-insensitively and in the order Settings lists them; the first field that
holds a non-empty value wins. A list of strings (paragraphs) is joined with blank lines. A text that
starts like an HTML document is passed on as HTML for the clean stage to extract.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from wiretrace.config import Settings
from wiretrace.data import InputError, RawDocument
from wiretrace.errors import Code
from wiretrace.ingest.html_head import head_metadata, looks_like_html

HTML_FIELDS = ("html", "raw_html", "content_html")
META_VALUE_MAX_CHARS = 1_000  # other scalar fields are kept in `meta`, shortened to this


def _lookup(record: dict[str, Any], lowered: dict[str, str], names: Sequence[str]) -> tuple[str, Any] | None:
    for name in names:
        key = name if name in record else lowered.get(name.lower())
        if key is None:
            continue
        value = record[key]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n\n".join(v for v in value if v.strip())
        if isinstance(value, str):
            if value.strip():
                return key, value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            return key, value
    return None


def _as_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def _as_date(value: Any) -> str:
    """Strings pass through; numbers are read as Unix time (seconds, or milliseconds if huge)."""
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return str(value)
    return _as_text(value)


def record_to_document(
    record: Any, source: str, default_id: str, settings: Settings
) -> RawDocument | InputError:
    """One record to a RawDocument; a record without text is an InputError W009 naming the fields tried."""
    if not isinstance(record, dict):
        kind = type(record).__name__
        return InputError(source, f"{source}: record is a JSON {kind}, not an object", Code.RECORD.value)
    lowered = {str(k).lower(): k for k in record}
    text = _lookup(record, lowered, settings.text_fields)
    is_html = False
    if text is None:
        text = _lookup(record, lowered, HTML_FIELDS)
        is_html = text is not None
    if text is None:
        tried = ", ".join(settings.text_fields)
        return InputError(source, f"{source}: record has no text field (looked for {tried})", Code.RECORD.value)
    text_key, content = text[0], _as_text(text[1])
    is_html = is_html or looks_like_html(content)

    used = {text_key}
    fields: dict[str, str] = {}
    for name, names, convert in (
        ("id", settings.id_fields, _as_text),
        ("title", settings.title_fields, _as_text),
        ("url", settings.url_fields, _as_text),
        ("published", settings.date_fields, _as_date),
        ("outlet", settings.outlet_fields, _as_text),
    ):
        found = _lookup(record, lowered, names)
        if found is not None:
            used.add(found[0])
            fields[name] = convert(found[1])
    if is_html:
        for name, value in head_metadata(content).items():
            fields.setdefault(name, value)
    meta = {
        str(k): v[:META_VALUE_MAX_CHARS] if isinstance(v, str) else v
        for k, v in record.items()
        if k not in used and isinstance(v, str | int | float | bool) and k not in HTML_FIELDS
    }
    return RawDocument(
        id=fields.get("id") or default_id,
        source=source,
        content=content,
        is_html=is_html,
        title=fields.get("title"),
        url=fields.get("url"),
        published=fields.get("published"),
        outlet=fields.get("outlet"),
        meta=meta,
    )
