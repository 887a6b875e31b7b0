"""Teaser blocks ("Recommended Stories", "Related", "You may also like"...) found by structure.

A teaser block is an optional heading-shaped line followed by a run of items, each a short
headline (often bulleted) with up to `MAX_BLURBS` blurb paragraphs. Structure alone is not
enough (a story may end with a bulleted list of its own points), so a block is accepted when its
heading is teaser vocabulary, or else when its items are topically far from the story body:
few of their content words occur in the body. Each teaser is reported as one unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiretrace.clean.junk import BULLET, call_to_action, ends_like_sentence, strip_bullet, word_count

MAX_BLURBS = 2
HEADING_MAX_WORDS = 8
ITEM_MAX_WORDS = 30
MIN_ITEMS_WITH_HEADING = 2
MIN_ITEMS_BY_TOPIC = 3
MAX_TOPIC_OVERLAP = 0.25  # mean share of an item's content words found in the body
MIN_BODY_WORDS = 40  # distinct content words the body needs before topic distance means anything
MIN_HEADLINE_WORDS = 2
MIN_SHAPED_SHARE = 0.8
UNBULLETED_BLURB_MAX_WORDS = 60  # mean blurb length of an unbulleted teaser run; body sections run longer
_CONTENT_WORD = re.compile(r"[^\W\d_]{5,}", re.UNICODE)


@dataclass(slots=True)
class TeaserBlock:
    heading: int | None  # paragraph index of the heading, if any
    items: list[list[int]]  # paragraph indexes of each teaser (headline + blurbs)


def is_table_row(line: str) -> bool:
    return line.count("|") >= 2 or line.count("\t") >= 2


def is_bulleted(line: str) -> bool:
    return bool(BULLET.match(line)) and bool(strip_bullet(line)) and not is_table_row(line)


def _is_item_headline(line: str) -> bool:
    text = strip_bullet(line)
    n = word_count(text)
    if not 0 < n <= ITEM_MAX_WORDS or is_table_row(line):
        return False
    return is_bulleted(line) or not ends_like_sentence(text) or text.endswith("?")


def _is_heading(line: str) -> bool:
    text = strip_bullet(line)
    return 0 < word_count(text) <= HEADING_MAX_WORDS and not ends_like_sentence(text)


def content_words(text: str) -> set[str]:
    return {w.casefold() for w in _CONTENT_WORD.findall(text)}


def _topic_overlap(item_text: str, body_words: set[str]) -> float:
    item_words = content_words(item_text)
    return len(item_words & body_words) / len(item_words) if item_words else 1.0


def _items_from(paragraphs: list[str], start: int) -> list[list[int]]:
    """The run of teaser items beginning at `start`: headline, then up to MAX_BLURBS blurbs."""
    items: list[list[int]] = []
    j = start
    bulleted = is_bulleted(paragraphs[start]) if start < len(paragraphs) else False
    while (
        j < len(paragraphs)
        and _is_item_headline(paragraphs[j])
        and (is_bulleted(paragraphs[j]) or not bulleted)
    ):
        item = [j]
        j += 1
        while (
            j < len(paragraphs)
            and len(item) <= MAX_BLURBS
            and not is_bulleted(paragraphs[j])
            and not (_is_item_headline(paragraphs[j]) and not bulleted)
        ):
            item.append(j)
            j += 1
        items.append(item)
    return items


def find_teaser_blocks(paragraphs: list[str], body_start: int, skip: set[int]) -> list[TeaserBlock]:
    """Teaser blocks after `body_start`, ignoring paragraphs already judged junk (`skip`)."""
    blocks: list[TeaserBlock] = []
    i = body_start
    while i < len(paragraphs):
        if i in skip:
            i += 1
            continue
        line = paragraphs[i]
        vocabulary = call_to_action(line) is not None and _is_heading(line)
        heading = i if (vocabulary or (_is_heading(line) and not is_bulleted(line))) else None
        first = i + 1 if heading is not None else i
        items = _items_from(paragraphs, first)
        if items and _accept(paragraphs, body_start, i, items, vocabulary):
            blocks.append(TeaserBlock(heading, items))
            i = items[-1][-1] + 1
        else:
            i += 1
    return blocks


def _teaser_shaped(paragraphs: list[str], items: list[list[int]]) -> bool:
    """Unbulleted runs of subheading + paragraph are how articles and interviews are laid out too.

    Teasers differ: one short blurb per headline, and headlines are statements, not the
    questions of an interview.
    """
    if any(len(item) > 2 or strip_bullet(paragraphs[item[0]]).rstrip().endswith("?") for item in items):
        return False
    blurbs = [word_count(paragraphs[k]) for item in items for k in item[1:]]
    return not blurbs or sum(blurbs) / len(blurbs) <= UNBULLETED_BLURB_MAX_WORDS


def _accept(
    paragraphs: list[str], body_start: int, at: int, items: list[list[int]], vocabulary: bool
) -> bool:
    """A teaser heading needs two items; without one, the run must look like a trailing teaser list:
    it ends the page, its items are bulleted or headline + blurb pairs with words in them, and they
    are about something else than a body long enough to judge by."""
    if vocabulary and len(items) >= MIN_ITEMS_WITH_HEADING:
        return True
    if len(items) < MIN_ITEMS_BY_TOPIC or items[-1][-1] != len(paragraphs) - 1:
        return False
    shaped = sum(
        1
        for item in items
        if (len(item) > 1 or is_bulleted(paragraphs[item[0]]))
        and len(content_words(paragraphs[item[0]])) >= MIN_HEADLINE_WORDS
    )
    if shaped < len(items) * MIN_SHAPED_SHARE:
        return False
    if not all(is_bulleted(paragraphs[item[0]]) for item in items) and not _teaser_shaped(paragraphs, items):
        return False
    body_words = content_words(" ".join(paragraphs[body_start:at]))
    if len(body_words) < MIN_BODY_WORDS:
        return False
    overlaps = [_topic_overlap(" ".join(paragraphs[k] for k in item), body_words) for item in items]
    return sum(overlaps) / len(overlaps) <= MAX_TOPIC_OVERLAP
