"""The relation of a version to its parent, with a confidence and evidence a person can read.

A small decision list over `RelationFeatures`, not a learned model: each branch is one sentence
of evidence. Thresholds in `RelationRule` were fitted by bench/lineage (Clough & Stevenson with
leave-one-source-out cross-validation for copy closeness; generated spun/rewritten derivations
for the machine-rewrite test), never on the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

from wiretrace.lineage.features import RelationFeatures


@dataclass(frozen=True, slots=True)
class RelationRule:
    # below this share of its sentences aligned to the parent (and little copied wording), a
    # version is its own reporting
    min_shared: float = 0.4
    min_copied: float = 0.1
    # a copy (verbatim or excerpt) keeps at least this share of aligned sentences verbatim ...
    verbatim_pairs: float = 0.2
    # ... and is a verbatim copy (not a light edit) from this share on
    verbatim_closeness: float = 1.0
    # closeness = mean token similarity of aligned sentences: below it, a rewrite
    light_closeness: float = 0.6
    # a version carrying less than this share of its parent's sentences is an excerpt of it
    full_parent: float = 0.7
    # aligned sentences in the parent's order (longest in-order run / aligned); below: reordered
    spin_order: float = 0.85
    # machine rewrite: in order, and this many single-word substitutions per aligned token ...
    spin_swap_rate: float = 0.02
    # ... or this many altered proper nouns
    spin_odd_names: int = 2
    # ... while at most this share of pairs is restructured at phrase level
    spin_max_restructured: float = 0.7
    # human rewrite: this share of aligned pairs restructured at phrase level
    rewrite_restructured: float = 0.25


DEFAULT_RULE = RelationRule()


def _examples(swaps: list[tuple[str, str]], limit: int = 4) -> str:
    seen: list[str] = []
    for old, new in swaps:
        text = f"{old}→{new}"
        if text not in seen:
            seen.append(text)
    more = ", ..." if len(seen) > limit else ""
    return ", ".join(seen[:limit]) + more


def is_machine_rewrite(f: RelationFeatures, rule: RelationRule = DEFAULT_RULE) -> bool:
    """Spinning / MT round trip: sentences kept in order, word-level damage, little restructuring."""
    if f.cross_lingual or f.aligned_child < 2 or f.order < rule.spin_order:
        return False
    if f.inferred_parent:
        # against a reconstruction only the version's own readings count (see trace.py)
        return len(f.odd_names) >= rule.spin_odd_names
    damaged = f.swap_rate >= rule.spin_swap_rate or len(f.odd_names) >= rule.spin_odd_names
    return damaged and f.restructured_share <= rule.spin_max_restructured


def classify(f: RelationFeatures, rule: RelationRule = DEFAULT_RULE) -> tuple[str, float, list[str]]:
    """(relation, confidence 0..1, evidence lines) of a version against its parent."""
    in_order = f.order >= rule.spin_order
    evidence = [
        f"{f.aligned_child} of {f.child_sentences} sentences aligned"
        + (" in order" if in_order and f.aligned_child > 1 else "")
        + f"; carries {f.aligned_parent} of the parent's {f.parent_sentences}"
    ]
    if f.cross_lingual:
        evidence.append("aligned across languages")
        return "translation", round(min(0.99, 0.5 + f.child_coverage / 2), 3), evidence
    if f.child_coverage < rule.min_shared and f.copied_share < rule.min_copied:
        evidence.append(f"only {f.copied_share:.0%} of its word trigrams occur in the other version")
        return "independent", round(1.0 - f.child_coverage / max(rule.min_shared, 1e-9) / 2, 3), evidence
    closeness = f.token_similarity
    evidence.append(f"aligned wording {closeness:.0%} identical; {f.verbatim_share:.0%} of pairs verbatim")
    if is_machine_rewrite(f, rule):
        relation = "machine-rewrite"
        margin = min(0.3, f.swap_rate - rule.spin_swap_rate + 0.05 * len(f.odd_names))
        evidence.append(f"{len(f.word_swaps)} single-word substitutions ({_examples(f.word_swaps)})")
        if f.odd_names:
            evidence.append(f"{len(f.odd_names)} altered names ({_examples(f.odd_names)})")
    elif (
        f.contiguous_block
        and in_order
        and f.child_coverage < 0.5
        and f.parent_coverage < rule.full_parent
        and closeness >= rule.light_closeness
    ):
        relation, margin = "excerpt", 0.5 - f.child_coverage
        evidence.append(f"one block of {f.aligned_child} sentences inside {len(f.additions)} of its own")
    elif closeness < rule.light_closeness:
        relation, margin = "rewrite", rule.light_closeness - closeness
    elif f.aligned_child >= 3 and not in_order:
        relation, margin = "rewrite", rule.spin_order - f.order
        evidence.append(f"sentences reordered (only {f.order:.0%} in the parent's order)")
    elif f.restructured_share >= rule.rewrite_restructured:
        relation, margin = "rewrite", f.restructured_share - rule.rewrite_restructured
        evidence.append(f"{f.restructured_share:.0%} of aligned sentences restructured at phrase level")
    elif f.parent_coverage < rule.full_parent and (
        f.verbatim_share >= rule.verbatim_pairs or f.child_coverage < 0.5
    ):
        relation, margin = "excerpt", rule.full_parent - f.parent_coverage
        if f.additions:
            evidence.append(f"{len(f.additions)} sentences of its own around the copied block")
    elif f.verbatim_share >= rule.verbatim_closeness and f.child_coverage >= rule.full_parent:
        relation, margin = "verbatim", f.verbatim_share - rule.verbatim_closeness + 0.1
    else:
        relation, margin = "light-edit", min(closeness - rule.light_closeness, 0.2)
        if f.word_swaps:
            evidence.append(f"{len(f.word_swaps)} words changed ({_examples(f.word_swaps)})")
    confidence = round(min(0.99, 0.6 + margin + 0.2 * min(1.0, f.child_coverage)), 3)
    return relation, confidence, evidence
