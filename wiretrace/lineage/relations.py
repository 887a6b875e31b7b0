"""The relation of a version to its parent, with a confidence and evidence a person can read.

Two parts. A decision list over `RelationFeatures` says whether a version is its own reporting
(independent) or a translation, and writes the evidence lines. Among the derived relations
(verbatim, light-edit, excerpt, rewrite, machine-rewrite) a multinomial logistic regression over
the same features decides: its weights were fitted on generated *train* derivations plus the
Clough & Stevenson human revisions, each answer weighted as two generated pairs
(`.venv/bin/python -m bench.lineage.fit_relations --stories 80 --write --clough-weight 2`; the
Clough benchmark refits per source so its score is never in-sample) and are shipped below as
constants, never fitted on the seeds or the example corpus. Its inputs include Clough &
Stevenson's own measures of the carried wording (word and 5-gram containment, longest common
subsequence): given true parents they raise the Clough 4-way macro-F1 (leave-one-source-out) from
0.669 to 0.697 and generated eval relation accuracy from 0.828 to 0.843. Against an inferred
(reconstructed) parent those measures compare with the other witnesses' wording, so a second set
of weights, fitted without them, decides there (`RUN_INPUTS`; generated train: relation accuracy
0.660 -> 0.686 with the model). Two overrides: several different mangled names, which its
training data never shows on a spin, decide machine-rewrite whatever it says (`names_spun`), and a
part reworded throughout (few of its 5-word runs in the parent) is never an excerpt. And by issue
4's definition of a verbatim copy, read on words rather than sentences: a version carrying all its
parent's words in order is verbatim however its sentences were split and whatever its dateline
(`RelationFeatures.same_words`), and one that changed a carried word is not (`_wording_changed`).
A rewrite or machine rewrite that keeps most of its sentences word for word did not reword the
text as a whole: it is a light edit (`_sparse_rewrite`), unless several names were mangled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from operator import mul

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
    # ... or this many different proper nouns altered
    spin_odd_names: int = 2
    # ... while at most this share of pairs is restructured at phrase level
    spin_max_restructured: float = 0.7
    # human rewrite: this share of aligned pairs restructured at phrase level
    rewrite_restructured: float = 0.25
    # an excerpt is a pasted part: at least this share of the carried word 5-grams occur in the
    # parent (generated train excerpts: all >= 0.92; Clough & Stevenson cuts: three in four >= 0.65)
    excerpt_pasted: float = 0.5
    # a "rewrite" or "machine-rewrite" keeping at least this share of its aligned sentences word for
    # word is an edited copy (light-edit): a paraphrase, human or machine, rewords the text as a whole
    # (issue 4's definition; the generated benchmark's observed labels use the same reading, so its
    # gain there is partly by construction, see BENCHMARKS rounds 20 and 31)
    mostly_kept: float = 0.5


DEFAULT_RULE = RelationRule()

# Positions in `model_inputs` of the word-run measures (containment at n = 1 and 5, LCS). Against an
# inferred parent they compare the version with the *other* witnesses' wording of each sentence, not
# with an original (a verbatim quote of the lost source shares few 5-grams with their rewrites), so
# a version against a reconstruction is read by the model fitted without them (RECONSTRUCTION_*:
# the same fit with these inputs left out, weights zero there).
RUN_INPUTS: tuple[int, ...] = (16, 17, 18)

# Multinomial logistic regression over `model_inputs` (written by bench.lineage.fit_relations).
MODEL_CLASSES: tuple[str, ...] = ('excerpt', 'light-edit', 'machine-rewrite', 'rewrite', 'verbatim')
MODEL_MEAN: tuple[float, ...] = (
    0.8751, 0.7917, 0.9182, 0.5812, 0.9577,
    0.25, 0.1593, 0.2429, 0.816, 0.01871,
    0.2515, 0.9121, 0.09357, 0.3962, 0.3311,
    0.0642, 0.9526, 0.8204, 0.918,
)
MODEL_SCALE: tuple[float, ...] = (
    0.2143, 0.2775, 0.1432, 0.356, 0.1105,
    0.3062, 0.318, 0.4038, 0.2327, 0.08447,
    0.4339, 0.3121, 0.2912, 0.6377, 0.3585,
    0.1405, 0.08938, 0.2479, 0.134,
)
MODEL_WEIGHTS: tuple[tuple[float, ...], ...] = (
    (
        -0.4751, -2.355, -0.1273, 0.1642, -0.7699,
        0.7825, -0.1807, -1.169, -0.1357, -0.386,
        -0.6055, 0.1213, -0.3678, -0.1349, -0.3905,
        0.3465, -0.6341, 1.216, 0.04711,
    ),
    (
        -0.1699, -0.01976, -0.2244, -0.1809, -0.2587,
        -0.9137, -0.2795, 0.1081, 0.2501, 0.8098,
        -0.3151, -0.3929, 0.1438, 0.979, 0.03319,
        0.2674, 0.2507, -1.387, 1.203,
    ),
    (
        0.3792, 1.151, 0.4655, -1.379, 0.3273,
        -0.8465, 0.6268, 1.673, 0.1948, 0.3282,
        -0.5324, 0.7029, -0.03403, -0.5619, 0.5513,
        -1.001, -0.2893, -0.3012, -0.06219,
    ),
    (
        -0.3683, 0.3095, -0.1236, 0.5716, 0.2631,
        1.45, 0.02896, -0.5237, -0.0005754, -0.4525,
        -0.3891, -0.6852, 0.2528, -0.05764, 0.2472,
        0.4331, 0.5933, 0.2326, -1.265,
    ),
    (
        0.6341, 0.9138, 0.009695, 0.8238, 0.4382,
        -0.4726, -0.1956, -0.08869, -0.3086, -0.2995,
        1.842, 0.2538, 0.005245, -0.2245, -0.4412,
        -0.04568, 0.07939, 0.2397, 0.077,
    ),
)
MODEL_BIAS: tuple[float, ...] = (
    0.9833, 2.664, -2.044, 1.809, -3.413,
)
RECONSTRUCTION_WEIGHTS: tuple[tuple[float, ...], ...] = (
    (
        -0.4405, -2.514, 0.001938, 0.1503, -0.7402,
        0.7566, -0.1972, -1.394, 0.08912, -0.3623,
        -0.6119, 0.3035, -0.4504, -0.3265, -0.5778,
        0.3723, 0, 0, 0,
    ),
    (
        -0.3624, -0.2165, -0.3375, -0.446, 0.102,
        -0.9609, -0.226, 0.1679, 0.436, 0.8474,
        -0.4152, -0.3003, 0.1879, 0.7689, 0.274,
        0.2753, 0, 0, 0,
    ),
    (
        0.3939, 1.153, 0.4677, -1.418, 0.3861,
        -0.8208, 0.6451, 1.922, 0.2012, 0.354,
        -0.5546, 0.5913, -0.03192, -0.5328, 0.6535,
        -0.9923, 0, 0, 0,
    ),
    (
        -0.2212, 0.6435, -0.1626, 0.8633, -0.2377,
        1.473, 0.0216, -0.5525, -0.4434, -0.5252,
        -0.2808, -0.8846, 0.3078, 0.3133, 0.09945,
        0.3832, 0, 0, 0,
    ),
    (
        0.6303, 0.9346, 0.03049, 0.8506, 0.4899,
        -0.4483, -0.2434, -0.1431, -0.2829, -0.3139,
        1.863, 0.2901, -0.01333, -0.2229, -0.4492,
        -0.03856, 0, 0, 0,
    ),
)
RECONSTRUCTION_BIAS: tuple[float, ...] = (
    0.851, 2.82, -2.109, 1.801, -3.363,
)


def model_inputs(f: RelationFeatures) -> list[float]:
    """The numbers the relation model reads: coverage both ways, closeness, order and edit pattern.

    Mangled names count every occurrence, bounded: in the generated training derivations only
    planted name changes (light edits, one name respelled wherever it occurs) mangle names, while
    the generator's spins keep them, so the weight learnt reads "a name respelled -> light edit".
    Several *different* names mangled, what spinning and machine round trips do, lie outside what
    the model has seen: `names_spun` decides those. The last three (containment of the carried
    wording at n = 1 and 5, longest common subsequence) are Clough & Stevenson's measures of how
    much was pasted; see `RUN_INPUTS`.
    """
    length_ratio = f.child_sentences / max(1, f.parent_sentences)
    return [
        f.child_coverage,
        f.parent_coverage,
        f.token_similarity,
        f.verbatim_share,
        f.order,
        f.restructured_share,
        f.parallel_share,
        min(0.2, f.swap_rate) * 10,
        f.copied_share,
        min(len(f.odd_names), 5) / 5,
        float(f.contiguous_block),
        min(length_ratio, 3.0),
        float(f.aligned_child >= 3 and f.order < 0.85),
        min(f.long_edit_rate, 3.0),
        f.edited_share,
        f.interior_omissions,
        f.word_containment,
        f.phrase_containment,
        f.lcs_share,
    ]



def model_probabilities(f: RelationFeatures) -> dict[str, float]:
    """P(relation) among the derived relations, from the shipped model (empty when none shipped)."""
    if not MODEL_CLASSES:
        return {}
    x = [(v - m) / s for v, m, s in zip(model_inputs(f), MODEL_MEAN, MODEL_SCALE, strict=True)]
    weights, bias = MODEL_WEIGHTS, MODEL_BIAS
    if f.inferred_parent and RECONSTRUCTION_WEIGHTS:
        weights, bias = RECONSTRUCTION_WEIGHTS, RECONSTRUCTION_BIAS
    if any(len(ws) != len(x) for ws in weights):
        raise ValueError("relation model weights do not match its inputs")
    # map(mul): the products summed left to right as the generator did, without its per-item frame
    z = [b + sum(map(mul, ws, x)) for ws, b in zip(weights, bias, strict=True)]
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = sum(e)
    return {c: v / total for c, v in zip(MODEL_CLASSES, e, strict=True)}


def swaps_phrase(swaps: list[tuple[str, str]], limit: int = 4) -> str:
    """Up to `limit` distinct swaps as evidence text: "Doha→Dhaha, Uyghur→Ugandan, ...".

    A swap at a sentence's start and the same swap inside one are one to a reader (The→These,
    the→these): distinct ignores case, and the first spelling met is shown."""
    distinct: dict[str, str] = {}
    for old, new in swaps:
        text = f"{old}→{new}"
        distinct.setdefault(text.casefold(), text)
    shown = list(distinct.values())
    more = ", ..." if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


def is_machine_rewrite(f: RelationFeatures, rule: RelationRule = DEFAULT_RULE) -> bool:
    """Spinning / MT round trip: sentences kept in order, word-level damage, little restructuring."""
    if f.cross_lingual or f.aligned_child < 2 or f.order < rule.spin_order:
        return False
    if f.inferred_parent:
        # against a reconstruction only the version's own readings count (see trace.py)
        return f.distinct_odd_names >= rule.spin_odd_names
    damaged = f.swap_rate >= rule.spin_swap_rate or f.distinct_odd_names >= rule.spin_odd_names
    return damaged and f.restructured_share <= rule.spin_max_restructured


def names_spun(f: RelationFeatures, rule: RelationRule = DEFAULT_RULE) -> bool:
    """Several different proper names mangled by a small edit (Doha→Dhaha), sentences kept in order:
    the mark of a spinner or a machine round trip, which no copy desk leaves behind."""
    return (
        not f.cross_lingual
        and f.aligned_child >= 2
        and f.order >= rule.spin_order
        and f.distinct_odd_names >= rule.spin_odd_names
    )


def _model_evidence(relation: str, f: RelationFeatures) -> list[str]:
    """The evidence lines a person checks for the relation the model chose."""
    out: list[str] = []
    if relation == "machine-rewrite":
        out.append(f"{len(f.substitutions)} single-word substitutions ({swaps_phrase(f.substitutions)})")
        if f.odd_names:
            out.append(f"{len(f.odd_names)} altered names ({swaps_phrase(f.odd_names)})")
    elif relation == "excerpt":
        out.append(f"carries {f.parent_coverage:.0%} of the parent; {len(f.additions)} sentences of its own")
    elif relation == "rewrite":
        if f.order < 0.85 and f.aligned_child >= 3:
            out.append(f"sentences reordered (only {f.order:.0%} in the parent's order)")
        out.append(f"{f.restructured_share:.0%} of aligned sentences restructured at phrase level")
    elif relation == "light-edit" and f.substitutions:
        out.append(f"{len(f.substitutions)} words changed ({swaps_phrase(f.substitutions)})")
    return out


def _mostly_kept(f: RelationFeatures, rule: RelationRule) -> bool:
    """Most aligned sentences are the parent's word for word: an edited copy, not a paraphrase."""
    return f.aligned_child > 0 and f.verbatim_share >= rule.mostly_kept


def _sparse_rewrite(relation: str, f: RelationFeatures, rule: RelationRule) -> bool:
    """A rewrite or machine rewrite that keeps most sentences word for word: an edited copy.

    A spinner that swapped a word in a few sentences and left the rest untouched did not reword the
    text as a whole, so by issue 4's definition it made a light edit; the swapped words stay in the
    evidence ("N words changed (...)"). Several different names mangled (`names_spun`) still read as
    a spinner's or a machine round trip's damage, whatever was kept."""
    if relation == "machine-rewrite" and names_spun(f, rule):
        return False
    return relation in ("rewrite", "machine-rewrite") and _mostly_kept(f, rule)


def reads_as_spin(f: RelationFeatures, rule: RelationRule = DEFAULT_RULE) -> bool:
    """Whether the relation model reads `f` as a spinner's or a machine round trip's work, however
    much of the text it kept: what the spinning direction asks (`readings.plainer_witness`), before
    issue 4's definition calls a sparse spin a light edit (`_sparse_rewrite`)."""
    return classify(f, replace(rule, mostly_kept=math.inf))[0] == "machine-rewrite"


def _mostly_kept_evidence(f: RelationFeatures) -> str:
    return f"{f.verbatim_share:.0%} of aligned sentences kept word for word: an edited copy, not a paraphrase"


def _wording_changed(f: RelationFeatures) -> bool:
    """Some of the carried words are not the parent's, in its order (a dateline aside): not a
    verbatim copy. Against a reconstruction the words compare with other witnesses' wording, so only
    a real parent counts."""
    return not f.inferred_parent and f.lcs_share < 1.0 and not f.same_words


def reads_independent(f: RelationFeatures, rule: RelationRule = DEFAULT_RULE) -> bool:
    """Whether `classify` calls the version independent of the other: too little of it aligned and
    too little of its wording copied for any derivation (never across languages). Cheap: no model."""
    return not f.cross_lingual and f.child_coverage < rule.min_shared and f.copied_share < rule.min_copied


def classify(
    f: RelationFeatures, rule: RelationRule = DEFAULT_RULE, use_model: bool = True
) -> tuple[str, float, list[str]]:
    """(relation, confidence 0..1, evidence lines) of a version against its parent.

    `use_model=False` keeps to the decision list (what the Clough benchmark's threshold fit uses).
    """
    in_order = f.order >= rule.spin_order
    evidence = [
        f"{f.aligned_child} of {f.child_sentences} sentences aligned"
        + (" in order" if in_order and f.aligned_child > 1 else "")
        + f"; carries {f.aligned_parent} of the parent's {f.parent_sentences}"
    ]
    if f.cross_lingual:
        evidence.append("aligned across languages")
        return "translation", round(min(0.99, 0.5 + f.child_coverage / 2), 3), evidence
    if reads_independent(f, rule):
        evidence.append(f"only {f.copied_share:.0%} of its word trigrams occur in the other version")
        return "independent", round(1.0 - f.child_coverage / max(rule.min_shared, 1e-9) / 2, 3), evidence
    closeness = f.token_similarity
    evidence.append(f"aligned wording {closeness:.0%} identical; {f.verbatim_share:.0%} of pairs verbatim")
    word_for_word = (
        (f.verbatim_share >= rule.verbatim_closeness or f.same_words) and f.child_coverage >= rule.full_parent
    ) and f.parent_coverage >= 1.0
    # a word-for-word copy of all the parent is verbatim by definition, whatever the model says
    probabilities = {} if not use_model or word_for_word else model_probabilities(f)
    if probabilities:
        candidates = sorted(probabilities)
        # reworded throughout, whatever else it shows, it is not a cut (against a reconstruction the
        # 5-grams compare with other witnesses' wording: no reading of a paste)
        pasted = f.inferred_parent or f.phrase_containment >= rule.excerpt_pasted
        if not pasted and "excerpt" in candidates and len(candidates) > 1:
            candidates.remove("excerpt")
        if "verbatim" in candidates and len(candidates) > 1 and _wording_changed(f):
            candidates.remove("verbatim")
        relation = max(candidates, key=lambda c: probabilities[c])
        if relation != "machine-rewrite" and names_spun(f, rule):
            probabilities = {**probabilities, "machine-rewrite": max(probabilities["machine-rewrite"], 0.6)}
            relation = "machine-rewrite"
        if _sparse_rewrite(relation, f, rule):
            # the model weighs how much changed; whether that is a paraphrase is a definition
            confidence = probabilities[relation] + probabilities["light-edit"]
            evidence.append(_mostly_kept_evidence(f))
            evidence.extend(_model_evidence("light-edit", f))
            return "light-edit", round(min(0.99, confidence), 3), evidence
        evidence.extend(_model_evidence(relation, f))
        return relation, round(min(0.99, probabilities[relation]), 3), evidence
    if is_machine_rewrite(f, rule):
        relation = "machine-rewrite"
        margin = min(0.3, f.swap_rate - rule.spin_swap_rate + 0.05 * len(f.odd_names))
        evidence.append(f"{len(f.substitutions)} single-word substitutions ({swaps_phrase(f.substitutions)})")
        if f.odd_names:
            evidence.append(f"{len(f.odd_names)} altered names ({swaps_phrase(f.odd_names)})")
    elif f.same_words and f.child_coverage >= rule.full_parent and f.parent_coverage >= 1.0:
        relation, margin = "verbatim", 0.1
        if f.verbatim_share < 1.0:
            evidence.append("carries all the parent's words in order; only its sentence breaks or dateline differ")
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
        if f.substitutions:
            evidence.append(f"{len(f.substitutions)} words changed ({swaps_phrase(f.substitutions)})")
    if _sparse_rewrite(relation, f, rule):
        relation, margin = "light-edit", f.verbatim_share - rule.mostly_kept
        evidence.append(_mostly_kept_evidence(f))
    confidence = round(min(0.99, 0.6 + margin + 0.2 * min(1.0, f.child_coverage)), 3)
    return relation, confidence, evidence
