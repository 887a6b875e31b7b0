"""Publication time as a hard constraint: a copy cannot be published before its source.

`Article.published` is ISO 8601, a date or a datetime. A bare date stands for the whole day, so
two versions are ordered only when their intervals do not overlap: a wire story at 23:00 and its
reprint dated the same day stay unordered. Naive times are read as UTC (feeds that omit the zone
mostly mean it); unparseable values count as unknown, never as early or late.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wiretrace.data import Article


def published_interval(article: Article) -> tuple[datetime, datetime] | None:
    """Earliest and latest instant the `published` value can mean, or None when unknown."""
    value = (article.published or "").strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if len(value) <= 10:  # a date: the whole day (and the zones around it)
        return when - timedelta(hours=14), when + timedelta(days=1, hours=12)
    return when, when


def published_after(a: Article, b: Article) -> bool:
    """True when `a` was certainly published after `b` (so `a` cannot be `b`'s source)."""
    ta, tb = published_interval(a), published_interval(b)
    return ta is not None and tb is not None and ta[0] > tb[1]


def not_first(articles: list[Article]) -> set[str]:
    """Ids of the versions certainly published after some other one: they cannot be the origin.

    Linear: a version is late when its earliest possible instant follows the earliest latest one.
    """
    spans = {a.id: published_interval(a) for a in articles}
    dated = [s for s in spans.values() if s is not None]
    if len(dated) < 2:
        return set()
    first_end = min(end for _, end in dated)
    return {i for i, s in spans.items() if s is not None and s[0] > first_end}
