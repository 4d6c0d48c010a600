"""Benchmarks of the publishing engine (never part of the test suite; see bench/README.md).

Also a tiny Django app holding the synthetic load layer the benchmarks measure: its table is
empty, and its layer hidden from every endpoint, until ``manage.py bench_load`` fills it.
"""
