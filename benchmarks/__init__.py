"""Benchmarks of the KeepItOn bot against the dev wiki (make bench)."""
