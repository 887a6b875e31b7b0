"""The relation a derivation shows in its text ("observed"), beside the operator the generator ran.

The generator (bench/generator/corpus.py, RELATION) labels a derivation by the operator it ran, not
by what the operator did: a "paraphrase" that turned one "said" into "told reporters", a "spin"
whose synonym table matched one word, a "reorder" of a three-sentence text (one block: nothing
moves), an edit with nothing to edit. Readers, and the relation model, can only see the text. The
rule below was written down from issue 4's definitions before anything was measured with it, and
is not tuned on any score:

- verbatim: the copy carries its parent's words. Translation, independent reporting and the
  verbatim operator (whose only addition is a furniture line) keep their labels.
- any other derivation whose words equal its parent's words (same words, same order) is verbatim:
  nothing was changed, dropped or moved (a no-op edit, a reorder that kept the order, an excerpt
  of the whole text).
- excerpt ("a part of the source", also a quoted block inside commentary) and light-edit keep
  their labels otherwise: an excerpt drops sentences, a light edit changes a fact or a word, and
  neither operator can reach a rewrite's amount of change.
- rewrite ("human paraphrase") and machine-rewrite ("synonym spinning / MT round trip") describe a
  text reworded as a whole. One that rewords at most half of its sentences (the others are its
  parent's sentences word for word), or changes fewer than `SLIGHT_WORDS` words in all (deleting
  is not rewording), is an edited copy: light-edit. This is `relation_errors.reading` ("slight",
  "mostly-kept" against "reworded"), the reading round 16 defined. A reorder (sentences moved,
  words kept) rewords no sentence, so it is light-edit: moving paragraphs is a desk edit, not a
  paraphrase, and the words are all the parent's (not verbatim either: the text reads differently).

The sentences are the generator's own units (its splitter built every derived text sentence by
sentence), compared by lower-cased word tokens.
"""

from __future__ import annotations

from bench.generator.corpus import sentences
from bench.lineage.relation_errors import REWRITES, SLIGHT_WORDS, reading, word_change
from wiretrace.align.sentences import lower_tokens

KEPT = ("verbatim", "translation", "independent")

__all__ = ["SLIGHT_WORDS", "observed_relation"]


def _words(sents: list[str]) -> list[str]:
    return [w for s in sents for w in lower_tokens(s)]


def observed_relation(recorded: str, parent_text: str, child_text: str) -> str:
    """The relation `child_text` shows against `parent_text`, given the generator's `recorded` one
    (see the module docstring for the rule and why)."""
    if recorded in KEPT:
        return recorded
    parent, child = sentences(parent_text), sentences(child_text)
    if _words(child) == _words(parent):
        return "verbatim"
    if recorded in REWRITES and reading(word_change(child, parent), noop=False) != "reworded":
        return "light-edit"
    return recorded
