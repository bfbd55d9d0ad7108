"""Benchmarks: one script per stage, timed against what users would pick instead (see bench/results.md)."""
