"""Benchmarks of the align and lineage stages (see BENCHMARKS.md)."""
