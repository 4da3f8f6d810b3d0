"""Benchmark scripts; each writes its figures, the machine and the date to bench/RESULTS.md."""
