"""The origin test reads containment and coverage over the candidate's kin: material carried only
by versions that share no copied wording with the candidate (another report bridged into the
family by a blog's stock lines, or a blog's commentary copied without the news it wrapped) does
not make an in-corpus origin look partial."""

from __future__ import annotations

from test_lineage_fixtures import (
    COMMENTARY_AFTER,
    COMMENTARY_BEFORE,
    INDEPENDENT,
    ORIGIN,
    SPUN,
    article,
    hub_frame,
    light_edit,
)

from wiretrace.align import EmbeddingCache
from wiretrace.align.story import StoryAlignments
from wiretrace.data import Article, Story
from wiretrace.lineage import trace
from wiretrace.lineage.families import family_links
from wiretrace.lineage.kin import kin_of, other_report
from wiretrace.lineage.relations import DEFAULT_RULE
from wiretrace.lineage.versions import Aligner, Member, lacked_sentences

# a second blog's own remarks, pasted by a reader who copied only the blog's commentary
MORE_COMMENTARY = [
    "Another week, another promise from the people who run this town.",
    "Nobody we spoke to at the market believed a word of the announcement.",
]


def _corpus(*versions: Article) -> dict[str, Article]:
    return {a.id: a for a in versions}


def _blog(aid: str, news: list[str], published: str) -> Article:
    """A blog quoting `news` between its stock commentary lines."""
    return article(aid, [*COMMENTARY_BEFORE, *news, *COMMENTARY_AFTER], published=published)


def _commentary_chain() -> dict[str, Article]:
    # the wire, a full light edit, a blog quoting the wire's lead, and a reader's page copying the
    # blog's commentary only (none of the wire's news)
    return _corpus(
        article("wire", ORIGIN, published="2026-03-03T08:00:00"),
        article("edit", light_edit(ORIGIN), published="2026-03-03T09:00:00"),
        _blog("blog", ORIGIN[:5], published="2026-03-03T10:00:00"),
        article("reader", [*MORE_COMMENTARY, *COMMENTARY_BEFORE, *COMMENTARY_AFTER], published="2026-03-03T11:00:00"),
    )


def _aligner(corpus: dict[str, Article], cache: EmbeddingCache) -> Aligner:
    units = {i: cache.units(a) for i, a in sorted(corpus.items())}
    return Aligner(units, StoryAlignments(story="st"))


def test_kin_are_the_versions_with_copied_wording_of_the_candidate(cache):
    corpus = _commentary_chain()
    aligner = _aligner(corpus, cache)
    assert kin_of("wire", ["edit", "blog", "reader"], aligner, DEFAULT_RULE) == {"edit", "blog"}
    # kinship is read against the candidate: the reader's page is the blog's kin, not the wire's
    assert "reader" in kin_of("blog", ["wire", "edit", "reader"], aligner, DEFAULT_RULE)


def test_commentary_copied_without_the_news_does_not_make_the_wire_partial(cache):
    corpus = _commentary_chain()
    aligner = _aligner(corpus, cache)
    hub = "edit"
    to_hub, independent = hub_frame(aligner, corpus, hub)
    # read over every version, the blog and the reader (two witnesses) carry lines the wire lacks
    everyone = lacked_sentences("wire", "blog", hub_frame(aligner, corpus, "blog")[0], independent, aligner)
    assert everyone, "the fixture must show the commentary as lacked when every version testifies"
    # read over the wire's kin, the reader (who shares nothing of the wire) does not testify
    kin = kin_of("wire", [m for m in sorted(corpus) if m != "wire"], aligner, DEFAULT_RULE)
    assert lacked_sentences("wire", hub, to_hub, independent, aligner, among=kin) == []
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    wire_family = next(o for o in story.origins if "wire" in o.articles)
    assert (wire_family.article, wire_family.inferred) == ("wire", False), wire_family


def test_another_report_bridged_by_a_blogs_stock_lines_does_not_count_against_the_origin(cache):
    # one blog quotes the wire and, later, another agency's report, each between the same stock
    # lines: the stock lines join the two reports into one traced family
    reuters_copy = [s.replace("Reuters", "the agency") for s in INDEPENDENT]
    corpus = _corpus(
        article("wire", ORIGIN, published="2026-03-03T08:00:00"),
        article("edit", light_edit(ORIGIN), published="2026-03-03T09:00:00"),
        article("spun", SPUN, published="2026-03-03T09:30:00"),
        _blog("blog-wire", ORIGIN[:4], published="2026-03-03T10:00:00"),
        article("reuters", INDEPENDENT, published="2026-03-03T08:30:00"),
        article("reuters-copy", reuters_copy, published="2026-03-03T11:00:00"),
        _blog("blog-reuters", INDEPENDENT[:3], published="2026-03-03T12:00:00"),
    )
    units = {i: cache.units(a) for i, a in sorted(corpus.items())}
    aligner = Aligner(units, StoryAlignments(story="st"))
    links = family_links(sorted(corpus), [("blog-reuters", "blog-wire")], corpus, aligner, DEFAULT_RULE)
    assert links == [("blog-reuters", "blog-wire")], "the fixture must bridge the two reports"
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    # traced as two reports, each from its own origin
    families = sorted((o.article, o.inferred, sorted(o.articles)) for o in story.origins)
    assert families == [
        ("reuters", False, ["blog-reuters", "reuters", "reuters-copy"]),
        ("wire", False, ["blog-wire", "edit", "spun", "wire"]),
    ], families
    edges = {e.article: e for e in story.lineage}
    assert edges["edit"].parent == "wire"
    assert edges["blog-wire"].parent == "wire"
    assert edges["reuters-copy"].parent == "reuters"


def _member(corpus: dict[str, Article], aligner: Aligner, aid: str) -> Member:
    """A member whose `shared` and `support` are read from its alignment to every other version."""
    member = Member(id=aid, units=aligner.units[aid], article=corpus[aid])
    for other in sorted(corpus):
        if other != aid:
            for p in aligner.get(aid, other).pairs:
                member.shared.add(p.a)
                member.support.setdefault(p.a, set()).add(other)
    return member


def test_a_tail_excerpt_of_the_candidates_report_is_no_other_report(cache):
    # the wire is missing: the candidate is a lead excerpt, a tail excerpt shares nothing with it,
    # but two full copies carry the tail: it is the same report
    corpus = _corpus(
        article("lead", ORIGIN[:4]),
        article("tail", ORIGIN[6:]),
        article("edit", light_edit(ORIGIN)),
        article("spun", SPUN),
        article("copy", ORIGIN[:-1]),
    )
    aligner = _aligner(corpus, cache)
    members = {m: _member(corpus, aligner, m) for m in sorted(corpus)}
    kin = kin_of("lead", [m for m in sorted(corpus) if m != "lead"], aligner, DEFAULT_RULE)
    assert "tail" not in kin
    assert other_report("lead", members, kin) == set()
    # a page sharing only a blog's stock lines with one of them carries none of the report
    corpus["stock"] = article("stock", [*MORE_COMMENTARY, *COMMENTARY_AFTER])
    corpus["blog"] = _blog("blog", ORIGIN[:3], published=None)
    aligner = _aligner(corpus, cache)
    members = {m: _member(corpus, aligner, m) for m in sorted(corpus)}
    kin = kin_of("lead", [m for m in sorted(corpus) if m != "lead"], aligner, DEFAULT_RULE)
    assert other_report("lead", members, kin) == {"stock"}


def test_a_trimmed_copy_is_still_no_origin_when_its_kin_carry_what_it_dropped(cache):
    # the kin reading keeps the evidence of a truly missing wire: the full copies that testify
    # against the trimmed one share its copied wording
    trimmed = [s for k, s in enumerate(ORIGIN) if k != 4]
    corpus = _corpus(article("trimmed", trimmed), article("edit", light_edit(ORIGIN)), article("spun", SPUN))
    story = trace(Story(id="st", articles=sorted(corpus)), corpus, cache=cache)
    assert len(story.origins) == 1 and story.origins[0].inferred
