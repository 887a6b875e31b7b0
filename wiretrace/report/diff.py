"""Word-level differences between a version and its parent, for the side-by-side view.

The edit script comes from rapidfuzz's Levenshtein opcodes over word tokens (bit-parallel C++,
so a long article against its parent stays fast); this module only turns it into display
segments and collapses long unchanged runs, so a verbatim copy costs a few bytes in the page
instead of a second copy of the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

CONTEXT_WORDS = 12  # unchanged words kept on each side of a change
MAX_WORDS = 20_000  # longer texts are diffed on their first MAX_WORDS words (said so in the view)
SHOWN_WORDS = 150  # words an inline diff shows in a story section before it is cut (the full one is a link away)


@dataclass(slots=True)
class Segment:
    """One run of the diff: `op` is "equal", "delete", "insert", "replace" or "skip" (collapsed equal run)."""

    op: str
    old: str = ""
    new: str = ""
    words: int = 0  # for "skip": how many unchanged words were collapsed


@dataclass(slots=True)
class WordDiff:
    segments: list[Segment] = field(default_factory=list)
    old_words: int = 0
    new_words: int = 0
    kept_words: int = 0  # words of the new text unchanged from the old one
    truncated: bool = False

    @property
    def kept_share(self) -> float:
        """Share of the version's words taken unchanged from the parent."""
        return self.kept_words / self.new_words if self.new_words else 0.0


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS, max_words: int = MAX_WORDS) -> WordDiff:
    """The word-level diff of `new` against `old`, long unchanged runs collapsed to "skip" segments."""
    a, b = old.split(), new.split()
    truncated = len(a) > max_words or len(b) > max_words
    a, b = a[:max_words], b[:max_words]
    result = WordDiff(old_words=len(a), new_words=len(b), truncated=truncated)
    ops = Levenshtein.opcodes(a, b)
    last = len(ops) - 1
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = a[i1:i2]
            result.kept_words += len(words)
            head = context if n > 0 else 0  # words kept after the previous change
            tail = context if n < last else 0  # words kept before the next change
            if len(words) > head + tail + 3:
                if head:
                    result.segments.append(Segment("equal", old=" ".join(words[:head])))
                result.segments.append(Segment("skip", words=len(words) - head - tail))
                if tail:
                    result.segments.append(Segment("equal", old=" ".join(words[-tail:])))
            else:
                result.segments.append(Segment("equal", old=" ".join(words)))
        else:
            result.segments.append(Segment(tag, old=" ".join(a[i1:i2]), new=" ".join(b[j1:j2])))
    return result


def clip_segments(diff: WordDiff, max_words: int = SHOWN_WORDS) -> tuple[list[Segment], int]:
    """The leading segments of `diff` showing at most about `max_words` words, and how many words are left out.

    A story section lists every version's diff; without a cap, a long article copied with small
    edits would put its whole text into the page once per version. The last segment kept is cut
    at a word boundary so the cap holds even for one huge insertion.
    """
    kept: list[Segment] = []
    shown = 0
    for n, g in enumerate(diff.segments):
        size = 0 if g.op == "skip" else len(g.old.split()) + len(g.new.split())
        if shown + size <= max_words:
            kept.append(g)
            shown += size
            continue
        room = max_words - shown
        old, new = g.old.split(), g.new.split()
        cut = Segment(g.op, old=" ".join(old[:room]), new=" ".join(new[: max(0, room - len(old))]))
        if room > 0:
            kept.append(cut)
        left = size - len(cut.old.split()) - len(cut.new.split()) if room > 0 else size
        left += sum(0 if x.op == "skip" else len(x.old.split()) + len(x.new.split()) for x in diff.segments[n + 1 :])
        return kept, left
    return kept, 0
