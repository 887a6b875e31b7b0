"""The record types every stage reads and writes.

One module, plain dataclasses, no behaviour beyond small helpers: a stage is a function
from records to records, so it runs the same on a laptop or inside a Spark task.
All records are JSON-serialisable through `to_dict` (the report format is their union).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any

_ATOMS = (str, int, float, type(None))  # bool is an int


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def plain(value: Any, skip: tuple[str, ...] = ()) -> Any:
    """`dataclasses.asdict(value)` (minus the top-level fields in `skip`), the same dicts and lists.

    Why not asdict: it deep-copies every string it meets, and an article's sentence table or a large
    story's lineage is thousands of them; JSON-ing the report and the stored stories, and fingerprinting
    articles, spent most of their time there (measured in BENCHMARKS.md, "End to end outside the stages").
    """
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value)) if name not in skip}
    if isinstance(value, dict):
        return type(value)((plain(k), plain(v)) for k, v in value.items())
    if isinstance(value, tuple):
        items = [plain(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)  # a namedtuple
    return copy.deepcopy(value)


# Relation of a version to its parent (see docs/report-format.md).
RELATIONS = ("verbatim", "light-edit", "excerpt", "rewrite", "machine-rewrite", "translation", "independent")
# Kinds of drifted fact.
DRIFT_KINDS = ("number", "date", "person", "place", "organisation", "quote", "negation")


@dataclass(slots=True)
class RawDocument:
    """One article as a reader found it: text (or HTML) plus whatever metadata the container had."""

    id: str
    source: str  # path, path#row or path#record: where a person finds it again
    content: str  # plain text, or HTML when `is_html`
    is_html: bool = False
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    outlet: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Removed:
    """A piece of page junk taken out of an article, kept so a reader can check the cleaner."""

    text: str
    reason: str  # e.g. "call-to-action", "teaser-block", "caption", "share", "template"


@dataclass(slots=True)
class Sentence:
    """A sentence of a cleaned article; `start`/`end` are character offsets into `Article.text`."""

    article: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Article:
    """A cleaned article: the unit every later stage works on."""

    id: str
    source: str
    content_hash: str  # sha256 of the raw record: the store's key
    text: str  # cleaned body, paragraphs separated by a blank line
    title: str | None = None
    language: str | None = None  # ISO 639-1
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    dateline: str | None = None  # e.g. "ISLAMABAD (AP)"
    byline: str | None = None
    credited: list[str] = field(default_factory=list)  # agencies credited in the text, canonical names
    removed: list[Removed] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(slots=True)
class InputError:
    """An input that could not be read: named, with a reason, never fatal to the run."""

    source: str
    reason: str
    code: str = "W000"  # see wiretrace/errors.py

    def message(self) -> str:
        """The line a person reads: code, file, reason, the file named once (some readers' reasons
        already start with it)."""
        reason = self.reason.removeprefix(f"{self.source}: ")
        return f"error {self.code}: {self.source}: {reason}"


@dataclass(slots=True)
class AlignedPair:
    """Sentence `a` of one version matched to sentence `b` of another."""

    a: int
    b: int
    similarity: float
    kind: str  # "verbatim", "light-edit", "paraphrase" or "translation"


@dataclass(slots=True)
class Alignment:
    """The sentence alignment of version `a` against version `b` (usually its parent or the pivot)."""

    a: str
    b: str
    pairs: list[AlignedPair] = field(default_factory=list)


@dataclass(slots=True)
class Origin:
    """The root of one family of versions: an article in the corpus, or an inferred missing one."""

    id: str
    article: str | None
    inferred: bool
    credited: list[str] = field(default_factory=list)
    confidence: float = 0.0
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LineageEdge:
    """How one version derives from its parent (an article id or an inferred origin's id)."""

    article: str
    parent: str | None
    relation: str  # one of RELATIONS
    confidence: float
    evidence: list[str] = field(default_factory=list)
    additions: list[int] = field(default_factory=list)  # sentence indexes the version adds
    omissions: list[int] = field(default_factory=list)  # parent sentence indexes it drops


@dataclass(slots=True)
class Variant:
    value: str
    articles: list[str]
    sentence: str


@dataclass(slots=True)
class Drift:
    """A fact that differs between aligned statements of one story."""

    kind: str  # one of DRIFT_KINDS
    reading: str  # the value believed original
    variants: list[Variant]
    severity: str  # "meaning", "spelling" or "rounding"


@dataclass(slots=True)
class ConsensusSentence:
    text: str
    witnesses: list[str]
    addition: bool = False  # material from a single family, kept apart
    variants: list[Variant] = field(default_factory=list)


@dataclass(slots=True)
class Story:
    """One real-world event as reported: all its versions, and what later stages learn of them."""

    id: str
    articles: list[str]
    label: str = ""
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    origins: list[Origin] = field(default_factory=list)
    lineage: list[LineageEdge] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    consensus: list[ConsensusSentence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(slots=True)
class Report:
    """Everything one analysis produced; `report.json` is `to_dict()` of this."""

    articles: list[Article]
    stories: list[Story]
    errors: list[InputError]
    settings: dict[str, Any] = field(default_factory=dict)
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return plain(self)
