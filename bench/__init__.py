"""Benchmarks: plain scripts that print numbers. ``python -m bench`` runs them all; see docs/benchmarks.md."""
