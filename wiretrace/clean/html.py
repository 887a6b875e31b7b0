"""HTML to plain text with trafilatura, guarded against hostile markup.

trafilatura is the best-kept open extractor (and tops the benchmarks in bench/extraction); we only
choose its settings and make sure nothing escapes: lxml refuses absurd nesting, and trafilatura's
recursive tree walks can raise RecursionError, so every failure becomes an `InputError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiretrace.data import InputError
from wiretrace.errors import Code

# Chosen on bench/extraction (see BENCHMARKS.md): trafilatura's balanced default beat favor_recall on
# both benchmarks (Zyte F1 0.9598 vs 0.9593, trafilatura_eval 0.924 vs 0.918), so we keep it; comments
# are excluded (not article text) and tables kept (statistics, results).
EXTRACTION_OPTIONS: dict[str, object] = {
    "favor_recall": False,
    "favor_precision": False,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "deduplicate": False,
}
MAX_NESTING = 2_000  # deeper markup is refused before parsing (lxml and recursion limits)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "area",
    "base",
    "col",
    "embed",
    "param",
    "source",
    "track",
    "wbr",
}


@dataclass(slots=True)
class Page:
    text: str  # one paragraph per line
    title: str | None = None
    published: str | None = None
    url: str | None = None
    sitename: str | None = None


def nesting_depth(html: str, limit: int = MAX_NESTING) -> int:
    """A cheap upper estimate of tag nesting depth, stopping once `limit` is passed."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def extract_html(
    html: str, source: str, url: str | None = None, options: dict[str, object] | None = None
) -> Page | InputError:
    """The main text and metadata of an HTML page, or an InputError (W007 unparsable, W010 empty)."""
    if nesting_depth(html) > MAX_NESTING:
        return InputError(source, f"HTML nested deeper than {MAX_NESTING} elements", Code.HTML.value)
    try:
        import trafilatura

        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, **(options or EXTRACTION_OPTIONS)
        )
    except RecursionError:
        return InputError(source, "HTML too deeply nested to parse", Code.HTML.value)
    except Exception as error:  # trafilatura/lxml raise many types on broken markup
        return InputError(source, f"HTML could not be parsed: {type(error).__name__}", Code.HTML.value)
    if document is None:
        return InputError(source, "no main text found in the HTML", Code.NO_TEXT.value)
    if isinstance(document, dict):
        get = document.get
    else:

        def get(name: str) -> object:
            return getattr(document, name, None)

    text = get("text") or ""
    if not str(text).strip():
        return InputError(source, "no main text found in the HTML", Code.NO_TEXT.value)

    def field(name: str) -> str | None:
        value = get(name)
        return str(value).strip() or None if value else None

    return Page(str(text), field("title"), field("date"), field("url"), field("sitename"))
