"""Benchmarks (``make bench``): figures printed as a table, never asserted by timed tests."""
