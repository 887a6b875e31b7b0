"""Facts stage: which facts changed as a story was copied, and what the original said.

    >>> from wiretrace.facts import extract_facts
    >>> [(f.kind, f.value) for f in extract_facts("ISIS killed forty-six people on Friday.", "en")]

`find_drift(story, articles, settings)` fills `Story.drift`; see drift.py for how.
"""

from wiretrace.facts.drift import find_drift
from wiretrace.facts.extract import extract_facts, extract_many
from wiretrace.facts.record import Fact

__all__ = ["Fact", "extract_facts", "extract_many", "find_drift"]
