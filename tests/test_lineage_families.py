"""Families of independent reports: a family is held together by strong derivation evidence only.

One event reported by two agencies gives two families whose versions can share a stock sentence;
a human rewrite (re-worded throughout, so weak evidence) attaches to the one family it is closest
to and never bridges two, and two agencies' own reports sharing little wording stay apart. Names:
several different mangled names mark spinning, one name respelled throughout is a light edit.
"""

from __future__ import annotations

from wiretrace.data import AlignedPair, Alignment, Article
from wiretrace.lineage.families import family_links, strong_link
from wiretrace.lineage.features import RelationFeatures
from wiretrace.lineage.relations import DEFAULT_RULE, classify, names_spun
from wiretrace.lineage.versions import connected_groups


def _features(coverage: float, similarity: float, copied: float, cross: bool = False) -> RelationFeatures:
    sentences = 10
    aligned = round(coverage * sentences)
    return RelationFeatures(
        child_sentences=sentences,
        parent_sentences=sentences,
        aligned_child=aligned,
        aligned_parent=aligned,
        cross_lingual=cross,
        token_similarity=similarity,
        copied_share=copied,
        restructured_share=0.9,
        long_edit_rate=2.0,
        edited_share=1.0,
    )


class _FakeAligner:
    """Features and alignments given per pair, as `families.family_links` reads them from `versions.Aligner`."""

    def __init__(self, links: dict[tuple[str, str], tuple[RelationFeatures, str]]) -> None:
        self.links = links

    def features(self, child: str, parent: str) -> RelationFeatures:
        return self.links[tuple(sorted((child, parent)))][0]

    def get(self, a: str, b: str) -> Alignment:
        f, kind = self.links[tuple(sorted((a, b)))]
        pairs = [AlignedPair(a=k, b=k, similarity=0.5, kind=kind) for k in range(f.aligned_child)]
        return Alignment(a=a, b=b, pairs=pairs)


def _article(aid: str, outlet: str | None = None, text: str = "Text.") -> Article:
    return Article(id=aid, source=aid, content_hash=aid, text=text, outlet=outlet)


COPY = (_features(0.9, 0.98, 0.9), "verbatim")
REWRITE_CLOSE = (_features(0.7, 0.5, 0.08), "paraphrase")
REWRITE_FAR = (_features(0.5, 0.45, 0.06), "paraphrase")


def _families(links, articles) -> list[list[str]]:
    ids = sorted(articles)
    edges = family_links(ids, sorted(links), articles, _FakeAligner(links), DEFAULT_RULE)
    return connected_groups(ids, edges)


def test_weak_links_are_derived_but_not_strong():
    f, _ = REWRITE_CLOSE
    assert classify(f)[0] != "independent"
    alignment = _FakeAligner({("a", "b"): REWRITE_CLOSE}).get("a", "b")
    assert not strong_link(f, f, alignment, DEFAULT_RULE)
    copy_alignment = _FakeAligner({("a", "b"): COPY}).get("a", "b")
    assert strong_link(COPY[0], COPY[0], copy_alignment, DEFAULT_RULE)


def test_a_rewrite_joins_the_closest_family_and_never_bridges_two():
    articles = {i: _article(i) for i in ("a1", "a2", "b1", "b2", "r")}
    links = {("a1", "a2"): COPY, ("b1", "b2"): COPY, ("a1", "r"): REWRITE_CLOSE, ("b1", "r"): REWRITE_FAR}
    assert _families(links, articles) == [["a1", "a2", "r"], ["b1", "b2"]]
    # the same rewrite closer to the other family joins that one instead
    links = {**links, ("a1", "r"): REWRITE_FAR, ("b1", "r"): REWRITE_CLOSE}
    assert _families(links, articles) == [["a1", "a2"], ["b1", "b2", "r"]]


def test_strong_evidence_still_chains_copies_of_copies():
    articles = {i: _article(i) for i in ("a", "b", "c")}
    links = {("a", "b"): COPY, ("b", "c"): COPY}
    assert _families(links, articles) == [["a", "b", "c"]]


def test_two_agencies_own_reports_sharing_little_wording_stay_apart():
    articles = {"ap": _article("ap", outlet="AP"), "afp": _article("afp", outlet="AFP")}
    assert _families({("afp", "ap"): REWRITE_CLOSE}, articles) == [["afp"], ["ap"]]
    # the same weak link between two outlets of no agency is a rewrite of one family
    plain = {"x": _article("x", outlet="Daily X"), "y": _article("y", outlet="Daily Y")}
    assert _families({("x", "y"): REWRITE_CLOSE}, plain) == [["x", "y"]]


def test_a_translation_needs_much_of_a_version_carried():
    articles = {i: _article(i) for i in ("en", "es")}
    few = (_features(0.2, 0.1, 0.0, cross=True), "translation")
    assert _families({("en", "es"): few}, articles) == [["en"], ["es"]]
    most = (_features(0.8, 0.1, 0.0, cross=True), "translation")
    assert _families({("en", "es"): most}, articles) == [["en", "es"]]


def _named(odd_names: list[tuple[str, str]]) -> RelationFeatures:
    f = _features(0.9, 0.9, 0.5)
    f.restructured_share, f.long_edit_rate, f.edited_share = 0.0, 0.0, 0.5
    f.order = 1.0
    f.odd_names = odd_names
    return f


def test_one_name_respelled_throughout_is_not_spinning():
    f = _named([("Maria", "Mraia")] * 5)
    assert f.distinct_odd_names == 1
    assert not names_spun(f)


def test_a_name_and_its_possessive_respelled_are_one_name():
    # a copy desk's one respelling: the name and its possessive, either apostrophe, any case
    f = _named([("Maria", "Mraia"), ("Maria's", "Mraia's"), ("Maria’s", "Mraia’s"), ("MARIA", "MRAIA")])
    assert f.distinct_odd_names == 1
    assert not names_spun(f)
    f.odd_names.append(("Kabul", "Kabal"))  # a second name is spinning again
    assert f.distinct_odd_names == 2
    assert names_spun(f)


def test_several_different_names_mangled_are_spinning_whatever_the_model_says():
    f = _named([("Doha", "Dhaha"), ("Kabul", "Kabal"), ("Ahmed", "Ahmad")])
    assert f.distinct_odd_names == 3
    assert names_spun(f)
    assert classify(f)[0] == "machine-rewrite"
    f.inferred_parent = True  # against a reconstructed origin, too
    assert classify(f)[0] == "machine-rewrite"
