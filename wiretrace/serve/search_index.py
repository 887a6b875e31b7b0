"""In-memory indexes that answer the web app's substring searches without scanning every text.

The app's search is a case-insensitive substring match. Over a read-only store it is answered
here instead of by DuckDB scanning every lower-cased text (about 10 ms for 10,000 articles, the
largest cost of a search page):

- `JoinedStrings`: many short strings joined by a separator none of them holds, so the ones
  containing a needle are found by one C-speed search of the join (an occurrence cannot span
  the separator unless the needle holds it). Used for outlets and for story ids, labels and
  outlets.
- `TokenIndex`: a needle with no whitespace in it can only occur inside one whitespace-separated
  token of a text, so the rows containing it are exactly the rows holding a token that contains
  it. The distinct tokens (tens of thousands, however many texts) are searched as `JoinedStrings`
  and their posting lists give the rows: exact, not a prefilter. A needle with whitespace
  returns None and the caller scans.

Hand-written because DuckDB's full-text extension must be downloaded and matches words, not
substrings; a trigram index (pg_trgm style) would be larger and still need a verification pass.
Rows are numbered by the caller (0 .. n-1, in the listing's order), so a sorted array of row
numbers is already a page in listing order.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable

import numpy as np

MANY_TERMS = 256  # above this many matching tokens, rows are found with one vectorised gather


def has_whitespace(needle: str) -> bool:
    return needle.split() != [needle]


class JoinedStrings:
    """Which of n strings contain a needle, found by one search of all of them joined by `sep`.

    With `per_row` k, values come k to a row (row i owns values k*i .. k*i+k-1) and a row matches
    when any of its values does.
    """

    def __init__(self, values: list[str], sep: str = "\x00", per_row: int = 1) -> None:
        self.per_row, self.count, self.sep = per_row, len(values) // per_row, sep
        # A value holding the separator would let a match span two values: then test each value.
        self.values = values if any(sep in v for v in values) else None
        self.joined = sep.join(values)
        lengths = np.fromiter((len(v) + 1 for v in values), dtype=np.int64, count=len(values))
        self.starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(values) else np.zeros(0, np.int64)

    def matching(self, needle: str) -> np.ndarray:
        """Sorted indices of the values containing `needle` ("" is in every value)."""
        if not needle:
            return np.arange(self.count)
        if self.values is not None:
            hits = np.flatnonzero(np.fromiter((needle in v for v in self.values), dtype=bool, count=len(self.values)))
        elif self.sep in needle:
            return np.zeros(0, np.int64)
        else:
            positions = np.fromiter(
                (m.start() for m in re.finditer(re.escape(needle), self.joined)), dtype=np.int64
            )
            hits = np.searchsorted(self.starts, positions, side="right") - 1
        return np.unique(hits // self.per_row)

    def mask(self, needle: str) -> np.ndarray:
        found = np.zeros(self.count, dtype=bool)
        found[self.matching(needle)] = True
        return found


class TokenIndex:
    """Rows whose text contains a whitespace-free needle, from the distinct tokens of every row."""

    def __init__(self, texts: Iterable[str]) -> None:
        vocab: dict[str, int] = {}
        term_of, row_of = array("i"), array("i")
        rows = 0
        for row, text in enumerate(texts):
            rows = row + 1
            for token in set(text.split()):
                term_of.append(vocab.setdefault(token, len(vocab)))
                row_of.append(row)
        self.rows = rows
        # No token holds whitespace, so "\n" separates them safely for a whitespace-free needle.
        self.terms = JoinedStrings(list(vocab), sep="\n")
        term_arr = np.frombuffer(term_of, dtype=np.int32) if len(term_of) else np.zeros(0, np.int32)
        row_arr = np.frombuffer(row_of, dtype=np.int32) if len(row_of) else np.zeros(0, np.int32)
        order = np.argsort(term_arr, kind="stable")  # postings grouped by token, rows ascending within
        self.posting_term = term_arr[order]
        self.posting_row = row_arr[order]
        self.indptr = np.searchsorted(self.posting_term, np.arange(len(vocab) + 1))

    def matching_rows(self, needle: str) -> np.ndarray | None:
        """Sorted row numbers whose text contains `needle` (already lower-cased as the texts were),
        or None when the needle holds whitespace (or is empty) and only a scan can tell."""
        if not needle or has_whitespace(needle):
            return None
        terms = self.terms.matching(needle)
        if not len(terms):
            return np.zeros(0, np.int64)
        if len(terms) <= MANY_TERMS:
            parts = [self.posting_row[self.indptr[t] : self.indptr[t + 1]] for t in terms]
            return np.unique(np.concatenate(parts)).astype(np.int64)
        wanted = np.zeros(self.terms.count, dtype=bool)
        wanted[terms] = True
        found = np.zeros(self.rows, dtype=bool)
        found[self.posting_row[wanted[self.posting_term]]] = True
        return np.flatnonzero(found)


class DayColumn:
    """Dates (YYYY-MM-DD prefixes) of n rows for range tests; a missing date is in no range (SQL NULL)."""

    def __init__(self, days: list[str | None]) -> None:
        self.present = np.array([d is not None for d in days], dtype=bool)
        self.days = np.array([d or "" for d in days], dtype=np.dtypes.StringDType())  # "U" drops trailing NULs

    def at_least(self, value: str) -> np.ndarray:
        return self.present & (self.days >= value[:10])

    def at_most(self, value: str) -> np.ndarray:
        return self.present & (self.days <= value[:10])
