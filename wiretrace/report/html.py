"""report.html and the pages of `wiretrace serve`: one design, one set of Jinja templates.

Rendered with Jinja2 with autoescaping on for every template, so no article text or metadata can
become markup. The pages carry no script at all; the only inline style sheet is allowed by its
sha256 hash in the Content-Security-Policy (no 'unsafe-inline'), so even an escaping bug could not
run code or load anything. Filtering in report.html is CSS-only (`:has()` on checkboxes).

The templates are shared: `_layout.html` (page frame), `_story.html` (a story: copy graph,
lineage, diffs, drift, consensus), `_article.html` (one article with its removed junk),
`_outlets.html`. What differs between the file and the web app is only where links point (`Links`).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from wiretrace.report.diff import CONTEXT_WORDS, WordDiff, clip_segments, word_diff
from wiretrace.report.graph import RELATION_COLOURS, copy_graph_svg, parent_map
from wiretrace.report.outlets import introducers, outlet_profiles

HERE = Path(__file__).parent
STYLE = (HERE / "report.css").read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline block."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# For the file (a <meta> tag, where frame-ancestors is ignored) and, with additions, for the app.
REPORT_CSP = (
    f"default-src 'none'; style-src {csp_hash(STYLE)}; script-src 'none'; img-src data:;"
    " base-uri 'none'; form-action 'none'"
)
APP_CSP = (
    f"default-src 'none'; style-src {csp_hash(STYLE)}; script-src 'none'; img-src 'self' data:;"
    " base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass(frozen=True, slots=True)
class Links:
    """Where links point: fragments inside report.html, or URLs of the web app."""

    article_fmt: str = "#a-{}"
    story_fmt: str = "#s-{}"  # prefixed like every generated id, so a story id never clashes with another
    diff_fmt: str = "#d-{}"
    outlet_fmt: str = "#o-{}"

    def article(self, aid: str) -> str:
        return self.article_fmt.format(quote(aid, safe=""))

    def story(self, sid: str) -> str:
        return self.story_fmt.format(quote(sid, safe=""))

    def diff(self, aid: str) -> str:
        return self.diff_fmt.format(quote(aid, safe=""))

    def outlet(self, name: str) -> str:
        return self.outlet_fmt.format(quote(name, safe=""))


REPORT_LINKS = Links()
STORY_DIFF_CONTEXT = 6  # unchanged words around a change in a story section's diffs (the diff page keeps 12)
STORY_LIST_PAGE = 100  # story rows shown at once in report.html; the rest wait, collapsed, in pages of this size
APP_LINKS = Links("/articles/{}", "/stories/{}", "/diff/{}", "/search?outlet={}")


def span(story: dict[str, Any]) -> str:
    first, last = story.get("first_published"), story.get("last_published")
    if not first:
        return "date unknown"
    return first[:10] if not last or last[:10] == first[:10] else f"{first[:10]} – {last[:10]}"


def version_diff(
    story: dict[str, Any], aid: str, articles: dict[str, dict[str, Any]], context: int = CONTEXT_WORDS
) -> tuple[str | None, WordDiff | None, str]:
    """(parent id, diff of the version against it, note) for the side-by-side view.

    An inferred parent has no text, and a parent in another language gives a meaningless word
    diff: both are skipped with a note rather than drawn.
    """
    parent = parent_map(story).get(aid)
    if parent is None:
        return None, None, "an origin: no parent to compare with"
    child, base = articles.get(aid), articles.get(parent)
    if base is None:
        return parent, None, "the parent is an inferred missing origin: no text to compare with"
    if child is None:
        return parent, None, "the version's text is not available"
    if child.get("language") and base.get("language") and child["language"] != base["language"]:
        return (
            parent,
            None,
            f"a {base['language']} → {child['language']} version: compare the texts side by side",
        )
    return parent, word_diff(base.get("text") or "", child.get("text") or "", context=context), ""


def witness_ranges(witnesses: list[str], numbers: dict[str, int]) -> str:
    """Witnesses as their version numbers with runs collapsed ("1–4, 7"), unknown ids as themselves.

    A consensus sentence of a large story has dozens of witnesses; one link per witness per
    sentence was a fifth of report.html.
    """
    known = sorted({numbers[w] for w in witnesses if w in numbers})
    parts: list[str] = []
    for n in known:
        if parts and parts[-1][1] == n - 1:
            parts[-1][1] = n
        else:
            parts.append([n, n])
    text = [str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a}–{b}" for a, b in parts]
    return ", ".join(text + sorted({w for w in witnesses if w not in numbers}))


def witness_numbers(story: dict[str, Any]) -> dict[str, int]:
    """A short number per version of a story, for witness markers in the consensus text."""
    return {aid: n for n, aid in enumerate(story.get("articles", []), start=1)}


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja with `x.name` on a plain dict read as `x["name"]` first, where that is what Jinja would
    return anyway (no dict attribute of that name): Jinja tries the attribute first, and the failed
    lookup (an AttributeError per `.name`) was ~13% of rendering a report (every story, version and
    article is a dict)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except LookupError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_ENV = _Environment(
    loader=jinja2.FileSystemLoader(str(HERE)),
    autoescape=True,
    auto_reload=False,  # templates ship with the package: no stat() of every file on every render
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["anchor"] = lambda value: quote(str(value), safe="")  # element ids that Links can point at
_ENV.globals.update(
    span=span,
    copy_graph=copy_graph_svg,
    version_diff=version_diff,
    clip_segments=clip_segments,
    story_diff_context=STORY_DIFF_CONTEXT,
    witness_numbers=witness_numbers,
    witness_ranges=witness_ranges,
    parent_map=parent_map,
    introducers=introducers,
    relation_colours=RELATION_COLOURS,
    style=Markup(STYLE),
)


_ROW_MACROS = {"story": ("_story.html", "story_row"), "article": ("_app_macros.html", "article_row")}


class ListingRows:
    """Rows of the web app's story and article tables as HTML, kept per id while the data cannot change.

    A search or home page is mostly such rows, and the same stories and articles recur across
    queries and pages: rendering a row costs 25-50 µs of Jinja, looking it up well under one. With
    `max_rows` 0 nothing is kept (a writable store can change under the app).
    """

    def __init__(self, links: Links, max_rows: int = 0) -> None:
        self.links, self.max_rows = links, max_rows
        self.rows: dict[tuple[str, str], Markup] = {}

    def __call__(self, kind: str, item: dict[str, Any]) -> Markup:
        key = (kind, item["id"])
        html = self.rows.get(key)
        if html is None:
            template, macro = _ROW_MACROS[kind]
            html = Markup(getattr(_ENV.get_template(template).module, macro)(item, self.links))
            if len(self.rows) < self.max_rows:  # full: later rows are rendered each time, never evicted
                self.rows[key] = html
        return html


_INDENT = re.compile(r">[ \t]*\n\s*<")


def render_template(name: str, **context: Any) -> str:
    """Render one of the shared templates (used by report.html and by `wiretrace serve`).

    The templates' indentation between tags is squeezed to one newline: it renders the same (no
    template uses <pre>) and is a tenth of a large report.
    """
    return _INDENT.sub(">\n<", _ENV.get_template(name).render(**context))


def sort_stories(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(stories, key=lambda s: (-len(s["articles"]), s["id"]))


def same_text_as(articles: list[dict[str, Any]]) -> dict[str, str]:
    """For each article whose text equals an earlier one's (by id), that earlier article's id.

    Verbatim copies are common in a corpus of wire stories: report.html shows such a text once
    and links the copies to it.
    """
    first: dict[str, str] = {}
    same: dict[str, str] = {}
    for a in sorted(articles, key=lambda a: a["id"]):
        text = a.get("text") or ""
        if text and text in first:
            same[a["id"]] = first[text]
        else:
            first.setdefault(text, a["id"])
    return same


def diff_owners(stories: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Per story, the versions whose diff carries the `d-` id in report.html: each in its first story.

    A version grouped into two stories is diffed in both; an element id must be unique in a document,
    so the fragment `#d-<id>` leads to the first (in listing order).
    """
    owned: dict[str, set[str]] = {}
    seen: set[str] = set()
    for s in stories:
        mine = {a for a in parent_map(s) if a not in seen}
        seen |= mine
        owned[s["id"]] = mine
    return owned


def render_html(doc: dict[str, Any]) -> str:
    """Render the report document (`report_dict`) as one self-contained HTML page."""
    articles = {a["id"]: a for a in doc["articles"]}
    stories = sort_stories(doc["stories"])
    in_story = {a for s in stories for a in s["articles"]}
    return render_template(
        "template.html",
        doc=doc,
        csp=REPORT_CSP,
        version=doc["wiretrace"],
        links=REPORT_LINKS,
        stories=stories,
        articles=articles,
        outlets=outlet_profiles(doc),
        loose=[a for a in doc["articles"] if a["id"] not in in_story],
        story_page=STORY_LIST_PAGE,
        same_text=same_text_as(doc["articles"]),
        diff_ids=diff_owners(stories),
    )
