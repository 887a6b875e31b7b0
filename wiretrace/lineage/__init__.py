"""Lineage stage: families of copies, their origins (found or inferred missing), and how each
version derives from its parent (see wiretrace/lineage/trace.py for how direction is read, and the modules it names).
"""

from wiretrace.lineage.features import RelationFeatures, relation_features
from wiretrace.lineage.relations import DEFAULT_RULE, RelationRule, classify
from wiretrace.lineage.trace import trace, trace_with_alignments

__all__ = [
    "DEFAULT_RULE",
    "RelationFeatures",
    "RelationRule",
    "classify",
    "relation_features",
    "trace",
    "trace_with_alignments",
]
