"""report.html pieces: copy-graph layout and SVG, word diffs, outlet profiles, escaping and the CSP."""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from html.parser import HTMLParser

import jsonschema
import pytest

from wiretrace.report import load_schema, report_dict, write_report
from wiretrace.report.diff import word_diff
from wiretrace.report.graph import copy_graph_svg, depths, marker_id, parent_map
from wiretrace.report.html import (
    REPORT_CSP,
    STORY_LIST_PAGE,
    STYLE,
    csp_hash,
    render_html,
    same_text_as,
    witness_ranges,
)
from wiretrace.report.outlets import introducers, outlet_profiles
from wiretrace.report.sample import HOSTILE_OUTLET, sample_report


def _story(lineage, origins=(), articles=None):
    ids = articles or sorted({e["article"] for e in lineage})
    return {
        "id": "s",
        "articles": ids,
        "origins": list(origins),
        "lineage": lineage,
        "drift": [],
        "consensus": [],
    }


def _edge(a, p, rel="verbatim"):
    return {"article": a, "parent": p, "relation": rel, "confidence": 0.9, "evidence": []}


def test_depths_follow_parents_and_survive_cycles_and_unknown_parents():
    parents = {"b": "a", "c": "b", "x": "y", "y": "x", "z": "missing"}
    d = depths(["a", "b", "c", "x", "y", "z"], parents)
    assert (d["a"], d["b"], d["c"]) == (0, 1, 2)
    assert d["z"] == 0  # parent outside the story: a root
    assert sorted((d["x"], d["y"])) == [0, 1]  # a cycle is broken, not followed forever


def test_parent_map_replaces_an_origin_that_is_a_corpus_article():
    story = _story(
        [_edge("b", "o1")], origins=[{"id": "o1", "article": "a", "inferred": False}], articles=["a", "b"]
    )
    assert parent_map(story) == {"b": "a"}


def test_graph_draws_every_version_dashes_inferred_origins_and_escapes_labels():
    story = _story(
        [_edge("a", "o1", "rewrite"), _edge("b", "a", "translation")],
        origins=[
            {"id": "o1", "article": None, "inferred": True, "credited": ["<b>AP</b>"], "articles": ["a", "b"]}
        ],
    )
    arts = {
        "a": {"outlet": HOSTILE_OUTLET, "title": "<script>x()</script>"},
        "b": {"outlet": "plain.example"},
    }
    svg = str(copy_graph_svg(story, arts, lambda i: f"#a-{i}"))
    assert svg.count('class="node"') == 2 and svg.count('class="node inferred"') == 1
    assert "stroke-dasharray" in svg  # the edge from the inferred origin and its box
    assert ">rewrite<" in svg and ">translation<" in svg
    assert "<svg onload" not in svg and "<script" not in svg and "<b>AP" not in svg
    assert "&lt;b&gt;AP" in svg


def test_graph_wraps_a_wide_layer_so_the_picture_stays_page_wide():
    lineage = [_edge(f"c{i:03d}", "root") for i in range(100)]
    svg = str(copy_graph_svg(_story(lineage, articles=["root"] + [e["article"] for e in lineage]), {}, str))
    width = float(re.search(r'width="(\d+)"', svg).group(1))
    assert width < 1600


def test_word_diff_marks_changes_and_collapses_long_unchanged_runs():
    old = " ".join(f"w{i}" for i in range(200)) + " 1,005 families"
    new = " ".join(f"w{i}" for i in range(200)) + " 1,500 families and more"
    d = word_diff(old, new, context=5)
    ops = [s.op for s in d.segments]
    assert ops[0] == "skip" and d.segments[0].words == 195
    assert ("replace", "1,005", "1,500") in [(s.op, s.old, s.new) for s in d.segments]
    assert ("insert", "and more") in [(s.op, s.new) for s in d.segments]
    assert d.kept_words == 201 and d.new_words == 204


def test_word_diff_of_a_verbatim_copy_is_tiny():
    text = " ".join(f"word{i}" for i in range(5000))
    d = word_diff(text, text)
    assert d.kept_share == 1.0 and [s.op for s in d.segments] == ["skip"]


def test_introducer_is_the_first_carrier_down_the_copy_graph():
    story = _story([_edge("b", "a"), _edge("c", "b"), _edge("d", "a")], articles=["a", "b", "c", "d"])
    assert introducers(story, ["b", "c"]) == ["b"]
    assert introducers(story, ["c", "d"]) == ["c", "d"]  # two independent introductions


def test_outlet_profiles_count_relations_and_introduced_drift():
    doc = report_dict(sample_report(60, seed=3))
    rows = outlet_profiles(doc)
    assert sum(r["articles"] for r in rows) == len(doc["articles"])
    assert sum(r["typed"] for r in rows) == sum(len(s["lineage"]) for s in doc["stories"])
    changed = sum(
        1 for s in doc["stories"] for d in s["drift"] for v in d["variants"] if v["value"] != d["reading"]
    )
    introduced = sum(len(r["introduced"]) for r in rows)
    assert introduced >= changed  # every changed reading has at least one first carrier


def test_report_html_escapes_hostile_text_and_allows_only_its_own_style(tmp_path):
    rep = sample_report(40, seed=7)
    jsonschema.validate(report_dict(rep), load_schema())
    _, html_path = write_report(rep, tmp_path)
    html = html_path.read_text()
    assert "<script" not in html.lower() and "window.__pwned=1" in html  # present, as text
    assert not re.search(r"<[a-z]+[^>]*\son(error|load)\s*=", html, re.I)
    assert 'href="javascript:' not in html.lower()
    assert "&lt;svg onload" in html
    assert (
        csp_hash(STYLE) in REPORT_CSP
        and "unsafe-inline" not in REPORT_CSP
        and "script-src &#39;none&#39;" in html
    )
    assert f"<style>{STYLE}</style>" in html  # byte-identical to what the hash allows
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)


def test_report_html_has_every_story_graph_diff_and_drift():
    doc = report_dict(sample_report(80, seed=11))
    html = render_html(doc)
    for s in doc["stories"]:
        assert f'id="s-{s["id"]}"' in html
    assert html.count('class="copy-graph"') == len(doc["stories"])
    n_edges = sum(len(s["lineage"]) for s in doc["stories"])
    assert html.count('class="diff"') == n_edges
    assert html.count('<div id="a-') == len(doc["articles"])  # each text once
    if any(s["drift"] for s in doc["stories"]):
        assert 'class="drift-table"' in html


@pytest.mark.parametrize("n", [100])
def test_report_size_grows_linearly(n):
    small = len(render_html(report_dict(sample_report(n, seed=5))))
    large = len(render_html(report_dict(sample_report(4 * n, seed=5))))
    assert large < 6 * small


def test_report_html_is_deterministic():
    doc = report_dict(sample_report(50, seed=2))
    assert render_html(doc) == render_html(report_dict(sample_report(50, seed=2)))


def test_clip_segments_caps_shown_words_and_counts_the_rest():
    from wiretrace.report.diff import clip_segments

    old = " ".join(f"w{i}" for i in range(400))
    new = " ".join(f"w{i}" if i % 9 else f"NEW{i}" for i in range(400))
    d = word_diff(old, new, context=3)
    shown_total = sum(len(g.old.split()) + len(g.new.split()) for g in d.segments if g.op != "skip")
    for cap in (0, 1, 37, 150, 10_000):
        kept, left = clip_segments(d, cap)
        shown = sum(len(g.old.split()) + len(g.new.split()) for g in kept if g.op != "skip")
        assert shown <= cap and shown + left == shown_total


def test_story_section_diff_of_a_long_edited_copy_is_cut_and_the_text_appears_once():
    from wiretrace.report.diff import SHOWN_WORDS

    doc = report_dict(sample_report(12, seed=4))
    story = next(s for s in doc["stories"] if parent_map(s))
    child, parent = next(iter(parent_map(story).items()))
    arts = {a["id"]: a for a in doc["articles"]}
    if parent not in arts:
        pytest.skip("first story's first edge comes from an inferred origin")
    words = [f"tok{i}" for i in range(3000)]
    arts[parent]["text"] = " ".join(words)
    arts[child]["text"] = " ".join(w if i % 50 else "CHANGED" for i, w in enumerate(words))
    arts[child]["language"] = arts[parent]["language"]
    html = render_html(doc)
    assert "more words of the diff not shown" in html
    section = html[html.index(f'id="d-{child}"') :]
    section = section[: section.index("</details>")]
    assert section.count("tok") <= SHOWN_WORDS + 10  # capped, not the 3,000-word text again
    assert html.count(" ".join(words[2000:2010])) == 1  # the full text only in the Articles section


def test_rendering_squeezes_indentation_but_keeps_the_text():
    doc = report_dict(sample_report(20, seed=6))
    html = render_html(doc)
    assert not re.search(r">\n[ \t]+<", html)
    for a in doc["articles"]:
        first_para = a["text"].split("\n\n")[0]
        if "<" not in first_para and "&" not in first_para and '"' not in first_para and "'" not in first_para:
            assert first_para in html


def test_witness_ranges_collapse_runs_and_keep_unknown_ids():
    numbers = {"a": 1, "b": 2, "c": 3, "d": 5, "e": 6, "f": 9}
    assert witness_ranges(["f", "a", "b", "c", "d", "e", "zz"], numbers) == "1–3, 5, 6, 9, zz"
    assert witness_ranges(["c", "c"], numbers) == "3"
    assert witness_ranges([], numbers) == ""


def test_large_report_pages_its_story_list_and_draws_the_legend_once():
    rep = sample_report(800, seed=2)
    html = render_html(report_dict(rep))
    assert len(rep.stories) > STORY_LIST_PAGE  # else this test checks nothing
    assert html.count('class="story-row') == len(rep.stories)
    pages = html.count('<details class="story-page">')
    assert pages == -(-len(rep.stories) // STORY_LIST_PAGE) - 1  # the first page is open, the rest collapsed
    assert html.count('<div class="legend">') == 1
    assert html.count("<section class=\"story") == len(rep.stories)


def test_identical_texts_are_shown_once_and_copies_link_to_the_first():
    doc = report_dict(sample_report(300, seed=4))
    same = same_text_as(doc["articles"])
    by_id = {a["id"]: a for a in doc["articles"]}
    assert same, "the sample has verbatim copies"  # else this test checks nothing
    for copy, first in same.items():
        assert first < copy and by_id[first]["text"] == by_id[copy]["text"] and first not in same
    html = render_html(doc)
    assert html.count('<div class="article-text">') == len(doc["articles"]) - len(same)
    texts = {a["text"] for a in doc["articles"]}
    assert len(texts) == len(doc["articles"]) - len(same)


class _Ids(HTMLParser):
    """Every id attribute of a document, counted, and every same-document fragment link."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.fragments: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1
            elif name == "href" and value and value.startswith("#"):
                self.fragments.add(value[1:])
            elif name == "marker-end" and value:
                self.fragments.add(value.removeprefix("url(#").removesuffix(")"))


def _ids(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def test_report_html_has_no_duplicate_ids_and_every_fragment_link_lands():
    doc = report_dict(sample_report(300, seed=1, hostile=True))
    # Adversarial ids: a story named like a fixed section, and a version grouped into two stories.
    doc["stories"][0]["id"] = "outlets"
    twin = next(s for s in doc["stories"] if parent_map(s))
    double = deepcopy(twin)
    double["id"] = twin["id"] + "-twin"
    doc["stories"].append(double)
    found = _ids(render_html(doc))
    assert sum(1 for s in doc["stories"] if parent_map(s)) >= 2  # several graphs with arrows share the page
    assert [i for i, n in found.ids.items() if n > 1] == []
    assert found.fragments and found.fragments <= {i for i in found.ids}  # quoted ids are in href as written


def test_each_graph_names_its_own_arrow_marker():
    story = _story([_edge("b", "a"), _edge("a", None)])
    other = dict(story, id="t")
    first, second = str(copy_graph_svg(story, {}, str)), str(copy_graph_svg(other, {}, str))
    assert f'id="{marker_id("s")}"' in first and f"url(#{marker_id('s')})" in first
    assert marker_id("s") != marker_id("t") and marker_id("s") not in second
    assert re.fullmatch(r"arrow-[0-9a-f]+", marker_id('<"odd" id/with spaces>'))
