"""Cheap metadata from an HTML page's <head>: title, canonical URL, site name, publication time.

Body extraction is the clean stage's job. Here only the head is parsed (cut at ``</head>``, at most
`HEAD_MAX_CHARS`), so a page nested 10,000 levels deep in its body costs nothing, and libxml2's own
depth limit guards a hostile head. Any parser failure just means "no metadata".
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree
import lxml.html

HEAD_MAX_CHARS = 262_144
CHARSET_SNIFF_BYTES = 4_096

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)

# meta property/name -> RawDocument field, in order of preference
_META_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title"),
    "url": ("og:url",),
    "outlet": ("og:site_name", "application-name"),
    "published": ("article:published_time", "og:article:published_time", "datepublished",
                  "pubdate", "publishdate", "date", "dc.date.issued", "dc.date"),
}


def declared_charset(head_bytes: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first bytes, if any."""
    sample = head_bytes[:CHARSET_SNIFF_BYTES]
    match = _XML_ENCODING.search(sample) or _META_CHARSET.search(sample)
    return match.group(1).decode("ascii", "replace") if match else None


def http_charset(content_type: str | None) -> str | None:
    """The charset of an HTTP Content-Type header value, if any."""
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def looks_like_html(text: str) -> bool:
    """True when a text starts like an HTML document (doctype, <html>, <head>, ...)."""
    return bool(_HTML_START.match(text[:4096]))


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def head_metadata(html: str) -> dict[str, str]:
    """title, url (canonical), outlet (og:site_name) and published from the head; missing keys omitted."""
    match = _HEAD_END.search(html, 0, HEAD_MAX_CHARS)
    head = html[: match.end()] if match else html[:HEAD_MAX_CHARS]
    if not head.strip():
        return {}
    try:
        root = lxml.html.document_fromstring(head)
    except (lxml.etree.LxmlError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[str, str] = {}
    metas: dict[str, str] = {}
    try:
        for meta in root.iter("meta"):
            key = _clean(meta.get("property") or meta.get("name") or meta.get("itemprop"))
            content = _clean(meta.get("content"))
            if key and content:
                metas.setdefault(key.lower(), content)
        for link in root.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            href = _clean(link.get("href"))
            if "canonical" in rel and href and "url" not in found:
                found["url"] = href
        title = root.find(".//title")
        title_text = _clean(title.text_content()) if title is not None else None
    except (lxml.etree.LxmlError, ValueError, RecursionError):
        return found
    if title_text:
        found["title"] = title_text
    for field, keys in _META_FIELDS.items():
        if field in found:
            continue
        for key in keys:
            if key in metas:
                found[field] = metas[key]
                break
    return found
