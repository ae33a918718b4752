"""Benchmarks: run with `python -m bench` (or `make bench`) from the repository root."""
