"""All settings in one place. Every stage takes a `Settings`; the CLI and API build one.

Defaults are chosen on the benchmarks in `bench/` (see BENCHMARKS.md), never on the seeds alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(slots=True)
class Settings:
    # ingest
    text_fields: tuple[str, ...] = ("text", "content", "body", "article", "maintext", "articleBody")
    title_fields: tuple[str, ...] = ("title", "headline")
    id_fields: tuple[str, ...] = ("id", "doc_id", "uid", "guid")
    url_fields: tuple[str, ...] = ("url", "link", "uri")
    date_fields: tuple[str, ...] = ("published", "date", "date_publish", "pubdate", "datetime", "timestamp")
    outlet_fields: tuple[str, ...] = ("outlet", "site", "sitename", "source_domain", "domain", "publisher")
    max_article_bytes: int = 20_000_000  # one article larger than this is refused (W006)
    # clean
    template_min_articles: int = 3  # a line seen in this many articles of one outlet is a template
    # stories
    encoder: str = "use"  # "use" (multilingual USE, 16 languages) or "hash" (lexical, no model)
    # The stories stage's encoder when it should differ from `encoder` (None: the same). "use-static" is a
    # static encoder distilled from USE: the stage runs ~4x faster per CPU-second for a small loss of
    # grouping quality (BENCHMARKS.md, "Static encoder"); alignment keeps `encoder`.
    stories_encoder: str | None = None
    # The per-story stages' sentence encoder (alignment, lineage, facts) when it should differ from `encoder`
    # (None: the same). "use-static": ~1.6x the per-story throughput, with a looser alignment on hard pairs
    # (Clough and undated parents lower: BENCHMARKS.md, "Alignment and lineage on the static encoder").
    align_encoder: str | None = None
    batch_size: int = 512
    # engine
    engine: str = "local"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def grouping_encoder(self) -> str:
        """The encoder the stories stage groups with (`stories_encoder`, else `encoder`)."""
        return self.stories_encoder or self.encoder

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            from wiretrace.errors import WiretraceError

            raise WiretraceError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**data)
